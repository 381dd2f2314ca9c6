//! Typed copying of mapped fields into an Intercom payload; anything dropped becomes a warning.

use crate::engine::json::{Map, Number, Value};
use crate::engine::text::quoted;
use crate::intercom::convert::{type_name, unix_seconds};
use crate::intercom::settings::NestedTraits;
use crate::intercom::Warning;

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
}

/// Adds a warning at `at` whose reason is `parts` joined.
pub fn warn(warnings: &mut Vec<Warning>, at: At, parts: &[&str]) {
    crate::intercom::note(warnings, at.parent, at.key, false, parts, &[]);
}

/// Appends `key` (not in `out` yet) with `v`.
pub fn put(out: &mut Map<String, Value>, key: &str, v: Value) {
    out.push_new(key.to_string(), v);
}

/// `dropped: must be {expected}, got {type}`.
pub fn dropped(warnings: &mut Vec<Warning>, at: At, expected: &str, got: &Value) {
    let parts = ["dropped: must be ", expected, ", got ", type_name(got)];
    warn(warnings, at, &parts);
}

/// What a standard field is sent as.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    /// Strings as they are, numbers as their decimal text.
    Text,
    /// [`Kind::Text`], trimmed, and not sent when empty (a name built from first and last
    /// name may have a missing half).
    Name,
    /// Numbers as they are, numeric strings parsed.
    Number,
    Bool,
    /// A date in unix seconds (see [`unix_seconds`]).
    Date,
    /// A non-empty URL string, sent as `avatar: {type: "avatar", image_url}`.
    Avatar,
    /// An identity verification value: a non-empty string (`false` means none). Warnings never
    /// show it.
    Secret,
}

/// The one rule for empty values of standard attributes: missing, null, `false` and a string
/// of only white space are "no value" and are left out without a warning (Intercom would store
/// an empty text, and JavaScript's reads of Segment's mappings give `false` for the fields of a
/// `false` object). `false` is a value only for the boolean attributes.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// [`copy`] of each field of a table, in its order.
pub fn copy_all(
    from: &mut Map<String, Value>,
    parent: &str,
    fields: &[(&str, Kind)],
    out: &mut Map<String, Value>,
    warnings: &mut Vec<Warning>,
) {
    for &(key, kind) in fields {
        copy(from, parent, key, kind, out, warnings);
    }
}

/// Moves `key` from `from` to `out` as `kind` says, which must not have `key` yet (each action
/// copies each of its fields once, into a new object). Empty values (see [`is_empty`]) are not
/// sent; values of another type are dropped with a warning at `parent.key` (`key` for "").
fn copy(
    from: &mut Map<String, Value>,
    parent: &str,
    key: &str,
    kind: Kind,
    out: &mut Map<String, Value>,
    warnings: &mut Vec<Warning>,
) {
    let at = At::under(parent, key);
    // The entry's own key moves along: no copy of the key per field.
    let (name, v) = match from.remove_entry(key) {
        None | Some((_, Value::Null)) => return,
        Some((_, v)) if kind != Kind::Bool && is_empty(&v) => return,
        Some(entry) => entry,
    };
    // One match on the kind, each arm on the value. (A warning call per arm: one shared call
    // after a labeled block was as small but slower natively.)
    let v = match kind {
        Kind::Text | Kind::Name => match v {
            _ if too_long(&v) => return long_string(warnings, at),
            Value::Number(_) => Value::String(v.to_json()),
            Value::String(_) if kind == Kind::Text => v,
            Value::String(mut s) => {
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    return;
                }
                if trimmed.len() != s.len() {
                    s = trimmed.to_string();
                }
                Value::String(s)
            }
            _ => return dropped(warnings, at, "a string", &v),
        },
        Kind::Number => match v {
            Value::Number(_) => v,
            Value::String(s) => match number_from_str(&s) {
                Some(n) => Value::Number(n),
                None => {
                    return warn(
                        warnings,
                        at,
                        &["dropped: ", &quoted(&s), " is not a number"],
                    )
                }
            },
            _ => return dropped(warnings, at, "a number", &v),
        },
        Kind::Bool => match v {
            Value::Bool(_) => v,
            _ => return dropped(warnings, at, "true or false", &v),
        },
        Kind::Date => match unix_seconds(&v) {
            Ok(s) => Value::Number(s.into()),
            Err(e) => return warn(warnings, at, &["dropped: ", &e.message()]),
        },
        Kind::Avatar => match v {
            Value::String(ref s) if !s.is_empty() => {
                let mut avatar = Map::new();
                put(&mut avatar, "type", Value::String("avatar".into()));
                put(&mut avatar, "image_url", v);
                return put(out, "avatar", Value::Object(avatar));
            }
            _ => return dropped(warnings, at, "a URL string", &v),
        },
        Kind::Secret => match v {
            Value::String(ref s) if !s.is_empty() => v,
            Value::Bool(false) => return,
            _ => return dropped(warnings, at, "a non-empty string", &v),
        },
    };
    out.push_new(name, v);
}

/// Merges custom attributes into `out`: Intercom accepts only flat values (nested ones are
/// dropped, flattened or stringified as `nested` says), and the fields already set win over a
/// custom attribute of the same name (with a warning when the values differ; `quiet`: silently,
/// and also over an earlier custom attribute of the same name).
pub fn merge_custom(
    custom: Value,
    out: &mut Map<String, Value>,
    path: &str,
    nested: NestedTraits,
    quiet: bool,
    warnings: &mut Vec<Warning>,
) {
    match custom {
        Value::Null => {}
        Value::Object(map) => merge_map(map, out, path, nested, true, quiet, warnings),
        other => dropped(warnings, At::top(path), "an object", &other),
    }
}

/// [`merge_custom`] of an object; `keep_null` false leaves out its null values.
pub fn merge_map(
    map: Map<String, Value>,
    out: &mut Map<String, Value>,
    path: &str,
    nested: NestedTraits,
    keep_null: bool,
    quiet: bool,
    warnings: &mut Vec<Warning>,
) {
    // The nesting warnings come first, then those of merging (as when this flattened first).
    if nested == NestedTraits::Drop {
        for (k, v) in &map {
            if v.is_object() || v.is_array() {
                warn(
                    warnings,
                    At::under(path, k),
                    &[
                        "dropped: Intercom custom attributes must be flat, got ",
                        type_name(v),
                        " (see the nestedTraits setting)",
                    ],
                );
            }
        }
    }
    // Only the attributes already in `out` can conflict (custom keys come from one object),
    // so only those are searched: a hostile 50,000-key object stays linear. (`quiet` searches
    // every attribute, as identifyCompany always has, and warns of no clash.)
    // Flattened names can also be those of other custom attributes ({"a_b": 1, "a": {"b": 2}}):
    // then the first [`MAX_CLASH_SEARCH`] custom attributes are searched too.
    let search = if quiet {
        ClashSearch {
            limit: usize::MAX,
            standard: None,
        }
    } else {
        let standard = out.len();
        ClashSearch {
            limit: match nested {
                NestedTraits::Flatten => standard + MAX_CLASH_SEARCH,
                _ => standard,
            },
            standard: Some(standard),
        }
    };
    for (k, v) in map {
        let v = match v {
            Value::Object(_) | Value::Array(_) => match nested {
                NestedTraits::Drop => continue,
                NestedTraits::Stringify => Value::String(v.to_json()),
                NestedTraits::Flatten => {
                    let mut entries = Map::new();
                    crate::engine::mapping::flatten_into(&mut entries, &k, &v, "_", false, 0);
                    for (k, v) in entries {
                        add_custom(out, search, path, k, v, warnings);
                    }
                    continue;
                }
            },
            Value::Null if !keep_null => continue,
            v => v,
        };
        add_custom(out, search, path, k, v, warnings);
    }
}

/// Where [`add_custom`] looks for an attribute of the same name, and whether it warns.
#[derive(Clone, Copy)]
struct ClashSearch {
    /// How many of the first attributes of `out` are searched.
    limit: usize,
    /// How many of them are standard attributes (for the warning); `None`: a clash is kept
    /// quiet.
    standard: Option<usize>,
}

/// With flattened nested traits, this many custom attributes are searched for a clash (an
/// attribute past them that clashes is sent twice, and JSON.parse keeps the later value): more
/// than Intercom takes, and a hostile 50,000-key object stays far from 50,000 searches of
/// 50,000.
const MAX_CLASH_SEARCH: usize = 1000;

/// Adds one flat custom attribute unless it is too long or one of the attributes of `out` that
/// `search` names has its name; a different value there is a warning (a clash with a standard
/// attribute or with a custom one), unless the search is quiet. The first stays.
fn add_custom(
    out: &mut Map<String, Value>,
    search: ClashSearch,
    path: &str,
    k: String,
    v: Value,
    warnings: &mut Vec<Warning>,
) {
    let at = At::under(path, &k);
    if too_long(&v) {
        return long_string(warnings, at);
    }
    for (i, (key, existing)) in out.iter().enumerate().take(search.limit) {
        if *key == k {
            if let Some(standard) = search.standard.filter(|_| *existing != v) {
                let reason = [
                    "dropped: conflicts with the ",
                    if i < standard { "standard" } else { "custom" },
                    " attribute ",
                    &quoted(&k),
                ];
                warn(warnings, at, &reason);
            }
            return;
        }
    }
    out.push_new(k, v);
}

/// Strings longer than this are not sent to Intercom (its attributes are short; a huge value
/// would only be rejected there after costing the visitor the upload).
pub const MAX_STRING_BYTES: usize = 64 * 1024;

pub fn too_long(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.len() > MAX_STRING_BYTES)
}

/// The warning for a string longer than [`MAX_STRING_BYTES`].
pub fn long_string(warnings: &mut Vec<Warning>, at: At) {
    warn(warnings, at, &["dropped: a string longer than 64 KB"]);
}

/// A number from its text: a decimal integer (`+` allowed, as `str::parse` does), else a
/// JSON-style number.
pub fn number_from_str(s: &str) -> Option<Number> {
    let t = s.trim();
    let b = t.as_bytes();
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let int = crate::engine::text::digits(digits, 10).and_then(|n| {
        if negative {
            0i64.checked_sub_unsigned(n)
        } else {
            i64::try_from(n).ok()
        }
    });
    match int {
        Some(i) => Some(i.into()),
        None => crate::engine::text::parse_json_number(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_string_message_names_the_limit() {
        let mut w = Vec::new();
        long_string(&mut w, At::top("x"));
        let kb = crate::engine::text::int((MAX_STRING_BYTES / 1024) as i64);
        assert_eq!(
            w[0].reason,
            format!("dropped: a string longer than {kb} KB")
        );
    }

    #[test]
    fn numbers_from_strings_agree_with_parse() {
        for s in [
            "12",
            "+12",
            "-12",
            " 7 ",
            "-0",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            let want: i64 = s.trim().parse().unwrap();
            assert_eq!(number_from_str(s), Some(want.into()), "{s}");
            // Written as JavaScript writes the float (`-0` as `0`, 2^63 - 1 rounded).
            let text = Value::Number(number_from_str(s).unwrap()).to_json();
            assert_eq!(text, crate::engine::js::number_text(want as f64), "{s}");
        }
        assert_eq!(
            number_from_str("1.5"),
            crate::engine::text::parse_json_number("1.5")
        );
        assert_eq!(
            number_from_str("9223372036854775808").and_then(|n| n.as_f64()),
            Some(9223372036854775808.0)
        );
        for bad in ["", " ", "+", "-", "1x", "--1", "+-1", "1.", "abc"] {
            assert_eq!(number_from_str(bad), None, "{bad}");
        }
    }
}
