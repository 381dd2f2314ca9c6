//! Value conversions Intercom needs: dates to unix seconds, money to integer cents.

use crate::json::Value;
use crate::text::{parse_number, quoted};

/// Numbers at or above this magnitude are taken as milliseconds (13 digits: after March 1973).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Converts a date to unix seconds: ISO-8601 strings (with or without time, fraction and
/// offset; no offset means UTC), unix seconds, 13-digit milliseconds, or numeric strings of
/// either. The error says why the value is not a date.
pub fn unix_seconds(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => seconds_from_number(n.as_f64().unwrap_or(f64::NAN), || {
            crate::text::number_text(n)
        }),
        Value::String(s) => {
            let s = s.trim();
            if is_plain_number(s) {
                // JSON numbers have no leading zeros; a date string may ("0001614834367").
                let (sign, digits) = s.strip_prefix('-').map_or(("", s), |d| ("-", d));
                let trimmed = digits.trim_start_matches('0');
                let digits = if trimmed.is_empty() || trimmed.starts_with('.') {
                    &digits[digits.len() - trimmed.len() - 1..]
                } else {
                    trimmed
                };
                let number = parse_number(&format!("{sign}{digits}")).unwrap_or(f64::NAN);
                return seconds_from_number(number, || s.to_string());
            }
            parse_iso8601(s).ok_or_else(|| {
                format!(
                    "{} is not a date (expected ISO-8601 or unix time)",
                    quoted(s)
                )
            })
        }
        other => Err(format!("{} is not a date", type_name(other))),
    }
}

/// `shown` gives the value as the input wrote it, for the message.
fn seconds_from_number(n: f64, shown: impl FnOnce() -> String) -> Result<i64, String> {
    if !n.is_finite() || n.abs() >= 1e16 {
        return Err(format!("{} is out of range for a date", shown()));
    }
    let seconds = if n.abs() >= MILLIS_THRESHOLD {
        n / 1000.0
    } else {
        n
    };
    Ok(seconds.floor() as i64)
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:MM]]` to unix seconds.
fn parse_iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        crate::text::digits(b.get(from..from + len)?, 10).map(|n| n as i64)
    };
    let year = num(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (month, day) = (num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut i = 10;
    if i == b.len() {
        return Some(seconds);
    }
    if !matches!(b[i], b'T' | b't' | b' ') {
        return None;
    }
    let (hour, minute) = (num(i + 1, 2)?, num(i + 4, 2)?);
    if b.get(i + 3) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    seconds += hour * 3600 + minute * 60;
    i += 6;
    if b.get(i) == Some(&b':') {
        let second = num(i + 1, 2)?;
        if second > 60 {
            return None;
        }
        seconds += second;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    match b.get(i) {
        None => Some(seconds),
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(seconds),
        Some(&sign @ (b'+' | b'-')) => {
            let oh = num(i + 1, 2)?;
            let rest = &b[i + 3..];
            let om = match rest {
                [] => 0,
                [b':', _, _] => num(i + 4, 2)?,
                [_, _] => num(i + 3, 2)?,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let offset = oh * 3600 + om * 60;
            Some(if sign == b'+' {
                seconds - offset
            } else {
                seconds + offset
            })
        }
        _ => None,
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    let text = match v {
        Value::Null | Value::Bool(false) => return Cents::None,
        Value::Number(n) => crate::text::number_text(n),
        Value::String(s) if s.trim().is_empty() => return Cents::None,
        Value::String(s) => s.trim().to_string(),
        other => return Cents::Invalid(format!("{} is not a number", type_name(other))),
    };
    match decimal_cents(&text) {
        Some(0) => Cents::None,
        Some(c) => Cents::Amount(c),
        None => match parse_number(&text) {
            Some(f) if (f * 100.0).abs() < 9.0e15 => match (f * 100.0).round() as i64 {
                0 => Cents::None,
                c => Cents::Amount(c),
            },
            Some(_) => Cents::Invalid(format!("{text} is out of range for a price")),
            None => Cents::Invalid(format!("{} is not a number", quoted(&text))),
        },
    }
}

/// Exact cents of a plain decimal string (`-12.345`), or `None` if it is not one.
fn decimal_cents(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !plain(int) || !plain(frac) || int.len() > 13 {
        return None;
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f = frac.as_bytes();
    let digit = |i: usize| f.get(i).map_or(0, |d| i64::from(d - b'0'));
    let mut c = int * 100 + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        c += 1;
    }
    Some(if negative { -c } else { c })
}

/// A short name of a JSON value's type for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

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
            unix_seconds(&json!("nope")),
            Err("\"nope\" is not a date (expected ISO-8601 or unix time)".into())
        );
        assert_eq!(
            unix_seconds(&json!(true)),
            Err("a boolean is not a date".into())
        );
        assert_eq!(
            unix_seconds(&json!({})),
            Err("an object is not a date".into())
        );
        assert_eq!(
            unix_seconds(&json!(1e20)),
            Err("1e+20 is out of range for a date".into())
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
