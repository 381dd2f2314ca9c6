//! Helpers shared by the browser tests (`tests/web.rs`, `tests/web_hostile.rs`).

use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The plugins for these settings, as the package's factory makes them (`js/index.js`):
/// `makePlugins` of `js/boundary.js` driving the shell's exports (the test binary does not
/// export a dependency's functions, so here they are JS functions calling them).
pub fn create_plugins(settings: JsValue) -> JsValue {
    use intercom_web_destination::shell;
    let wasm = js_sys::Object::new();
    let set = |name: &str, f: JsValue| {
        Reflect::set(&wasm, &name.into(), &f).unwrap();
    };
    set(
        "input",
        Closure::<dyn Fn(usize) -> usize>::new(|n| shell::input(n) as usize).into_js_value(),
    );
    set(
        "output",
        Closure::<dyn Fn() -> usize>::new(|| shell::output() as usize).into_js_value(),
    );
    set(
        "create",
        Closure::<dyn Fn(usize) -> usize>::new(shell::create).into_js_value(),
    );
    set(
        "load",
        Closure::<dyn Fn(usize) -> usize>::new(shell::load).into_js_value(),
    );
    set(
        "reset",
        Closure::<dyn Fn(usize) -> usize>::new(shell::reset).into_js_value(),
    );
    set(
        "event",
        Closure::<dyn Fn(usize, usize, f64, f64) -> usize>::new(shell::event).into_js_value(),
    );
    set("memory", wasm_bindgen::memory());
    shell::make_plugins_with(&settings, &wasm)
}

/// A JS value from JSON text.
pub fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

/// A JS value as JSON text.
pub fn json_of(v: &JsValue) -> String {
    JSON::stringify(v).map(String::from).unwrap_or_default()
}

/// `target[key]`.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap()
}

/// `plugin[method](...args)`.
pub fn call(plugin: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: Function = get(plugin, method).dyn_into().unwrap();
    f.apply(plugin, &args.iter().collect::<Array>()).unwrap()
}
