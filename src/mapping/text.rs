//! String-level helpers of the directives: templates, literal replace, flatten, JS loose equality.

use super::{ReplaceRule, TemplatePart};
use crate::json::{Map, Value};
use crate::path::JsonPath;

/// JavaScript's `value == ""`: true for "", 0, false and arrays whose string form is empty.
pub fn loosely_blank(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        other => loosely_blank_string_form(other),
    }
}

/// Whether `String(v) === ""` for a string or an array (null and nested empty arrays in an
/// array stringify to "").
fn loosely_blank_string_form(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Array(items) => match items.as_slice() {
            [] => true,
            [only] => only.is_null() || loosely_blank_string_form(only),
            _ => false,
        },
        _ => false,
    }
}

/// Appends a value as a template shows it: strings raw, null as "", objects as JSON.
pub fn append_display(out: &mut String, v: &Value) {
    match v {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        other => other.write_to(out),
    }
}

/// Parses `"Hi {{traits.name}}"` into text and field parts.
pub fn parse_template(text: &str) -> Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = crate::text::find(rest, "{{") {
        if open > 0 {
            parts.push(TemplatePart::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 2..];
        let Some(close) = crate::text::find(after, "}}") else {
            return Err(crate::text::cat(&[
                "unclosed {{ in template ",
                &crate::text::quoted(text),
            ]));
        };
        let path = JsonPath::parse(crate::text::trim(&after[..close]))?;
        parts.push(TemplatePart::Field(path));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Text(rest.to_string()));
    }
    Ok(parts)
}

/// Literal (not regex) replacement, optionally case-insensitive and only the first occurrence.
pub fn replace(input: &str, rule: &ReplaceRule) -> String {
    if !rule.ignore_case {
        return crate::text::replace(input, &rule.pattern, &rule.replacement, rule.global);
    }
    let pattern = crate::text::to_case(&rule.pattern, false);
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    let mut replaced = false;
    while let Some(c) = rest.chars().next() {
        if !replaced || rule.global {
            if let Some(len) = match_ignore_case(rest, &pattern) {
                out.push_str(&rule.replacement);
                rest = &rest[len..];
                replaced = true;
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length in bytes of the input prefix matching the lower-cased pattern (not empty), if it
/// matches: the input is lower-cased a character at a time.
fn match_ignore_case(input: &str, pattern: &str) -> Option<usize> {
    let mut p = pattern;
    for (i, c) in input.char_indices() {
        if p.is_empty() {
            return Some(i);
        }
        p = if c.is_ascii() {
            p.strip_prefix(c.to_ascii_lowercase())?
        } else {
            p.strip_prefix(crate::text::to_case(c.encode_utf8(&mut [0; 4]), false).as_str())?
        };
    }
    p.is_empty().then_some(input.len())
}

/// Flattens nested objects (and arrays unless `omit_arrays`) into `prefix{sep}key` entries.
pub fn flatten_into(
    out: &mut Map<String, Value>,
    prefix: &str,
    v: &Value,
    sep: &str,
    omit_arrays: bool,
    depth: usize,
) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            crate::text::cat(&[prefix, sep, k])
        }
    };
    // Deeper than any real trait; keeps hostile input from exhausting the stack.
    let too_deep = depth > 64;
    match v {
        Value::Object(map) if !too_deep => {
            for (k, child) in map {
                flatten_into(out, &key(k), child, sep, omit_arrays, depth + 1);
            }
        }
        Value::Array(items) if !omit_arrays && !too_deep => {
            for (i, child) in items.iter().enumerate() {
                let index = crate::text::int(i as i64);
                flatten_into(out, &key(&index), child, sep, omit_arrays, depth + 1);
            }
        }
        other => {
            if !prefix.is_empty() {
                out.insert(prefix.to_string(), other.clone());
            }
        }
    }
}
