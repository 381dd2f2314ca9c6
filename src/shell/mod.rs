//! The browser shell: the analytics.js plugins around the pure core. The plugin objects are
//! JavaScript (`makePlugins(settings, wasm)` in `js/boundary.js`, which the package's factory
//! calls with this module's exports); this side holds the core's state and answers them
//! through a few exports that take and give numbers only:
//! - `input(len)` is where JS writes a [`crate::engine::tape`] (the settings, or an event);
//! - `create(len)` makes a destination of the settings there; `event(id, len, wall, monotonic)`
//!   runs every action on the event there; `load(id)` and `reset(id)`;
//! - each returns the length of its answer at `output()`: JSON text, an array of entries that
//!   `js/boundary.js` carries out in order (see [`Entry`]).
//!
//! No JS value crosses (no JS-handle table), and nothing here calls the page: what the core
//! decides to do is all in the answer, done after the core has returned (so an Intercom
//! callback that sends an analytics.js call finds the core free).

pub mod alloc;
pub mod loader;

use crate::engine::event::read_event;
use crate::engine::json::write_string;
use crate::engine::reads::ReadSet;
use crate::engine::text::cat;
use crate::intercom::destination::Clock;
use crate::Destination;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

pub use crate::DESTINATION_NAME as PLUGIN_NAME;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = makePlugins)]
    fn make_plugins(settings: &JsValue, wasm: &JsValue) -> JsValue;
}

/// `makePlugins(settings, wasm)` of `js/boundary.js`, as the package's factory calls it, with
/// `wasm` standing for this module's exports: for the browser tests, whose binary does not
/// export them. (Unused by the package, so not linked into it.)
pub fn make_plugins_with(settings: &JsValue, wasm: &JsValue) -> JsValue {
    make_plugins(settings, wasm)
}

/// What an answer's entries are: an Intercom call is an array that starts with its method
/// name; the others start with one of these numbers.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// `[0, text]`: a warning on the context (and the console with `debug`).
    Warn,
    /// `[1, text]`: a debug note on the context (and the console with `debug`).
    Debug,
    /// `[2, text]`: a warning on the console.
    ConsoleWarn,
    /// `[3, text]`: an error on the console.
    ConsoleError,
    /// `[4, spec, boot]`: start (or join) the widget load; see `loader`.
    Load,
}

impl Entry {
    /// Every kind with its name in `js/boundary.js`'s `Entry` (compared by `tests/web.rs`).
    pub const ALL: [(&'static str, Entry); 5] = [
        ("Warn", Entry::Warn),
        ("Debug", Entry::Debug),
        ("ConsoleWarn", Entry::ConsoleWarn),
        ("ConsoleError", Entry::ConsoleError),
        ("Load", Entry::Load),
    ];
}

/// One factory call's destination (`None` when its settings were invalid); its index in
/// [`INSTANCES`] is its id.
type Instance = Option<Destination>;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
    static INSTANCES: RefCell<Vec<Instance>> = const { RefCell::new(Vec::new()) };
}

/// Buffers above this are not kept after a huge event.
const KEEP_BYTES: usize = 1 << 20;

/// Where JS writes `len` bytes of input (null only if re-entered, which JS cannot do).
#[wasm_bindgen]
pub fn input(len: usize) -> *mut u8 {
    INPUT.with(|i| {
        let Ok(mut input) = i.try_borrow_mut() else {
            return std::ptr::null_mut();
        };
        if input.capacity() > KEEP_BYTES {
            *input = Vec::new();
        }
        input.clear();
        input.resize(len, 0);
        input.as_mut_ptr()
    })
}

/// Where the last answer is.
#[wasm_bindgen]
pub fn output() -> *const u8 {
    OUTPUT.with(|o| o.try_borrow().map_or(std::ptr::null(), |o| o.as_ptr()))
}

/// Runs `f` with the input's first `len` bytes and an answer to append entries to (each
/// entry starts with [`next`]); the answer's length. 0 (an empty answer) only if re-entered.
fn answer(len: usize, f: impl FnOnce(&[u8], &mut String)) -> usize {
    let Some((input, mut out)) = begin() else {
        return 0;
    };
    f(input.get(..len).unwrap_or_default(), &mut out);
    finish(input, out)
}

/// Takes the input and an empty answer that is `[` so far (`None` if re-entered). Not
/// generic, so it is not copied into each export.
#[inline(never)]
fn begin() -> Option<(Vec<u8>, String)> {
    let input = INPUT
        .with(|i| i.try_borrow_mut().map(|mut i| std::mem::take(&mut *i)))
        .ok()?;
    let mut out = OUTPUT
        .with(|o| o.try_borrow_mut().map(|mut o| std::mem::take(&mut *o)))
        .unwrap_or_default();
    if out.capacity() > KEEP_BYTES {
        out = String::new();
    }
    out.clear();
    out.push('[');
    Some((input, out))
}

/// Closes the answer and puts both buffers back; the answer's length.
#[inline(never)]
fn finish(input: Vec<u8>, mut out: String) -> usize {
    out.push(']');
    let n = out.len();
    INPUT.with(|i| i.replace(input));
    OUTPUT.with(|o| o.replace(out));
    n
}

/// Appends the Intercom calls, one entry each.
fn calls(out: &mut String, calls: &[crate::intercom::IntercomCall]) {
    for call in calls {
        next(out);
        call.write_json(out);
    }
}

/// Appends a console warning for each warning, its text after the plugin name and `prefix`.
fn console_warnings(out: &mut String, prefix: &str, warnings: &[crate::intercom::Warning]) {
    for w in warnings {
        note(
            out,
            Entry::ConsoleWarn,
            &cat(&[PLUGIN_NAME, prefix, &w.text()]),
        );
    }
}

/// Appends the warnings (debug notes for those marked `debug`), one entry each.
fn warnings(out: &mut String, warnings: &[crate::intercom::Warning]) {
    for w in warnings {
        let kind = if w.debug { Entry::Debug } else { Entry::Warn };
        note(out, kind, &w.text());
    }
}

/// Starts an entry.
fn next(out: &mut String) {
    if out.len() > 1 {
        out.push(',');
    }
}

/// Appends `[kind, text]`.
fn note(out: &mut String, kind: Entry, text: &str) {
    next(out);
    out.push('[');
    out.push(char::from(b'0' + kind as u8));
    out.push(',');
    write_string(text, out);
    out.push(']');
}

/// The analytics.js event types; an event of another type (or none) reads as [`OTHER_TYPES`].
const EVENT_TYPES: [&str; 6] = ["track", "identify", "page", "group", "alias", "screen"];
const OTHER_TYPES: &str = "";

/// Makes the destination of the settings tape in the input. The answer's first entry is
/// `[id, debug, destinationName, version, readsByType, messengerEvents]`, `id` null when the
/// settings are invalid; `messengerEvents` null (off) or `{callback: eventName}` for the Intercom
/// callbacks (`onShow`, ...) that become analytics.js events; `readsByType` has, for each analytics.js event type (and `""` for any other type),
/// the parts of the event to read as `readEvent` in `js/boundary.js` takes them, or `false`
/// when no subscription can run on it. Then the console messages of the set-up: the subscriptions left out, or why there is
/// no destination.
#[wasm_bindgen]
pub fn create(len: usize) -> usize {
    answer(len, |tape, out| {
        let mut problems = Vec::new();
        let destination = read_event(tape, &mut problems)
            .and_then(|raw| Destination::new(&raw).map_err(|e| e.0))
            .map_err(|message| cat(&[PLUGIN_NAME, ": ", &message]));
        INSTANCES.with(|all| {
            let Ok(mut all) = all.try_borrow_mut() else {
                return;
            };
            out.push('[');
            match &destination {
                Ok(_) => crate::engine::json::push_int(out, all.len() as i64),
                Err(_) => out.push_str("null"),
            }
            out.push_str(match &destination {
                Ok(d) if d.settings().debug => ",true,",
                _ => ",false,",
            });
            // The name and version need no escapes (tested in `lib.rs`).
            out.push('"');
            out.push_str(PLUGIN_NAME);
            out.push_str(concat!("\",\"", env!("CARGO_PKG_VERSION"), "\",{"));
            if let Ok(d) = &destination {
                for (i, t) in EVENT_TYPES
                    .iter()
                    .copied()
                    .map(Some)
                    .chain([None])
                    .enumerate()
                {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(t.unwrap_or(OTHER_TYPES), out);
                    out.push(':');
                    match d.reads_for_type(t) {
                        Some(reads) => reads_spec(&reads, out),
                        None => out.push_str("false"),
                    }
                }
            }
            out.push_str("},");
            match destination
                .as_ref()
                .ok()
                .and_then(|d| d.settings().messenger_events.as_ref())
            {
                None => out.push_str("null"),
                Some(events) => {
                    out.push('{');
                    let mut first = true;
                    for (_, callback, name) in events.callbacks() {
                        let Some(name) = name else { continue };
                        if !std::mem::take(&mut first) {
                            out.push(',');
                        }
                        write_string(callback, out);
                        out.push(':');
                        write_string(name, out);
                    }
                    out.push('}');
                }
            }
            out.push(']');
            console_warnings(out, ": settings: ", &problems);
            match &destination {
                Ok(d) => console_warnings(out, ": ", d.setup_warnings()),
                Err(message) => note(out, Entry::ConsoleError, message),
            }
            all.push(destination.ok());
        });
    })
}

/// Runs `f` on the destination of instance `id` (nothing for an invalid one).
fn with_instance(id: usize, f: impl FnOnce(&mut Destination)) {
    INSTANCES.with(|all| {
        if let Some(Some(destination)) = all
            .try_borrow_mut()
            .ok()
            .as_mut()
            .and_then(|a| a.get_mut(id))
        {
            f(destination);
        }
    });
}

/// Starts the widget load: `[4, spec, boot]`.
#[wasm_bindgen]
pub fn load(id: usize) -> usize {
    answer(0, |_, out| {
        with_instance(id, |d| {
            next(out);
            loader::load(d, out);
        })
    })
}

/// analytics.js `reset` (logout): the calls the core decides on.
#[wasm_bindgen]
pub fn reset(id: usize) -> usize {
    answer(0, |_, out| {
        with_instance(id, |d| calls(out, &d.reset().calls))
    })
}

/// Runs every action on the event tape in the input: its Intercom calls and warnings, in
/// order. `wall_ms` is `Date.now()`, `monotonic_ms` is `performance.now()` (see [`Clock`]).
/// Never fails: every problem is a warning.
#[wasm_bindgen]
pub fn event(id: usize, len: usize, wall_ms: f64, monotonic_ms: f64) -> usize {
    answer(len, |tape, out| {
        with_instance(id, |d| {
            let mut read_warnings = Vec::new();
            let read = read_event(tape, &mut read_warnings);
            crate::intercom::cap_warnings(&mut read_warnings);
            // (Reading makes no debug notes: all warnings.)
            warnings(out, &read_warnings);
            match read {
                Err(message) => note(out, Entry::Warn, &message),
                Ok(event) => {
                    let clock = Clock {
                        wall_ms,
                        monotonic_ms,
                    };
                    let outcome = d.process_event(&event, clock);
                    calls(out, &outcome.calls);
                    warnings(out, &outcome.warnings);
                }
            }
        })
    })
}

/// `null` for everything, or `[key, child, key, child, ...]`, as JSON.
fn reads_spec(reads: &ReadSet, out: &mut String) {
    match reads {
        ReadSet::All => out.push_str("null"),
        ReadSet::Nothing => out.push_str("[]"),
        ReadSet::Keys(keys) => {
            out.push('[');
            for (i, (key, child)) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(',');
                reads_spec(child, out);
            }
            out.push(']');
        }
    }
}
