//! What can be wrong with a mapping: [`MappingError`], what compiling rejects (what Segment's
//! `validate` rejects, with the path of the part), and [`ResolveError`], what resolving throws
//! (what Segment's runtime throws, with its message). Each message is written here only.

use super::compile::DIRECTIVES;
use super::{MAX_MAPPING_DEPTH, MAX_REPLACE_LEN};
use crate::engine::text::{cat, int};

/// A part of a mapping that Segment's `validate` rejects (its subscription never runs).
#[derive(Debug, Clone, PartialEq)]
pub struct MappingError {
    /// The path of the part (`mapping.@replace.pattern`).
    pub at: String,
    pub kind: MappingErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MappingErrorKind {
    /// Nested deeper than [`MAX_MAPPING_DEPTH`].
    TooDeep,
    /// An object with more than one directive key (the keys).
    SeveralDirectives(Vec<String>),
    /// A directive beside keys other than `_metadata`.
    MixedKeys {
        directive: String,
    },
    /// A `@` key that is no directive of the kit.
    UnknownDirective(String),
    NotStringOrDirective,
    NotObjectOrDirective,
    NotObject,
    /// A directive where a directive's object of options belongs.
    DirectiveAsOptions,
    NotString,
    NotBoolean,
    /// Not one of the two texts (in any case).
    NotOneOf(&'static str, &'static str),
    /// `@merge`'s `objects` not an array.
    NotArrayOfMappings,
    /// `@arrayPath` not `[path]` or `[path, item mapping]`.
    NotArrayPath,
    Required,
    Empty,
    /// A `@replace` pattern or replacement longer than [`MAX_REPLACE_LEN`].
    TooLong,
    /// The root directive key's value not an object with one key.
    NotSingleDirective,
}

impl MappingError {
    /// `<at>: <what is wrong>`.
    pub fn message(&self) -> String {
        let depth = int(MAX_MAPPING_DEPTH as i64);
        let max_len = int(MAX_REPLACE_LEN as i64);
        let listed;
        let what: &[&str] = match &self.kind {
            MappingErrorKind::TooDeep => &["nested deeper than ", &depth, " levels"],
            MappingErrorKind::SeveralDirectives(keys) => {
                listed = list(keys.iter().map(String::as_str));
                &["only one directive allowed per object, found ", &listed]
            }
            MappingErrorKind::MixedKeys { directive } => {
                &["directive ", directive, " cannot be mixed with other keys"]
            }
            MappingErrorKind::UnknownDirective(key) => {
                listed = list(DIRECTIVES.iter().map(|(key, _)| *key));
                &["unknown directive ", key, " (known: ", &listed, ")"]
            }
            MappingErrorKind::NotStringOrDirective => &["must be a string or a directive"],
            MappingErrorKind::NotObjectOrDirective => &["must be an object or a directive"],
            MappingErrorKind::NotObject => &["must be an object"],
            MappingErrorKind::DirectiveAsOptions => {
                &["must be an object of options, not a directive"]
            }
            MappingErrorKind::NotString => &["must be a string"],
            MappingErrorKind::NotBoolean => &["must be true or false"],
            MappingErrorKind::NotOneOf(a, b) => &["must be \"", a, "\" or \"", b, "\""],
            MappingErrorKind::NotArrayOfMappings => &["must be an array of mappings"],
            MappingErrorKind::NotArrayPath => &["must be [path] or [path, item mapping]"],
            MappingErrorKind::Required => &["is required"],
            MappingErrorKind::Empty => &["must not be empty"],
            MappingErrorKind::TooLong => &["at most ", &max_len, " characters"],
            MappingErrorKind::NotSingleDirective => &["must be an object with a single directive"],
        };
        let mut out = cat(&[&self.at, ": "]);
        for part in what {
            out.push_str(part);
        }
        out
    }
}

/// What resolving a mapping throws in Segment's runtime (the subscription does nothing for
/// that event); the message is Segment's.
#[derive(Debug, Clone, PartialEq)]
pub enum ResolveError {
    /// `@transform`'s `apply`, which Segment validates whenever it resolves.
    Invalid(Box<MappingError>),
    /// A directive without an option it needs, or with one that is not truthy.
    MissingKey {
        directive: &'static str,
        key: &'static str,
    },
    /// `@if` without a truthy `exists` or `blank`.
    NoCondition,
    /// A `@` key that is no directive of the kit (inside an array, which `validate` skips).
    UnknownDirective(String),
    /// A directive whose options are not an object.
    OptionsNotObject(&'static str),
    ArrayPathNotArray,
    /// `@transform`'s `apply` not an object.
    ApplyNotObject,
    /// `@path` or `@template` of a mapping that gives no string (the type it gave).
    NotString {
        directive: &'static str,
        got: &'static str,
    },
    /// `@transform`'s `apply` gave no object (the type it gave).
    DataNotObject {
        got: &'static str,
    },
    /// `@case` with an operator other than "lower" and "upper", on a string.
    CaseOperator,
    /// `@replace`'s `pattern` or `replacement` (the option) longer than [`MAX_REPLACE_LEN`].
    ReplaceTooLong(&'static str),
    /// `@flatten` whose separator gives no string.
    FlattenSeparator,
}

impl ResolveError {
    /// Segment's message.
    pub fn message(&self) -> String {
        let max_len = int(MAX_REPLACE_LEN as i64);
        let parts: &[&str] = match self {
            ResolveError::Invalid(e) => return e.message(),
            ResolveError::MissingKey { directive, key } => {
                &[directive, " requires a \"", key, "\" key"]
            }
            ResolveError::NoCondition => &["@if requires an \"exists\" key or a \"blank\" key"],
            ResolveError::UnknownDirective(key) => {
                &[key, " is not a valid directive, got undefined"]
            }
            ResolveError::OptionsNotObject(key) => &[key, " requires an object"],
            ResolveError::ArrayPathNotArray => &["@arrayPath expected array"],
            ResolveError::ApplyNotObject => &["@transform \"apply\" key should be an object"],
            ResolveError::NotString { directive, got } => {
                &[directive, ": expected string, got ", got]
            }
            ResolveError::DataNotObject { got } => &["data must be an object, got ", got],
            ResolveError::CaseOperator => {
                &["operator key should have a value of \"lower\" or \"upper\""]
            }
            ResolveError::ReplaceTooLong(option) => &[
                "@replace requires a \"",
                option,
                "\" less than ",
                &max_len,
                " characters",
            ],
            ResolveError::FlattenSeparator => &["@flatten requires a string separator"],
        };
        cat(parts)
    }
}

/// `a, b, c`.
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for MappingError {}
impl std::error::Error for ResolveError {}
