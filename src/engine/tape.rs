//! The binary form in which `js/boundary.js` hands JavaScript values to the core: the browser's
//! own `JSON.parse` and a short JS walk do the reading, so the wasm build carries no JSON parser
//! (the text parser in [`crate::engine::json`] is for native builds and tests).
//!
//! A tape is one flags byte, then one value. Values, little-endian:
//! - `0` null, `1` false, `2` true;
//! - `3` a finite number (f64; the browser build writes non-integers as JavaScript does, see
//!   [`Number`]);
//! - `5` a string: u32 byte length, then UTF-8;
//! - `6` an array: u32 count, then the items; `7` an object: u32 count, then key (a string
//!   without the tag) and value, in order.
//!
//! With [`ERROR`] set in the flags, the rest is the UTF-8 text of what went wrong instead; with
//! [`NOTES`], the notes follow the value: a u32 count, then a path and a reason (strings without
//! the tag) for each thing the JS side left out or changed while reading.
//! Reading never trusts the tape: a malformed one is an error, never a panic.

use crate::engine::json::{Map, Number, Value};
use crate::engine::warning::Warning;

/// Flag: some string had lone UTF-16 surrogates, which became U+FFFD.
pub const LONE_SURROGATES: u8 = 1;
/// Flag: no value; the rest of the tape is the message.
pub const ERROR: u8 = 2;
/// Flag: the notes follow the value.
pub const NOTES: u8 = 4;

/// Containers nested deeper than this are malformed (the JS side stops well before).
const MAX_DEPTH: usize = 200;

/// Reads a tape: its value and flags, or the message of an error tape, or "malformed tape".
/// Its notes become warnings (none are added when the tape is malformed).
pub fn decode(tape: &[u8], warnings: &mut Vec<Warning>) -> Result<(Value, u8), String> {
    let Some(&flags) = tape.first() else {
        return Err("empty tape".into());
    };
    if flags & ERROR != 0 {
        return Err(tape.get(1..).and_then(utf8).unwrap_or_default());
    }
    let before = warnings.len();
    let mut r = Reader { b: tape, pos: 1 };
    let value = r.value(0);
    let notes = flags & NOTES == 0 || r.notes(warnings).is_some();
    match value {
        Some(value) if notes && r.pos == tape.len() => Ok((value, flags)),
        _ => {
            warnings.truncate(before);
            Err("malformed tape".into())
        }
    }
}

/// The text of tape bytes. In the browser the bytes are `TextEncoder` output (or ASCII copied
/// byte by byte), written by `js/boundary.js` only: valid UTF-8, which the wasm build trusts as
/// wasm-bindgen's own string passing does (core's validator is 0.6 KB of wasm). Native builds,
/// where tests and the fuzzer feed arbitrary bytes, check.
#[cfg(target_arch = "wasm32")]
fn utf8(bytes: &[u8]) -> Option<String> {
    // SAFETY: see above; tapes come only from `js/boundary.js`, through `wasm_bindgen`.
    Some(unsafe { String::from_utf8_unchecked(bytes.to_vec()) })
}

#[cfg(not(target_arch = "wasm32"))]
fn utf8(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<usize> {
        let s = self.take(4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }

    fn f64(&mut self) -> Option<f64> {
        let s: [u8; 8] = self.take(8)?.try_into().ok()?;
        Some(f64::from_le_bytes(s))
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u32()?;
        utf8(self.take(n)?)
    }

    /// A count, capped by what is left (every item takes at least a byte).
    fn count(&mut self) -> Option<usize> {
        let n = self.u32()?;
        (n <= self.b.len() - self.pos).then_some(n)
    }

    /// The notes: a count, then (path, reason) strings, as warnings.
    fn notes(&mut self, warnings: &mut Vec<Warning>) -> Option<()> {
        for _ in 0..self.count()? {
            warnings.push(Warning::new(self.string()?, self.string()?));
        }
        Some(())
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        let tag = *self.take(1)?.first()?;
        Some(match tag {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::Number(Number::from_f64(self.f64()?)?),
            5 => Value::String(self.string()?),
            6 | 7 if depth < MAX_DEPTH => {
                let n = self.count()?;
                if tag == 6 {
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.value(depth + 1)?);
                    }
                    Value::Array(items)
                } else {
                    let mut map = Map::with_capacity(n);
                    for _ in 0..n {
                        let key = self.string()?;
                        let v = self.value(depth + 1)?;
                        map.push_new(key, v);
                    }
                    Value::Object(map)
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tape: &[u8]) -> Result<(Value, u8, Vec<Warning>), String> {
        let mut warnings = Vec::new();
        let (value, flags) = decode(tape, &mut warnings)?;
        Ok((value, flags, warnings))
    }

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn reads_every_kind_of_value() {
        let mut t = vec![LONE_SURROGATES, 7, 3, 0, 0, 0];
        string(&mut t, "a");
        t.extend_from_slice(&[6, 4, 0, 0, 0, 0, 1, 2, 3]);
        t.extend_from_slice(&7.0f64.to_le_bytes());
        string(&mut t, "b");
        t.push(3);
        t.extend_from_slice(&0.5f64.to_le_bytes());
        string(&mut t, "c");
        t.push(5);
        string(&mut t, "é");
        let (value, flags, notes) = read(&t).unwrap();
        assert_eq!(flags, LONE_SURROGATES);
        assert_eq!(
            value.to_json(),
            r#"{"a":[null,false,true,7],"b":5e-1,"c":"é"}"#
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn notes_follow_the_value() {
        let mut t = vec![NOTES, 0, 1, 0, 0, 0];
        string(&mut t, "event.a");
        string(&mut t, "left out");
        let (value, _, notes) = read(&t).unwrap();
        assert_eq!(value, Value::Null);
        assert_eq!(notes, [Warning::new("event.a", "left out")]);
        // A malformed tape adds no warnings, even when its notes were read whole.
        let mut warnings = Vec::new();
        let mut bad = t.clone();
        bad.push(0);
        assert_eq!(decode(&bad, &mut warnings).unwrap_err(), "malformed tape");
        assert!(warnings.is_empty());
        // Notes promised but missing, or cut short: malformed.
        for bad in [&[NOTES, 0][..], &[NOTES, 0, 1, 0, 0, 0, 0]] {
            assert_eq!(read(bad).unwrap_err(), "malformed tape");
        }
    }

    #[test]
    fn errors_and_malformed_tapes() {
        assert_eq!(read(b"\x02bad JSON").unwrap_err(), "bad JSON");
        assert_eq!(read(b"").unwrap_err(), "empty tape");
        for bad in [
            &b"\x00"[..],
            b"\x00\x09",
            b"\x00\x04\x00\x00\x00\x00\x00\x00\xf0\x3f",
            b"\x00\x00\x00",
            b"\x00\x05\x05\x00\x00\x00ab",
            b"\x00\x06\xff\xff\xff\xff",
            b"\x00\x05\x02\x00\x00\x00\xff\xfe",
            b"\x00\x03\x00\x00\x00\x00\x00\x00\xf0\x7f",
        ] {
            assert_eq!(read(bad).unwrap_err(), "malformed tape", "{bad:?}");
        }
        let deep: Vec<u8> = std::iter::once(0)
            .chain(std::iter::repeat_n([6, 1, 0, 0, 0], 300).flatten())
            .chain([0])
            .collect();
        assert_eq!(read(&deep).unwrap_err(), "malformed tape");
    }
}
