//! Typed copying of mapped fields into an Intercom payload; anything dropped becomes a warning.

use crate::intercom::convert::{type_name, unix_seconds};
use crate::intercom::Warning;
use crate::json::{Map, Number, Value};
use crate::settings::NestedTraits;
use crate::text::quoted;

/// Where a field is, for a warning: built only when there is one (formatting a path for
/// every field was a good part of the per-event cost).
#[derive(Clone, Copy)]
pub struct At<'a> {
    parent: &'a str,
    key: &'a str,
}

impl<'a> At<'a> {
    /// `key` at the top of the payload.
    pub fn top(key: &'a str) -> At<'a> {
        At { parent: "", key }
    }

    /// `parent.key`.
    pub fn under(parent: &'a str, key: &'a str) -> At<'a> {
        At { parent, key }
    }

    pub fn text(self) -> String {
        if self.parent.is_empty() {
            self.key.to_string()
        } else {
            let mut s = String::with_capacity(self.parent.len() + 1 + self.key.len());
            s.push_str(self.parent);
            s.push('.');
            s.push_str(self.key);
            s
        }
    }
}

// The `copy_*` functions move `key` from `from` to `out`, which must not have `key` yet (each
// action copies each of its fields once, into a new object).

/// Copies `key` as a string: strings as they are, numbers as their decimal text.
/// Null and absent values are not sent; other types are dropped with a warning.
#[cfg_attr(intercom_speed, optimize(speed))]
pub fn copy_string(
    from: &mut Map<String, Value>,
    key: &str,
    out: &mut Map<String, Value>,
    at: At,
    warnings: &mut Vec<Warning>,
) {
    match from.remove(key) {
        None | Some(Value::Null) => {}
        Some(v) if too_long(&v) => warnings.push(long_string(&at.text())),
        Some(Value::String(s)) => {
            out.push_new(key.to_string(), Value::String(s));
        }
        Some(Value::Number(n)) => {
            out.push_new(key.to_string(), Value::String(crate::text::number_text(&n)));
        }
        Some(other) => warnings.push(dropped(&at.text(), "a string", &other)),
    }
}

/// Copies `key` as a number: numbers as they are, numeric strings parsed.
#[cfg_attr(intercom_speed, optimize(speed))]
pub fn copy_number(
    from: &mut Map<String, Value>,
    key: &str,
    out: &mut Map<String, Value>,
    at: At,
    warnings: &mut Vec<Warning>,
) {
    match from.remove(key) {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => {
            out.push_new(key.to_string(), Value::Number(n));
        }
        Some(Value::String(s)) => match number_from_str(&s) {
            Some(n) => {
                out.push_new(key.to_string(), Value::Number(n));
            }
            None => warnings.push(Warning::new(
                at.text(),
                format!("dropped: {} is not a number", quoted(&s)),
            )),
        },
        Some(other) => warnings.push(dropped(&at.text(), "a number", &other)),
    }
}

/// Copies `key` as a boolean.
#[cfg_attr(intercom_speed, optimize(speed))]
pub fn copy_bool(
    from: &mut Map<String, Value>,
    key: &str,
    out: &mut Map<String, Value>,
    at: At,
    warnings: &mut Vec<Warning>,
) {
    match from.remove(key) {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => {
            out.push_new(key.to_string(), Value::Bool(b));
        }
        Some(other) => warnings.push(dropped(&at.text(), "true or false", &other)),
    }
}

/// Copies `key` as a date in unix seconds.
#[cfg_attr(intercom_speed, optimize(speed))]
pub fn copy_date(
    from: &mut Map<String, Value>,
    key: &str,
    out: &mut Map<String, Value>,
    at: At,
    warnings: &mut Vec<Warning>,
) {
    match from.remove(key) {
        None | Some(Value::Null) => {}
        Some(v) => match unix_seconds(&v) {
            Ok(s) => {
                out.push_new(key.to_string(), Value::Number(s.into()));
            }
            Err(e) => warnings.push(Warning::new(at.text(), format!("dropped: {e}"))),
        },
    }
}

/// Merges custom attributes into `out`: Intercom accepts only flat values (nested ones are
/// dropped, flattened or stringified as `nested` says), and the fields already set win over a
/// custom attribute of the same name.
pub fn merge_custom(
    custom: Option<Value>,
    out: &mut Map<String, Value>,
    path: &str,
    nested: NestedTraits,
    warnings: &mut Vec<Warning>,
) {
    let map = match custom {
        None | Some(Value::Null) => return,
        Some(Value::Object(map)) => map,
        Some(other) => {
            warnings.push(dropped(path, "an object", &other));
            return;
        }
    };
    // Flatten first (as the nestedTraits setting says), then merge without overriding.
    let mut flat = Vec::with_capacity(map.len());
    for (k, v) in map {
        match (v, nested) {
            (v @ (Value::Object(_) | Value::Array(_)), NestedTraits::Drop) => {
                warnings.push(Warning::new(
                    format!("{path}.{k}"),
                    format!(
                        "dropped: Intercom custom attributes must be flat, got {} (see the nestedTraits setting)",
                        type_name(&v)
                    ),
                ))
            }
            (v @ (Value::Object(_) | Value::Array(_)), NestedTraits::Stringify) => {
                flat.push((k, Value::String(v.to_string())))
            }
            (v @ (Value::Object(_) | Value::Array(_)), NestedTraits::Flatten) => {
                let mut entries = Map::new();
                crate::mapping::flatten_into(&mut entries, &k, &v, "_", false, 0);
                flat.extend(entries);
            }
            (v, _) => flat.push((k, v)),
        }
    }
    // Custom keys are distinct (they come from one object); only the attributes already in
    // `out` can conflict, so only those are searched (a hostile 50,000-key object stays linear).
    let standard: Vec<String> = out.keys().cloned().collect();
    for (k, v) in flat {
        if too_long(&v) {
            warnings.push(long_string(&format!("{path}.{k}")));
            continue;
        }
        if !standard.contains(&k) {
            out.push_new(k, v);
            continue;
        }
        if out.get(&k) != Some(&v) {
            warnings.push(Warning::new(
                format!("{path}.{k}"),
                format!(
                    "dropped: conflicts with the standard attribute {}",
                    quoted(&k)
                ),
            ));
        }
    }
}

/// Strings longer than this are not sent to Intercom (its attributes are short; a huge value
/// would only be rejected there after costing the visitor the upload).
pub const MAX_STRING_BYTES: usize = 64 * 1024;

pub fn too_long(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.len() > MAX_STRING_BYTES)
}

pub fn long_string(path: &str) -> Warning {
    Warning::new(
        path,
        format!(
            "dropped: a string longer than {} KB",
            MAX_STRING_BYTES / 1024
        ),
    )
}

pub fn number_from_str(s: &str) -> Option<Number> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(i.into());
    }
    crate::text::parse_json_number(t)
}

pub fn dropped(path: &str, expected: &str, got: &Value) -> Warning {
    Warning::new(
        path,
        format!("dropped: must be {expected}, got {}", type_name(got)),
    )
}
