//! Loads the Intercom Messenger the way Intercom's snippet does: `intercomSettings`, the stub
//! queue, one async `<script>`, `boot`; and tells when the real widget has replaced the stub.

use crate::Destination;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Marks the stub this crate installs, so that every instance (and every copy of the module)
/// recognises it and no second widget script is inserted.
const STUB_MARK: &str = "__intercomWebDestinationStub";
/// After the script's `load` event the widget normally has replaced the stub; if it has not yet,
/// re-check a few times with growing delays (not a fixed-rate polling loop) until the timeout.
const FIRST_RECHECK_MS: i32 = 10;

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
    let window = web_sys::window().ok_or("no window: the plugin runs only in a browser page")?;
    let document = window.document().ok_or("no document")?;

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

    // 4. One script tag per URL, also across instances and module copies.
    let script = match find_script(&document, url) {
        Some(s) => s,
        None => insert_script(&document, url, settings.csp_nonce.as_deref())?,
    };
    let timeout = i32::try_from(settings.load_timeout_ms).unwrap_or(10_000);
    Ok(wait_for_widget(&window, script, url.to_string(), timeout))
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

fn find_script(document: &web_sys::Document, url: &str) -> Option<web_sys::Element> {
    let scripts = document.get_elements_by_tag_name("script");
    (0..scripts.length())
        .filter_map(|i| scripts.item(i))
        .find(|s| s.get_attribute("src").as_deref() == Some(url))
}

fn insert_script(
    document: &web_sys::Document,
    url: &str,
    nonce: Option<&str>,
) -> Result<web_sys::Element, String> {
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(|e| describe_error(&e))?
        .unchecked_into();
    script.set_async(true);
    script.set_src(url);
    if let Some(n) = nonce {
        let _ = script.set_attribute("nonce", n);
    }
    // Before the first script, as Intercom's snippet does; else at the end of <head>.
    let first = document.get_elements_by_tag_name("script").item(0);
    let inserted = match first.as_ref().and_then(|f| f.parent_node().map(|p| (f, p))) {
        Some((first, parent)) => parent.insert_before(&script, Some(first)),
        None => match document.head() {
            Some(head) => head.append_child(&script),
            None => document
                .document_element()
                .ok_or("no document element")?
                .append_child(&script),
        },
    };
    inserted.map_err(|e| describe_error(&e))?;
    Ok(script.unchecked_into())
}

/// Settles once: resolve when the widget replaced the stub, reject on error or timeout.
struct Waiter {
    resolve: Function,
    reject: Function,
    settled: bool,
    url: String,
    script: web_sys::Element,
}

impl Waiter {
    fn succeed(&mut self) {
        if !self.settled {
            self.settled = true;
            let _ = self.resolve.call0(&JsValue::NULL);
        }
    }

    fn fail(&mut self, message: &str) {
        if self.settled {
            return;
        }
        self.settled = true;
        // Leave the page clean so that a later load can try again; the stub keeps its queue.
        forget_load(&self.url);
        self.script.remove();
        let _ = self
            .reject
            .call1(&JsValue::NULL, &js_sys::Error::new(message));
    }
}

fn wait_for_widget(
    window: &web_sys::Window,
    script: web_sys::Element,
    url: String,
    timeout_ms: i32,
) -> Promise {
    let window = window.clone();
    Promise::new(&mut |resolve, reject| {
        let waiter = Rc::new(RefCell::new(Waiter {
            resolve,
            reject,
            settled: false,
            url: url.clone(),
            script: script.clone(),
        }));
        if widget_ready() {
            waiter.borrow_mut().succeed();
            return;
        }
        let w = waiter.clone();
        let win = window.clone();
        let on_load = Closure::once_into_js(move || recheck(win, w, FIRST_RECHECK_MS));
        let w = waiter.clone();
        let u = url.clone();
        let on_error = Closure::once_into_js(move || {
            w.borrow_mut().fail(&format!(
                "Intercom widget could not be loaded from {u} (wrong App ID, blocked by a content blocker, or offline)"
            ))
        });
        let w = waiter.clone();
        let u = url.clone();
        let on_timeout = Closure::once_into_js(move || {
            w.borrow_mut().fail(&format!(
                "Intercom widget could not be loaded from {u} within {timeout_ms} ms (wrong App ID, blocked by a content blocker, or offline)"
            ))
        });
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", on_error.unchecked_ref());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.unchecked_ref(),
            timeout_ms,
        );
    })
}

/// Checks for the widget; if the stub is still there, checks again after `delay` (doubling).
fn recheck(window: web_sys::Window, waiter: Rc<RefCell<Waiter>>, delay: i32) {
    if waiter.borrow().settled {
        return;
    }
    if widget_ready() {
        waiter.borrow_mut().succeed();
        return;
    }
    let win = window.clone();
    let next = Closure::once_into_js(move || recheck(win, waiter, delay.saturating_mul(2)));
    let _ =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), delay);
}
