//! Compiling a mapping: Segment's `validate` (what it rejects is a [`MappingError`] with the path
//! of the part), then each directive built as Segment's runtime reads it, with what that
//! runtime throws compiled to [`Mapping::Throws`].

use super::error::{MappingError, MappingErrorKind as Kind, ResolveError};
use super::ROOT_MAPPING_KEY;
use super::{Mapping, MappingNote, ReplaceRule, ReplaceRules, MAX_MAPPING_DEPTH, MAX_REPLACE_LEN};
use crate::engine::js;
use crate::engine::json::{Map, Value};
use crate::engine::path::JsonPath;

impl Mapping {
    /// Compiles a mapping as Segment's `transform` validates it; errors carry the path below
    /// `at` of the offending part.
    pub fn compile(raw: &Value, at: &str) -> Result<Mapping, MappingError> {
        Mapping::compile_noted(raw, at, &mut Vec::new())
    }

    /// [`Mapping::compile`], appending notes (unsupported directives) to `notes`.
    pub fn compile_noted(
        raw: &Value,
        at: &str,
        notes: &mut Vec<MappingNote>,
    ) -> Result<Mapping, MappingError> {
        let mut validated = Validated::default();
        let mut c = Compiler {
            notes,
            validated: &mut validated,
        };
        c.compile(raw, &Place::Root(at), 0, true)
            .map_err(|rejected| *rejected)
    }

    /// A subscription's whole mapping, as Segment's `transform` takes it
    /// (`getMappingToProcess`): a shallow copy into an object (`{...mapping}`: an array's items
    /// and a string's characters under their indices, nothing of other values), and a
    /// [`ROOT_MAPPING_KEY`]'s directive with the other keys as its `mapping`; then compiled.
    pub fn compile_transform(
        raw: &Value,
        at: &str,
        notes: &mut Vec<MappingNote>,
    ) -> Result<Mapping, MappingError> {
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
        let rewritten = root_directive(raw, &Place::Root(at)).map_err(|rejected| *rejected)?;
        Mapping::compile_noted(rewritten.as_ref().unwrap_or(raw), at, notes)
    }
}

/// Segment's `getMappingToProcess`: a mapping with [`ROOT_MAPPING_KEY`] is that key's
/// directive, with the other keys as its `mapping`. `None`: the mapping is used as it is.
/// Segment's runtime throws on a root key whose value is not one directive with an object.
fn root_directive(raw: &Value, at: &Place) -> Result<Option<Value>, Rejected> {
    let Value::Object(map) = raw else {
        return Ok(None);
    };
    let Some(root) = map.get(ROOT_MAPPING_KEY) else {
        return Ok(None);
    };
    let root_at = Place::Key(at, ROOT_MAPPING_KEY);
    let mut customer = Map::new();
    for (k, v) in map {
        if k != ROOT_MAPPING_KEY {
            customer.push_new(k.clone(), v.clone());
        }
    }
    let mut root = root.clone();
    let Value::Object(directive) = &mut root else {
        return Err(root_at.error(Kind::NotSingleDirective));
    };
    let key = match directive.keys().next() {
        Some(key) if directive.len() == 1 => key.clone(),
        _ => return Err(root_at.error(Kind::NotSingleDirective)),
    };
    match directive.get_mut(&key) {
        Some(Value::Object(args)) => {
            args.insert("mapping".into(), Value::Object(customer));
        }
        _ => return Err(Place::Key(&root_at, &key).error(Kind::NotObject)),
    }
    Ok(Some(root))
}

/// What compiling rejects, boxed while it propagates (through every level of the mapping), so
/// that each `Result` stays the size of a [`Mapping`].
type Rejected = Box<MappingError>;

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

    fn path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn error(&self, kind: Kind) -> Rejected {
        Box::new(MappingError {
            at: self.path(),
            kind,
        })
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

/// One of `validate`'s checks of a directive's option.
#[derive(Clone, Copy)]
enum Check {
    Required,
    /// A string, when there.
    String,
    /// A boolean, when there.
    Boolean,
    /// One of the two texts (in any case), when there.
    OneOf(&'static [&'static str; 2]),
    /// A string of at least one character.
    NotEmpty,
    /// At most [`MAX_REPLACE_LEN`] characters, when a string.
    Short,
    /// A string or a directive, when there.
    StringOrDirective,
    /// An object or a directive, when there.
    ObjectOrDirective,
    /// An array of objects or directives, each a valid mapping.
    Mappings,
}

/// The directives of Segment's kit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Directive {
    If,
    Case,
    Replace,
    ArrayPath,
    Path,
    Template,
    Literal,
    Flatten,
    Json,
    Merge,
    Transform,
    ExcludeWhenNull,
    Liquid,
}

/// Each directive's key, in the order the kit lists them.
pub(super) const DIRECTIVES: [(&str, Directive); 13] = [
    ("@if", Directive::If),
    ("@case", Directive::Case),
    ("@replace", Directive::Replace),
    ("@arrayPath", Directive::ArrayPath),
    ("@path", Directive::Path),
    ("@template", Directive::Template),
    ("@literal", Directive::Literal),
    ("@flatten", Directive::Flatten),
    ("@json", Directive::Json),
    ("@merge", Directive::Merge),
    ("@transform", Directive::Transform),
    ("@excludeWhenNull", Directive::ExcludeWhenNull),
    ("@liquid", Directive::Liquid),
];

impl Directive {
    fn from_key(key: &str) -> Option<Directive> {
        DIRECTIVES.iter().find(|(k, _)| *k == key).map(|&(_, d)| d)
    }

    fn key(self) -> &'static str {
        DIRECTIVES[self as usize].0
    }

    /// `validate`'s checks of the options of a directive that takes an object of options, in
    /// its order (after it has checked each option's value as a mapping).
    fn option_checks(self) -> &'static [(&'static str, Check)] {
        match self {
            Directive::Case => &[
                ("operator", Check::String),
                ("value", Check::StringOrDirective),
            ],
            Directive::Replace => &[
                ("pattern", Check::Required),
                ("value", Check::Required),
                ("pattern", Check::String),
                ("replacement", Check::String),
                ("pattern", Check::NotEmpty),
                ("pattern", Check::Short),
                ("replacement", Check::Short),
                ("ignorecase", Check::Boolean),
                ("global", Check::Boolean),
                ("value", Check::StringOrDirective),
            ],
            Directive::Json => &[
                ("value", Check::Required),
                ("mode", Check::Required),
                ("mode", Check::OneOf(&["encode", "decode"])),
            ],
            Directive::Flatten => &[("value", Check::Required), ("separator", Check::String)],
            Directive::Merge => &[
                ("direction", Check::OneOf(&["left", "right"])),
                ("objects", Check::Required),
                ("objects", Check::Mappings),
            ],
            Directive::Transform => &[
                ("apply", Check::Required),
                ("mapping", Check::Required),
                ("apply", Check::ObjectOrDirective),
                ("mapping", Check::ObjectOrDirective),
            ],
            _ => &[],
        }
    }
}

struct Compiler<'n> {
    notes: &'n mut Vec<MappingNote>,
    validated: &'n mut Validated,
}

/// The values `validate` has accepted, by address (the mapping being compiled is borrowed
/// throughout, so an address names one part of it), so that each part is checked once. A
/// directive checks its options' values, and compiling them checks their own options again:
/// without this, the time doubled with each level of nesting (`@if` in `@if` in ...: 20 levels
/// took seconds, 30 would take hours).
#[derive(Default)]
struct Validated(Vec<*const Value>);

impl Validated {
    fn contains(&self, v: &Value) -> bool {
        self.0.binary_search(&std::ptr::from_ref(v)).is_ok()
    }

    fn insert(&mut self, v: &Value) {
        let address = std::ptr::from_ref(v);
        if let Err(i) = self.0.binary_search(&address) {
            self.0.insert(i, address);
        }
    }
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
    ) -> Result<Mapping, Rejected> {
        if depth > MAX_MAPPING_DEPTH {
            return Err(at.error(Kind::TooDeep));
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
                    check_directive_object(map, at)?;
                }
                if !is_directive(map) {
                    // Unchecked, an object with other keys is a plain object.
                    return self.object(map, at, depth, checked);
                }
                let Some((key, arg)) = map.iter().find(|(k, _)| k.starts_with('@')) else {
                    return Ok(Mapping::Undefined);
                };
                match Directive::from_key(key) {
                    Some(d) => self.directive(d, arg, &Place::Key(at, key), depth, checked),
                    None => Ok(Mapping::Throws(ResolveError::UnknownDirective(key.clone()))),
                }
            }
            Value::Object(map) => self.object(map, at, depth, checked),
            other => Ok(Mapping::Literal(other.clone())),
        }
    }

    /// `raw` checked as `validate` checks it, for the errors only (notes come from compiling it
    /// for use).
    fn validate(&mut self, raw: &Value, at: &Place, depth: usize) -> Result<(), Rejected> {
        if self.validated.contains(raw) {
            return Ok(());
        }
        let mut scratch = Compiler {
            notes: &mut Vec::new(),
            validated: &mut *self.validated,
        };
        scratch.compile(raw, at, depth, true)?;
        self.validated.insert(raw);
        Ok(())
    }

    fn object(
        &mut self,
        map: &Map<String, Value>,
        at: &Place,
        depth: usize,
        checked: bool,
    ) -> Result<Mapping, Rejected> {
        let mut fields = Vec::with_capacity(map.len());
        for (k, v) in map {
            fields.push((
                k.clone(),
                self.compile(v, &Place::Key(at, k), depth + 1, checked)?,
            ));
        }
        Ok(Mapping::Object(fields))
    }

    /// An option's value compiled.
    fn option(
        &mut self,
        v: &Value,
        at: &Place,
        name: &str,
        depth: usize,
        checked: bool,
    ) -> Result<Box<Mapping>, Rejected> {
        Ok(Box::new(self.compile(
            v,
            &Place::Key(at, name),
            depth + 1,
            checked,
        )?))
    }

    /// The directive of the object at `at`'s parent, with its argument.
    fn directive(
        &mut self,
        directive: Directive,
        arg: &Value,
        at: &Place,
        depth: usize,
        checked: bool,
    ) -> Result<Mapping, Rejected> {
        let throws = |e: ResolveError| Ok(Mapping::Throws(e));
        match directive {
            Directive::Path | Directive::Template => {
                if checked {
                    self.check_option(arg, at, depth, Check::StringOrDirective)?;
                }
                return Ok(match (arg, directive) {
                    (Value::String(s), Directive::Path) => Mapping::Path(JsonPath::parse_rooted(s)),
                    (Value::String(s), _) => Mapping::Template(s.clone()),
                    (_, Directive::Path) => {
                        Mapping::PathOf(Box::new(self.compile(arg, at, depth + 1, checked)?))
                    }
                    _ => {
                        Mapping::TemplateOf(Box::new(self.compile(arg, at, depth + 1, checked)?))
                    }
                });
            }
            // `@literal` resolves its value, directives included; `validate` does not look
            // into a raw object or array there.
            Directive::Literal | Directive::ExcludeWhenNull => {
                let inner_checked =
                    checked && matches!(arg, Value::Object(m) if has_directive_key(m));
                let inner = self.compile(arg, at, depth + 1, inner_checked)?;
                return Ok(if directive == Directive::Literal {
                    inner
                } else {
                    Mapping::ExcludeWhenNull(Box::new(inner))
                });
            }
            Directive::Liquid => {
                if checked {
                    self.check_option(arg, at, depth, Check::String)?;
                }
                self.notes.push(MappingNote {
                    path: at.path(),
                    reason: "@liquid is not supported: the field is left out",
                });
                return Ok(Mapping::Unsupported);
            }
            Directive::ArrayPath => {
                let Value::Array(items) = arg else {
                    if checked {
                        return Err(at.error(Kind::NotArrayPath));
                    }
                    return throws(ResolveError::ArrayPathNotArray);
                };
                let first = items.first().unwrap_or(&Value::Null);
                if checked {
                    if items.is_empty() {
                        return Err(at.error(Kind::NotArrayPath));
                    }
                    self.check_option(
                        first,
                        &Place::Index(at, 0),
                        depth,
                        Check::StringOrDirective,
                    )?;
                }
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
                        self.validate(other, &Place::Index(at, 1), depth + 1)?;
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
        // The rest take an object of options, every value of which `validate` checks.
        let Value::Object(opts) = arg else {
            if checked {
                return Err(at.error(Kind::NotObject));
            }
            return throws(ResolveError::OptionsNotObject(directive.key()));
        };
        if checked {
            self.check_options(directive, opts, at, depth)?;
        }
        let get = |name: &str| opts.get(name);
        let missing = |key| {
            throws(ResolveError::MissingKey {
                directive: directive.key(),
                key,
            })
        };
        let option = |this: &mut Self, name: &str| {
            let v = get(name).unwrap_or(&Value::Null);
            this.option(v, at, name, depth, checked)
        };
        Ok(match directive {
            Directive::If => {
                if !truthy(get("exists")) && !truthy(get("blank")) {
                    return throws(ResolveError::NoCondition);
                }
                let blank = get("exists").is_none();
                let subject = option(self, if blank { "blank" } else { "exists" })?;
                let then = match get("then") {
                    Some(_) => Some(option(self, "then")?),
                    None => None,
                };
                let otherwise = match get("else") {
                    Some(v) if js::truthy(v) => Some(option(self, "else")?),
                    _ => None,
                };
                Mapping::If {
                    blank,
                    subject,
                    then,
                    otherwise,
                }
            }
            Directive::Case => {
                if !truthy(get("operator")) {
                    return missing("operator");
                }
                if !truthy(get("value")) {
                    return Ok(Mapping::Undefined);
                }
                let upper = match get("operator").and_then(Value::as_str) {
                    Some("lower") => Some(false),
                    Some("upper") => Some(true),
                    _ => None,
                };
                Mapping::Case {
                    upper,
                    value: option(self, "value")?,
                }
            }
            Directive::Replace => {
                if !truthy(get("pattern")) {
                    return missing("pattern");
                }
                if !truthy(get("value")) {
                    return Ok(Mapping::Undefined);
                }
                Mapping::Replace {
                    value: option(self, "value")?,
                    rules: replace_rules(opts),
                }
            }
            Directive::Json => {
                if !truthy(get("mode")) {
                    return missing("mode");
                }
                if !truthy(get("value")) {
                    return missing("value");
                }
                let encode = match get("mode").and_then(Value::as_str) {
                    Some("encode") => Some(true),
                    Some("decode") => Some(false),
                    _ => None,
                };
                Mapping::Json {
                    encode,
                    value: option(self, "value")?,
                }
            }
            Directive::Flatten => {
                if !truthy(get("separator")) {
                    return missing("separator");
                }
                Mapping::Flatten {
                    separator: option(self, "separator")?,
                    value: match get("value") {
                        Some(_) => option(self, "value")?,
                        None => Box::new(Mapping::Undefined),
                    },
                    omit_arrays: truthy(get("omitArrays")),
                }
            }
            Directive::Merge => {
                if !truthy(get("direction")) {
                    return missing("direction");
                }
                let Some(Value::Array(items)) = get("objects").filter(|v| js::truthy(v)) else {
                    return missing("objects");
                };
                let direction = option(self, "direction")?;
                let objects_at = Place::Key(at, "objects");
                let mut objects = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    objects.push(self.compile(
                        item,
                        &Place::Index(&objects_at, i),
                        depth + 1,
                        checked,
                    )?);
                }
                Mapping::Merge { direction, objects }
            }
            Directive::Transform => {
                if !truthy(get("mapping")) {
                    return missing("mapping");
                }
                let apply = match get("apply") {
                    Some(v @ Value::Object(_)) => v,
                    Some(_) => return throws(ResolveError::ApplyNotObject),
                    None => return missing("apply"),
                };
                // `transform` validates `apply` whenever it runs.
                let apply = match self.option(apply, at, "apply", depth, true) {
                    Ok(m) => m,
                    Err(e) if !checked => Box::new(Mapping::Throws(ResolveError::Invalid(e))),
                    Err(e) => return Err(e),
                };
                Mapping::Transform {
                    apply,
                    mapping: option(self, "mapping")?,
                }
            }
            // Handled above.
            Directive::Path
            | Directive::Template
            | Directive::Literal
            | Directive::ExcludeWhenNull
            | Directive::Liquid
            | Directive::ArrayPath => Mapping::Undefined,
        })
    }
}

/// `validateDirective`'s checks of the object's keys.
fn check_directive_object(map: &Map<String, Value>, at: &Place) -> Result<(), Rejected> {
    let directives: Vec<&String> = map.keys().filter(|k| k.starts_with('@')).collect();
    if directives.len() > 1 {
        let keys = directives.into_iter().cloned().collect();
        return Err(at.error(Kind::SeveralDirectives(keys)));
    }
    let directive = directives[0];
    if map.keys().any(|k| !k.starts_with('@') && k != "_metadata") {
        return Err(at.error(Kind::MixedKeys {
            directive: directive.clone(),
        }));
    }
    if Directive::from_key(directive).is_none() {
        return Err(at.error(Kind::UnknownDirective(directive.clone())));
    }
    Ok(())
}

impl Compiler<'_> {
    /// `validate`'s checks of a directive's object of options: not a directive, each value a valid
    /// mapping, then the directive's own checks ([`Directive::option_checks`]).
    fn check_options(
        &mut self,
        directive: Directive,
        opts: &Map<String, Value>,
        at: &Place,
        depth: usize,
    ) -> Result<(), Rejected> {
        if has_directive_key(opts) {
            return Err(at.error(Kind::DirectiveAsOptions));
        }
        for (k, v) in opts {
            self.validate(v, &Place::Key(at, k), depth + 1)?;
        }
        for &(name, check) in directive.option_checks() {
            let option_at = Place::Key(at, name);
            match opts.get(name) {
                Some(v) => self.check_option(v, &option_at, depth, check)?,
                None if matches!(check, Check::Required | Check::NotEmpty) => {
                    let kind = if matches!(check, Check::Required) {
                        Kind::Required
                    } else {
                        Kind::Empty
                    };
                    return Err(option_at.error(kind));
                }
                None => {}
            }
        }
        Ok(())
    }

    /// One check of a value that is there.
    fn check_option(
        &mut self,
        v: &Value,
        at: &Place,
        depth: usize,
        check: Check,
    ) -> Result<(), Rejected> {
        let len = || v.as_str().map_or(0, units);
        let fails = match check {
            Check::Required => None,
            Check::String => (!v.is_string()).then_some(Kind::NotString),
            Check::Boolean => v.as_bool().is_none().then_some(Kind::NotBoolean),
            Check::OneOf(&[a, b]) => {
                let ok = v
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(a) || s.eq_ignore_ascii_case(b));
                (!ok).then_some(Kind::NotOneOf(a, b))
            }
            Check::NotEmpty => (len() == 0).then_some(Kind::Empty),
            Check::Short => (len() > MAX_REPLACE_LEN).then_some(Kind::TooLong),
            Check::StringOrDirective => match v {
                Value::String(_) => None,
                Value::Object(m) if has_directive_key(m) => None,
                _ => Some(Kind::NotStringOrDirective),
            },
            Check::ObjectOrDirective => (!v.is_object()).then_some(Kind::NotObjectOrDirective),
            Check::Mappings => {
                let Value::Array(items) = v else {
                    return Err(at.error(Kind::NotArrayOfMappings));
                };
                for (i, item) in items.iter().enumerate() {
                    let item_at = Place::Index(at, i);
                    self.check_option(item, &item_at, depth, Check::ObjectOrDirective)?;
                    self.validate(item, &item_at, depth + 1)?;
                }
                None
            }
        };
        match fails {
            Some(kind) => Err(at.error(kind)),
            None => Ok(()),
        }
    }
}

/// `@replace`'s options as the kit reads them when it runs: the replacement defaults to "",
/// `ignorecase` to false and `global` to true; the rules apply only when those are strings and
/// booleans; a pattern or replacement longer than 10 characters throws then.
fn replace_rules(opts: &Map<String, Value>) -> ReplaceRules {
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
        return ReplaceRules::Blank;
    };
    let mut pairs = vec![(pattern, replacement)];
    let replacement2 = or_default("replacement2", Value::from(""));
    if truthy(opts.get("pattern2")) {
        if let (Some(p2), Some(r2)) = (
            opts.get("pattern2").and_then(Value::as_str),
            replacement2.as_str(),
        ) {
            pairs.push((p2, r2));
        }
    }
    let mut rules = Vec::with_capacity(pairs.len());
    for (pattern, replacement) in pairs {
        if units(pattern) > MAX_REPLACE_LEN {
            return ReplaceRules::TooLong("pattern");
        }
        if units(replacement) > MAX_REPLACE_LEN {
            return ReplaceRules::TooLong("replacement");
        }
        rules.push(ReplaceRule {
            pattern: pattern.into(),
            replacement: replacement.into(),
            global,
            ignore_case,
        });
    }
    ReplaceRules::Apply(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_directive_has_its_key() {
        for (key, directive) in DIRECTIVES {
            assert_eq!(directive.key(), key);
            assert_eq!(Directive::from_key(key), Some(directive));
        }
    }
}
