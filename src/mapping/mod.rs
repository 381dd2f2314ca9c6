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
        compile(raw, &At::Root(at), 0)
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

/// Where a part of a mapping is, for messages: written out only when there is an error
/// (compiling a mapping formats no path otherwise).
#[derive(Clone, Copy)]
enum At<'a> {
    Root(&'a str),
    /// `parent.key`
    Key(&'a At<'a>, &'a str),
    /// `parent[i]`
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn write(&self, out: &mut String) {
        match self {
            At::Root(r) => out.push_str(r),
            At::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                crate::json::push_int(out, *i as i64);
                out.push(']');
            }
        }
    }

    /// The message: this place, then `text` (which starts with ": ").
    fn says(&self, text: &str) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out.push_str(text);
        out
    }
}

fn compile(raw: &Value, at: &At, depth: usize) -> Result<Mapping, String> {
    if depth > MAX_MAPPING_DEPTH {
        return Err(at.says(&format!(": nested deeper than {MAX_MAPPING_DEPTH} levels")));
    }
    match raw {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                out.push(compile(v, &At::Index(at, i), depth + 1)?);
            }
            Ok(Mapping::Array(out))
        }
        Value::Object(map) => {
            let directive_keys: Vec<&String> = map.keys().filter(|k| k.starts_with('@')).collect();
            if directive_keys.is_empty() {
                let mut fields = Vec::with_capacity(map.len());
                for (k, v) in map {
                    fields.push((k.clone(), compile(v, &At::Key(at, k), depth + 1)?));
                }
                return Ok(Mapping::Object(fields));
            }
            if map.len() > 1 {
                return Err(if directive_keys.len() > 1 {
                    at.says(&format!(
                        ": only one directive allowed per object, found {}",
                        join_keys(&directive_keys)
                    ))
                } else {
                    at.says(&format!(
                        ": directive {} cannot be mixed with other keys",
                        directive_keys[0]
                    ))
                });
            }
            let key = directive_keys[0].as_str();
            let arg = map.get(key).unwrap_or(&Value::Null);
            compile_directive(key, arg, at, depth)
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

/// `arg` of the directive `key` of the object at `parent`.
fn compile_directive(key: &str, arg: &Value, parent: &At, depth: usize) -> Result<Mapping, String> {
    let at = &At::Key(parent, key);
    let sub = |raw: &Value, name: &str| compile(raw, &At::Key(at, name), depth + 1);
    let object = || {
        arg.as_object()
            .ok_or_else(|| at.says(": must be an object"))
    };
    let required = |obj: &Map<String, Value>, name: &str| -> Result<Mapping, String> {
        match obj.get(name) {
            Some(v) => sub(v, name),
            None => Err(At::Key(at, name).says(": is required")),
        }
    };
    let string_at = |v: &Value, name: &str| -> Result<String, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| At::Key(at, name).says(": must be a string"))
    };
    // `true`/`false` (or the default when absent) of the key `name` of `obj`.
    let flag = |obj: &Map<String, Value>, name: &str, default: bool| -> Result<bool, String> {
        match obj.get(name) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(At::Key(at, name).says(": must be true or false")),
        }
    };
    let path = |text: &str, at: &At| JsonPath::parse(text).map_err(|e| at.says(&format!(": {e}")));
    match key {
        "@path" => {
            let text = arg
                .as_str()
                .ok_or_else(|| at.says(": must be a string path like \"$.traits.email\""))?;
            Ok(Mapping::Path(path(text, at)?))
        }
        "@literal" => Ok(Mapping::Literal(arg.clone())),
        "@template" => {
            let text = arg.as_str().ok_or_else(|| at.says(": must be a string"))?;
            Ok(Mapping::Template(
                text::parse_template(text).map_err(|e| at.says(&format!(": {e}")))?,
            ))
        }
        "@if" => {
            let obj = object()?;
            for k in obj.keys() {
                if !matches!(k.as_str(), "exists" | "blank" | "then" | "else") {
                    return Err(
                        At::Key(at, k).says(": unknown key (expected exists or blank, then, else)")
                    );
                }
            }
            let (condition, subject) = match (obj.get("exists"), obj.get("blank")) {
                (Some(v), None) => (Condition::Exists, sub(v, "exists")?),
                (None, Some(v)) => (Condition::Blank, sub(v, "blank")?),
                (Some(_), Some(_)) => return Err(at.says(": use either exists or blank, not both")),
                (None, None) => return Err(at.says(": needs exists or blank")),
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
                .ok_or_else(|| at.says(": must be [path] or [path, item mapping]"))?;
            let first = At::Index(at, 0);
            let path_text = items[0]
                .as_str()
                .ok_or_else(|| first.says(": must be a string path"))?;
            let path = path(path_text, &first)?;
            let item = match items.get(1) {
                Some(raw) => Some(Box::new(compile(raw, &At::Index(at, 1), depth + 1)?)),
                None => None,
            };
            Ok(Mapping::ArrayPath { path, item })
        }
        "@case" => {
            let obj = object()?;
            let upper = match obj.get("operator").and_then(Value::as_str) {
                Some("upper") => true,
                Some("lower") => false,
                _ => return Err(At::Key(at, "operator").says(": must be \"lower\" or \"upper\"")),
            };
            Ok(Mapping::Case {
                upper,
                value: Box::new(required(obj, "value")?),
            })
        }
        "@replace" => {
            let obj = object()?;
            let global = flag(obj, "global", true)?;
            let ignore_case = flag(obj, "ignorecase", false)?;
            let mut rules = Vec::new();
            for (p, r) in [("pattern", "replacement"), ("pattern2", "replacement2")] {
                let Some(pattern) = obj.get(p) else {
                    if p == "pattern" {
                        return Err(At::Key(at, p).says(": is required"));
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
                        return Err(At::Key(at, name)
                            .says(&format!(": at most {MAX_REPLACE_LEN} characters")));
                    }
                }
                if pattern.is_empty() {
                    return Err(At::Key(at, p).says(": must not be empty"));
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
                Some(_) => {
                    return Err(At::Key(at, "direction").says(": must be \"left\" or \"right\""))
                }
            };
            let objects_at = At::Key(at, "objects");
            let items = obj
                .get("objects")
                .and_then(Value::as_array)
                .ok_or_else(|| objects_at.says(": must be an array of mappings"))?;
            let mut objects = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                objects.push(compile(v, &At::Index(&objects_at, i), depth + 1)?);
            }
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
                _ => return Err(At::Key(at, "mode").says(": must be \"encode\" or \"decode\"")),
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
            Ok(Mapping::Flatten {
                value: Box::new(required(obj, "value")?),
                separator,
                omit_arrays: flag(obj, "omitArrays", false)?,
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
        unknown => Err(parent.says(&format!(
            ": unknown directive {unknown} (known: {})",
            DIRECTIVES.join(", ")
        ))),
    }
}
