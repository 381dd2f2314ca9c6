//! Small text helpers shared by the core, chosen for wasm size: quoting and number parsing reuse
//! the JSON module, and in the browser case mapping uses the JS engine's Unicode tables instead
//! of linking Rust's (about 25 KB), and JSON text is read by the engine's `JSON.parse`.

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

/// Parses a JSON-style number, keeping its text.
pub fn parse_json_number(s: &str) -> Option<Number> {
    match crate::engine::json::parse(trim(s)) {
        Ok(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// `s` without leading and trailing white space (Unicode's White_Space, as `str::trim`), with
/// the characters listed: std's `char::is_whitespace` links a lookup table, and matching on
/// UTF-8 bytes was larger than this.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| {
        matches!(
            c,
            '\t'..='\r'
                | ' '
                | '\u{85}'
                | '\u{a0}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
        )
    })
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

/// A JSON number as text (`12`, `19.99`).
pub fn number_text(n: &Number) -> String {
    let mut out = String::new();
    n.write(&mut out);
    out
}

/// Formats a float for messages (`1`, `1.5`, `1e+300`).
pub fn format_number(n: f64) -> String {
    Number::from_f64(n).map_or_else(|| String::from("NaN"), |n| number_text(&n))
}

/// Lower- or upper-cases with full Unicode rules.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_case(s: &str, upper: bool) -> String {
    if upper {
        s.to_uppercase()
    } else {
        s.to_lowercase()
    }
}

/// Lower- or upper-cases with full Unicode rules, through JavaScript.
#[cfg(target_arch = "wasm32")]
pub fn to_case(s: &str, upper: bool) -> String {
    js::text(js::held(js::toCase(
        s.as_ptr() as i32,
        s.len() as i32,
        i32::from(upper),
    )))
}

/// JavaScript's `String(v)` of a finite float.
#[cfg(target_arch = "wasm32")]
pub fn float_in_js(v: f64) -> String {
    js::text(js::held(js::floatText(v)))
}

/// The [`crate::engine::tape`] of `JSON.parse(text)` (an error tape with the engine's message when it
/// is not JSON): the wasm build reads JSON text with the browser's parser.
#[cfg(target_arch = "wasm32")]
pub fn parse_json_in_js(text: &str) -> Vec<u8> {
    js::held(js::parseJson(text.as_ptr() as i32, text.len() as i32))
}

/// The engine's text functions (`js/boundary.js`), with numbers only: each reads its text from
/// this module's memory and holds its answer, whose length it returns; [`held`](js::held) copies
/// the answer in.
#[cfg(target_arch = "wasm32")]
#[allow(non_snake_case)]
mod js {
    #[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
    extern "C" {
        // i32 (not pointers or u32), which wasm-bindgen passes as they are: no glue.
        pub fn toCase(text: i32, len: i32, upper: i32) -> i32;
        pub fn floatText(v: f64) -> i32;
        pub fn parseJson(text: i32, len: i32) -> i32;
        fn takeHeld(to: i32);
    }

    /// The `n` bytes the last call holds.
    pub fn held(n: i32) -> Vec<u8> {
        let mut bytes = vec![0; n.max(0) as usize];
        takeHeld(bytes.as_mut_ptr() as i32);
        bytes
    }

    /// Held bytes as text: `TextEncoder` output, valid UTF-8 (see `tape::utf8`).
    pub fn text(bytes: Vec<u8>) -> String {
        // SAFETY: `js/boundary.js` holds only `TextEncoder` output for these.
        unsafe { String::from_utf8_unchecked(bytes) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        let spaces = [
            '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
            '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
        ];
        for c in spaces {
            let s = format!("{c}{c}a{c}b{c}");
            assert_eq!(trim(&s), s.trim(), "{c:?}");
        }
        for s in [
            "",
            " ",
            "a",
            "\u{200b}a\u{200b}",
            "\u{feff}x",
            "é ",
            " 値",
            "\u{2000}\u{2001}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        // Every character of the first 0x3100 is white space to both or to neither.
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(trim(&s), s.trim(), "{c:?}");
        }
    }

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
