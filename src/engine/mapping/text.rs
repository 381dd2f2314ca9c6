//! The string work of the directives, as Segment's kit does it in JavaScript: templates,
//! `@replace` (a literal pattern through `String.prototype.replace`), `@flatten`, loose
//! equality with "", and the key order of the objects JavaScript builds.

use super::ReplaceRule;
use crate::engine::js::{self, Read};
use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;

/// JavaScript's `value == ""` of a value that is not null: true for "", 0, false and arrays
/// whose string form is empty.
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

/// The placeholders of a template in one pass: `(start, end, inner)` of each `{{inner}}`
/// (`braces` 2) or `{{{inner}}}` (3), `inner` one or more characters other than `}`, found as
/// the regular expressions `/\{\{([^}]+)\}\}/g` and `/\{\{\{([^}]+)\}\}\}/g` find them.
fn placeholders(t: &str, braces: usize) -> Vec<(usize, usize, &str)> {
    let (open, close) = if braces == 3 {
        ("{{{", "}}}")
    } else {
        ("{{", "}}")
    };
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(open.as_bytes()) {
            let start = i + braces;
            let end = start + b[start..].iter().take_while(|&&c| c != b'}').count();
            if end > start && b[end..].starts_with(close.as_bytes()) {
                out.push((i, end + braces, &t[start..end]));
                i = end + braces;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// One pass of `render`: each placeholder replaced by `String(value ?? "")` of the path its
/// trimmed text names.
fn render_pass(t: &str, braces: usize, data: &Read) -> String {
    let mut out = String::with_capacity(t.len());
    let mut copied = 0;
    for (start, end, inner) in placeholders(t, braces) {
        out.push_str(&t[copied..start]);
        let path = JsonPath::parse(inner.trim_matches(js::is_space));
        match path.read_from(data.clone()) {
            Read::Undefined => {}
            Read::Member => {}
            read => {
                if let Some(v) = read.value().filter(|v| !v.is_null()) {
                    js::string_of(v, &mut out);
                }
            }
        }
        copied = end;
    }
    out.push_str(&t[copied..]);
    out
}

/// Segment's `render`: the `{{{path}}}` placeholders, then the `{{path}}` ones of the result.
/// Objects show as "[object Object]", arrays as their items joined with ","; `{{}}` is text.
pub fn render_template(t: &str, data: &Read) -> String {
    let first = render_pass(t, 3, data);
    render_pass(&first, 2, data)
}

/// The paths a template reads (those a value put in by the first pass names are not known).
pub fn template_paths(t: &str) -> Vec<JsonPath> {
    let mut out = Vec::new();
    for braces in [3, 2] {
        for (_, _, inner) in placeholders(t, braces) {
            out.push(JsonPath::parse(inner.trim_matches(js::is_space)));
        }
    }
    out
}

/// The character as a case-insensitive regular expression without the `u` flag compares it
/// (`Canonicalize`): its upper case when that is one UTF-16 unit and does not turn a
/// non-ASCII character into an ASCII one.
fn canonical(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    if c.len_utf16() > 1 {
        return c;
    }
    let upper = crate::engine::host::to_case(c.encode_utf8(&mut [0; 4]), true);
    let mut chars = upper.chars();
    match (chars.next(), chars.next()) {
        (Some(u), None) if u.len_utf16() == 1 && !u.is_ascii() => u,
        _ => c,
    }
}

/// Where a match of `pattern` starting at `input[i..]` ends.
fn match_at(input: &str, i: usize, pattern: &[char], ignore_case: bool) -> Option<usize> {
    let mut chars = input[i..].char_indices();
    for &p in pattern {
        let (_, c) = chars.next()?;
        let same = if ignore_case {
            c == p || canonical(c) == canonical(p)
        } else {
            c == p
        };
        if !same {
            return None;
        }
    }
    Some(chars.next().map_or(input.len(), |(j, _)| i + j))
}

/// `input.replace(new RegExp(escaped pattern, flags), replacement)`: every match (or the first),
/// with the replacement's `$$`, `$&`, `` $` `` and `$'` (a `$` before anything else is itself).
pub fn replace(input: &str, rule: &ReplaceRule) -> String {
    let pattern: Vec<char> = rule.pattern.chars().collect();
    if pattern.is_empty() {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len());
    let mut copied = 0;
    let mut i = 0;
    while i < input.len() {
        if let Some(end) = match_at(input, i, &pattern, rule.ignore_case) {
            out.push_str(&input[copied..i]);
            expand(&rule.replacement, input, i, end, &mut out);
            copied = end;
            i = end;
            if !rule.global {
                break;
            }
            continue;
        }
        i += input[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&input[copied..]);
    out
}

/// A replacement with its patterns filled in for the match `input[start..end]`.
fn expand(replacement: &str, input: &str, start: usize, end: usize, out: &mut String) {
    let mut rest = replacement;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (text, used) = match after.as_bytes().first() {
            Some(b'$') => ("$", 1),
            Some(b'&') => (&input[start..end], 1),
            Some(b'`') => (&input[..start], 1),
            Some(b'\'') => (&input[end..], 1),
            _ => ("$", 0),
        };
        out.push_str(text);
        rest = &after[used..];
    }
    out.push_str(rest);
}

/// Segment's `flattenObject`: objects (and arrays unless `omit_arrays`) become
/// `prefix{sep}key` entries; anything else is the entry `prefix` itself (`""` at the top).
/// Later entries of the same name win, in the first one's place.
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
    let too_deep = depth > super::MAX_MAPPING_DEPTH;
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
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn rule(pattern: &str, replacement: &str, global: bool, ignore_case: bool) -> ReplaceRule {
        ReplaceRule {
            pattern: pattern.into(),
            replacement: replacement.into(),
            global,
            ignore_case,
        }
    }

    #[test]
    fn replaces_as_javascript() {
        let r = |input, rule| replace(input, &rule);
        assert_eq!(r("a-b-c", rule("-", "", true, false)), "abc");
        assert_eq!(r("a-b-c", rule("-", "", false, false)), "ab-c");
        assert_eq!(r("a.b", rule(".", "[$&]", true, false)), "a[.]b");
        assert_eq!(r("ab", rule("b", "$`$'$$$1$", true, false)), "aa$$1$");
        assert_eq!(
            r("Straße STRASSE", rule("STRAßE", "X", true, true)),
            "X STRASSE"
        );
        assert_eq!(r("ÉCOLE école", rule("é", "e", true, true)), "eCOLE ecole");
        assert_eq!(r("ſ s S", rule("s", "x", true, true)), "ſ x x");
        assert_eq!(r("😀a😀", rule("A", "b", true, true)), "😀b😀");
        assert_eq!(r("aaa", rule("aa", "b", true, false)), "ba");
    }

    #[test]
    fn templates_as_segment_renders_them() {
        let data = json!({"a": {"b": "x"}, "n": 1.5, "list": [1, "two", null], "o": {"k": 1},
            "inject": "{{a.b}}", "nothing": null, "zero": 0});
        let t = |s: &str| render_template(s, &Read::Value(&data));
        assert_eq!(t("{{a.b}}-{{ n }}"), "x-1.5");
        assert_eq!(t("{{list}}|{{o}}"), "1,two,|[object Object]");
        assert_eq!(
            t("{{}}|{{ }}|{{nothing}}|{{zero}}|{{missing}}"),
            "{{}}|[object Object]||0|"
        );
        assert_eq!(t("{{{inject}}} {{inject}}"), "x {{a.b}}");
        assert_eq!(t("{{{a.b}}"), "");
        assert_eq!(t("{{$.a.b}}"), "");
    }

    #[test]
    fn flattens_and_orders_as_javascript() {
        let mut out = Map::new();
        flatten_into(
            &mut out,
            "",
            &json!({"b": {"c": [1, {"d": 2}]}, "a": 1}),
            ".",
            false,
            0,
        );
        assert_eq!(
            Value::Object(out),
            json!({"b.c.0": 1, "b.c.1.d": 2, "a": 1})
        );
        let mut out = Map::new();
        flatten_into(&mut out, "", &json!("x"), ".", false, 0);
        assert_eq!(Value::Object(out), json!({"": "x"}));
        let ordered = js::in_key_order(
            json!({"b": 1, "2": 2, "1": 3, "01": 4})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(ordered.keys().collect::<Vec<_>>(), ["1", "2", "b", "01"]);
    }
}
