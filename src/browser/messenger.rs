//! The boundary: a JS event in as a [`crate::tape`], Intercom calls out to `window.Intercom`.
//!
//! An event costs one call in (`readEvent` in `js/boundary.js`, which reads the parts the
//! mappings use without ever throwing, and notes what it left out: a throwing getter, a cycle,
//! a BigInt, more than 200,000 values or 64 levels) and one call out per Intercom call.

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
    /// The tape of the parts of `ctx.event` that `spec` (`[reads, types]`) names; `None` when
    /// the event's type is not one of `types`.
    #[wasm_bindgen(js_name = readEvent)]
    fn read_event_js(ctx: &JsValue, spec: &JsValue) -> Option<Vec<u8>>;
    /// The analytics.js plugin objects of one factory call; see `makePlugins`.
    #[wasm_bindgen(js_name = makePlugins)]
    pub fn make_plugins(spec: &str, call: &JsValue) -> JsValue;
    /// A message on the context's log and, with `to_console`, on the console (`level`: warn,
    /// error or debug).
    #[wasm_bindgen(js_name = logTo)]
    pub fn log_to(ctx: &JsValue, level: &str, text: &str, to_console: bool);
    /// The tape of the settings.
    #[wasm_bindgen(js_name = readSettings)]
    fn read_settings_js(value: &JsValue) -> Vec<u8>;
    /// `window.Intercom(...JSON.parse(args))`; `Some(message)` when it failed.
    #[wasm_bindgen(js_name = callIntercom)]
    fn call_intercom_json(args: &str) -> Option<String>;
}

/// What one action reads of an event: `[reads, types]` as `js/boundary.js` takes them, made
/// from one JSON text (one call, rather than a call per key).
pub struct Reads {
    spec: JsValue,
}

impl Reads {
    pub fn new(reads: &ReadSet, types: Option<&[String]>) -> Reads {
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
        Reads {
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

/// Reads `ctx.event` (the parts `reads` names): `None` when it is not for this action. What
/// `js/boundary.js` had to leave out or change becomes warnings.
pub fn read_event(
    ctx: &JsValue,
    reads: &Reads,
    warnings: &mut Vec<Warning>,
) -> Option<Result<Value, String>> {
    let tape = read_event_js(ctx, &reads.spec)?;
    Some(crate::event::read_event(&tape, warnings))
}

/// Reads the settings, as events are read.
pub fn read_settings(value: &JsValue, warnings: &mut Vec<Warning>) -> Result<Value, String> {
    crate::event::read_event(&read_settings_js(value), warnings)
}

/// Sends a call to `window.Intercom` (its arguments built by `JSON.parse`, so keys like
/// `__proto__` stay plain data).
pub fn send(call: &IntercomCall) -> Result<(), String> {
    match call_intercom_json(&call.to_json()) {
        None => Ok(()),
        Some(e) => Err(cat(&["Intercom('", call.method(), "') failed: ", &e])),
    }
}
