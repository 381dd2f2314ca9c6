//! Value conversions Intercom needs: dates to unix seconds, money to integer cents.

use crate::engine::json::Value;
use crate::engine::text::{cat, parse_number, quoted};

/// Numbers at or above this magnitude are taken as milliseconds (13 digits: after March 1973).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Why a value is not a date.
#[derive(Debug, Clone, PartialEq)]
pub enum DateError {
    /// A string that is neither ISO-8601 nor a number (the string).
    NotADate(String),
    /// A value of another type (its type's name: "a boolean").
    WrongType(&'static str),
    /// A number (or numeric string) too large for a date (as it was written).
    OutOfRange(String),
}

impl DateError {
    pub fn message(&self) -> String {
        match self {
            DateError::NotADate(s) => cat(&[
                &quoted(s),
                " is not a date (expected ISO-8601 or unix time)",
            ]),
            DateError::WrongType(name) => cat(&[name, " is not a date"]),
            DateError::OutOfRange(shown) => cat(&[shown, " is out of range for a date"]),
        }
    }
}

/// Converts a date to unix seconds: ISO-8601 strings (with or without time, fraction and
/// offset; no offset means UTC), unix seconds, 13-digit milliseconds, or numeric strings of
/// either.
pub fn unix_seconds(v: &Value) -> Result<i64, DateError> {
    let (n, shown) = match v {
        Value::Number(n) => (n.as_f64().unwrap_or(f64::NAN), None),
        Value::String(s) => {
            let s = s.trim();
            let Some((negative, start)) = plain_number(s.as_bytes()) else {
                return parse_iso8601(s.as_bytes())
                    .ok_or_else(|| DateError::NotADate(s.to_string()));
            };
            let n = parse_number(&s[start..]).unwrap_or(f64::NAN);
            (if negative { -n } else { n }, Some(s))
        }
        other => return Err(DateError::WrongType(type_name(other))),
    };
    if !n.is_finite() || n.abs() >= 1e16 {
        let shown = shown.map_or_else(|| v.to_json(), str::to_string);
        return Err(DateError::OutOfRange(shown));
    }
    let seconds = if n.abs() >= MILLIS_THRESHOLD {
        n / 1000.0
    } else {
        n
    };
    Ok(seconds.floor() as i64)
}

/// A `-?digits*(.digits*)?`: whether it is negative, its integer digits and its fraction's
/// (`None` without a `.`).
type Decimal<'a> = (bool, &'a [u8], Option<&'a [u8]>);

/// `s` as a [`Decimal`], if it is one. (One scan for dates and money.)
fn decimal(s: &[u8]) -> Option<Decimal<'_>> {
    let negative = s.first() == Some(&b'-');
    let body = &s[usize::from(negative)..];
    let int_len = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int, rest) = body.split_at(int_len);
    let frac = match rest.split_first() {
        None => None,
        Some((b'.', frac)) if frac.iter().all(u8::is_ascii_digit) => Some(frac),
        Some(_) => return None,
    };
    Some((negative, int, frac))
}

/// When `s` is `-?digits(.digits)?`: whether it is negative, and where its digits start
/// without the leading zeros that JSON numbers cannot have ("0001614834367"; one is kept
/// before `.` or alone).
fn plain_number(s: &[u8]) -> Option<(bool, usize)> {
    let (negative, int, frac) = decimal(s)?;
    if int.is_empty() || frac.is_some_and(<[u8]>::is_empty) {
        return None;
    }
    let zeros = int.iter().take_while(|&&b| b == b'0').count();
    Some((negative, usize::from(negative) + zeros.min(int.len() - 1)))
}

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:MM]]` to unix seconds.
fn parse_iso8601(b: &[u8]) -> Option<i64> {
    // Year, month, day, hour, minute, second: digits where the form has `d`, and each other
    // character of the form (`T` also `t` or a space) starts the next field.
    const FORM: &[u8; 19] = b"dddd-dd-ddTdd:dd:dd";
    let mut f = [0i64; 6];
    let mut field = 0;
    let mut i = 0;
    while let (Some(&want), Some(&c)) = (FORM.get(i), b.get(i)) {
        if want == b'd' {
            if !c.is_ascii_digit() {
                break;
            }
            f[field] = f[field] * 10 + i64::from(c - b'0');
        } else if c == want || want == b'T' && matches!(c, b't' | b' ') {
            field += 1;
        } else {
            break;
        }
        i += 1;
    }
    let [year, month, day, hour, minute, second] = f;
    // A date alone, or with hours and minutes, or also seconds.
    if !(i == 16 || i == 19 || i == 10 && b.len() == 10) {
        return None;
    }
    // A day past the month's last is on or after the first of the next month (month 13 is
    // January of the next year in days_from_civil's March-based years).
    let days = days_from_civil(year, month, day);
    if !(1..=12).contains(&month)
        || day < 1
        || days >= days_from_civil(year, month + 1, 1)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    if i == 19 && matches!(b.get(i), Some(b'.' | b',')) {
        let start = i + 1;
        i = start + b[start..].iter().take_while(|d| d.is_ascii_digit()).count();
        if i == start {
            return None;
        }
    }
    // The offset: none, `Z`, `±HH`, `±HHMM` or `±HH:MM`.
    let two = |at: usize| -> Option<i64> {
        crate::engine::text::digits(b.get(at..at + 2)?, 10).map(|n| n as i64)
    };
    let rest = b.get(i..)?;
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] => {
            let oh = two(i + 1)?;
            let om = match rest.len() {
                3 => 0,
                6 if rest[3] == b':' => two(i + 4)?,
                5 => two(i + 3)?,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = oh * 3600 + om * 60;
            if *sign == b'+' {
                offset
            } else {
                -offset
            }
        }
        _ => return None,
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date, for years from -399 on: years start in
/// March (so a leap day ends its year), shifted by 400 years (146,097 days) to stay positive for
/// plain divisions.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = y + 400 - i64::from(m <= 2);
    let mp = (m + 9) % 12;
    365 * y + y / 4 - y / 100 + y / 400 + (153 * mp + 2) / 5 + d - 1 - 719_468 - 146_097
}

/// What money amount a revenue value gives.
#[derive(Debug, PartialEq)]
pub enum Cents {
    /// Falsy in JavaScript (0, "", null, false): no price, as the reference does.
    None,
    Amount(i64),
    Invalid(String),
}

/// Converts revenue (a number or numeric string, in currency units) to integer cents, rounding
/// half away from zero on the decimal digits as written, so 19.99 gives 1999 and 1.005 gives 101.
pub fn cents(v: &Value) -> Cents {
    let owned;
    let text = match v {
        Value::Null | Value::Bool(false) => return Cents::None,
        Value::Number(_) => {
            owned = v.to_json();
            &owned
        }
        Value::String(s) => s.trim(),
        other => return Cents::Invalid(cat(&[type_name(other), " is not a number"])),
    };
    if text.is_empty() {
        return Cents::None;
    }
    let c = match decimal_cents(text.as_bytes()) {
        Some(c) => c,
        None => match parse_number(text) {
            Some(f) if (f * 100.0).abs() < 9.0e15 => round(f * 100.0),
            Some(_) => return Cents::Invalid(cat(&[text, " is out of range for a price"])),
            None => return Cents::Invalid(cat(&[&quoted(text), " is not a number"])),
        },
    };
    if c == 0 {
        Cents::None
    } else {
        Cents::Amount(c)
    }
}

/// `x.round() as i64` for |x| < 2^53: the fraction `x - trunc(x)` is exact, so rounding half
/// away from zero by it gives the same (without the bit-level round std inlines into the .wasm).
fn round(x: f64) -> i64 {
    let t = x as i64;
    let frac = x - t as f64;
    t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
}

/// Exact cents of a plain decimal string (`-12.345`), or `None` if it is not one.
fn decimal_cents(text: &[u8]) -> Option<i64> {
    let (negative, int, frac) = decimal(text)?;
    let frac = frac.unwrap_or_default();
    if int.len() > 13 || int.is_empty() && frac.is_empty() {
        return None;
    }
    // At most 13 digits: no overflow.
    let int = crate::engine::text::digits(int, 10).unwrap_or(0) as i64;
    let digit = |i: usize| frac.get(i).map_or(0, |d| i64::from(d - b'0'));
    let mut c = int * 100 + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        c += 1;
    }
    Some(if negative { -c } else { c })
}

pub use crate::engine::json::type_name;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn dates() {
        assert_eq!(unix_seconds(&json!("2021-03-04T05:06:07Z")), Ok(1614834367));
        assert_eq!(
            unix_seconds(&json!("2021-03-04T05:06:07.123Z")),
            Ok(1614834367)
        );
        assert_eq!(
            unix_seconds(&json!("2021-03-04T06:06:07+01:00")),
            Ok(1614834367)
        );
        assert_eq!(
            unix_seconds(&json!("2021-03-04T00:06:07-0500")),
            Ok(1614834367)
        );
        assert_eq!(unix_seconds(&json!("2021-03-04T05:06:07")), Ok(1614834367));
        assert_eq!(unix_seconds(&json!("2021-03-04 05:06")), Ok(1614834360));
        assert_eq!(unix_seconds(&json!("2021-03-04")), Ok(1614816000));
        assert_eq!(unix_seconds(&json!("1969-12-31T23:59:59Z")), Ok(-1));
        assert_eq!(unix_seconds(&json!("2000-02-29")), Ok(951782400));
        assert_eq!(unix_seconds(&json!(1614834367)), Ok(1614834367));
        assert_eq!(unix_seconds(&json!(1614834367123_i64)), Ok(1614834367));
        assert_eq!(unix_seconds(&json!(1614834367.9)), Ok(1614834367));
        assert_eq!(unix_seconds(&json!("1614834367")), Ok(1614834367));
        assert_eq!(unix_seconds(&json!("1614834367123")), Ok(1614834367));
        assert_eq!(unix_seconds(&json!(" 1614834367 ")), Ok(1614834367));
        assert_eq!(unix_seconds(&json!("0001614834367")), Ok(1614834367));
        assert_eq!(unix_seconds(&json!("0")), Ok(0));
        assert_eq!(unix_seconds(&json!("00.5")), Ok(0));
        assert_eq!(unix_seconds(&json!("-1.5")), Ok(-2));
    }

    #[test]
    fn bad_dates() {
        for bad in [
            "not a date",
            "2021-02-30",
            "2021-13-01",
            "2021-03-04T25:00",
            "2021-03-04T05:06:07Zjunk",
            "",
            "1e5",
            "--1",
        ] {
            assert!(unix_seconds(&json!(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            unix_seconds(&json!("nope")).map_err(|e| e.message()),
            Err("\"nope\" is not a date (expected ISO-8601 or unix time)".into())
        );
        assert_eq!(
            unix_seconds(&json!(true)).map_err(|e| e.message()),
            Err("a boolean is not a date".into())
        );
        assert_eq!(
            unix_seconds(&json!({})),
            Err(DateError::WrongType("an object"))
        );
        assert_eq!(
            unix_seconds(&json!(1e20)).map_err(|e| e.message()),
            Err("100000000000000000000 is out of range for a date".into())
        );
    }

    #[test]
    fn money() {
        assert_eq!(cents(&json!(19.99)), Cents::Amount(1999));
        assert_eq!(cents(&json!(1.005)), Cents::Amount(101));
        assert_eq!(cents(&json!("12.50")), Cents::Amount(1250));
        assert_eq!(cents(&json!(100)), Cents::Amount(10000));
        assert_eq!(cents(&json!(-5.5)), Cents::Amount(-550));
        assert_eq!(cents(&json!(".5")), Cents::Amount(50));
        assert_eq!(
            cents(&json!(1e21)),
            Cents::Invalid("1e+21 is out of range for a price".into())
        );
        assert_eq!(cents(&json!(2.5e3)), Cents::Amount(250000));
        assert_eq!(cents(&json!(0)), Cents::None);
        assert_eq!(cents(&json!("")), Cents::None);
        assert_eq!(cents(&json!(null)), Cents::None);
        assert_eq!(
            cents(&json!("abc")),
            Cents::Invalid("\"abc\" is not a number".into())
        );
        assert_eq!(
            cents(&json!({"a": 1})),
            Cents::Invalid("an object is not a number".into())
        );
    }
}
