//! Segment's mapping kit (`@segment/actions-core` 3.170.0, `mapping-kit`): mappings compiled
//! once, resolved per event with the meaning Segment's runtime gives them.
//!
//! Compiling (`compile.rs`) accepts exactly what the kit's `validate` accepts (anything else is
//! a [`MappingError`] with the path of the offending part). Some mappings it accepts still throw
//! when resolved (a `@merge` without `direction`, a `@path` whose value is not a string, a
//! directive inside an array, which `validate` does not look into): those parts compile to
//! [`Mapping::Throws`] or check at resolve time, and resolving then fails with a
//! [`ResolveError`] (the kit's message), which leaves that subscription out for that event, as
//! Segment's runtime does. Both messages are written in `error.rs`.
//!
//! Resolution yields `Option<Value>`: `None` is JavaScript's `undefined`, and an object key
//! whose value resolves to `None` is left out of the result (null is kept). One thing is not
//! modelled: an undefined array element is null here.

mod compile;
mod error;
mod text;

use crate::engine::js::{self, Read};
use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;
pub use error::{MappingError, MappingErrorKind, ResolveError};
pub use text::{flatten_into, loosely_blank, render_template, template_paths};

/// A compiled mapping value.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapping {
    /// A plain value (copied as is).
    Literal(Value),
    /// Resolves to undefined (a `@case` or `@replace` without a value, an absent branch).
    Undefined,
    /// Resolving it throws (Segment's runtime error).
    Throws(ResolveError),
    /// A directive this plugin does not support (`@liquid`): undefined, with a warning when the
    /// mapping is compiled.
    Unsupported,
    Object(Vec<(String, Mapping)>),
    Array(Vec<Mapping>),
    /// `@path` of a string.
    Path(JsonPath),
    /// `@path` of a mapping, which must give a string.
    PathOf(Box<Mapping>),
    /// `@template` of a string.
    Template(String),
    /// `@template` of a mapping, which must give a string.
    TemplateOf(Box<Mapping>),
    If {
        /// `blank` (not null, undefined or loosely equal to "") rather than `exists`.
        blank: bool,
        subject: Box<Mapping>,
        /// `None`: undefined.
        then: Option<Box<Mapping>>,
        otherwise: Option<Box<Mapping>>,
    },
    Case {
        /// `None` for an operator other than "lower" and "upper": a string value throws.
        upper: Option<bool>,
        value: Box<Mapping>,
    },
    Replace {
        value: Box<Mapping>,
        /// What is done to a string (numbers and booleans become strings).
        rules: ReplaceRules,
    },
    ArrayPath {
        /// A `@path` for a string, else the mapping that gives the array.
        root: Box<Mapping>,
        item: Option<Box<Mapping>>,
    },
    Flatten {
        separator: Box<Mapping>,
        value: Box<Mapping>,
        omit_arrays: bool,
    },
    Json {
        /// `None`: a mode other than "encode" and "decode", which gives undefined.
        encode: Option<bool>,
        value: Box<Mapping>,
    },
    Merge {
        direction: Box<Mapping>,
        objects: Vec<Mapping>,
    },
    Transform {
        apply: Box<Mapping>,
        mapping: Box<Mapping>,
    },
    ExcludeWhenNull(Box<Mapping>),
}

/// What `@if` and `@transform` resolve next.
enum Chosen<'m> {
    /// `@if`'s branch, against the same root.
    Branch(&'m Mapping),
    /// `@transform`'s second mapping, against the first one's result (`None`: undefined).
    Transformed(&'m Mapping, Option<Value>),
    /// An absent branch: undefined.
    Nothing,
}

/// What resolving throws, boxed while it propagates: it is rare, and resolving runs per event,
/// so each `Result` stays the size of its value.
type Thrown = Box<ResolveError>;

/// A plain object's entries, with `None` for a key whose value is undefined.
type Entries = Vec<(String, Option<Value>)>;

/// `@replace`'s options as its runtime reads them.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplaceRules {
    /// The rules, applied in order.
    Apply(Vec<ReplaceRule>),
    /// The option (`pattern` or `replacement`) is longer than [`MAX_REPLACE_LEN`]: applying the
    /// rules throws.
    TooLong(&'static str),
    /// Options that are not strings and booleans: any value gives "".
    Blank,
}

/// One literal (not regular expression) replacement of `@replace`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplaceRule {
    pub pattern: String,
    /// With JavaScript's replacement patterns (`$&`, `` $` ``, `$'`, `$$`).
    pub replacement: String,
    pub global: bool,
    pub ignore_case: bool,
}

/// Patterns and replacements longer than this (in UTF-16 units) are rejected, as Segment does.
pub const MAX_REPLACE_LEN: usize = 10;
/// Mappings nested deeper than this are rejected; it bounds recursion on hostile settings.
pub const MAX_MAPPING_DEPTH: usize = 64;

/// The key with which Segment's app marks a root-level directive of a mapping
/// (`getMappingToProcess`): the other keys become that directive's `mapping`.
pub const ROOT_MAPPING_KEY: &str = "__segment_internal_directive";

/// Something found while compiling that is worth a warning (the path and what).
#[derive(Debug, Clone, PartialEq)]
pub struct MappingNote {
    pub path: String,
    pub reason: &'static str,
}

impl Mapping {
    /// Resolves against `root` (the event, or an `@arrayPath` item); `Err` is what Segment's
    /// runtime throws.
    pub fn resolve(&self, root: &Value) -> Result<Option<Value>, ResolveError> {
        self.resolve_read(&Read::Value(root))
            .map_err(|thrown| *thrown)
    }

    fn resolve_read(&self, root: &Read) -> Result<Option<Value>, Thrown> {
        Ok(match self {
            Mapping::Literal(v) => Some(v.clone()),
            Mapping::Undefined | Mapping::Unsupported => None,
            Mapping::Throws(e) => return Err(Box::new(e.clone())),
            Mapping::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (key, m) in fields {
                    if let Some(v) = m.resolve_read(root)? {
                        // The keys of a compiled object are distinct (parsed JSON).
                        out.push_new(key.clone(), v);
                    }
                }
                Some(Value::Object(out))
            }
            // An undefined element becomes null (JavaScript keeps undefined there).
            Mapping::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for m in items {
                    out.push(m.resolve_read(root)?.unwrap_or(Value::Null));
                }
                Some(Value::Array(out))
            }
            Mapping::Path(path) => path.read_from(root.clone()).to_value(),
            Mapping::PathOf(m) => {
                let text = string_arg("@path", m.resolve_read(root)?)?;
                JsonPath::parse_rooted(&text)
                    .read_from(root.clone())
                    .to_value()
            }
            Mapping::Template(t) => Some(Value::String(render_template(t, root))),
            Mapping::TemplateOf(m) => {
                let t = string_arg("@template", m.resolve_read(root)?)?;
                Some(Value::String(render_template(&t, root)))
            }
            Mapping::If { .. } | Mapping::Transform { .. } => match self.chosen(root)? {
                Chosen::Branch(m) => m.resolve_read(root)?,
                Chosen::Transformed(m, Some(new_root)) => {
                    m.resolve_read(&Read::Value(&new_root))?
                }
                Chosen::Transformed(m, None) => m.resolve_read(&Read::Undefined)?,
                Chosen::Nothing => None,
            },
            Mapping::Case { upper, value } => match value.resolve_read(root)? {
                Some(Value::String(s)) => match upper {
                    Some(upper) => Some(Value::String(crate::engine::host::to_case(&s, *upper))),
                    None => return Err(ResolveError::CaseOperator.into()),
                },
                other => other,
            },
            Mapping::Replace { value, rules } => {
                let text = match value.resolve_read(root)? {
                    Some(Value::String(s)) => Some(s),
                    Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                        let mut s = String::new();
                        js::string_of(&v, &mut s);
                        Some(s)
                    }
                    _ => None,
                };
                match (text, rules) {
                    (Some(mut s), ReplaceRules::Apply(rules)) => {
                        for rule in rules {
                            s = text::replace(&s, rule);
                        }
                        Some(Value::String(s))
                    }
                    (Some(_), ReplaceRules::TooLong(option)) => {
                        return Err(ResolveError::ReplaceTooLong(option).into())
                    }
                    _ => Some(Value::String(String::new())),
                }
            }
            Mapping::ArrayPath { root: at, item } => {
                let value = at.resolve_read(root)?;
                let Some(item) = item else {
                    return Ok(value);
                };
                let elements = match &value {
                    Some(Value::Array(items)) => items.as_slice(),
                    Some(v @ Value::Object(_)) => std::slice::from_ref(v),
                    _ => return Ok(value),
                };
                let mut out = Vec::with_capacity(elements.len());
                for el in elements {
                    out.push(item.resolve_read(&Read::Value(el))?.unwrap_or(Value::Null));
                }
                Some(Value::Array(out))
            }
            Mapping::Flatten {
                separator,
                value,
                omit_arrays,
            } => {
                let sep = match separator.resolve_read(root)? {
                    Some(Value::String(s)) => s,
                    _ => return Err(ResolveError::FlattenSeparator.into()),
                };
                let v = value.resolve_read(root)?;
                let mut out = Map::new();
                if let Some(v) = &v {
                    flatten_into(&mut out, "", v, &sep, *omit_arrays, 0);
                }
                Some(Value::Object(crate::engine::js::in_key_order(out)))
            }
            Mapping::Json { encode, value } => {
                let v = value.resolve_read(root)?;
                match (encode, v) {
                    (Some(true), Some(v)) => Some(Value::String(v.to_json())),
                    (Some(false), Some(Value::String(s))) => {
                        Some(crate::engine::json::parse(&s).unwrap_or(Value::String(s)))
                    }
                    (Some(false), other) => other,
                    _ => None,
                }
            }
            Mapping::Merge { .. } => {
                let mut map = Map::new();
                for (k, v) in self.object_entries(root)?.unwrap_or_default() {
                    if let Some(v) = v {
                        map.push_new(k, v);
                    }
                }
                Some(Value::Object(crate::engine::js::in_key_order(map)))
            }
            Mapping::ExcludeWhenNull(m) => match m.resolve_read(root)? {
                Some(Value::Null) => None,
                Some(v) => Some(clean_nulls(v, 0)),
                None => None,
            },
        })
    }

    /// The entries of the plain object this mapping gives, keys whose value is undefined
    /// included (`None`); `None` when it gives no plain object. JavaScript keeps such keys
    /// until the end of `transform`, and `Object.assign` (`@merge`) copies them over others.
    fn object_entries(&self, root: &Read) -> Result<Option<Entries>, Thrown> {
        Ok(Some(match self {
            Mapping::Object(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (key, m) in fields {
                    out.push((key.clone(), m.resolve_read(root)?));
                }
                out
            }
            Mapping::If { .. } | Mapping::Transform { .. } => {
                // The branch taken, or the second mapping on the first one's result.
                return match self.chosen(root)? {
                    Chosen::Branch(m) => m.object_entries(root),
                    Chosen::Transformed(m, Some(new_root)) => {
                        m.object_entries(&Read::Value(&new_root))
                    }
                    Chosen::Transformed(m, None) => m.object_entries(&Read::Undefined),
                    Chosen::Nothing => Ok(None),
                };
            }
            Mapping::ExcludeWhenNull(inner) => match inner.object_entries(root)? {
                Some(entries) => entries
                    .into_iter()
                    .map(|(k, v)| match v {
                        Some(Value::Null) | None => (k, None),
                        Some(v) => (k, Some(clean_nulls(v, 0))),
                    })
                    .collect(),
                None => return Ok(None),
            },
            Mapping::Merge { direction, objects } => {
                let left = direction.resolve_read(root)? == Some(Value::from("left"));
                let mut sources = Vec::with_capacity(objects.len());
                for m in objects {
                    sources.push(m.assigned(root)?);
                }
                if left {
                    sources.reverse();
                }
                // Object.assign: later sources win; a key keeps its first place.
                let mut out: Entries = Vec::new();
                for (k, v) in sources.into_iter().flatten() {
                    match out.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                out
            }
            _ => match self.resolve_read(root)? {
                Some(Value::Object(map)) => map.into_iter().map(|(k, v)| (k, Some(v))).collect(),
                _ => return Ok(None),
            },
        }))
    }

    /// For `@if`, the branch taken (`None`: undefined); for `@transform`, its second mapping
    /// and the root it reads.
    fn chosen(&self, root: &Read) -> Result<Chosen<'_>, Thrown> {
        match self {
            Mapping::If {
                blank,
                subject,
                then,
                otherwise,
            } => {
                // Whether the subject's value is "there" (a member every object inherits, such
                // as `constructor`, exists and is not blank); a path is read without a copy.
                let there = |v: Option<&Value>| match v {
                    None | Some(Value::Null) => false,
                    Some(v) => !*blank || !loosely_blank(v),
                };
                let holds = match &**subject {
                    Mapping::Path(p) => match p.read_from(root.clone()) {
                        Read::Member => true,
                        read => there(read.value()),
                    },
                    _ => there(subject.resolve_read(root)?.as_ref()),
                };
                Ok(match if holds { then } else { otherwise } {
                    Some(m) => Chosen::Branch(m),
                    None => Chosen::Nothing,
                })
            }
            Mapping::Transform { apply, mapping } => {
                let payload = match root.value() {
                    Some(v @ Value::Object(_)) => v,
                    other => {
                        let got = other.map_or("undefined", value_type);
                        return Err(ResolveError::DataNotObject { got }.into());
                    }
                };
                Ok(Chosen::Transformed(
                    mapping,
                    apply.resolve_read(&Read::Value(payload))?,
                ))
            }
            _ => Ok(Chosen::Nothing),
        }
    }

    /// What `Object.assign` copies from the value of this mapping: a plain object's entries,
    /// an array's items and a string's characters under their indices, nothing from others.
    fn assigned(&self, root: &Read) -> Result<Entries, Thrown> {
        if let Some(entries) = self.object_entries(root)? {
            return Ok(entries);
        }
        let index = |i: usize| crate::engine::text::int(i as i64);
        Ok(match self.resolve_read(root)? {
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (index(i), Some(v)))
                .collect(),
            // A string's characters (UTF-16 units).
            Some(Value::String(s)) => s
                .encode_utf16()
                .enumerate()
                .map(|(i, u)| {
                    let c = char::from_u32(u32::from(u)).unwrap_or('\u{fffd}');
                    (index(i), Some(Value::String(c.to_string())))
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// Calls `f` with what this mapping reads from the value it is resolved against: its paths
    /// and templates, and [`Reading::Unknown`] for a path known only when resolving (`@path`
    /// of a mapping). Item mappings and `@transform`'s second mapping read other values.
    pub fn each_reading<'a>(&'a self, f: &mut dyn FnMut(Reading<'a>)) {
        let all = |items: &'a [Mapping], f: &mut dyn FnMut(Reading<'a>)| {
            items.iter().for_each(|m| m.each_reading(f))
        };
        match self {
            Mapping::Literal(_)
            | Mapping::Undefined
            | Mapping::Throws(_)
            | Mapping::Unsupported => {}
            Mapping::Path(p) => f(Reading::Path(p)),
            Mapping::Template(t) => f(Reading::Template(t)),
            Mapping::Object(fields) => fields.iter().for_each(|(_, m)| m.each_reading(f)),
            Mapping::Array(items) => all(items, f),
            Mapping::Merge { direction, objects } => {
                direction.each_reading(f);
                all(objects, f);
            }
            Mapping::PathOf(m) | Mapping::TemplateOf(m) => {
                m.each_reading(f);
                f(Reading::Unknown);
            }
            Mapping::If {
                subject,
                then,
                otherwise,
                ..
            } => {
                subject.each_reading(f);
                then.iter()
                    .chain(otherwise.iter())
                    .for_each(|m| m.each_reading(f));
            }
            Mapping::Case { value, .. }
            | Mapping::Replace { value, .. }
            | Mapping::Json { value, .. }
            | Mapping::ExcludeWhenNull(value)
            | Mapping::ArrayPath { root: value, .. }
            | Mapping::Transform { apply: value, .. } => value.each_reading(f),
            Mapping::Flatten {
                separator, value, ..
            } => {
                separator.each_reading(f);
                value.each_reading(f);
            }
        }
    }
}

/// What a mapping reads (see [`Mapping::each_reading`]).
#[derive(Debug, Clone, Copy)]
pub enum Reading<'a> {
    Path(&'a JsonPath),
    Template(&'a str),
    /// A path known only when resolving.
    Unknown,
}

/// `realTypeOf` of a JSON value (Segment's messages).
fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The string a `@path` or `@template` of a mapping needs (`registerStringDirective`).
fn string_arg(directive: &'static str, v: Option<Value>) -> Result<String, Thrown> {
    match v {
        Some(Value::String(s)) => Ok(s),
        other => Err(ResolveError::NotString {
            directive,
            got: other.as_ref().map_or("undefined", value_type),
        }
        .into()),
    }
}

/// `cleanNulls` of `@excludeWhenNull`: null values of objects (and of their objects) removed.
fn clean_nulls(v: Value, depth: usize) -> Value {
    match v {
        Value::Object(map) if depth < MAX_MAPPING_DEPTH => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                if !v.is_null() {
                    out.push_new(k, clean_nulls(v, depth + 1));
                }
            }
            Value::Object(out)
        }
        other => other,
    }
}
