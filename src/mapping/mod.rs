//! Segment mapping directives (`@path`, `@if`, `@template`, ...): compiled once, resolved per event.
//!
//! Resolution yields `Option<Value>`: `None` is JavaScript's `undefined`, and an object key whose
//! value resolves to `None` is left out of the result (null is kept).

mod text;

use crate::json::{Map, Value};
use crate::path::JsonPath;
pub use text::{flatten_into, loosely_blank};

/// A compiled mapping value.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapping {
    /// A plain value (copied as is), or the value of `@literal`.
    Literal(Value),
    Object(Vec<(String, Mapping)>),
    Array(Vec<Mapping>),
    Path(JsonPath),
    If {
        condition: Condition,
        subject: Box<Mapping>,
        then: Option<Box<Mapping>>,
        otherwise: Option<Box<Mapping>>,
    },
    Template(Vec<TemplatePart>),
    ArrayPath {
        path: JsonPath,
        item: Option<Box<Mapping>>,
    },
    Case {
        upper: bool,
        value: Box<Mapping>,
    },
    Replace {
        value: Box<Mapping>,
        rules: Vec<ReplaceRule>,
    },
    Merge {
        objects: Vec<Mapping>,
        later_wins: bool,
    },
    Json {
        encode: bool,
        value: Box<Mapping>,
    },
    Flatten {
        value: Box<Mapping>,
        separator: String,
        omit_arrays: bool,
    },
    Transform {
        apply: Box<Mapping>,
        mapping: Box<Mapping>,
    },
    ExcludeWhenNull(Box<Mapping>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    Exists,
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Field(JsonPath),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplaceRule {
    pub pattern: String,
    pub replacement: String,
    pub global: bool,
    pub ignore_case: bool,
}

/// Patterns and replacements longer than this are rejected (as Segment does).
pub const MAX_REPLACE_LEN: usize = 10;
/// Mappings nested deeper than this are rejected; it bounds recursion on hostile settings.
pub const MAX_MAPPING_DEPTH: usize = 64;

const DIRECTIVES: &[&str] = &[
    "@path",
    "@if",
    "@template",
    "@literal",
    "@arrayPath",
    "@case",
    "@replace",
    "@merge",
    "@json",
    "@flatten",
    "@transform",
    "@excludeWhenNull",
];

impl Mapping {
    /// Compiles a mapping; errors carry the path below `at` of the offending part.
    pub fn compile(raw: &Value, at: &str) -> Result<Mapping, String> {
        compile(raw, at, 0)
    }

    /// Resolves against `root` (the event, or an `@arrayPath` item).
    #[cfg_attr(intercom_speed, optimize(speed))]
    pub fn resolve(&self, root: &Value) -> Option<Value> {
        match self {
            Mapping::Literal(v) => Some(v.clone()),
            Mapping::Object(fields) => {
                let mut out = Map::new();
                for (key, m) in fields {
                    if let Some(v) = m.resolve(root) {
                        // The keys of a compiled object are distinct (parsed JSON, deduplicated).
                        out.push_new(key.clone(), v);
                    }
                }
                Some(Value::Object(out))
            }
            // JSON has no undefined: an undefined array element becomes null, as JSON.stringify does.
            Mapping::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .map(|m| m.resolve(root).unwrap_or(Value::Null))
                    .collect(),
            )),
            Mapping::Path(path) => path.get(root).cloned(),
            Mapping::If {
                condition,
                subject,
                then,
                otherwise,
            } => {
                let value = subject.resolve(root);
                let holds = match (condition, &value) {
                    (_, None | Some(Value::Null)) => false,
                    (Condition::Exists, Some(_)) => true,
                    (Condition::Blank, Some(v)) => !loosely_blank(v),
                };
                let branch = if holds { then } else { otherwise };
                branch.as_ref().and_then(|m| m.resolve(root))
            }
            Mapping::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        TemplatePart::Text(t) => out.push_str(t),
                        TemplatePart::Field(path) => {
                            if let Some(v) = path.get(root) {
                                text::append_display(&mut out, v);
                            }
                        }
                    }
                }
                Some(Value::String(out))
            }
            Mapping::ArrayPath { path, item } => {
                let value = path.get(root)?;
                let Some(item) = item else {
                    return Some(value.clone());
                };
                let elements: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    Value::Object(_) => vec![value],
                    _ => return Some(value.clone()),
                };
                Some(Value::Array(
                    elements
                        .into_iter()
                        // Only objects can be shaped; other elements pass unchanged so that
                        // the action can report them instead of receiving an empty object.
                        .map(|el| match el {
                            Value::Object(_) => item.resolve(el).unwrap_or(Value::Null),
                            other => other.clone(),
                        })
                        .collect(),
                ))
            }
            Mapping::Case { upper, value } => match value.resolve(root)? {
                Value::String(s) => Some(Value::String(crate::text::to_case(&s, *upper))),
                other => Some(other),
            },
            Mapping::Replace { value, rules } => {
                let v = value.resolve(root)?;
                let mut s = match v {
                    Value::String(s) => s,
                    Value::Number(n) => crate::text::number_text(&n),
                    Value::Bool(b) => b.to_string(),
                    other => return Some(other),
                };
                for rule in rules {
                    s = text::replace(&s, rule);
                }
                Some(Value::String(s))
            }
            Mapping::Merge {
                objects,
                later_wins,
            } => {
                let mut out = Map::new();
                for m in objects {
                    if let Some(Value::Object(obj)) = m.resolve(root) {
                        for (k, v) in obj {
                            if *later_wins || !out.contains_key(&k) {
                                out.insert(k, v);
                            }
                        }
                    }
                }
                Some(Value::Object(out))
            }
            Mapping::Json { encode, value } => {
                let v = value.resolve(root)?;
                if *encode {
                    Some(Value::String(v.to_string()))
                } else {
                    match &v {
                        Value::String(s) => Some(crate::json::parse(s).unwrap_or(v)),
                        _ => Some(v),
                    }
                }
            }
            Mapping::Flatten {
                value,
                separator,
                omit_arrays,
            } => {
                let v = value.resolve(root)?;
                if !v.is_object() && !v.is_array() {
                    return Some(v);
                }
                let mut out = Map::new();
                text::flatten_into(&mut out, "", &v, separator, *omit_arrays, 0);
                Some(Value::Object(out))
            }
            Mapping::Transform { apply, mapping } => {
                let intermediate = apply.resolve(root)?;
                mapping.resolve(&intermediate)
            }
            Mapping::ExcludeWhenNull(inner) => match inner.resolve(root)? {
                Value::Null => None,
                other => Some(other),
            },
        }
    }
}

fn compile(raw: &Value, at: &str, depth: usize) -> Result<Mapping, String> {
    if depth > MAX_MAPPING_DEPTH {
        return Err(format!(
            "{at}: nested deeper than {MAX_MAPPING_DEPTH} levels"
        ));
    }
    let sub = |raw: &Value, key: &str| compile(raw, &format!("{at}.{key}"), depth + 1);
    match raw {
        Value::Array(items) => Ok(Mapping::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| compile(v, &format!("{at}[{i}]"), depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(map) => {
            let directive_keys: Vec<&String> = map.keys().filter(|k| k.starts_with('@')).collect();
            if directive_keys.is_empty() {
                let fields = map
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), sub(v, k)?)))
                    .collect::<Result<_, String>>()?;
                return Ok(Mapping::Object(fields));
            }
            if map.len() > 1 {
                return Err(if directive_keys.len() > 1 {
                    format!(
                        "{at}: only one directive allowed per object, found {}",
                        join_keys(&directive_keys)
                    )
                } else {
                    format!(
                        "{at}: directive {} cannot be mixed with other keys",
                        directive_keys[0]
                    )
                });
            }
            let key = directive_keys[0].as_str();
            let arg = map.get(key).unwrap_or(&Value::Null);
            let at_key = format!("{at}.{key}");
            compile_directive(key, arg, &at_key, depth)
        }
        other => Ok(Mapping::Literal(other.clone())),
    }
}

fn join_keys(keys: &[&String]) -> String {
    keys.iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn compile_directive(key: &str, arg: &Value, at: &str, depth: usize) -> Result<Mapping, String> {
    let sub = |raw: &Value, name: &str| compile(raw, &format!("{at}.{name}"), depth + 1);
    let object = || {
        arg.as_object()
            .ok_or_else(|| format!("{at}: must be an object"))
    };
    let required = |obj: &Map<String, Value>, name: &str| -> Result<Mapping, String> {
        match obj.get(name) {
            Some(v) => sub(v, name),
            None => Err(format!("{at}.{name}: is required")),
        }
    };
    let string_at = |v: &Value, name: &str| -> Result<String, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("{at}.{name}: must be a string"))
    };
    match key {
        "@path" => {
            let text = arg
                .as_str()
                .ok_or_else(|| format!("{at}: must be a string path like \"$.traits.email\""))?;
            Ok(Mapping::Path(
                JsonPath::parse(text).map_err(|e| format!("{at}: {e}"))?,
            ))
        }
        "@literal" => Ok(Mapping::Literal(arg.clone())),
        "@template" => {
            let text = arg
                .as_str()
                .ok_or_else(|| format!("{at}: must be a string"))?;
            Ok(Mapping::Template(
                text::parse_template(text).map_err(|e| format!("{at}: {e}"))?,
            ))
        }
        "@if" => {
            let obj = object()?;
            for k in obj.keys() {
                if !matches!(k.as_str(), "exists" | "blank" | "then" | "else") {
                    return Err(format!(
                        "{at}.{k}: unknown key (expected exists or blank, then, else)"
                    ));
                }
            }
            let (condition, subject) = match (obj.get("exists"), obj.get("blank")) {
                (Some(v), None) => (Condition::Exists, sub(v, "exists")?),
                (None, Some(v)) => (Condition::Blank, sub(v, "blank")?),
                (Some(_), Some(_)) => {
                    return Err(format!("{at}: use either exists or blank, not both"))
                }
                (None, None) => return Err(format!("{at}: needs exists or blank")),
            };
            let branch = |name: &str| -> Result<Option<Box<Mapping>>, String> {
                obj.get(name)
                    .map(|v| sub(v, name).map(Box::new))
                    .transpose()
            };
            Ok(Mapping::If {
                condition,
                subject: Box::new(subject),
                then: branch("then")?,
                otherwise: branch("else")?,
            })
        }
        "@arrayPath" => {
            let items = arg
                .as_array()
                .filter(|a| !a.is_empty() && a.len() <= 2)
                .ok_or_else(|| format!("{at}: must be [path] or [path, item mapping]"))?;
            let path_text = items[0]
                .as_str()
                .ok_or_else(|| format!("{at}[0]: must be a string path"))?;
            let path = JsonPath::parse(path_text).map_err(|e| format!("{at}[0]: {e}"))?;
            let item = match items.get(1) {
                Some(raw) => Some(Box::new(compile(raw, &format!("{at}[1]"), depth + 1)?)),
                None => None,
            };
            Ok(Mapping::ArrayPath { path, item })
        }
        "@case" => {
            let obj = object()?;
            let upper = match obj.get("operator").and_then(Value::as_str) {
                Some("upper") => true,
                Some("lower") => false,
                _ => return Err(format!("{at}.operator: must be \"lower\" or \"upper\"")),
            };
            Ok(Mapping::Case {
                upper,
                value: Box::new(required(obj, "value")?),
            })
        }
        "@replace" => {
            let obj = object()?;
            let flag = |name: &str, default: bool| -> Result<bool, String> {
                match obj.get(name) {
                    None => Ok(default),
                    Some(Value::Bool(b)) => Ok(*b),
                    Some(_) => Err(format!("{at}.{name}: must be true or false")),
                }
            };
            let global = flag("global", true)?;
            let ignore_case = flag("ignorecase", false)?;
            let mut rules = Vec::new();
            for (p, r) in [("pattern", "replacement"), ("pattern2", "replacement2")] {
                let Some(pattern) = obj.get(p) else {
                    if p == "pattern" {
                        return Err(format!("{at}.pattern: is required"));
                    }
                    continue;
                };
                let pattern = string_at(pattern, p)?;
                let replacement = match obj.get(r) {
                    Some(v) => string_at(v, r)?,
                    None => String::new(),
                };
                for (name, s) in [(p, &pattern), (r, &replacement)] {
                    if s.chars().count() > MAX_REPLACE_LEN {
                        return Err(format!("{at}.{name}: at most {MAX_REPLACE_LEN} characters"));
                    }
                }
                if pattern.is_empty() {
                    return Err(format!("{at}.{p}: must not be empty"));
                }
                rules.push(ReplaceRule {
                    pattern,
                    replacement,
                    global,
                    ignore_case,
                });
            }
            Ok(Mapping::Replace {
                value: Box::new(required(obj, "value")?),
                rules,
            })
        }
        "@merge" => {
            let obj = object()?;
            let later_wins = match obj.get("direction").and_then(Value::as_str) {
                Some("right") | None => true,
                Some("left") => false,
                Some(_) => return Err(format!("{at}.direction: must be \"left\" or \"right\"")),
            };
            let objects = obj
                .get("objects")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{at}.objects: must be an array of mappings"))?
                .iter()
                .enumerate()
                .map(|(i, v)| compile(v, &format!("{at}.objects[{i}]"), depth + 1))
                .collect::<Result<_, _>>()?;
            Ok(Mapping::Merge {
                objects,
                later_wins,
            })
        }
        "@json" => {
            let obj = object()?;
            let encode = match obj.get("mode").and_then(Value::as_str) {
                Some("encode") => true,
                Some("decode") => false,
                _ => return Err(format!("{at}.mode: must be \"encode\" or \"decode\"")),
            };
            Ok(Mapping::Json {
                encode,
                value: Box::new(required(obj, "value")?),
            })
        }
        "@flatten" => {
            let obj = object()?;
            let separator = match obj.get("separator") {
                None => ".".to_string(),
                Some(v) => string_at(v, "separator")?,
            };
            let omit_arrays = match obj.get("omitArrays") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(format!("{at}.omitArrays: must be true or false")),
            };
            Ok(Mapping::Flatten {
                value: Box::new(required(obj, "value")?),
                separator,
                omit_arrays,
            })
        }
        "@transform" => {
            let obj = object()?;
            Ok(Mapping::Transform {
                apply: Box::new(required(obj, "apply")?),
                mapping: Box::new(required(obj, "mapping")?),
            })
        }
        "@excludeWhenNull" => Ok(Mapping::ExcludeWhenNull(Box::new(compile(
            arg,
            at,
            depth + 1,
        )?))),
        unknown => Err(format!(
            "{}: unknown directive {unknown} (known: {})",
            at.strip_suffix(&format!(".{unknown}")).unwrap_or(at),
            DIRECTIVES.join(", ")
        )),
    }
}
