//! The binary form in which `js/boundary.js` hands JavaScript values to the core: a short JS
//! walk does the reading (of events, settings, and `JSON.parse` results: see
//! [`crate::engine::host`]).
//!
//! A tape is one flags byte ([`Flag`]), then one value: a [`Tag`] byte and what the tag says
//! follows, little-endian. With [`Flag::Error`] the rest is the UTF-8 text of what went wrong
//! instead; with [`Flag::Notes`], the notes follow the value: a u32 count, then a path and a
//! reason (strings without the tag) for each thing the JS side left out or changed while
//! reading. `js/boundary.js` has the same numbers under the same names (`Tag`, `Flag`;
//! compared by `tests/web.rs`).
//! Reading never trusts the tape: a malformed one is an error, never a panic.

use crate::engine::json::{Map, Number, Value};
use crate::engine::warning::Warning;

/// What a value on the tape is.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Null = 0,
    False = 1,
    True = 2,
    /// A finite number: f64 (the browser build writes non-integers as JavaScript does, see
    /// [`Number`]).
    Number = 3,
    /// u32 byte length, then UTF-8.
    String = 5,
    /// u32 count, then the items.
    Array = 6,
    /// u32 count, then key (a string without the tag) and value, in order.
    Object = 7,
}

impl Tag {
    /// Every tag with its name in `js/boundary.js`.
    pub const ALL: [(&'static str, Tag); 7] = [
        ("Null", Tag::Null),
        ("False", Tag::False),
        ("True", Tag::True),
        ("Number", Tag::Number),
        ("String", Tag::String),
        ("Array", Tag::Array),
        ("Object", Tag::Object),
    ];

    fn from_byte(b: u8) -> Option<Tag> {
        Tag::ALL
            .iter()
            .find(|(_, t)| *t as u8 == b)
            .map(|(_, t)| *t)
    }
}

/// The bits of a tape's flags byte.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Some string had lone UTF-16 surrogates, which became U+FFFD.
    LoneSurrogates = 1,
    /// No value: the rest of the tape is the message.
    Error = 2,
    /// The notes follow the value.
    Notes = 4,
}

impl Flag {
    /// Every flag with its name in `js/boundary.js`.
    pub const ALL: [(&'static str, Flag); 3] = [
        ("LoneSurrogates", Flag::LoneSurrogates),
        ("Error", Flag::Error),
        ("Notes", Flag::Notes),
    ];

    /// Whether `flags` has this one.
    pub fn is_in(self, flags: u8) -> bool {
        flags & self as u8 != 0
    }
}

/// Containers nested deeper than this are malformed (the JS side stops well before).
const MAX_DEPTH: usize = 200;

/// Why a tape gave no value.
#[derive(Debug, Clone, PartialEq)]
pub enum TapeError {
    /// No bytes at all.
    Empty,
    /// Bytes that are not a tape as `js/boundary.js` writes them.
    Malformed,
    /// An error tape: the value could not be read at all, and the JS side says why.
    Unreadable(String),
}

impl TapeError {
    pub fn message(&self) -> String {
        match self {
            TapeError::Empty => "empty tape".into(),
            TapeError::Malformed => "malformed tape".into(),
            TapeError::Unreadable(why) => why.clone(),
        }
    }
}

/// Reads a tape: its value and flags. Its notes become warnings (none are added when the tape
/// is malformed).
pub fn decode(tape: &[u8], warnings: &mut Vec<Warning>) -> Result<(Value, u8), TapeError> {
    let Some(&flags) = tape.first() else {
        return Err(TapeError::Empty);
    };
    if Flag::Error.is_in(flags) {
        let why = tape.get(1..).and_then(crate::engine::host::tape_text);
        return Err(TapeError::Unreadable(why.unwrap_or_default()));
    }
    let before = warnings.len();
    let mut r = Reader { b: tape, pos: 1 };
    let value = r.value(0);
    let notes = !Flag::Notes.is_in(flags) || r.notes(warnings).is_some();
    match value {
        Some(value) if notes && r.pos == tape.len() => Ok((value, flags)),
        _ => {
            warnings.truncate(before);
            Err(TapeError::Malformed)
        }
    }
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
        crate::engine::host::tape_text(self.take(n)?)
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
        let tag = Tag::from_byte(*self.take(1)?.first()?)?;
        Some(match tag {
            Tag::Null => Value::Null,
            Tag::False => Value::Bool(false),
            Tag::True => Value::Bool(true),
            Tag::Number => Value::Number(Number::from_f64(self.f64()?)?),
            Tag::String => Value::String(self.string()?),
            Tag::Array | Tag::Object if depth >= MAX_DEPTH => return None,
            Tag::Array => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            Tag::Object => {
                let n = self.count()?;
                let mut map = Map::with_capacity(n);
                for _ in 0..n {
                    let key = self.string()?;
                    let v = self.value(depth + 1)?;
                    map.push_new(key, v);
                }
                Value::Object(map)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tape: &[u8]) -> Result<(Value, u8, Vec<Warning>), TapeError> {
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
        let mut t = vec![Flag::LoneSurrogates as u8, 7, 3, 0, 0, 0];
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
        assert_eq!(flags, Flag::LoneSurrogates as u8);
        assert_eq!(
            value.to_json(),
            r#"{"a":[null,false,true,7],"b":0.5,"c":"é"}"#
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn notes_follow_the_value() {
        let mut t = vec![Flag::Notes as u8, 0, 1, 0, 0, 0];
        string(&mut t, "event.a");
        string(&mut t, "left out");
        let (value, _, notes) = read(&t).unwrap();
        assert_eq!(value, Value::Null);
        assert_eq!(notes, [Warning::new("event.a", "left out")]);
        // A malformed tape adds no warnings, even when its notes were read whole.
        let mut warnings = Vec::new();
        let mut bad = t.clone();
        bad.push(0);
        assert_eq!(
            decode(&bad, &mut warnings).unwrap_err(),
            TapeError::Malformed
        );
        assert!(warnings.is_empty());
        // Notes promised but missing, or cut short: malformed.
        for bad in [
            &[Flag::Notes as u8, 0][..],
            &[Flag::Notes as u8, 0, 1, 0, 0, 0, 0],
        ] {
            assert_eq!(read(bad).unwrap_err(), TapeError::Malformed);
        }
    }

    #[test]
    fn errors_and_malformed_tapes() {
        assert_eq!(
            read(b"\x02bad JSON").unwrap_err(),
            TapeError::Unreadable("bad JSON".into())
        );
        assert_eq!(read(b"").unwrap_err(), TapeError::Empty);
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
            assert_eq!(read(bad).unwrap_err(), TapeError::Malformed, "{bad:?}");
        }
        let deep: Vec<u8> = std::iter::once(0)
            .chain(std::iter::repeat_n([6, 1, 0, 0, 0], 300).flatten())
            .chain([0])
            .collect();
        assert_eq!(read(&deep).unwrap_err(), TapeError::Malformed);
    }
}
