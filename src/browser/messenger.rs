//! The boundary: a JS event in as a [`crate::tape`], Intercom calls out to `window.Intercom`.
//!
//! The per-event fast path is `js/boundary.js` (one call in, one call out); its careful
//! reader handles what the fast path cannot (a throwing getter, a cycle, a BigInt) and says
//! what it left out (at most 200,000 values, depth 64).

use crate::event::read_event;
use crate::intercom::Warning;
use crate::json::Value;
use crate::reads::ReadSet;
use crate::text::cat;
use crate::IntercomCall;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// `JSON.parse` (of text this crate wrote).
    #[wasm_bindgen(js_name = parseSpec)]
    fn parse_spec(text: &str) -> JsValue;
    /// The tape of the parts of `ctx.event` that `spec` (`[reads, types]`) names; empty when
    /// the event's type is not one of `types`; `None` when it must be read carefully.
    #[wasm_bindgen(js_name = readEvent)]
    fn read_event_fast(ctx: &JsValue, spec: &JsValue) -> Option<Vec<u8>>;
    /// The analytics.js plugin objects of one factory call; see `makePlugins`.
    #[wasm_bindgen(js_name = makePlugins)]
    pub fn make_plugins(spec: &str, call: &JsValue) -> JsValue;
    /// A message on the context's log and, with `to_console`, on the console (`level`: warn,
    /// error or debug).
    #[wasm_bindgen(js_name = logTo)]
    pub fn log_to(ctx: &JsValue, level: &str, text: &str, to_console: bool);
    /// `ctx.event.type` when it is a string.
    #[wasm_bindgen(js_name = eventType)]
    pub fn event_type(ctx: &JsValue) -> Option<String>;
    /// `readCarefully` of `ctx.event` (the parts the `[reads, types]` spec names).
    #[wasm_bindgen(js_name = readEventCarefully)]
    fn read_event_carefully_js(ctx: &JsValue, spec: &JsValue) -> Option<Vec<u8>>;
    /// The tape of `value` (the parts `reads` names), read property by property; `None`
    /// when it has no JSON value, empty when it could not be read.
    #[wasm_bindgen(js_name = readCarefully)]
    fn read_carefully_js(value: &JsValue, reads: &JsValue, root: &str) -> Option<Vec<u8>>;
    /// What the last `readCarefully` left out, as the tape of `[[path, reason], ...]`.
    #[wasm_bindgen(js_name = takeWarnings)]
    fn take_warnings() -> Vec<u8>;
    /// `window.Intercom(...JSON.parse(args))`; `Some(message)` when it failed.
    #[wasm_bindgen(js_name = callIntercom)]
    fn call_intercom_json(args: &str) -> Option<String>;
}

/// What the fast path of one action reads: `[reads, types]` as `js/boundary.js` takes them,
/// made from one JSON text (one call, rather than a call per key).
pub struct FastReads {
    spec: JsValue,
}

impl FastReads {
    pub fn new(reads: &ReadSet, types: Option<&[String]>) -> FastReads {
        let mut text = String::from("[");
        reads_spec(reads, &mut text);
        match types {
            None => text.push_str(",null]"),
            Some(types) => {
                text.push_str(",[");
                for (i, t) in types.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    crate::json::write_string(t, &mut text);
                }
                text.push_str("]]");
            }
        }
        FastReads {
            spec: parse_spec(&text),
        }
    }
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
                crate::json::write_string(key, out);
                out.push(',');
                reads_spec(child, out);
            }
            out.push(']');
        }
    }
}

/// The fast read of `ctx.event`: `Some(None)` when the event is not for this action,
/// `Some(Some(tape))` to read, `None` when it must be read carefully.
pub fn read_fast(ctx: &JsValue, fast: &FastReads) -> Option<Option<Vec<u8>>> {
    let tape = read_event_fast(ctx, &fast.spec)?;
    Some((!tape.is_empty()).then_some(tape))
}

/// Reads the settings carefully: see `readCarefully` in `js/boundary.js`. What was left out
/// becomes warnings.
pub fn read_settings(value: &JsValue, warnings: &mut Vec<Warning>) -> Result<Value, String> {
    let text = read_carefully_js(value, &JsValue::UNDEFINED, "settings");
    careful_result(text, "settings", warnings)
}

/// Reads `ctx.event` carefully (the parts `fast` names), for an event the fast path could not
/// read: a throwing getter, a cycle, a BigInt, no event.
pub fn read_event_carefully(
    ctx: &JsValue,
    fast: &FastReads,
    warnings: &mut Vec<Warning>,
) -> Result<Value, String> {
    let text = read_event_carefully_js(ctx, &fast.spec);
    careful_result(text, "event", warnings)
}

fn careful_result(
    tape: Option<Vec<u8>>,
    root: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Value, String> {
    // [[path, reason], ...]
    if let Ok((Value::Array(items), _)) = crate::tape::decode(&take_warnings()) {
        for item in items {
            if let Value::Array(pair) = item {
                if let [Value::String(path), Value::String(reason)] = pair.as_slice() {
                    warnings.push(Warning::new(path.as_str(), reason.as_str()));
                }
            }
        }
    }
    match tape {
        None => Err(cat(&[root, " is undefined"])),
        Some(t) if t.is_empty() => Err(cat(&[root, " could not be read"])),
        Some(t) => read_event(&t, warnings),
    }
}

/// Sends a call to `window.Intercom` (its arguments built by `JSON.parse`, so keys like
/// `__proto__` stay plain data).
pub fn send(call: &IntercomCall) -> Result<(), String> {
    match call_intercom_json(&call.to_json()) {
        None => Ok(()),
        Some(e) => Err(cat(&["Intercom('", call.method(), "') failed: ", &e])),
    }
}
