//! The browser shell: analytics.js plugin objects around the pure core. The only code that
//! touches the page (with `loader` and `messenger`).

pub mod loader;
pub mod messenger;

use crate::event::parse_event;
use crate::{ActionKind, Destination};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::DESTINATION_NAME as PLUGIN_NAME;

/// State shared by all plugins of one factory call.
struct Shared {
    destination: RefCell<Destination>,
    /// Per action (in `ActionKind::ALL` order), what the fast path reads of an event.
    fast: Vec<messenger::FastReads>,
    setup_reported: Cell<bool>,
    listening_for_reset: Cell<bool>,
}

/// Builds the analytics.js destination plugins for these settings: one per action with an
/// enabled subscription. Never throws: invalid settings give one plugin whose `load` rejects
/// with the validation message, so analytics.js reports it and other destinations go on.
#[wasm_bindgen(js_name = createPlugins)]
pub fn create_plugins(settings: JsValue) -> Array {
    let mut problems = Vec::new();
    let destination = messenger::read_carefully(&settings, None, "settings", &mut problems)
        .and_then(|raw| Destination::new(&raw).map_err(|e| e.0));
    for p in problems {
        web_sys::console::warn_1(&format!("{PLUGIN_NAME}: settings: {p}").into());
    }
    let plugins = Array::new();
    match destination {
        Err(message) => {
            plugins.push(&failed_plugin(&message));
        }
        Ok(destination) => {
            let actions = destination.actions();
            let fast = ActionKind::ALL
                .iter()
                .map(|a| {
                    let types = destination.event_types(*a);
                    messenger::FastReads::new(destination.reads(*a), types.as_deref())
                })
                .collect();
            let shared = Rc::new(Shared {
                fast,
                destination: RefCell::new(destination),
                setup_reported: Cell::new(false),
                listening_for_reset: Cell::new(false),
            });
            for action in actions {
                plugins.push(&action_plugin(action, shared.clone()));
            }
        }
    }
    plugins
}

/// The one plugin of invalid settings: its `load` rejects with the message (so analytics.js
/// reports it and goes on), and its event methods do nothing.
fn failed_plugin(message: &str) -> Object {
    let message = format!("{PLUGIN_NAME}: {message}");
    web_sys::console::error_1(&message.clone().into());
    let load = Closure::<dyn FnMut() -> JsValue>::new(move || {
        Promise::reject(&js_sys::Error::new(&message)).into()
    });
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
    messenger::make_plugin(
        PLUGIN_NAME,
        PLUGIN_NAME,
        env!("CARGO_PKG_VERSION"),
        &load.into_js_value(),
        &ignore.into_js_value(),
    )
}

fn action_plugin(action: ActionKind, shared: Rc<Shared>) -> Object {
    let s = shared.clone();
    let load = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(
        move |_ctx: JsValue, analytics: JsValue| {
            report_setup(&s);
            listen_for_reset(&s, &analytics);
            loader::load(&s.destination.borrow()).into()
        },
    );

    let handler = Closure::<dyn FnMut(JsValue)>::new(move |ctx: JsValue| {
        handle(&shared, action, &ctx);
    });
    messenger::make_plugin(
        &format!("{PLUGIN_NAME} {}", action.key()),
        PLUGIN_NAME,
        env!("CARGO_PKG_VERSION"),
        &load.into_js_value(),
        &handler.into_js_value(),
    )
}

/// Subscribes once to analytics.js `reset` (logout): the core decides what to send.
fn listen_for_reset(shared: &Rc<Shared>, analytics: &JsValue) {
    // Without an analytics object (a plugin loaded by hand) there is nothing to listen to;
    // checked first, since reading a property of undefined would throw (slow, at start-up).
    if !analytics.is_object() && !analytics.is_function() {
        return;
    }
    let Ok(on) = Reflect::get(analytics, &"on".into()).and_then(|f| f.dyn_into::<Function>())
    else {
        return;
    };
    if shared.listening_for_reset.replace(true) {
        return;
    }
    let s = shared.clone();
    let on_reset = Closure::<dyn FnMut()>::new(move || {
        let outcome = match s.destination.try_borrow_mut() {
            Ok(mut d) => d.reset(),
            Err(_) => return,
        };
        for call in &outcome.calls {
            if let Err(message) = messenger::send(call) {
                web_sys::console::warn_1(&format!("{PLUGIN_NAME}: reset: {message}").into());
            }
        }
    });
    let _ = on.call2(analytics, &"reset".into(), &on_reset.into_js_value());
}

/// Logs problems found in the subscriptions once per factory call.
fn report_setup(shared: &Shared) {
    if shared.setup_reported.replace(true) {
        return;
    }
    for w in shared.destination.borrow().setup_warnings() {
        web_sys::console::warn_1(&format!("{PLUGIN_NAME}: {w}").into());
    }
}

/// An event that arrives while the same plugin is still handling one (an Intercom callback that
/// sends an analytics.js call synchronously) is dropped rather than corrupting the session.
const REENTERED: &str = "event ignored: re-entered from an Intercom callback";

thread_local! {
    static EVENT: JsValue = JsValue::from_str("event");
    static TYPE: JsValue = JsValue::from_str("type");
}

/// Runs the core on `ctx.event` and sends the calls. Never throws into analytics.js:
/// every problem becomes a warning on the context.
fn handle(shared: &Shared, action: ActionKind, ctx: &JsValue) {
    let index = ActionKind::ALL
        .iter()
        .position(|a| *a == action)
        .unwrap_or(0);
    let mut read_warnings = Vec::new();
    let read = match shared
        .fast
        .get(index)
        .and_then(|f| messenger::read_fast(ctx, f))
    {
        // Not an event type this action runs on.
        Some(None) => return,
        Some(Some(text)) => parse_event(&text, &mut read_warnings),
        None => match read_carefully(shared, action, ctx, &mut read_warnings) {
            Some(read) => read,
            None => return,
        },
    };
    crate::intercom::cap_warnings(&mut read_warnings);
    for w in &read_warnings {
        warn(shared, ctx, action, &w.to_string());
    }
    let outcome = match read {
        Ok(value) => {
            let Ok(mut destination) = shared.destination.try_borrow_mut() else {
                warn(shared, ctx, action, REENTERED);
                return;
            };
            destination.process(action, &value, js_sys::Date::now())
        }
        Err(message) => {
            warn(shared, ctx, action, &message);
            return;
        }
    };
    for call in &outcome.calls {
        if let Err(message) = messenger::send(call) {
            warn(shared, ctx, action, &message);
        }
    }
    for w in &outcome.warnings {
        log(shared, ctx, action, &w.to_string(), w.debug);
    }
}

/// The slow path, for an event the fast path could not read (a throwing getter, a cycle, a
/// BigInt, no event): reads only what the action maps, property by property, and says what it
/// left out. `None` when the event is not for this action.
fn read_carefully(
    shared: &Shared,
    action: ActionKind,
    ctx: &JsValue,
    warnings: &mut Vec<crate::intercom::Warning>,
) -> Option<Result<crate::json::Value, String>> {
    let event = EVENT
        .with(|k| Reflect::get(ctx, k))
        .unwrap_or(JsValue::UNDEFINED);
    // Most events are for another plugin: decide on `type` alone before reading the event.
    let event_type = TYPE
        .with(|k| Reflect::get(&event, k))
        .ok()
        .and_then(|t| t.as_string());
    let Ok(destination) = shared.destination.try_borrow() else {
        warn(shared, ctx, action, REENTERED);
        return None;
    };
    if !destination.may_run(action, event_type.as_deref()) {
        return None;
    }
    let read =
        messenger::read_carefully(&event, Some(destination.reads(action)), "event", warnings);
    Some(read)
}

fn warn(shared: &Shared, ctx: &JsValue, action: ActionKind, message: &str) {
    log(shared, ctx, action, message, false);
}

/// Records on the analytics.js context (`warn`, or `debug` for deliberate decisions such as a
/// held-back update); with the `debug` setting, also on the console.
fn log(shared: &Shared, ctx: &JsValue, action: ActionKind, message: &str, debug: bool) {
    let text = format!("{PLUGIN_NAME} {}: {message}", action.key());
    let level = if debug { "debug" } else { "warn" };
    if let Ok(log) = Reflect::get(ctx, &"log".into()).and_then(|f| f.dyn_into::<Function>()) {
        let _ = log.call2(ctx, &level.into(), &text.clone().into());
    }
    if shared
        .destination
        .try_borrow()
        .is_ok_and(|d| d.settings().debug)
    {
        if debug {
            web_sys::console::debug_1(&text.into());
        } else {
            web_sys::console::warn_1(&text.into());
        }
    }
}
