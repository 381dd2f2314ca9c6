//! The boundary: a JS event in as JSON, Intercom calls out to `window.Intercom`.
//!
//! The per-event fast path is `js/boundary.js` (one call in, one call out); the careful
//! readers below handle what it cannot (a throwing getter, a cycle, a BigInt) and say what
//! they left out.

use super::loader::describe_error;
use crate::event::{parse_event, MAX_DEPTH};
use crate::intercom::Warning;
use crate::json::{Map, Number, Value};
use crate::reads::ReadSet;
use crate::IntercomCall;
use js_sys::{Array, Function, JsString, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The fallback reader visits at most this many values of one event.
pub const MAX_VALUES: usize = 200_000;

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// `JSON.parse` (of text this crate wrote).
    #[wasm_bindgen(js_name = parseSpec)]
    fn parse_spec(text: &str) -> JsValue;
    /// The JSON text of the parts of `ctx.event` that `spec` (`[reads, types]`) names; `""` when
    /// the event's type is not one of `types`; `None` when it must be read carefully.
    #[wasm_bindgen(js_name = readEvent)]
    fn read_event_fast(ctx: &JsValue, spec: &JsValue) -> Option<String>;
    /// An analytics.js destination plugin object: the contract's fields, and its methods
    /// calling these functions (`handle` for every event method).
    #[wasm_bindgen(js_name = makePlugin)]
    pub fn make_plugin(
        name: &str,
        alternative_name: &str,
        version: &str,
        is_loaded: &JsValue,
        load: &JsValue,
        handle: &JsValue,
    ) -> js_sys::Object;
    /// `window.Intercom(...JSON.parse(args))`; `Some(message)` when it failed.
    #[wasm_bindgen(js_name = callIntercom)]
    fn call_intercom_json(args: &str) -> Option<String>;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `Object.create(null)`: no prototype, so any key (even `__proto__`) is plain data.
    #[wasm_bindgen(js_namespace = Object, js_name = create)]
    fn create_object(prototype: &JsValue) -> js_sys::Object;
}

/// A [`ReadSet`] with its keys already made JS strings: building a JS string from Rust decodes
/// UTF-8 each time, which would otherwise be most of the per-event cost.
pub struct JsReads {
    all: bool,
    keys: Vec<(JsValue, String, JsReads)>,
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
/// `Some(Some(json))` to parse, `None` when it must be read carefully.
pub fn read_fast(ctx: &JsValue, fast: &FastReads) -> Option<Option<String>> {
    let text = read_event_fast(ctx, &fast.spec)?;
    Some((!text.is_empty()).then_some(text))
}

impl JsReads {
    pub fn new(reads: &ReadSet) -> JsReads {
        match reads {
            ReadSet::All => JsReads {
                all: true,
                keys: Vec::new(),
            },
            ReadSet::Nothing => JsReads {
                all: false,
                keys: Vec::new(),
            },
            ReadSet::Keys(keys) => JsReads {
                all: false,
                keys: keys
                    .iter()
                    .map(|(k, child)| (JsValue::from_str(k), k.clone(), JsReads::new(child)))
                    .collect(),
            },
        }
    }
}

thread_local! {
    static TO_JSON: JsValue = JsValue::from_str("toJSON");
}

/// The parts of a JS event that `reads` names, as a new plain object; everything else is not
/// touched (so a large `context`, or an unreadable property nobody maps, costs nothing).
/// Values that are not plain objects where keys are expected are kept as they are, so that
/// the core can report them.
pub fn pick(value: &JsValue, reads: &JsReads, warnings: &mut Vec<Warning>) -> JsValue {
    let mut trail = vec!["event"];
    pick_at(value, reads, &mut trail, warnings)
}

fn pick_at<'a>(
    value: &JsValue,
    reads: &'a JsReads,
    trail: &mut Vec<&'a str>,
    warnings: &mut Vec<Warning>,
) -> JsValue {
    if reads.all {
        return value.clone();
    }
    if !value.is_object() {
        return value.clone();
    }
    let custom_json = TO_JSON.with(|k| Reflect::get(value, k).is_ok_and(|f| f.is_function()));
    if custom_json || !matches!(is_array(value), Ok(false)) {
        return value.clone();
    }
    let out = create_object(&JsValue::NULL);
    for (key, name, child) in &reads.keys {
        match Reflect::get(value, key) {
            Ok(v) if v.is_undefined() => {}
            Ok(v) => {
                trail.push(name);
                let picked = pick_at(&v, child, trail, warnings);
                trail.pop();
                let _ = Reflect::set(&out, key, &picked);
            }
            Err(e) => warnings.push(Warning::new(
                format!("{}.{name}", trail.join(".")),
                format!("left out: reading it threw: {}", describe_error(&e)),
            )),
        }
    }
    out.into()
}

/// Reads a JS value (an event, or the settings) as JSON.
///
/// Fast path: `JSON.stringify` gives the semantics a page expects (`toJSON`, so dates become
/// ISO strings; functions and symbols left out; NaN and Infinity as null). When it throws
/// (a cycle, a BigInt, a throwing getter), a careful walk reads what can be read and says what
/// it left out, so one bad property does not lose the whole event.
pub fn read_event(event: &JsValue, warnings: &mut Vec<Warning>) -> Result<Value, String> {
    match JSON::stringify(event) {
        Ok(text) => match text.as_string() {
            Some(text) => parse_event(&text, warnings),
            None => Err("event is undefined".to_string()),
        },
        Err(_) => {
            let mut walker = Walker {
                ancestors: Vec::new(),
                warnings,
                visited: 0,
            };
            walker
                .value(event, "event", 0)
                .ok_or_else(|| "event could not be read".to_string())
        }
    }
}

struct Walker<'a> {
    ancestors: Vec<JsValue>,
    warnings: &'a mut Vec<Warning>,
    visited: usize,
}

impl Walker<'_> {
    fn value(&mut self, v: &JsValue, path: &str, depth: usize) -> Option<Value> {
        self.visited += 1;
        if self.visited == MAX_VALUES {
            self.left_out(
                path,
                &format!("the event has more than {MAX_VALUES} values"),
            );
        }
        if self.visited >= MAX_VALUES {
            return None;
        }
        if v.is_null() {
            return Some(Value::Null);
        }
        if let Some(b) = v.as_bool() {
            return Some(Value::Bool(b));
        }
        if let Some(n) = v.as_f64() {
            // JavaScript's own shortest text for the number (no float formatting in wasm).
            let text = js_sys::Number::from(n)
                .to_string_with_radix(10)
                .ok()
                .and_then(|t| t.as_string());
            let number = match text {
                Some(t) => Number::with_text(n, &t),
                None => Number::from_f64(n),
            };
            return Some(number.map_or(Value::Null, Value::Number));
        }
        if let Some(s) = v.as_string() {
            return Some(Value::String(s));
        }
        if v.is_bigint() {
            let text = v
                .dyn_ref::<js_sys::BigInt>()
                .and_then(|b| b.to_string(10).ok())
                .map(String::from)
                .unwrap_or_default();
            self.warnings
                .push(Warning::new(path, "a BigInt, sent as a string"));
            return Some(Value::String(text));
        }
        if !v.is_object() {
            return None; // undefined, symbols and functions, as JSON.stringify does
        }
        // toJSON (dates): called once, like JSON.stringify.
        if let Ok(to_json) = Reflect::get(v, &"toJSON".into()) {
            if let Some(f) = to_json.dyn_ref::<Function>() {
                return match f.call1(v, &JsString::from(path.rsplit('.').next().unwrap_or(""))) {
                    Ok(r) if r.is_object() => self.container(&r, path, depth),
                    Ok(r) => self.value(&r, path, depth),
                    Err(e) => {
                        self.left_out(path, &format!("its toJSON threw: {}", describe_error(&e)));
                        None
                    }
                };
            }
        }
        self.container(v, path, depth)
    }

    fn container(&mut self, v: &JsValue, path: &str, depth: usize) -> Option<Value> {
        if self.ancestors.iter().any(|a| js_sys::Object::is(a, v)) {
            self.left_out(path, "circular reference");
            return None;
        }
        if depth >= MAX_DEPTH {
            self.warnings.push(Warning::new(
                path,
                format!("nested deeper than {MAX_DEPTH} levels: replaced by null"),
            ));
            return Some(Value::Null);
        }
        self.ancestors.push(v.clone());
        let result = match is_array(v) {
            Ok(true) => {
                let length = Reflect::get(v, &"length".into())
                    .ok()
                    .and_then(|l| l.as_f64())
                    .unwrap_or(0.0) as u32;
                let mut items = Vec::new();
                for i in 0..length.min(MAX_VALUES as u32) {
                    let at = format!("{path}[{i}]");
                    let item = match Reflect::get_u32(v, i) {
                        Ok(item) => self.value(&item, &at, depth + 1).unwrap_or(Value::Null),
                        Err(e) => {
                            self.left_out(
                                &at,
                                &format!("reading it threw: {}", describe_error(&e)),
                            );
                            Value::Null
                        }
                    };
                    items.push(item);
                }
                Some(Value::Array(items))
            }
            Ok(false) => match object_keys(v) {
                Ok(keys) => {
                    let mut map = Map::new();
                    for key in keys.iter() {
                        let name = key.as_string().unwrap_or_default();
                        let at = format!("{path}.{name}");
                        match Reflect::get(v, &key) {
                            Ok(child) => {
                                if let Some(value) = self.value(&child, &at, depth + 1) {
                                    map.insert(name, value);
                                }
                            }
                            Err(e) => self.left_out(
                                &at,
                                &format!("reading it threw: {}", describe_error(&e)),
                            ),
                        }
                    }
                    Some(Value::Object(map))
                }
                Err(e) => {
                    self.left_out(
                        path,
                        &format!("listing its keys threw: {}", describe_error(&e)),
                    );
                    None
                }
            },
            Err(e) => {
                self.left_out(path, &format!("it cannot be read: {}", describe_error(&e)));
                None
            }
        };
        self.ancestors.pop();
        result
    }

    fn left_out(&mut self, path: &str, why: &str) {
        self.warnings
            .push(Warning::new(path, format!("left out: {why}")));
    }
}

/// Sends a call to `window.Intercom` (its arguments built by `JSON.parse`, so keys like
/// `__proto__` stay plain data).
pub fn send(call: &IntercomCall) -> Result<(), String> {
    match call_intercom_json(&call.to_json()) {
        None => Ok(()),
        Some(e) => Err(format!("Intercom('{}') failed: {e}", call.method())),
    }
}
