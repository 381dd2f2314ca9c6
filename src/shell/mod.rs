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
use crate::engine::json::JsonWriter;
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

/// Runs `f` with the input's first `len` bytes and a writer inside the answer's array, to
/// write its entries; the answer's length. 0 (an empty answer) only if re-entered.
fn answer(len: usize, f: impl FnOnce(&[u8], &mut JsonWriter)) -> usize {
    let Some((input, mut out)) = begin() else {
        return 0;
    };
    let mut w = JsonWriter::new(&mut out);
    w.begin_array();
    f(input.get(..len).unwrap_or_default(), &mut w);
    w.end_array();
    finish(input, out)
}

/// Takes the input and an empty answer buffer (`None` if re-entered). Not generic, so it is
/// not copied into each export.
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
    Some((input, out))
}

/// Puts both buffers back; the answer's length.
#[inline(never)]
fn finish(input: Vec<u8>, out: String) -> usize {
    let n = out.len();
    INPUT.with(|i| i.replace(input));
    OUTPUT.with(|o| o.replace(out));
    n
}

/// Writes the Intercom calls, one entry each.
fn calls(w: &mut JsonWriter, calls: &[crate::intercom::IntercomCall]) {
    for call in calls {
        call.write_json(w);
    }
}

/// Writes a console warning for each warning, its text after the plugin name and `prefix`.
fn console_warnings(w: &mut JsonWriter, prefix: &str, warnings: &[crate::intercom::Warning]) {
    for warning in warnings {
        let text = cat(&[PLUGIN_NAME, prefix, &warning.text()]);
        note(w, Entry::ConsoleWarn, &text);
    }
}

/// Writes the warnings (debug notes for those marked `debug`), one entry each.
fn warnings(w: &mut JsonWriter, warnings: &[crate::intercom::Warning]) {
    for warning in warnings {
        let kind = if warning.debug {
            Entry::Debug
        } else {
            Entry::Warn
        };
        note(w, kind, &warning.text());
    }
}

/// Writes the entry `[kind, text]`.
fn note(w: &mut JsonWriter, kind: Entry, text: &str) {
    w.begin_array().int(kind as i64).string(text).end_array();
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
    answer(len, |tape, w| {
        let mut problems = Vec::new();
        let destination = read_event(tape, &mut problems)
            .map_err(|e| e.message())
            .and_then(|raw| Destination::new(&raw).map_err(|e| e.message()))
            .map_err(|message| cat(&[PLUGIN_NAME, ": ", &message]));
        INSTANCES.with(|all| {
            let Ok(mut all) = all.try_borrow_mut() else {
                return;
            };
            w.begin_array();
            match &destination {
                Ok(_) => w.int(all.len() as i64),
                Err(_) => w.null(),
            };
            w.bool(matches!(&destination, Ok(d) if d.settings().debug))
                .string(PLUGIN_NAME)
                .string(env!("CARGO_PKG_VERSION"));
            w.begin_object();
            if let Ok(d) = &destination {
                for t in EVENT_TYPES.iter().copied().map(Some).chain([None]) {
                    w.key(t.unwrap_or(OTHER_TYPES));
                    match d.reads_for_type(t) {
                        Some(reads) => reads_spec(&reads, w),
                        None => {
                            w.bool(false);
                        }
                    }
                }
            }
            w.end_object();
            match destination
                .as_ref()
                .ok()
                .and_then(|d| d.settings().messenger_events.as_ref())
            {
                None => {
                    w.null();
                }
                Some(events) => {
                    w.begin_object();
                    for (_, callback, name) in events.callbacks() {
                        if let Some(name) = name {
                            w.key(callback).string(name);
                        }
                    }
                    w.end_object();
                }
            }
            w.end_array();
            console_warnings(w, ": settings: ", &problems);
            match &destination {
                Ok(d) => console_warnings(w, ": ", d.setup_warnings()),
                Err(message) => note(w, Entry::ConsoleError, message),
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
    answer(0, |_, w| with_instance(id, |d| loader::load(d, w)))
}

/// analytics.js `reset` (logout): the calls the core decides on.
#[wasm_bindgen]
pub fn reset(id: usize) -> usize {
    answer(0, |_, w| with_instance(id, |d| calls(w, &d.reset().calls)))
}

/// Runs every action on the event tape in the input: its Intercom calls and warnings, in
/// order. `wall_ms` is `Date.now()`, `monotonic_ms` is `performance.now()` (see [`Clock`]).
/// Never fails: every problem is a warning.
#[wasm_bindgen]
pub fn event(id: usize, len: usize, wall_ms: f64, monotonic_ms: f64) -> usize {
    answer(len, |tape, w| {
        with_instance(id, |d| {
            let mut read_warnings = Vec::new();
            let read = read_event(tape, &mut read_warnings);
            crate::intercom::cap_warnings(&mut read_warnings);
            // (Reading makes no debug notes: all warnings.)
            warnings(w, &read_warnings);
            match read {
                Err(e) => note(w, Entry::Warn, &e.message()),
                Ok(event) => {
                    let clock = Clock {
                        wall_ms,
                        monotonic_ms,
                    };
                    let outcome = d.process_event(&event, clock);
                    calls(w, &outcome.calls);
                    warnings(w, &outcome.warnings);
                }
            }
        })
    })
}

/// `null` for everything, or `[key, child, key, child, ...]`.
fn reads_spec(reads: &ReadSet, w: &mut JsonWriter) {
    match reads {
        ReadSet::All => {
            w.null();
        }
        ReadSet::Nothing => {
            w.begin_array().end_array();
        }
        ReadSet::Keys(keys) => {
            w.begin_array();
            for (key, child) in keys {
                w.string(key);
                reads_spec(child, w);
            }
            w.end_array();
        }
    }
}
