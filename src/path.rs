//! Dotted paths into an event (`$.traits.company.id`, `properties.items[0].sku`), parsed once.

use crate::json::Value;

/// One step of a [`JsonPath`]: an object key or an array index.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A parsed path. The `$.` prefix is optional; `a[0].b` indexes arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// Parses `$.a.b[0].c`, `a.b` or `$` (the whole value). Errors say what is wrong.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let trimmed = crate::text::trim(text);
        let invalid = |detail: &[&str]| {
            let mut message = String::from("invalid path ");
            crate::json::write_string(trimmed, &mut message);
            for d in detail {
                message.push_str(d);
            }
            message
        };
        let b = trimmed.as_bytes();
        let mut steps = Vec::new();
        // `$.a`, `$[0]` and `$` are rooted; `$a` is not a path.
        let mut i = match b {
            [b'$', b'.', ..] => 2,
            [b'$'] | [b'$', b'[', ..] => 1,
            [b'$', ..] => return Err(invalid(&[])),
            _ => 0,
        };
        if i == b.len() {
            return Ok(JsonPath { steps });
        }
        // Keys end at `.` or `[`; a `[...]` ends at the first `]` and must be followed by `.`,
        // `[` or the end.
        let ends = |i: usize| matches!(b.get(i), None | Some(b'.' | b'['));
        loop {
            let start = i;
            while !ends(i) {
                i += 1;
            }
            let key = trimmed.get(start..i).unwrap_or_default();
            if !key.is_empty() {
                steps.push(Step::Key(key.to_string()));
            } else if b.get(i) != Some(&b'[') || !steps.is_empty() {
                // Only a leading `[` may follow no key (`[0].a`).
                return Err(invalid(&[": empty key"]));
            }
            while b.get(i) == Some(&b'[') {
                let open = i + 1;
                i = open;
                loop {
                    match b.get(i) {
                        Some(b']') => break,
                        None | Some(b'.') => return Err(invalid(&[": missing ]"])),
                        _ => i += 1,
                    }
                }
                let inner = trimmed.get(open..i).unwrap_or_default();
                let step = match index(inner) {
                    Some(n) => Step::Index(n),
                    None => match inner.as_bytes() {
                        [q @ (b'"' | b'\''), .., last] if last == q => Step::Key(
                            inner
                                .get(1..inner.len() - 1)
                                .unwrap_or_default()
                                .to_string(),
                        ),
                        _ => return Err(invalid(&[": bad index [", inner, "]"])),
                    },
                };
                steps.push(step);
                i += 1;
                if !ends(i) {
                    return Err(invalid(&[]));
                }
            }
            if i >= b.len() {
                break;
            }
            // `b[i]` is a `.`.
            i += 1;
        }
        Ok(JsonPath { steps })
    }

    /// The value at this path, or `None` when any step is missing ("undefined").
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        let mut current = root;
        let mut digits = [0; 20];
        for step in &self.steps {
            // JS lets `a["0"]` read arrays and `a[0]` read objects with key "0".
            current = match current {
                Value::Object(map) => map.get(match step {
                    Step::Key(k) => k,
                    Step::Index(i) => decimal(*i, &mut digits),
                })?,
                Value::Array(items) => items.get(match step {
                    Step::Index(i) => *i,
                    Step::Key(k) => index(k)?,
                })?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// A path of plain keys (`["integrations", "All"]`).
    pub fn from_keys(keys: &[&str]) -> JsonPath {
        let mut steps = Vec::with_capacity(keys.len());
        for k in keys {
            steps.push(Step::Key(k.to_string()));
        }
        JsonPath { steps }
    }

    /// The steps of the path, from the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the path is exactly one key (`type`, `$.type`).
    pub fn is_single_key(&self, key: &str) -> bool {
        matches!(self.steps.as_slice(), [Step::Key(k)] if k == key)
    }
}

/// An array index as `str::parse::<usize>` reads it: digits, optionally after a `+`.
fn index(s: &str) -> Option<usize> {
    let digits = s.strip_prefix("+").unwrap_or(s);
    usize::try_from(crate::text::digits(digits.as_bytes(), 10)?).ok()
}

/// The decimal digits of `n`, written at the end of `buf` (no allocation per event).
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits only; `from_utf8` would link core's UTF-8 validator into the wasm.
    let digits = &buf[start..];
    // SAFETY: every byte of `digits` is an ASCII digit, written above.
    unsafe { std::str::from_utf8_unchecked(digits) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn parses_and_reads() {
        let v = json!({"a": {"b": [{"c": 1}, {"c": 2}]}, "x": null});
        assert_eq!(
            JsonPath::parse("$.a.b[1].c").unwrap().get(&v),
            Some(&json!(2))
        );
        assert_eq!(
            JsonPath::parse("a.b[0].c").unwrap().get(&v),
            Some(&json!(1))
        );
        assert_eq!(JsonPath::parse("$.x").unwrap().get(&v), Some(&Value::Null));
        assert_eq!(JsonPath::parse("$.x.y").unwrap().get(&v), None);
        assert_eq!(JsonPath::parse("$.a.b[5]").unwrap().get(&v), None);
        assert_eq!(JsonPath::parse("$").unwrap().get(&v), Some(&v));
        assert_eq!(
            JsonPath::parse("a['b'][0].c").unwrap().get(&v),
            Some(&json!(1))
        );
    }

    #[test]
    fn rejects_bad_paths() {
        assert_eq!(
            JsonPath::parse("a..b").unwrap_err(),
            "invalid path \"a..b\": empty key"
        );
        assert_eq!(
            JsonPath::parse("a[0").unwrap_err(),
            "invalid path \"a[0\": missing ]"
        );
        assert_eq!(
            JsonPath::parse("a[x]").unwrap_err(),
            "invalid path \"a[x]\": bad index [x]"
        );
    }
}
