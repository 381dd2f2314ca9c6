//! Reading an event from its [`crate::engine::tape`], with the limits that keep hostile input harmless.
//! `js/boundary.js` reads the event without ever throwing and notes what it had to change:
//! containers nested deeper than [`MAX_DEPTH`] become null, throwing getters, cycles and the
//! values past the first 200,000 are left out, BigInts become strings, and lone UTF-16
//! surrogates become U+FFFD. Each note becomes a warning here, and the rest of the event is used.

use crate::engine::json::Value;
use crate::engine::tape::{decode, Flag, TapeError};
use crate::engine::warning::Warning;

/// Objects and arrays nested deeper than this are replaced by null (in `js/boundary.js`).
pub const MAX_DEPTH: usize = 64;
/// Events larger than this (as a tape, about their size as JSON) are not processed.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// Why an event (or the settings) could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum EventError {
    /// Larger than [`MAX_EVENT_BYTES`].
    TooLarge,
    Tape(TapeError),
}

impl EventError {
    pub fn message(&self) -> String {
        match self {
            EventError::TooLarge => "event is larger than 8 MB; not sent".into(),
            EventError::Tape(e) => e.message(),
        }
    }
}

/// Reads an event (or the settings) from its tape; what was left out or repaired becomes a
/// warning.
pub fn read_event(tape: &[u8], warnings: &mut Vec<Warning>) -> Result<Value, EventError> {
    if tape.len() > MAX_EVENT_BYTES {
        return Err(EventError::TooLarge);
    }
    let (value, flags) = decode(tape, warnings).map_err(EventError::Tape)?;
    if Flag::LoneSurrogates.is_in(flags) {
        warnings.push(Warning::new(
            "event",
            "invalid UTF-16 (lone surrogates) replaced by U+FFFD",
        ));
    }
    Ok(value)
}

// The messages spell out the limits.
const _: () = assert!(MAX_EVENT_BYTES == 8 * 1024 * 1024 && MAX_DEPTH == 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_become_warnings_and_limits_hold() {
        let mut warnings = Vec::new();
        let v = read_event(
            &[Flag::LoneSurrogates as u8, 5, 3, 0, 0, 0, 0xef, 0xbf, 0xbd],
            &mut warnings,
        );
        assert_eq!(v.unwrap(), Value::from("\u{fffd}"));
        assert_eq!(
            warnings[0].text(),
            "event: invalid UTF-16 (lone surrogates) replaced by U+FFFD"
        );
        let mut big = vec![0, 5];
        big.extend_from_slice(&(MAX_EVENT_BYTES as u32).to_le_bytes());
        big.resize(big.len() + MAX_EVENT_BYTES, b'x');
        assert_eq!(
            read_event(&big, &mut warnings).unwrap_err(),
            EventError::TooLarge
        );
        assert_eq!(
            read_event(&[0, 9], &mut warnings).unwrap_err(),
            EventError::Tape(TapeError::Malformed)
        );
    }
}
