//! The boundary: a JS event in as JSON, Intercom calls out to `window.Intercom`.

use super::loader::{call_intercom, describe_error};
use crate::IntercomCall;
use js_sys::{Array, JSON};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Events larger than this (as JSON) are not processed; a warning says so.
pub const MAX_EVENT_BYTES: u32 = 8 * 1024 * 1024;

/// Reads a JS event as JSON. `JSON.stringify` gives the semantics a page expects: `toJSON`
/// (dates become ISO strings), functions and symbols left out, NaN/Infinity as null; cycles,
/// BigInt and throwing getters become an error message instead of an exception.
pub fn read_event(event: &JsValue) -> Result<Value, String> {
    let text = JSON::stringify(event)
        .map_err(|e| format!("event could not be read as JSON: {}", describe_error(&e)))?;
    if text.length() > MAX_EVENT_BYTES {
        return Err(format!(
            "event is larger than {} MB as JSON; not sent",
            MAX_EVENT_BYTES / (1024 * 1024)
        ));
    }
    let text = String::from(text);
    serde_json::from_str(&text).map_err(|e| format!("event could not be read as JSON: {e}"))
}

/// The `Intercom(...)` arguments of a call, as JS values (objects built by `JSON.parse`, so
/// keys like `__proto__` stay plain data).
pub fn to_js_args(call: &IntercomCall) -> Result<Array, String> {
    let text = call.to_args().to_string();
    let parsed = JSON::parse(&text).map_err(|e| describe_error(&e))?;
    Ok(parsed.unchecked_into())
}

/// Sends a call to `window.Intercom`.
pub fn send(call: &IntercomCall) -> Result<(), String> {
    let args = to_js_args(call)?;
    call_intercom(&args).map_err(|e| format!("Intercom('{}') failed: {e}", call.method()))
}
