//! The host functions natively: Rust implementations that give what the browser's give.

use crate::engine::event::MAX_DEPTH;
use crate::engine::json::{Map, Number, Value};

/// `js/boundary.js` stops reading a value at this many values (`MAX_VALUES`).
const MAX_VALUES: usize = 200_000;

pub fn parse_json(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        values: 0,
    };
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(v)
}

/// ECMAScript's `Number::toString(v)` from the shortest digits that read back as `v` (Rust's
/// `{:e}` finds them).
pub fn float_text(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let e = format!("{:e}", v.abs());
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    // The value is 0.digits × 10^n.
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let mut out = String::from(if v < 0.0 { "-" } else { "" });
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

pub fn to_case(s: &str, upper: bool) -> String {
    if upper {
        s.to_uppercase()
    } else {
        s.to_lowercase()
    }
}

pub fn tape_text(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// JSON text to a value, as `JSON.parse` and then the tape reader of `js/boundary.js` give it.
struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Values read so far (the tape reader counts them, and stops at [`MAX_VALUES`]).
    values: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at offset {}", self.pos)
    }

    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, String> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// The value at the position; `depth` is that of its container (0 at the root).
    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.skip_ws();
        self.values += 1;
        if self.values >= MAX_VALUES {
            return Err(format!("the value has more than {MAX_VALUES} values"));
        }
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end")),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[' | b'{') if depth >= MAX_DEPTH => {
                Err(format!("nested deeper than {MAX_DEPTH} levels"))
            }
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected , or ]")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(Map::new()));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a key"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected :"));
            }
            self.pos += 1;
            entries.push((key, self.value(depth + 1)?));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(in_javascript_order(entries)));
                }
                _ => return Err(self.error("expected , or }")),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let unit = crate::engine::text::digits(digits, 16)? as u32;
        self.pos += 4;
        Some(unit)
    }

    /// A string; lone surrogates (`\ud800` without its pair) become U+FFFD, as `TextEncoder`
    /// writes them.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        let mut start = self.pos;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                    let escape = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let unit = self
                                .hex4()
                                .ok_or_else(|| self.error("invalid \\u escape"))?;
                            out.push(self.code_point(unit));
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                    start = self.pos;
                }
                Some(0..=0x1f) => return Err(self.error("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The character of the UTF-16 unit `unit`, with the low surrogate that follows it as an
    /// escape when it is a high surrogate.
    fn code_point(&mut self, unit: u32) -> char {
        if (0xD800..=0xDBFF).contains(&unit)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
        {
            let after = self.pos;
            self.pos += 2;
            match self.hex4() {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                }
                // Not its pair: that escape is read on its own.
                _ => self.pos = after,
            }
        }
        char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// A number: the float nearest to its text (JavaScript's reading); beyond the float range
    /// `Infinity`, which a value read from the browser holds as null.
    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_len = digits(self);
        if int_len == 0 || (int_len > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("invalid number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let value: f64 = self.text[start..self.pos]
            .parse()
            .map_err(|_| self.error("invalid number"))?;
        // `+ 0.0` makes -0 into 0, as the tape reader does.
        Ok(Number::from_f64(value + 0.0).map_or(Value::Null, Value::Number))
    }
}

/// An object's entries as a JavaScript object holds them: a repeated key keeps its first place
/// and takes its last value (as collecting into a [`Map`] does), then JavaScript's key order.
fn in_javascript_order(entries: Vec<(String, Value)>) -> Map<String, Value> {
    crate::engine::js::in_key_order(entries.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_as_the_browser_does() {
        let v = parse_json(r#"{"b":1,"2":2,"a":3,"10":4,"b":5,"01":6}"#).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["2", "10", "b", "a", "01"]);
        assert_eq!(v["b"], Value::from(5));
        assert_eq!(parse_json("-0").unwrap().to_json(), "0");
        assert_eq!(parse_json("1e400").unwrap(), Value::Null);
        assert_eq!(parse_json("0.1").unwrap().to_json(), "0.1");
        assert_eq!(parse_json("1.10").unwrap().to_json(), "1.1");
        assert_eq!(
            parse_json(r#""\ud800x\udc00\ud83d\ude00""#).unwrap(),
            Value::from("\u{fffd}x\u{fffd}\u{1f600}")
        );
        assert!(parse_json(&"[".repeat(64).to_string()).is_err());
        let deepest = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse_json(&deepest).is_ok());
        let deeper = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(parse_json(&deeper).is_err());
    }
}
