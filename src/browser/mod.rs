//! The browser shell: analytics.js plugin objects around the pure core. The only code that
//! touches the page (with `loader` and `messenger`, and their JavaScript side,
//! `js/boundary.js`, which builds the plugin objects and does what this side decides).

pub mod loader;
pub mod messenger;

use crate::json::write_string;
use crate::text::cat;
use crate::{ActionKind, Destination};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

pub use crate::DESTINATION_NAME as PLUGIN_NAME;

/// What the plugins of one factory call share.
struct Shared {
    destination: RefCell<Destination>,
    /// The action of each plugin, in plugin order.
    actions: Vec<ActionKind>,
    /// Per plugin, what it reads of an event.
    reads: Vec<messenger::Reads>,
    setup_reported: Cell<bool>,
}

/// The operations `makePlugins` in `js/boundary.js` calls (`call(op, a, b)`).
const LOAD: u32 = 0;
const RESET: u32 = 1;
const FIRST_EVENT_METHOD: u32 = 2;

/// Builds the analytics.js destination plugins for these settings: one per action with an
/// enabled subscription. Never throws: invalid settings give one plugin whose `load` rejects
/// with the validation message, so analytics.js reports it and other destinations go on.
#[wasm_bindgen(js_name = createPlugins)]
pub fn create_plugins(settings: JsValue) -> JsValue {
    let mut problems = Vec::new();
    let destination = messenger::read_settings(&settings, &mut problems)
        .and_then(|raw| Destination::new(&raw).map_err(|e| e.0));
    for p in problems {
        console("warn", &cat(&[PLUGIN_NAME, ": settings: ", &p.text()]));
    }
    // [destinationName, version, [pluginName, ...]]
    let mut spec = String::from("[");
    write_string(PLUGIN_NAME, &mut spec);
    spec.push(',');
    write_string(env!("CARGO_PKG_VERSION"), &mut spec);
    spec.push_str(",[");
    let state = match destination {
        Err(message) => {
            let message = cat(&[PLUGIN_NAME, ": ", &message]);
            console("error", &message);
            write_string(PLUGIN_NAME, &mut spec);
            Err(message)
        }
        Ok(destination) => {
            let actions = destination.actions();
            let mut reads = Vec::with_capacity(actions.len());
            for (i, a) in actions.iter().enumerate() {
                let types = destination.event_types(*a);
                reads.push(messenger::Reads::new(
                    destination.reads(*a),
                    types.as_deref(),
                ));
                if i > 0 {
                    spec.push(',');
                }
                write_string(&cat(&[PLUGIN_NAME, " ", a.key()]), &mut spec);
            }
            Ok(Shared {
                destination: RefCell::new(destination),
                actions,
                reads,
                setup_reported: Cell::new(false),
            })
        }
    };
    spec.push_str("]]");
    // `Fn`, not `FnMut`: an Intercom callback may send an analytics.js call while this runs
    // (see REENTERED).
    let call = Closure::<dyn Fn(u32, JsValue, JsValue) -> JsValue>::new(
        move |op: u32, a: JsValue, b: JsValue| match &state {
            Err(message) if op == LOAD => JsValue::from_str(message),
            Err(_) => JsValue::UNDEFINED,
            Ok(shared) => dispatch(shared, op, &a, &b),
        },
    );
    messenger::make_plugins(&spec, &call.into_js_value())
}

/// `b` is analytics.js for `LOAD` (unused: `makePlugins` listens to it), and the time of an
/// event (`Date.now()`) for the event methods.
fn dispatch(shared: &Shared, op: u32, ctx: &JsValue, b: &JsValue) -> JsValue {
    match op {
        LOAD => {
            report_setup(shared);
            match shared.destination.try_borrow() {
                Ok(d) => loader::load(&d),
                Err(_) => JsValue::from_str(&cat(&[PLUGIN_NAME, ": ", REENTERED])),
            }
        }
        RESET => {
            reset(shared);
            JsValue::UNDEFINED
        }
        _ => {
            let i = (op - FIRST_EVENT_METHOD) as usize;
            if let (Some(action), Some(reads)) = (shared.actions.get(i), shared.reads.get(i)) {
                handle(shared, *action, reads, ctx, b.as_f64().unwrap_or(0.0));
            }
            JsValue::UNDEFINED
        }
    }
}

/// analytics.js `reset` (logout): the core decides what to send.
fn reset(shared: &Shared) {
    let outcome = match shared.destination.try_borrow_mut() {
        Ok(mut d) => d.reset(),
        Err(_) => return,
    };
    for call in &outcome.calls {
        if let Err(message) = messenger::send(call) {
            console("warn", &cat(&[PLUGIN_NAME, ": reset: ", &message]));
        }
    }
}

/// Logs problems found in the subscriptions once per factory call.
fn report_setup(shared: &Shared) {
    if shared.setup_reported.replace(true) {
        return;
    }
    if let Ok(d) = shared.destination.try_borrow() {
        for w in d.setup_warnings() {
            console("warn", &cat(&[PLUGIN_NAME, ": ", &w.text()]));
        }
    }
}

fn console(level: &str, text: &str) {
    messenger::log_to(&JsValue::UNDEFINED, level, text, true);
}

/// An event that arrives while the core is still working on another (a getter of the event being
/// read that sends an analytics.js call) is dropped rather than corrupting the session. (The
/// core is done with an event when it calls Intercom, so an Intercom callback's events run.)
const REENTERED: &str = "event ignored: re-entered from an Intercom callback";

/// Runs the core on `ctx.event` and sends the calls. Never throws into analytics.js:
/// every problem becomes a warning on the context.
fn handle(
    shared: &Shared,
    action: ActionKind,
    reads: &messenger::Reads,
    ctx: &JsValue,
    now_ms: f64,
) {
    let mut read_warnings = Vec::new();
    // None: not an event type this action runs on.
    let Some(read) = messenger::read_event(ctx, reads, &mut read_warnings) else {
        return;
    };
    crate::intercom::cap_warnings(&mut read_warnings);
    for w in &read_warnings {
        warn(shared, ctx, action, &w.text());
    }
    let outcome = match read {
        Ok(value) => {
            let Ok(mut destination) = shared.destination.try_borrow_mut() else {
                warn(shared, ctx, action, REENTERED);
                return;
            };
            destination.process(action, &value, now_ms)
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
        log(shared, ctx, action, &w.text(), w.debug);
    }
}

fn warn(shared: &Shared, ctx: &JsValue, action: ActionKind, message: &str) {
    log(shared, ctx, action, message, false);
}

/// Records on the analytics.js context (`warn`, or `debug` for deliberate decisions such as a
/// held-back update); with the `debug` setting, also on the console.
fn log(shared: &Shared, ctx: &JsValue, action: ActionKind, message: &str, debug: bool) {
    let text = cat(&[PLUGIN_NAME, " ", action.key(), ": ", message]);
    let to_console = shared
        .destination
        .try_borrow()
        .is_ok_and(|d| d.settings().debug);
    messenger::log_to(ctx, if debug { "debug" } else { "warn" }, &text, to_console);
}
