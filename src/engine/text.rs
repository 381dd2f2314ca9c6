//! Small text helpers shared by the core: quoting for messages, messages joined from parts,
//! numbers in text.

use crate::engine::json::{Number, Value};

/// A string in double quotes with JSON escapes, for messages.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    crate::engine::json::write_string(s, &mut out);
    out
}

/// The parts joined into one string: messages are built with this instead of `format!`, so the
/// wasm build links none of core's formatting machinery.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// An integer's decimal digits (for messages built with [`cat`]).
pub fn int(n: i64) -> String {
    let mut out = String::new();
    crate::engine::json::push_int(&mut out, n);
    out
}

/// Parses a JSON-style number (`-1.5`, `2e3`); `None` for anything else.
pub fn parse_number(s: &str) -> Option<f64> {
    parse_json_number(s).and_then(|n| n.as_f64())
}

/// Parses a JSON-style number (surrounding white space allowed).
pub fn parse_json_number(s: &str) -> Option<Number> {
    match crate::engine::json::parse(s.trim()) {
        Ok(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// The byte offset of the first `needle` in `hay`. A plain scan, not core's two-way search
/// (about 3 KB of wasm): the needles here (template braces, `@replace` patterns of at most 10
/// characters, trigger strings) are short. Matching bytes is matching characters in UTF-8.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    hay.windows(needle.len())
        .position(|w| w[0] == first && w == needle)
}

/// `s` with `pattern` (not empty) replaced by `with`: every occurrence, or only the first.
pub fn replace(s: &str, pattern: &str, with: &str, all: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = find(rest, pattern).filter(|_| !pattern.is_empty()) {
        out.push_str(&rest[..i]);
        out.push_str(with);
        rest = &rest[i + pattern.len()..];
        if !all {
            break;
        }
    }
    out.push_str(rest);
    out
}

/// The number written by `digits` in `radix` (10 or 16): only digits, at least one, no sign
/// (unlike `str::parse`, which accepts a `+`), and `None` on overflow.
pub fn digits(digits: &[u8], radix: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in digits {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' | b'A'..=b'F' if radix == 16 => (b | 0x20) - b'a' + 10,
            _ => return None,
        };
        n = n.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_only_digits() {
        assert_eq!(digits(b"0123", 10), Some(123));
        assert_eq!(digits(b"00e9", 16), Some(0xe9));
        assert_eq!(digits(b"D83D", 16), Some(0xd83d));
        for bad in [&b""[..], b"+12", b"-1", b"1 ", b"12g"] {
            assert_eq!(digits(bad, 16), None, "{bad:?}");
        }
        assert_eq!(digits(b"18446744073709551616", 10), None);
    }

    #[test]
    fn cat_and_int_write_messages() {
        assert_eq!(cat(&["a", "", "bc", "é"]), "abcé");
        assert_eq!(cat(&[]), "");
        for n in [0, 7, -7, 1234567890123, i64::MIN, i64::MAX] {
            assert_eq!(int(n), n.to_string());
        }
    }

    #[test]
    fn find_and_replace_agree_with_core() {
        let hay = "a{{b}} é{{c}}{{";
        for needle in [
            "{{",
            "}}",
            "é",
            "c}}{{",
            "x",
            "",
            "a{{b}} é{{c}}{{",
            "a{{b}} é{{c}}{{!",
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{needle:?}");
        }
        for (pattern, with) in [("{{", "<"), ("é", "e"), ("zz", "y"), ("a", "")] {
            assert_eq!(
                replace(hay, pattern, with, true),
                hay.replace(pattern, with)
            );
            assert_eq!(
                replace(hay, pattern, with, false),
                hay.replacen(pattern, with, 1)
            );
        }
        assert_eq!(replace("aaa", "aa", "b", true), "aaa".replace("aa", "b"));
    }
}
