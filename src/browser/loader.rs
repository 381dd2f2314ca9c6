//! Loads the Intercom Messenger the way Intercom's snippet does: `intercomSettings`, the stub
//! queue, one async `<script>`, `boot`; and tells when the real widget has replaced the stub.

use crate::Destination;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Marks the stub this crate installs, so that every instance (and every copy of the module)
/// recognises it and no second widget script is inserted.
const STUB_MARK: &str = "__intercomWebDestinationStub";

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// The DOM side of the load: find or insert the script, wait for the widget (see
    /// `loadScript` in `js/boundary.js`).
    #[wasm_bindgen(js_name = loadScript)]
    fn load_script(
        url: &str,
        nonce: &str,
        timeout_ms: u32,
        stub_mark: &str,
        error_message: &str,
        timeout_message: &str,
        on_fail: &JsValue,
    ) -> Promise;
}

thread_local! {
    /// One load per widget URL and page: all plugins of all factories share it.
    static LOADS: RefCell<Vec<(String, Promise)>> = const { RefCell::new(Vec::new()) };
}

fn window_prop(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    /// The global object and the key `Intercom`, made once: this is read for every call.
    static GLOBAL_AND_KEY: (JsValue, JsValue) = (js_sys::global().into(), JsValue::from_str("Intercom"));
}

/// `window.Intercom` if it is a function.
pub fn intercom_function() -> Option<Function> {
    GLOBAL_AND_KEY
        .with(|(global, key)| Reflect::get(global, key))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

/// A stub queue: ours, or the one of Intercom's own snippet (a function with a `q` array).
fn is_stub(f: &Function) -> bool {
    let marked = Reflect::get(f, &JsValue::from_str(STUB_MARK))
        .map(|v| v.is_truthy())
        .unwrap_or(false);
    marked || Reflect::get(f, &JsValue::from_str("q")).is_ok_and(|q| Array::is_array(&q))
}

/// Whether the real widget is on the page (a function that is not a stub queue).
pub fn widget_ready() -> bool {
    intercom_function().is_some_and(|f| !is_stub(&f))
}

/// The message of a thrown JS value.
pub fn describe_error(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "unknown error".to_string())
}

/// Starts (or joins) the widget load for these settings. Resolves when the real widget has
/// replaced the stub; rejects with a message on script error or timeout.
pub fn load(destination: &Destination) -> Promise {
    let settings = destination.settings();
    let url = settings.widget_script_url();
    if let Some(p) = LOADS.with(|l| {
        l.borrow()
            .iter()
            .find(|(u, _)| *u == url)
            .map(|(_, p)| p.clone())
    }) {
        return p;
    }
    let result = start(destination, &url);
    let promise = match result {
        Ok(p) => p,
        Err(message) => Promise::reject(&js_sys::Error::new(&message)),
    };
    LOADS.with(|l| l.borrow_mut().push((url, promise.clone())));
    promise
}

fn forget_load(url: &str) {
    LOADS.with(|l| l.borrow_mut().retain(|(u, _)| u != url));
}

fn start(destination: &Destination, url: &str) -> Result<Promise, String> {
    let settings = destination.settings();

    // 1. intercomSettings, merged into an existing object.
    let existing = window_prop("intercomSettings");
    let intercom_settings: Object = existing.dyn_into::<Object>().unwrap_or_default();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&intercom_settings, &k.into(), &v.into());
    };
    set("app_id", &settings.app_id);
    set("installation_type", "s");
    set("api_base", settings.api_base.url());
    set("custom_launcher_selector", &settings.activator);
    let _ = Reflect::set(
        &js_sys::global(),
        &"intercomSettings".into(),
        &intercom_settings,
    );

    // 2. A widget already on the page is reused, never loaded twice.
    if let Some(f) = intercom_function() {
        if !is_stub(&f) {
            let _ = f.call1(&JsValue::NULL, &"reattach_activator".into());
            let _ = f.call2(&JsValue::NULL, &"update".into(), &intercom_settings);
            return Ok(Promise::resolve(&JsValue::UNDEFINED));
        }
    } else {
        install_stub();
    }

    // 3. Boot: queued in the stub, replayed in order by the widget.
    super::messenger::send(&destination.boot_call())?;

    // 4. One script tag per URL, also across instances and module copies; the widget has
    // loaded when it replaced the stub. A failed load leaves the page clean, and is forgotten
    // so that a later load tries again.
    let timeout = settings.load_timeout_ms;
    let why = "(wrong App ID, blocked by a content blocker, or offline)";
    let forget = {
        let url = url.to_string();
        Closure::once_into_js(move || forget_load(&url))
    };
    Ok(load_script(
        url,
        settings.csp_nonce.as_deref().unwrap_or(""),
        timeout,
        STUB_MARK,
        &format!("Intercom widget could not be loaded from {url} {why}"),
        &format!("Intercom widget could not be loaded from {url} within {timeout} ms {why}"),
        &forget,
    ))
}

/// Installs Intercom's stub queue: a function pushing its arguments onto `q`.
fn install_stub() {
    let queue = Array::new();
    let q = queue.clone();
    let stub = Closure::<dyn FnMut(JsValue, JsValue, JsValue, JsValue)>::new(
        move |a: JsValue, b: JsValue, c: JsValue, d: JsValue| {
            let args = Array::of4(&a, &b, &c, &d);
            while args.length() > 1 && args.get(args.length() - 1).is_undefined() {
                args.pop();
            }
            q.push(&args);
        },
    )
    .into_js_value();
    let _ = Reflect::set(&stub, &"q".into(), &queue);
    let _ = Reflect::set(&stub, &STUB_MARK.into(), &JsValue::TRUE);
    let _ = Reflect::set(&js_sys::global(), &"Intercom".into(), &stub);
}
