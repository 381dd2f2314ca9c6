//! Reading an event from JSON text, with the limits that keep hostile input harmless: depth is
//! capped (deeper values become null) and lone UTF-16 surrogates become U+FFFD, each with a
//! warning, so that the rest of the event is still used.

use crate::intercom::Warning;
use crate::json::Value;

/// Objects and arrays nested deeper than this are replaced by null.
pub const MAX_DEPTH: usize = 64;
/// Events larger than this (as JSON text) are not processed.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// Parses an event. Only when the fast path fails are the repairs tried.
#[cfg_attr(intercom_speed, optimize(speed))]
pub fn parse_event(text: &str, warnings: &mut Vec<Warning>) -> Result<Value, String> {
    if text.len() > MAX_EVENT_BYTES {
        return Err("event is larger than 8 MB as JSON; not sent".into());
    }
    match crate::json::parse(text) {
        Ok(v) => Ok(v),
        Err(first) => repair(text, first, warnings),
    }
}

// The messages spell out the limits.
const _: () = assert!(MAX_EVENT_BYTES == 8 * 1024 * 1024 && MAX_DEPTH == 64);

/// The slow path of [`parse_event`]: the text with its lone surrogates and too deep values
/// replaced, parsed again (`first` is the error of the first parse).
#[inline(never)]
fn repair(text: &str, first: String, warnings: &mut Vec<Warning>) -> Result<Value, String> {
    let scan = Scan::run(text, MAX_DEPTH, true);
    if scan.lone_surrogates {
        warnings.push(Warning::new(
            "event",
            "invalid UTF-16 (lone surrogates) replaced by U+FFFD",
        ));
    }
    if scan.too_deep {
        warnings.push(Warning::new(
            "event",
            "nested deeper than 64 levels: the deeper values were replaced by null",
        ));
    }
    // A repair always changes the text: without one, parsing again would fail the same way.
    let error = match scan.finish() {
        None => first,
        Some(r) => match crate::json::parse(&r) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        },
    };
    Err(crate::text::cat(&[
        "event could not be read as JSON: ",
        &error,
    ]))
}

/// Replaces every object or array that starts deeper than `max` with `null`, scanning the text
/// without recursion. `None` when nothing is that deep.
pub fn truncate_depth(text: &str, max: usize) -> Option<String> {
    Scan::run(text, max, false).finish()
}

/// Replaces `\uD800`-`\uDFFF` escapes that are not a valid surrogate pair with `\uFFFD`.
/// (JSON.stringify escapes lone surrogates; the JSON parser rejects them.) `None` if there are none.
pub fn replace_lone_surrogates(text: &str) -> Option<String> {
    Scan::run(text, usize::MAX, true).finish()
}

/// One pass over a JSON text (valid or not) that finds lone surrogates and too deep values,
/// and makes a copy with them replaced, from the first replacement on.
struct Scan<'a> {
    text: &'a str,
    out: Option<String>,
    copied_to: usize,
    lone_surrogates: bool,
    too_deep: bool,
}

impl<'a> Scan<'a> {
    /// Replaces the objects and arrays that start deeper than `max` with `null` and, when
    /// `fix`, the lone surrogates (elsewhere) with U+FFFD.
    fn run(text: &'a str, max: usize, fix: bool) -> Scan<'a> {
        let mut scan = Scan {
            text,
            out: None,
            copied_to: 0,
            lone_surrogates: false,
            too_deep: false,
        };
        let bytes = text.as_bytes();
        let mut depth = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => i = scan.string(i, fix),
                b'{' | b'[' if depth == max => {
                    let end = scan.container(i);
                    scan.replace(i, end, "null");
                    scan.too_deep = true;
                    i = end;
                }
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        scan
    }

    /// Index just past the string starting at `start` (a `"`), noting (and when `fix`,
    /// replacing) its lone surrogates.
    fn string(&mut self, start: usize, fix: bool) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => match escape_unit(bytes, i) {
                    Some(0xD800..=0xDBFF)
                        if matches!(escape_unit(bytes, i + 6), Some(0xDC00..=0xDFFF)) =>
                    {
                        i += 12;
                    }
                    Some(0xD800..=0xDFFF) => {
                        self.lone_surrogates = true;
                        if fix {
                            self.replace(i, i + 6, "\\ufffd");
                        }
                        i += 6;
                    }
                    _ => i += 2,
                },
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        bytes.len()
    }

    /// Index just past the container starting at `start` (its lone surrogates are noted).
    fn container(&mut self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i = self.string(i, false);
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        bytes.len()
    }

    /// Replaces `start..end` (after the previous range) with `with`. The ranges start and end
    /// next to ASCII bytes: slicing there cannot fail.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        let text = self.text;
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[self.copied_to..start]);
        out.push_str(with);
        self.copied_to = end;
    }

    /// The text with the replacements, `None` if there were none.
    fn finish(self) -> Option<String> {
        let mut out = self.out?;
        out.push_str(&self.text[self.copied_to..]);
        Some(out)
    }
}

/// The code unit of a `\uXXXX` escape at `at`, if there is one.
fn escape_unit(bytes: &[u8], at: usize) -> Option<u32> {
    match bytes.get(at..at + 6)? {
        [b'\\', b'u', hex @ ..] => crate::text::digits(hex, 16).map(|n| n as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn deep_events_are_cut_not_dropped() {
        let deep = format!(
            r#"{{"type":"track","event":"Deep","properties":{{"ok":1,"deep":{}1{}}}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let mut warnings = Vec::new();
        let v = parse_event(&deep, &mut warnings).unwrap();
        assert_eq!(v["event"], json!("Deep"));
        assert_eq!(v["properties"]["ok"], json!(1));
        let mut level = &v["properties"]["deep"];
        let mut n = 2; // the event object and properties
        while let Some(inner) = level.get(0) {
            level = inner;
            n += 1;
        }
        assert_eq!((n, level), (MAX_DEPTH, &Value::Null));
        assert_eq!(
            warnings[0].to_string(),
            "event: nested deeper than 64 levels: the deeper values were replaced by null"
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = r#"{"a":"[[[{{{","b":[1]}"#;
        assert_eq!(
            truncate_depth(text, 1),
            Some(r#"{"a":"[[[{{{","b":null}"#.into())
        );
        assert_eq!(truncate_depth(text, 2), None);
        assert_eq!(
            truncate_depth(r#"{"a":"\"[","b":{}}"#, 1),
            Some(r#"{"a":"\"[","b":null}"#.into())
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let text = r#"{"\ud800key":"a\udc00b","pair":"\ud83d\ude00","esc":"\\ud800"}"#;
        let mut warnings = Vec::new();
        let v = parse_event(text, &mut warnings).unwrap();
        assert_eq!(
            v,
            json!({"\u{fffd}key": "a\u{fffd}b", "pair": "😀", "esc": "\\ud800"})
        );
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn invalid_json_is_an_error() {
        let mut warnings = Vec::new();
        assert_eq!(
            parse_event("{", &mut warnings).unwrap_err(),
            "event could not be read as JSON: expected a key at offset 1"
        );
        let big = format!(r#"{{"s":"{}"}}"#, "x".repeat(MAX_EVENT_BYTES));
        assert_eq!(
            parse_event(&big, &mut warnings).unwrap_err(),
            "event is larger than 8 MB as JSON; not sent"
        );
    }
}
