//! Helpers shared by the browser tests (`tests/web.rs`, `tests/web_hostile.rs`).

use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
