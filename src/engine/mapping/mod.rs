//! Segment's mapping kit (`@segment/actions-core` 3.170.0, `mapping-kit`): mappings compiled
//! once, resolved per event with the meaning Segment's runtime gives them.
//!
//! Compiling accepts exactly what the kit's `validate` accepts (anything else is an error with
//! the path of the offending part). Some mappings it accepts still throw when resolved (a
//! `@merge` without `direction`, a `@path` whose value is not a string, a directive inside an
//! array, which `validate` does not look into): those parts compile to [`Mapping::Throws`] or
//! check at resolve time, and resolving then fails with the kit's message, which leaves that
//! subscription out for that event, as Segment's runtime does.
//!
//! Resolution yields `Option<Value>`: `None` is JavaScript's `undefined`, and an object key
//! whose value resolves to `None` is left out of the result (null is kept). One thing is not
//! modelled: an undefined array element is null here.

mod text;

use crate::engine::js::{self, Read};
use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;
pub use text::{flatten_into, loosely_blank, render_template, template_paths};

/// A compiled mapping value.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapping {
    /// A plain value (copied as is).
    Literal(Value),
    /// Resolves to undefined (a `@case` or `@replace` without a value, an absent branch).
    Undefined,
    /// Resolving it throws the message (Segment's runtime error).
    Throws(String),
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
        /// The rules applied to a string (numbers and booleans become strings); `Err` is what
        /// applying them throws; `None` when the options are not strings and booleans, and any
        /// value gives "".
        rules: Option<Result<Vec<ReplaceRule>, String>>,
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

/// A plain object's entries, with `None` for a key whose value is undefined.
type Entries = Vec<(String, Option<Value>)>;

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

/// The directives Segment's kit knows.
const DIRECTIVES: [&str; 13] = [
    "@if",
    "@case",
    "@replace",
    "@arrayPath",
    "@path",
    "@template",
    "@literal",
    "@flatten",
    "@json",
    "@merge",
    "@transform",
    "@excludeWhenNull",
    "@liquid",
];

/// Something found while compiling that is worth a warning (the path and what).
#[derive(Debug, Clone, PartialEq)]
pub struct MappingNote {
    pub path: String,
    pub reason: &'static str,
}

impl Mapping {
    /// Compiles a mapping as Segment's `transform` validates it; errors carry the path below
    /// `at` of the offending part.
    pub fn compile(raw: &Value, at: &str) -> Result<Mapping, String> {
        Mapping::compile_noted(raw, at, &mut Vec::new())
    }

    /// [`Mapping::compile`], appending notes (unsupported directives) to `notes`.
    pub fn compile_noted(
        raw: &Value,
        at: &str,
        notes: &mut Vec<MappingNote>,
    ) -> Result<Mapping, String> {
        let mut c = Compiler { notes };
        c.compile(raw, &Place::Root(at), 0, true)
    }

    /// A subscription's whole mapping, as Segment's `transform` takes it
    /// (`getMappingToProcess`): a shallow copy into an object (`{...mapping}`: an array's items
    /// and a string's characters under their indices, nothing of other values), and a
    /// [`ROOT_MAPPING_KEY`]'s directive with the other keys as its `mapping`; then compiled.
    pub fn compile_transform(
        raw: &Value,
        at: &str,
        notes: &mut Vec<MappingNote>,
    ) -> Result<Mapping, String> {
        let spread;
        let raw = match raw {
            Value::Object(_) => raw,
            other => {
                let mut map = Map::new();
                let index = |i: usize| crate::engine::text::int(i as i64);
                match other {
                    Value::Array(items) => {
                        for (i, v) in items.iter().enumerate() {
                            map.push_new(index(i), v.clone());
                        }
                    }
                    Value::String(s) => {
                        for (i, u) in s.encode_utf16().enumerate() {
                            let c = char::from_u32(u32::from(u)).unwrap_or('\u{fffd}');
                            map.push_new(index(i), Value::String(c.to_string()));
                        }
                    }
                    _ => {}
                }
                spread = Value::Object(map);
                &spread
            }
        };
        let rewritten = root_directive(raw)?;
        Mapping::compile_noted(rewritten.as_ref().unwrap_or(raw), at, notes)
    }

    /// Resolves against `root` (the event, or an `@arrayPath` item); `Err` is the message of
    /// what Segment's runtime throws.
    pub fn resolve(&self, root: &Value) -> Result<Option<Value>, String> {
        self.resolve_read(&Read::Value(root))
    }

    fn resolve_read(&self, root: &Read) -> Result<Option<Value>, String> {
        Ok(match self {
            Mapping::Literal(v) => Some(v.clone()),
            Mapping::Undefined | Mapping::Unsupported => None,
            Mapping::Throws(message) => return Err(message.clone()),
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
                Chosen::Transformed(m, Some(new_root)) => m.resolve(&new_root)?,
                Chosen::Transformed(m, None) => m.resolve_read(&Read::Undefined)?,
                Chosen::Nothing => None,
            },
            Mapping::Case { upper, value } => match value.resolve_read(root)? {
                Some(Value::String(s)) => match upper {
                    Some(upper) => Some(Value::String(crate::engine::host::to_case(&s, *upper))),
                    None => {
                        return Err(
                            "operator key should have a value of \"lower\" or \"upper\"".into()
                        )
                    }
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
                    (Some(mut s), Some(rules)) => {
                        for rule in rules.as_ref().map_err(Clone::clone)? {
                            s = text::replace(&s, rule);
                        }
                        Some(Value::String(s))
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
                    out.push(item.resolve(el)?.unwrap_or(Value::Null));
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
                    _ => return Err("@flatten requires a string separator".into()),
                };
                let v = value.resolve_read(root)?;
                let mut out = Map::new();
                if let Some(v) = &v {
                    flatten_into(&mut out, "", v, &sep, *omit_arrays, 0);
                }
                Some(Value::Object(text::js_ordered(out)))
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
                Some(Value::Object(text::js_ordered(map)))
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
    fn object_entries(&self, root: &Read) -> Result<Option<Entries>, String> {
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
    fn chosen(&self, root: &Read) -> Result<Chosen<'_>, String> {
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
                        return Err(crate::engine::text::cat(&[
                            "data must be an object, got ",
                            got,
                        ]));
                    }
                };
                Ok(Chosen::Transformed(mapping, apply.resolve(payload)?))
            }
            _ => Ok(Chosen::Nothing),
        }
    }

    /// What `Object.assign` copies from the value of this mapping: a plain object's entries,
    /// an array's items and a string's characters under their indices, nothing from others.
    fn assigned(&self, root: &Read) -> Result<Entries, String> {
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
fn string_arg(name: &str, v: Option<Value>) -> Result<String, String> {
    match v {
        Some(Value::String(s)) => Ok(s),
        other => Err(crate::engine::text::cat(&[
            name,
            ": expected string, got ",
            other.as_ref().map_or("undefined", value_type),
        ])),
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

/// Segment's `getMappingToProcess`: a mapping with [`ROOT_MAPPING_KEY`] is that key's
/// directive, with the other keys as its `mapping`. `None`: the mapping is used as it is.
fn root_directive(raw: &Value) -> Result<Option<Value>, String> {
    let Value::Object(map) = raw else {
        return Ok(None);
    };
    let Some(root) = map.get(ROOT_MAPPING_KEY) else {
        return Ok(None);
    };
    let mut customer = Map::new();
    for (k, v) in map {
        if k != ROOT_MAPPING_KEY {
            customer.push_new(k.clone(), v.clone());
        }
    }
    let mut root = root.clone();
    let Value::Object(directive) = &mut root else {
        return Err(crate::engine::text::cat(&[
            ROOT_MAPPING_KEY,
            ": must be an object",
        ]));
    };
    if directive.len() > 1 {
        return Err("The root mapping must only have a single directive object".into());
    }
    let first = directive.keys().next().cloned();
    match first {
        Some(key) => match directive.get_mut(&key) {
            Some(Value::Object(args)) => {
                args.insert("mapping".into(), Value::Object(customer));
            }
            _ => return Err("The root directive must be an object".into()),
        },
        None => return Err("The root directive must be an object".into()),
    }
    Ok(Some(root))
}

/// Where a part of a mapping is, for messages: written out only when there is one.
#[derive(Clone, Copy)]
enum Place<'a> {
    Root(&'a str),
    Key(&'a Place<'a>, &'a str),
    Index(&'a Place<'a>, usize),
}

impl Place<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Place::Root(r) => out.push_str(r),
            Place::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            Place::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                crate::engine::json::push_int(out, *i as i64);
                out.push(']');
            }
        }
    }

    /// `<place>: <parts>`.
    fn error(&self, parts: &[&str]) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out.push_str(": ");
        for p in parts {
            out.push_str(p);
        }
        out
    }
}

/// JavaScript's truthiness of an optional argument.
fn truthy(v: Option<&Value>) -> bool {
    v.is_some_and(js::truthy)
}

/// Whether an object has a directive key (`realTypeOrDirective` says "directive").
fn has_directive_key(map: &Map<String, Value>) -> bool {
    map.keys().any(|k| k.starts_with('@'))
}

/// Whether an object is resolved as a directive (`isDirective`): a `@` key, and no other keys
/// than `@` keys and `_metadata`.
fn is_directive(map: &Map<String, Value>) -> bool {
    has_directive_key(map) && map.keys().all(|k| k.starts_with('@') || k == "_metadata")
}

/// The length of a string in UTF-16 units (JavaScript's `length`).
fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

struct Compiler<'n> {
    notes: &'n mut Vec<MappingNote>,
}

impl Compiler<'_> {
    /// `raw` compiled. With `checked`, what Segment's `validate` rejects is an error; without
    /// (inside arrays and raw `@literal` values, which `validate` does not look into), it
    /// compiles to what resolving does: it throws when reached.
    fn compile(
        &mut self,
        raw: &Value,
        at: &Place,
        depth: usize,
        checked: bool,
    ) -> Result<Mapping, String> {
        if depth > MAX_MAPPING_DEPTH {
            return Err(at.error(&["nested deeper than 64 levels"]));
        }
        match raw {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(self.compile(v, &Place::Index(at, i), depth + 1, false)?);
                }
                Ok(Mapping::Array(out))
            }
            Value::Object(map) if has_directive_key(map) => {
                if checked {
                    self.check_directive_object(map, at)?;
                }
                if !is_directive(map) {
                    // Unchecked, an object with other keys is a plain object.
                    return self.object(map, at, depth, checked);
                }
                let Some((key, arg)) = map.iter().find(|(k, _)| k.starts_with('@')) else {
                    return Ok(Mapping::Undefined);
                };
                self.directive(key, arg, &Place::Key(at, key), depth, checked)
            }
            Value::Object(map) => self.object(map, at, depth, checked),
            other => Ok(Mapping::Literal(other.clone())),
        }
    }

    fn object(
        &mut self,
        map: &Map<String, Value>,
        at: &Place,
        depth: usize,
        checked: bool,
    ) -> Result<Mapping, String> {
        let mut fields = Vec::with_capacity(map.len());
        for (k, v) in map {
            fields.push((
                k.clone(),
                self.compile(v, &Place::Key(at, k), depth + 1, checked)?,
            ));
        }
        Ok(Mapping::Object(fields))
    }

    /// `validateDirective`'s checks of the object's keys.
    fn check_directive_object(&self, map: &Map<String, Value>, at: &Place) -> Result<(), String> {
        let directives: Vec<&String> = map.keys().filter(|k| k.starts_with('@')).collect();
        if directives.len() > 1 {
            let list: Vec<&str> = directives.iter().map(|k| k.as_str()).collect();
            return Err(at.error(&[
                "only one directive allowed per object, found ",
                &list.join(", "),
            ]));
        }
        if map.keys().any(|k| !k.starts_with('@') && k != "_metadata") {
            return Err(at.error(&[
                "directive ",
                directives[0],
                " cannot be mixed with other keys",
            ]));
        }
        if !DIRECTIVES.contains(&directives[0].as_str()) {
            return Err(at.error(&[
                "unknown directive ",
                directives[0],
                " (known: ",
                &DIRECTIVES.join(", "),
                ")",
            ]));
        }
        Ok(())
    }

    /// An argument that `validate` requires to be a directive or a string (`@path`,
    /// `@template`, `@case`'s and `@replace`'s `value`).
    fn directive_or_string(&self, v: &Value, at: &Place, checked: bool) -> Result<(), String> {
        match v {
            Value::String(_) => Ok(()),
            Value::Object(m) if has_directive_key(m) => Ok(()),
            _ if !checked => Ok(()),
            _ => Err(at.error(&["must be a string or a directive"])),
        }
    }

    /// An argument that `validate` requires to be a directive or an object.
    fn directive_or_object(&self, v: &Value, at: &Place, checked: bool) -> Result<(), String> {
        match v {
            Value::Object(_) => Ok(()),
            _ if !checked => Ok(()),
            _ => Err(at.error(&["must be an object or a directive"])),
        }
    }

    /// The directive `key` of the object at `at`'s parent, with its argument.
    fn directive(
        &mut self,
        key: &str,
        arg: &Value,
        at: &Place,
        depth: usize,
        checked: bool,
    ) -> Result<Mapping, String> {
        let sub = |this: &mut Self, v: &Value, name: &str| {
            this.compile(v, &Place::Key(at, name), depth + 1, checked)
        };
        let throws = |message: &str| Ok(Mapping::Throws(message.into()));
        match key {
            "@path" | "@template" => {
                self.directive_or_string(arg, at, checked)?;
                return Ok(match (arg, key) {
                    (Value::String(s), "@path") => Mapping::Path(JsonPath::parse_rooted(s)),
                    (Value::String(s), _) => Mapping::Template(s.clone()),
                    (_, "@path") => {
                        Mapping::PathOf(Box::new(self.compile(arg, at, depth + 1, checked)?))
                    }
                    _ => {
                        Mapping::TemplateOf(Box::new(self.compile(arg, at, depth + 1, checked)?))
                    }
                });
            }
            // `@literal` resolves its value, directives included; `validate` does not look
            // into a raw object or array there.
            "@literal" | "@excludeWhenNull" => {
                let inner_checked =
                    checked && matches!(arg, Value::Object(m) if has_directive_key(m));
                let inner = self.compile(arg, at, depth + 1, inner_checked)?;
                return Ok(if key == "@literal" {
                    inner
                } else {
                    Mapping::ExcludeWhenNull(Box::new(inner))
                });
            }
            "@liquid" => {
                if checked && !arg.is_string() {
                    return Err(at.error(&["must be a string"]));
                }
                let mut path = String::new();
                at.write(&mut path);
                self.notes.push(MappingNote {
                    path,
                    reason: "@liquid is not supported: the field is left out",
                });
                return Ok(Mapping::Unsupported);
            }
            "@arrayPath" => {
                let Value::Array(items) = arg else {
                    if checked {
                        return Err(at.error(&["must be [path] or [path, item mapping]"]));
                    }
                    return throws("@arrayPath expected array");
                };
                let first = items.first().unwrap_or(&Value::Null);
                if checked && items.is_empty() {
                    return Err(at.error(&["must be [path] or [path, item mapping]"]));
                }
                self.directive_or_string(first, &Place::Index(at, 0), checked)?;
                let root = match first {
                    Value::String(s) => Mapping::Path(JsonPath::parse_rooted(s)),
                    _ if items.is_empty() => Mapping::Undefined,
                    other => self.compile(other, &Place::Index(at, 0), depth + 1, checked)?,
                };
                let item = match items.get(1) {
                    Some(shape @ Value::Object(m)) if !m.is_empty() => Some(Box::new(
                        self.compile(shape, &Place::Index(at, 1), depth + 1, checked)?,
                    )),
                    Some(other) if checked => {
                        // Checked (`validate`), but not used as an item shape.
                        let mut scratch = Compiler {
                            notes: &mut Vec::new(),
                        };
                        scratch.compile(other, &Place::Index(at, 1), depth + 1, checked)?;
                        None
                    }
                    _ => None,
                };
                return Ok(Mapping::ArrayPath {
                    root: Box::new(root),
                    item,
                });
            }
            _ => {}
        }
        if !DIRECTIVES.contains(&key) {
            return throws(&crate::engine::text::cat(&[
                key,
                " is not a valid directive, got undefined",
            ]));
        }
        // The rest take an object of options, every value of which `validate` checks.
        let Value::Object(opts) = arg else {
            if checked {
                return Err(at.error(&["must be an object"]));
            }
            return throws(&crate::engine::text::cat(&[key, " requires an object"]));
        };
        if checked {
            if has_directive_key(opts) {
                return Err(at.error(&["must be an object of options, not a directive"]));
            }
            // Notes come from the compilation below, not from this check.
            let mut scratch = Compiler {
                notes: &mut Vec::new(),
            };
            for (k, v) in opts {
                scratch.compile(v, &Place::Key(at, k), depth + 1, true)?;
            }
        }
        let get = |name: &str| opts.get(name);
        let opt_at = |name: &'static str| Place::Key(at, name);
        let check = |ok: bool, name: &'static str, what: &str| {
            if checked && !ok {
                Err(opt_at(name).error(&[what]))
            } else {
                Ok(())
            }
        };
        let is_string = |name| get(name).is_none_or(Value::is_string);
        let is_bool = |name| get(name).is_none_or(|v| v.as_bool().is_some());
        let one_of = |name, a: &str, b: &str| {
            get(name).is_none_or(|v| {
                v.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(a) || s.eq_ignore_ascii_case(b))
            })
        };
        let required = |name: &'static str| check(get(name).is_some(), name, "is required");
        Ok(match key {
            "@if" => {
                if !truthy(get("exists")) && !truthy(get("blank")) {
                    return throws("@if requires an \"exists\" key or a \"blank\" key");
                }
                let blank = get("exists").is_none();
                let subject = get(if blank { "blank" } else { "exists" }).unwrap_or(&Value::Null);
                let subject = sub(self, subject, if blank { "blank" } else { "exists" })?;
                let then = match get("then") {
                    Some(v) => Some(Box::new(sub(self, v, "then")?)),
                    None => None,
                };
                let otherwise = match get("else") {
                    Some(v) if js::truthy(v) => Some(Box::new(sub(self, v, "else")?)),
                    _ => None,
                };
                Mapping::If {
                    blank,
                    subject: Box::new(subject),
                    then,
                    otherwise,
                }
            }
            "@case" => {
                check(is_string("operator"), "operator", "must be a string")?;
                if let Some(v) = get("value") {
                    self.directive_or_string(v, &opt_at("value"), checked)?;
                }
                if !truthy(get("operator")) {
                    return throws("@case requires a \"operator\" key");
                }
                let Some(value) = get("value").filter(|v| js::truthy(v)) else {
                    return Ok(Mapping::Undefined);
                };
                let upper = match get("operator").and_then(Value::as_str) {
                    Some("lower") => Some(false),
                    Some("upper") => Some(true),
                    _ => None,
                };
                Mapping::Case {
                    upper,
                    value: Box::new(sub(self, value, "value")?),
                }
            }
            "@replace" => {
                required("pattern")?;
                required("value")?;
                check(is_string("pattern"), "pattern", "must be a string")?;
                check(is_string("replacement"), "replacement", "must be a string")?;
                let len = |name| get(name).and_then(Value::as_str).map_or(0, units);
                check(len("pattern") >= 1, "pattern", "must not be empty")?;
                check(
                    len("pattern") <= MAX_REPLACE_LEN,
                    "pattern",
                    "at most 10 characters",
                )?;
                check(
                    len("replacement") <= MAX_REPLACE_LEN,
                    "replacement",
                    "at most 10 characters",
                )?;
                check(is_bool("ignorecase"), "ignorecase", "must be true or false")?;
                check(is_bool("global"), "global", "must be true or false")?;
                if let Some(v) = get("value") {
                    self.directive_or_string(v, &opt_at("value"), checked)?;
                }
                if !truthy(get("pattern")) {
                    return throws("@replace requires a \"pattern\" key");
                }
                let Some(value) = get("value").filter(|v| js::truthy(v)) else {
                    return Ok(Mapping::Undefined);
                };
                let value = Box::new(sub(self, value, "value")?);
                Mapping::Replace {
                    value,
                    rules: replace_rules(opts),
                }
            }
            "@json" => {
                required("value")?;
                required("mode")?;
                check(
                    one_of("mode", "encode", "decode"),
                    "mode",
                    "must be \"encode\" or \"decode\"",
                )?;
                if !truthy(get("mode")) {
                    return throws("@json requires a \"mode\" key");
                }
                if !truthy(get("value")) {
                    return throws("@json requires a \"value\" key");
                }
                let encode = match get("mode").and_then(Value::as_str) {
                    Some("encode") => Some(true),
                    Some("decode") => Some(false),
                    _ => None,
                };
                let value = get("value").unwrap_or(&Value::Null);
                Mapping::Json {
                    encode,
                    value: Box::new(sub(self, value, "value")?),
                }
            }
            "@flatten" => {
                required("value")?;
                check(is_string("separator"), "separator", "must be a string")?;
                if !truthy(get("separator")) {
                    return throws("@flatten requires a \"separator\" key");
                }
                let separator = sub(self, get("separator").unwrap_or(&Value::Null), "separator")?;
                let value = match get("value") {
                    Some(v) => sub(self, v, "value")?,
                    None => Mapping::Undefined,
                };
                Mapping::Flatten {
                    separator: Box::new(separator),
                    value: Box::new(value),
                    omit_arrays: truthy(get("omitArrays")),
                }
            }
            "@merge" => {
                check(
                    one_of("direction", "left", "right"),
                    "direction",
                    "must be \"left\" or \"right\"",
                )?;
                required("objects")?;
                let items = match get("objects") {
                    Some(Value::Array(items)) => Some(items),
                    _ => None,
                };
                check(items.is_some(), "objects", "must be an array of mappings")?;
                for (i, item) in items.into_iter().flatten().enumerate() {
                    let item_at = Place::Index(&opt_at("objects"), i);
                    self.directive_or_object(item, &item_at, checked)?;
                    if checked {
                        let mut scratch = Compiler {
                            notes: &mut Vec::new(),
                        };
                        scratch.compile(item, &item_at, depth + 1, true)?;
                    }
                }
                if !truthy(get("direction")) {
                    return throws("@merge requires a \"direction\" key");
                }
                let Some(items) = items.filter(|_| truthy(get("objects"))) else {
                    return throws("@merge requires a \"objects\" key");
                };
                let direction = sub(self, get("direction").unwrap_or(&Value::Null), "direction")?;
                let objects_at = opt_at("objects");
                let mut objects = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    objects.push(self.compile(
                        item,
                        &Place::Index(&objects_at, i),
                        depth + 1,
                        checked,
                    )?);
                }
                Mapping::Merge {
                    direction: Box::new(direction),
                    objects,
                }
            }
            // @transform
            _ => {
                required("apply")?;
                required("mapping")?;
                for name in ["apply", "mapping"] {
                    if let Some(v) = get(name) {
                        self.directive_or_object(v, &Place::Key(at, name), checked)?;
                    }
                }
                if !truthy(get("mapping")) {
                    return throws("@transform requires a \"mapping\" key");
                }
                let apply = match get("apply") {
                    Some(v @ Value::Object(_)) => v,
                    Some(_) => return throws("@transform \"apply\" key should be an object"),
                    None => return throws("@transform requires a \"apply\" key"),
                };
                // `transform` validates `apply` whenever it runs.
                let apply = match self.compile(apply, &opt_at("apply"), depth + 1, true) {
                    Ok(m) => m,
                    Err(e) if !checked => Mapping::Throws(e),
                    Err(e) => return Err(e),
                };
                let mapping = sub(self, get("mapping").unwrap_or(&Value::Null), "mapping")?;
                Mapping::Transform {
                    apply: Box::new(apply),
                    mapping: Box::new(mapping),
                }
            }
        })
    }
}

/// `@replace`'s options as the kit reads them when it runs: the replacement defaults to "",
/// `ignorecase` to false and `global` to true; the rules apply only when those are strings and
/// booleans; a pattern or replacement longer than 10 characters throws then.
fn replace_rules(opts: &Map<String, Value>) -> Option<Result<Vec<ReplaceRule>, String>> {
    let or_default = |name: &str, default: Value| match opts.get(name) {
        None | Some(Value::Null) => default,
        Some(v) => v.clone(),
    };
    let replacement = or_default("replacement", Value::from(""));
    let ignore_case = or_default("ignorecase", Value::Bool(false));
    let global = or_default("global", Value::Bool(true));
    let (Some(pattern), Some(replacement), Some(ignore_case), Some(global)) = (
        opts.get("pattern").and_then(Value::as_str),
        replacement.as_str(),
        ignore_case.as_bool(),
        global.as_bool(),
    ) else {
        return None;
    };
    let rule = |pattern: &str, replacement: &str| {
        if units(pattern) > MAX_REPLACE_LEN {
            return Err("@replace requires a \"pattern\" less than 10 characters".to_string());
        }
        if units(replacement) > MAX_REPLACE_LEN {
            return Err("@replace requires a \"replacement\" less than 10 characters".to_string());
        }
        Ok(ReplaceRule {
            pattern: pattern.into(),
            replacement: replacement.into(),
            global,
            ignore_case,
        })
    };
    let mut rules = vec![];
    match rule(pattern, replacement) {
        Ok(r) => rules.push(r),
        Err(e) => return Some(Err(e)),
    }
    if truthy(opts.get("pattern2")) {
        let replacement2 = or_default("replacement2", Value::from(""));
        if let (Some(p2), Some(r2)) = (
            opts.get("pattern2").and_then(Value::as_str),
            replacement2.as_str(),
        ) {
            match rule(p2, r2) {
                Ok(r) => rules.push(r),
                Err(e) => return Some(Err(e)),
            }
        }
    }
    Some(Ok(rules))
}
