//! String-level helpers of the directives: templates, literal replace, flatten, JS loose equality.

use super::{At, Mapping, ReplaceRule};
use crate::engine::json::{Map, Value};

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

/// Parses `"Hi {{traits.name}}"` into text and field parts (see [`Mapping::Template`]); an error goes to `at` (the parts
/// are then of no use: the mapping fails).
pub(super) fn parse_template(text: &str, at: &At) -> Vec<Mapping> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = crate::engine::text::find(rest, "{{") {
        if open > 0 {
            parts.push(Mapping::Literal(Value::String(rest[..open].to_string())));
        }
        let after = &rest[open + 2..];
        let Some(close) = crate::engine::text::find(after, "}}") else {
            at.fail(&[
                ": unclosed {{ in template ",
                &crate::engine::text::quoted(text),
            ]);
            return parts;
        };
        parts.push(Mapping::Path(super::path_at(
            crate::engine::text::trim(&after[..close]),
            at,
        )));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push(Mapping::Literal(Value::String(rest.to_string())));
    }
    parts
}

/// Literal (not regex) replacement, optionally case-insensitive and only the first occurrence.
pub fn replace(input: &str, rule: &ReplaceRule) -> String {
    // Lower-cased when compiled, if `ignore_case`.
    let pattern = rule.pattern.as_bytes();
    let mut out = String::with_capacity(input.len());
    // `input[..copied]` is in `out`; matches are tried at each byte `i`: only at a character
    // boundary can one start, as the pattern starts with a character's first byte.
    let (mut copied, mut i) = (0, 0);
    while i < input.len() {
        let end = if rule.ignore_case {
            match_ignore_case(input, i, pattern)
        } else {
            let rest = input.as_bytes().get(i..).unwrap_or_default();
            rest.starts_with(pattern).then_some(i + pattern.len())
        };
        match end {
            // A pattern is never empty (compiling rejects it); an empty one replaces nothing.
            Some(end) if end > i => {
                out.push_str(input.get(copied..i).unwrap_or_default());
                out.push_str(&rule.replacement);
                i = end;
                copied = i;
                if !rule.global {
                    break;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(input.get(copied..).unwrap_or_default());
    out
}

/// Where the match of the lower-cased pattern (not empty) at `input[i..]` ends, if it matches
/// there: the input is lower-cased a character at a time (none starts inside a character).
fn match_ignore_case(input: &str, mut i: usize, pattern: &[u8]) -> Option<usize> {
    let mut p = pattern;
    while !p.is_empty() {
        let b = *input.as_bytes().get(i)?;
        // The length of the UTF-8 character that starts with `b`.
        let n = match b {
            0..=0x7f => 1,
            0x80..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        p = if n == 1 {
            let (&first, rest) = p.split_first()?;
            if first != b.to_ascii_lowercase() {
                return None;
            }
            rest
        } else {
            let c = input.get(i..i + n)?;
            p.strip_prefix(crate::engine::text::to_case(c, false).as_bytes())?
        };
        i += n;
    }
    Some(i)
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
            crate::engine::text::cat(&[prefix, sep, k])
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
                let index = crate::engine::text::int(i as i64);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule as compiling makes it (the pattern lower-cased for `ignore_case`).
    fn rule(pattern: &str, replacement: &str, global: bool, ignore_case: bool) -> ReplaceRule {
        let pattern = if ignore_case {
            crate::engine::text::to_case(pattern, false)
        } else {
            pattern.into()
        };
        let replacement = replacement.into();
        ReplaceRule {
            pattern,
            replacement,
            global,
            ignore_case,
        }
    }

    #[test]
    fn replaces_literally_at_character_boundaries() {
        let r = |input, rule| replace(input, &rule);
        assert_eq!(r("a-b-c", rule("-", "", true, false)), "abc");
        assert_eq!(r("a-b-c", rule("-", "", false, false)), "ab-c");
        assert_eq!(
            r("Straße STRASSE", rule("STRAßE", "X", true, true)),
            "X STRASSE"
        );
        assert_eq!(r("ÉCOLE école", rule("é", "e", false, true)), "eCOLE école");
        assert_eq!(r("ÉCOLE école", rule("é", "e", true, true)), "eCOLE ecole");
        assert_eq!(r("😀a😀", rule("A", "b", true, true)), "😀b😀");
        assert_eq!(r("aé", rule("é", "", true, false)), "a");
    }
}
