//! Dotted paths into an event (`$.traits.company.id`, `properties.items[0].sku`), parsed once.

use crate::json::Value;
use crate::text::quoted;

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
        let trimmed = text.trim();
        let body = if trimmed == "$" {
            ""
        } else if let Some(rest) = trimmed.strip_prefix("$.") {
            rest
        } else if let Some(rest) = trimmed.strip_prefix('$') {
            if rest.starts_with('[') {
                rest
            } else {
                return Err(format!("invalid path {}", quoted(trimmed)));
            }
        } else {
            trimmed
        };
        let mut steps = Vec::new();
        if body.is_empty() {
            return Ok(JsonPath { steps });
        }
        for part in body.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() && (rest.is_empty() || !steps.is_empty()) {
                return Err(format!("invalid path {}: empty key", quoted(trimmed)));
            }
            if !key.is_empty() {
                steps.push(Step::Key(key.to_string()));
            }
            while !rest.is_empty() {
                let close = rest
                    .find(']')
                    .ok_or_else(|| format!("invalid path {}: missing ]", quoted(trimmed)))?;
                let inner = &rest[1..close];
                let step = match inner.parse::<usize>() {
                    Ok(i) => Step::Index(i),
                    Err(_) => {
                        let unquoted = inner
                            .strip_prefix('"')
                            .and_then(|s| s.strip_suffix('"'))
                            .or_else(|| inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                            .ok_or_else(|| {
                                format!("invalid path {}: bad index [{inner}]", quoted(trimmed))
                            })?;
                        Step::Key(unquoted.to_string())
                    }
                };
                steps.push(step);
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("invalid path {}", quoted(trimmed)));
                }
            }
        }
        Ok(JsonPath { steps })
    }

    /// The value at this path, or `None` when any step is missing ("undefined").
    #[cfg_attr(intercom_speed, optimize(speed))]
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        let mut current = root;
        for step in &self.steps {
            current = match (step, current) {
                (Step::Key(k), Value::Object(map)) => map.get(k)?,
                (Step::Index(i), Value::Array(items)) => items.get(*i)?,
                // JS lets `a["0"]` read arrays and `a[0]` read objects with key "0".
                (Step::Key(k), Value::Array(items)) => items.get(k.parse::<usize>().ok()?)?,
                (Step::Index(i), Value::Object(map)) => map.get(&i.to_string())?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// A path of plain keys (`["integrations", "All"]`).
    pub fn from_keys(keys: &[&str]) -> JsonPath {
        JsonPath {
            steps: keys.iter().map(|k| Step::Key(k.to_string())).collect(),
        }
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
