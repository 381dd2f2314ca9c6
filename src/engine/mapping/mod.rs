//! Segment mapping directives (`@path`, `@if`, `@template`, ...): compiled once, resolved per event.
//!
//! Resolution yields `Option<Value>`: `None` is JavaScript's `undefined`, and an object key whose
//! value resolves to `None` is left out of the result (null is kept).

mod text;

use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;
use std::cell::Cell;
pub use text::{flatten_into, loosely_blank};

/// A compiled mapping value.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapping {
    /// A plain value (copied as is), or the value of `@literal`.
    Literal(Value),
    /// Resolves to undefined: an absent `@if` branch.
    Undefined,
    Object(Vec<(String, Mapping)>),
    Array(Vec<Mapping>),
    Path(JsonPath),
    If {
        condition: Condition,
        subject: Box<Mapping>,
        /// [`Mapping::Undefined`] when absent, as is `otherwise`.
        then: Box<Mapping>,
        otherwise: Box<Mapping>,
    },
    /// `@template`: its text parts as [`Mapping::Literal`] strings and its fields as
    /// [`Mapping::Path`]s (no other kinds).
    Template(Vec<Mapping>),
    /// `@arrayPath` with an item mapping (without one it compiles to [`Mapping::Path`]).
    ArrayPath {
        path: JsonPath,
        item: Box<Mapping>,
    },
    Merge {
        objects: Vec<Mapping>,
        later_wins: bool,
    },
    /// A directive that resolves `value` and, unless it is undefined, applies `op` to it
    /// (`@case`, `@replace`, `@json`, `@flatten`, `@transform`, `@excludeWhenNull`).
    Apply {
        op: Op,
        value: Box<Mapping>,
    },
}

/// What an [`Mapping::Apply`] does with the resolved value.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Case {
        upper: bool,
    },
    Replace(Vec<ReplaceRule>),
    Json {
        encode: bool,
    },
    Flatten {
        separator: Box<str>,
        omit_arrays: bool,
    },
    /// Resolves this mapping against the value (the value is its root).
    Transform(Box<Mapping>),
    ExcludeWhenNull,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    Exists,
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplaceRule {
    /// Lower-cased when `ignore_case`.
    pub pattern: String,
    pub replacement: Box<str>,
    pub global: bool,
    pub ignore_case: bool,
}

/// Patterns and replacements longer than this are rejected (as Segment does).
pub const MAX_REPLACE_LEN: usize = 10;
/// Mappings nested deeper than this are rejected; it bounds recursion on hostile settings.
pub const MAX_MAPPING_DEPTH: usize = 64;
/// The messages that name the limits above (a test checks that they agree).
const TOO_LONG: &str = ": at most 10 characters";
const TOO_DEEP: &str = ": nested deeper than 64 levels";

/// The directives, by their index in this list (the constants below); those from `@if` on
/// take an object of named keys.
const DIRECTIVES: [&str; 12] = [
    "@path",
    "@template",
    "@literal",
    "@arrayPath",
    "@excludeWhenNull",
    "@if",
    "@case",
    "@replace",
    "@merge",
    "@json",
    "@flatten",
    "@transform",
];
const PATH: usize = 0;
const TEMPLATE: usize = 1;
const LITERAL: usize = 2;
const ARRAY_PATH: usize = 3;
const EXCLUDE_WHEN_NULL: usize = 4;
const IF: usize = 5;
const CASE: usize = 6;
const REPLACE: usize = 7;
const MERGE: usize = 8;
const JSON: usize = 9;
const FLATTEN: usize = 10;
const UNKNOWN: usize = DIRECTIVES.len();

/// The directives in the order the "unknown directive" message lists them.
const KNOWN: &str = "@path, @if, @template, @literal, @arrayPath, @case, @replace, @merge, @json, \
                     @flatten, @transform, @excludeWhenNull";

impl Mapping {
    /// Compiles a mapping; errors carry the path below `at` of the offending part.
    pub fn compile(raw: &Value, at: &str) -> Result<Mapping, String> {
        let error = Cell::new(String::new());
        let mapping = compile(raw, &At::Root(at, &error), 0);
        let message = error.into_inner();
        if message.is_empty() {
            Ok(mapping)
        } else {
            Err(message)
        }
    }

    /// Resolves against `root` (the event, or an `@arrayPath` item).
    pub fn resolve(&self, root: &Value) -> Option<Value> {
        match self {
            Mapping::Literal(v) => Some(v.clone()),
            Mapping::Undefined => None,
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
            Mapping::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for m in items {
                    out.push(m.resolve(root).unwrap_or(Value::Null));
                }
                Some(Value::Array(out))
            }
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
                if holds { then } else { otherwise }.resolve(root)
            }
            Mapping::Template(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        Mapping::Path(path) => {
                            if let Some(v) = path.get(root) {
                                text::append_display(&mut out, v);
                            }
                        }
                        Mapping::Literal(Value::String(t)) => out.push_str(t),
                        _ => {}
                    }
                }
                Some(Value::String(out))
            }
            Mapping::ArrayPath { path, item } => {
                let value = path.get(root)?;
                let elements = match value {
                    Value::Array(items) => items.as_slice(),
                    Value::Object(_) => std::slice::from_ref(value),
                    other => return Some(other.clone()),
                };
                let mut out = Vec::with_capacity(elements.len());
                for el in elements {
                    // Only objects can be shaped; other elements pass unchanged so that
                    // the action can report them instead of receiving an empty object.
                    out.push(match el {
                        Value::Object(_) => item.resolve(el).unwrap_or(Value::Null),
                        other => other.clone(),
                    });
                }
                Some(Value::Array(out))
            }
            Mapping::Merge {
                objects,
                later_wins,
            } => {
                let mut out = Map::new();
                for m in objects {
                    if let Some(Value::Object(obj)) = m.resolve(root) {
                        for (k, v) in obj {
                            match out.get_mut(&k) {
                                Some(slot) if *later_wins => *slot = v,
                                Some(_) => {}
                                None => out.push_new(k, v),
                            }
                        }
                    }
                }
                Some(Value::Object(out))
            }
            Mapping::Apply { op, value } => {
                let v = value.resolve(root)?;
                match op {
                    Op::Case { upper } => match v {
                        Value::String(s) => {
                            Some(Value::String(crate::engine::text::to_case(&s, *upper)))
                        }
                        other => Some(other),
                    },
                    Op::Replace(rules) => {
                        let mut s = match v {
                            Value::String(s) => s,
                            // Their JSON text is their JavaScript string form.
                            Value::Number(_) | Value::Bool(_) => json_text(&v),
                            other => return Some(other),
                        };
                        for rule in rules {
                            s = text::replace(&s, rule);
                        }
                        Some(Value::String(s))
                    }
                    Op::Json { encode: true } => Some(Value::String(json_text(&v))),
                    Op::Json { encode: false } => match &v {
                        Value::String(s) => Some(crate::engine::json::parse(s).unwrap_or(v)),
                        _ => Some(v),
                    },
                    Op::Flatten {
                        separator,
                        omit_arrays,
                    } => {
                        if !v.is_object() && !v.is_array() {
                            return Some(v);
                        }
                        let mut out = Map::new();
                        text::flatten_into(&mut out, "", &v, separator, *omit_arrays, 0);
                        Some(Value::Object(out))
                    }
                    Op::Transform(mapping) => mapping.resolve(&v),
                    Op::ExcludeWhenNull => match v {
                        Value::Null => None,
                        other => Some(other),
                    },
                }
            }
        }
    }
}

/// The JSON text of `v`.
fn json_text(v: &Value) -> String {
    let mut s = String::new();
    v.write_to(&mut s);
    s
}

/// Where a part of a mapping is, for messages: written out only when there is an error
/// (compiling a mapping formats no path otherwise).
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
    /// The mapping's own place, and where the first error message goes.
    Root(&'a str, &'a Cell<String>),
    /// `parent.key`
    Key(&'a At<'a>, &'a str),
    /// `parent[i]`
    Index(&'a At<'a>, usize),
}

/// What a part that failed to compile becomes. Compiling goes on after an error (the first
/// message is kept): no partly built mapping has to be dropped on an error path.
const FAILED: Mapping = Mapping::Literal(Value::Null);

impl At<'_> {
    fn write(&self, out: &mut String) {
        match self {
            At::Root(r, _) => out.push_str(r),
            At::Key(parent, key) => {
                parent.write(out);
                out.push('.');
                out.push_str(key);
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                crate::engine::json::push_int(out, *i as i64);
                out.push(']');
            }
        }
    }

    /// [`At::fail`] with one part, giving what the failed part becomes.
    #[inline(never)]
    fn failed(&self, message: &str) -> Mapping {
        self.fail(&[message]);
        FAILED
    }

    /// Stores the message (this place, then the parts; the first starts with ": ") as the
    /// mapping's error, unless it has one already.
    pub(super) fn fail(&self, parts: &[&str]) {
        let mut root = self;
        let error = loop {
            match root {
                At::Root(_, error) => break error,
                At::Key(parent, _) | At::Index(parent, _) => root = parent,
            }
        };
        let mut out = error.take();
        if out.is_empty() {
            self.write(&mut out);
            for p in parts {
                out.push_str(p);
            }
        }
        // What `take` left is an empty string: nothing to drop.
        std::mem::forget(error.replace(out));
    }
}

fn compile(raw: &Value, at: &At, depth: usize) -> Mapping {
    if depth > MAX_MAPPING_DEPTH {
        return at.failed(TOO_DEEP);
    }
    match raw {
        Value::Array(items) => Mapping::Array(compile_items(items, at, depth)),
        Value::Object(map) => {
            // The directives, and their list for the message if there are several.
            let mut directive = None;
            let mut found = String::new();
            for (k, v) in map {
                if k.starts_with("@") {
                    if directive.is_some() {
                        found.push_str(", ");
                    }
                    found.push_str(k);
                    directive = directive.or(Some((k.as_str(), v)));
                }
            }
            let Some((key, arg)) = directive else {
                let mut fields = Vec::with_capacity(map.len());
                for (k, v) in map {
                    fields.push((k.clone(), compile(v, &At::Key(at, k), depth + 1)));
                }
                return Mapping::Object(fields);
            };
            if map.len() == 1 {
                return compile_directive(key, arg, at, depth);
            }
            if found.len() == key.len() {
                let parts = [": directive ", key, " cannot be mixed with other keys"];
                at.fail(&parts);
                return FAILED;
            }
            at.fail(&[": only one directive allowed per object, found ", &found]);
            FAILED
        }
        other => Mapping::Literal(other.clone()),
    }
}

/// The elements of an array (at `at`, one level below `depth`), compiled.
fn compile_items(items: &[Value], at: &At, depth: usize) -> Vec<Mapping> {
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(compile(v, &At::Index(at, i), depth + 1));
    }
    out
}

/// A directive's mapping argument (one level below `depth`), boxed.
fn boxed(raw: &Value, at: &At, depth: usize) -> Box<Mapping> {
    Box::new(compile(raw, at, depth + 1))
}

/// The object argument of a directive (`{"operator": ..., "value": ...}`), read key by key.
struct Args<'a> {
    obj: &'a Map<String, Value>,
    at: &'a At<'a>,
    depth: usize,
}

impl<'a> Args<'a> {
    fn fail(&self, name: &str, message: &str) {
        At::Key(self.at, name).fail(&[message]);
    }

    /// The mapping under `name`, if present ([`Mapping::Undefined`] if not).
    fn optional(&self, name: &str) -> Box<Mapping> {
        self.mapping(name, false)
    }

    /// The mapping under `name`, which must be present.
    fn required(&self, name: &str) -> Box<Mapping> {
        self.mapping(name, true)
    }

    fn mapping(&self, name: &str, required: bool) -> Box<Mapping> {
        match self.obj.get(name) {
            Some(v) => boxed(v, &At::Key(self.at, name), self.depth),
            None => {
                if required {
                    self.fail(name, ": is required");
                }
                Box::new(Mapping::Undefined)
            }
        }
    }

    /// Whether the string under `name` is the second of two (`[name, first, second]`; the
    /// default when absent, if there is one).
    fn choice(&self, [name, first, second]: &[&str; 3], default: Option<bool>) -> bool {
        // A value that is not a string counts as absent.
        match self.obj.get(name).and_then(Value::as_str) {
            Some(s) if s == *first => return false,
            Some(s) if s == *second => return true,
            None if default.is_some() => return default == Some(true),
            _ => {}
        }
        At::Key(self.at, name).fail(&[": must be \"", first, "\" or \"", second, "\""]);
        false
    }

    /// `true`/`false` under `name`, or `default` when absent.
    fn flag(&self, name: &str, default: bool) -> bool {
        match self.obj.get(name) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.fail(name, ": must be true or false");
                default
            }
        }
    }

    /// Checks that `text` (the string under `name`) is at most [`MAX_REPLACE_LEN`] characters.
    fn short(&self, name: &str, text: &str) {
        if text.chars().count() > MAX_REPLACE_LEN {
            self.fail(name, TOO_LONG);
        }
    }

    /// The string under `name`, if present.
    fn string(&self, name: &str) -> Option<&'a str> {
        match self.obj.get(name)? {
            Value::String(s) => Some(s),
            _ => {
                self.fail(name, ": must be a string");
                None
            }
        }
    }
}

/// `text` as a path, or the path's error at `at`.
pub(super) fn path_at(text: &str, at: &At) -> JsonPath {
    JsonPath::parse(text).unwrap_or_else(|e| {
        at.fail(&[": ", &e]);
        JsonPath::from_keys(&[])
    })
}

/// `arg` of the directive `key` of the object at `parent`.
fn compile_directive(key: &str, arg: &Value, parent: &At, depth: usize) -> Mapping {
    let directive = DIRECTIVES.iter().take_while(|name| **name != key).count();
    if directive == UNKNOWN {
        parent.fail(&[": unknown directive ", key, " (known: ", KNOWN, ")"]);
        return FAILED;
    }
    let at = &At::Key(parent, key);
    match directive {
        PATH => {
            let Value::String(text) = arg else {
                return at.failed(": must be a string path like \"$.traits.email\"");
            };
            return Mapping::Path(path_at(text, at));
        }
        LITERAL => return Mapping::Literal(arg.clone()),
        TEMPLATE => {
            let Value::String(text) = arg else {
                return at.failed(": must be a string");
            };
            return Mapping::Template(text::parse_template(text, at));
        }
        ARRAY_PATH => {
            let (first, item) = match arg.as_array().map(Vec::as_slice) {
                Some([first]) => (first, None),
                Some([first, item]) => (first, Some(item)),
                _ => return at.failed(": must be [path] or [path, item mapping]"),
            };
            let first_at = &At::Index(at, 0);
            let Value::String(text) = first else {
                return first_at.failed(": must be a string path");
            };
            let path = path_at(text, first_at);
            let Some(raw) = item else {
                return Mapping::Path(path);
            };
            let item = boxed(raw, &At::Index(at, 1), depth);
            return Mapping::ArrayPath { path, item };
        }
        EXCLUDE_WHEN_NULL => {
            let value = boxed(arg, at, depth);
            return Mapping::Apply {
                op: Op::ExcludeWhenNull,
                value,
            };
        }
        _ => {}
    }
    let Value::Object(obj) = arg else {
        return at.failed(": must be an object");
    };
    let a = Args { obj, at, depth };
    if directive != IF {
        return compile_op(directive, &a);
    }
    for k in obj.keys() {
        if !matches!(k.as_str(), "exists" | "blank" | "then" | "else") {
            a.fail(k, ": unknown key (expected exists or blank, then, else)");
            return FAILED;
        }
    }
    let (condition, name) = match (obj.get("exists"), obj.get("blank")) {
        (Some(_), None) => (Condition::Exists, "exists"),
        (None, Some(_)) => (Condition::Blank, "blank"),
        (Some(_), Some(_)) => {
            return at.failed(": use either exists or blank, not both");
        }
        (None, None) => {
            return at.failed(": needs exists or blank");
        }
    };
    Mapping::If {
        condition,
        subject: a.required(name),
        then: a.optional("then"),
        otherwise: a.optional("else"),
    }
}

/// The directives of an object argument other than @if: rare in mappings, so a function of
/// their own, which V8 compiles only when a mapping uses one.
#[inline(never)]
fn compile_op(directive: usize, a: &Args) -> Mapping {
    let (obj, at, depth) = (a.obj, a.at, a.depth);
    let (op, value) = match directive {
        MERGE => {
            let later_wins = a.choice(&["direction", "left", "right"], Some(true));
            let objects_at = &At::Key(at, "objects");
            let Some(Value::Array(items)) = obj.get("objects") else {
                return objects_at.failed(": must be an array of mappings");
            };
            return Mapping::Merge {
                objects: compile_items(items, objects_at, depth),
                later_wins,
            };
        }
        CASE => {
            let upper = a.choice(&["operator", "lower", "upper"], None);
            (Op::Case { upper }, a.required("value"))
        }
        REPLACE => {
            let global = a.flag("global", true);
            let ignore_case = a.flag("ignorecase", false);
            let mut rules = Vec::new();
            for &(p, r) in &[("pattern", "replacement"), ("pattern2", "replacement2")] {
                let Some(pattern) = a.string(p) else {
                    if rules.is_empty() {
                        a.fail(p, ": is required");
                    }
                    continue;
                };
                let replacement = a.string(r).unwrap_or_default();
                a.short(p, pattern);
                a.short(r, replacement);
                if pattern.is_empty() {
                    a.fail(p, ": must not be empty");
                }
                rules.push(ReplaceRule {
                    // Lower-cased once here, not for every event.
                    pattern: if ignore_case {
                        crate::engine::text::to_case(pattern, false)
                    } else {
                        pattern.into()
                    },
                    replacement: replacement.into(),
                    global,
                    ignore_case,
                });
            }
            (Op::Replace(rules), a.required("value"))
        }
        JSON => {
            let encode = !a.choice(&["mode", "encode", "decode"], None);
            (Op::Json { encode }, a.required("value"))
        }
        FLATTEN => {
            let separator = a.string("separator").unwrap_or(".").into();
            let value = a.required("value");
            let omit_arrays = a.flag("omitArrays", false);
            let op = Op::Flatten {
                separator,
                omit_arrays,
            };
            (op, value)
        }
        // @transform
        _ => {
            let apply = a.required("apply");
            (Op::Transform(a.required("mapping")), apply)
        }
    };
    Mapping::Apply { op, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limits() {
        assert_eq!(TOO_LONG, format!(": at most {MAX_REPLACE_LEN} characters"));
        assert_eq!(
            TOO_DEEP,
            format!(": nested deeper than {MAX_MAPPING_DEPTH} levels")
        );
    }

    #[test]
    fn known_lists_the_directives() {
        let mut known: Vec<_> = KNOWN.split(", ").collect();
        let mut directives = DIRECTIVES.to_vec();
        known.sort();
        directives.sort();
        assert_eq!(known, directives);
        let named = [
            (PATH, "@path"),
            (TEMPLATE, "@template"),
            (LITERAL, "@literal"),
            (ARRAY_PATH, "@arrayPath"),
            (EXCLUDE_WHEN_NULL, "@excludeWhenNull"),
            (IF, "@if"),
            (CASE, "@case"),
            (REPLACE, "@replace"),
            (MERGE, "@merge"),
            (JSON, "@json"),
            (FLATTEN, "@flatten"),
            (FLATTEN + 1, "@transform"),
        ];
        for (i, name) in named {
            assert_eq!(DIRECTIVES[i], name);
        }
    }
}
