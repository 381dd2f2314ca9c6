//! Dotted paths into an event (`$.traits.company.id`, `properties.items[0].sku`), parsed once.

use crate::engine::json::Value;

/// One step of a [`JsonPath`]: an object key or an array index, with what it reads in the
/// other kind of container (JS lets `a["0"]` read arrays and `a[0]` objects with key "0"),
/// worked out once when parsing rather than for every event.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The object key it reads (an index's decimal digits).
    pub key: String,
    /// The array element it reads (a key's, if the key reads as an index).
    pub index: Option<usize>,
    /// Whether it was written as an index (`[0]`).
    pub is_index: bool,
}

impl Step {
    /// The step of an object key (`a`, `['a']`).
    pub fn key(key: &str) -> Step {
        Step {
            key: key.to_string(),
            index: index(key),
            is_index: false,
        }
    }
}

/// A parsed path. The `$.` prefix is optional; `a[0].b` indexes arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// Parses `$.a.b[0].c`, `a.b` or `$` (the whole value). Errors say what is wrong.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let trimmed = crate::engine::text::trim(text);
        let invalid = |detail: &[&str]| {
            let mut message = String::from("invalid path ");
            crate::engine::json::write_string(trimmed, &mut message);
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
                steps.push(Step::key(key));
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
                    Some(n) => {
                        let mut key = String::new();
                        decimal(n, &mut key);
                        Step {
                            key,
                            index: Some(n),
                            is_index: true,
                        }
                    }
                    None => match inner.as_bytes() {
                        [q @ (b'"' | b'\''), .., last] if last == q => {
                            Step::key(inner.get(1..inner.len() - 1).unwrap_or_default())
                        }
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
        for step in &self.steps {
            current = match current {
                Value::Object(map) => map.get(&step.key)?,
                Value::Array(items) => items.get(step.index?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// A path of plain keys (`["integrations", "All"]`).
    pub fn from_keys(keys: &[&str]) -> JsonPath {
        let mut steps = Vec::with_capacity(keys.len());
        for k in keys {
            steps.push(Step::key(k));
        }
        JsonPath { steps }
    }

    /// The steps of the path, from the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the path is exactly one key (`type`, `$.type`).
    pub fn is_single_key(&self, key: &str) -> bool {
        matches!(self.steps.as_slice(), [step] if !step.is_index && step.key == key)
    }
}

/// An array index as `str::parse::<usize>` reads it: digits, optionally after a `+`.
fn index(s: &str) -> Option<usize> {
    let digits = s.strip_prefix("+").unwrap_or(s);
    usize::try_from(crate::engine::text::digits(digits.as_bytes(), 10)?).ok()
}

/// Appends the decimal digits of `n`.
fn decimal(n: usize, out: &mut String) {
    if n >= 10 {
        decimal(n / 10, out);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
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
