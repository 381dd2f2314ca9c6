//! The trigger language of subscriptions, with the meaning Segment's runtime gives it
//! (`@segment/destination-subscriptions` 3.37.0 over `@segment/fql-ts` 1.10.1): parsed once into
//! a [`TriggerQuery`], evaluated per event.
//!
//! Segment's parser is lenient: it skips what it does not understand (`type = "identify" or
//! "page"` reads as `type = "identify"`), takes whatever token follows a field as its operator
//! and the next one as its value, and reads each parenthesis level as one flat list joined by
//! the last `and`/`or` in it. This module reads every trigger the same way, and says so in a
//! [`TriggerNote`] wherever a part is skipped or can never match. It rejects only what Segment
//! rejects ([`TriggerError`]). Where Segment's reading is plainly a bug, it reads the trigger
//! as the language is documented instead, and the note says so ([`TriggerNote::is_difference`]):
//! `and` binding tighter than `or`, nested parentheses, `!` before a group or a comparison,
//! `match` without `*` (an exact match) or with `*` at both ends (a substring), `!= true` /
//! `!= false` (not that boolean), and `type = null` / `event = null` (a missing field).

use crate::engine::js::{self, Read};
use crate::engine::json::{Map, Number, Value};
use crate::engine::path::JsonPath;
use crate::engine::text::{cat, find};

/// A parsed trigger, ready to evaluate against events.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerQuery {
    root: Node,
}

/// A part of a trigger.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `a and b` (`all`) or `a or b`.
    Group {
        all: bool,
        children: Vec<Node>,
    },
    /// `!` before a group or a comparison (a deliberate difference: Segment ignores it).
    Not(Box<Node>),
    Condition(Condition),
    /// A parenthesis level without any condition (`()`): Segment's runtime throws when it
    /// reaches it, so the event does not match.
    Empty,
}

/// Which field a condition reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldKind {
    Type,
    Event,
    Name,
    UserId,
    Properties,
    Traits,
    Context,
}

impl FieldKind {
    /// The field's name in Segment's AST (`event-type`, `event-property`, ...).
    pub fn ast_name(self) -> &'static str {
        match self {
            FieldKind::Type => "event-type",
            FieldKind::Event => "event",
            FieldKind::Name => "name",
            FieldKind::UserId => "userId",
            FieldKind::Properties => "event-property",
            FieldKind::Traits => "event-trait",
            FieldKind::Context => "event-context",
        }
    }

    fn root_key(self) -> &'static str {
        match self {
            FieldKind::Type => "type",
            FieldKind::Event => "event",
            FieldKind::Name => "name",
            FieldKind::UserId => "userId",
            FieldKind::Properties => "properties",
            FieldKind::Traits => "traits",
            FieldKind::Context => "context",
        }
    }

    /// Whether the field has a path below it (`properties.<name>`).
    fn has_name(self) -> bool {
        matches!(
            self,
            FieldKind::Properties | FieldKind::Traits | FieldKind::Context
        )
    }
}

/// A comparison's operator: Segment's, and two of this plugin's readings.
#[derive(Debug, Clone, PartialEq)]
pub enum Operator {
    Equals,
    NotEquals,
    NumberEquals,
    NumberNotEquals,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Contains,
    NotContains,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    Exists,
    NotExists,
    IsTrue,
    IsFalse,
    /// `!match(f, "abc")` here: a string other than the value.
    NotEqualString,
    /// A token Segment's runtime takes as the operator but has no meaning for: never true.
    Unknown(String),
}

const OPERATORS: [(&str, Operator); 18] = [
    ("=", Operator::Equals),
    ("!=", Operator::NotEquals),
    ("number_equals", Operator::NumberEquals),
    ("number_not_equals", Operator::NumberNotEquals),
    ("<", Operator::Less),
    ("<=", Operator::LessOrEqual),
    (">", Operator::Greater),
    (">=", Operator::GreaterOrEqual),
    ("contains", Operator::Contains),
    ("not_contains", Operator::NotContains),
    ("starts_with", Operator::StartsWith),
    ("not_starts_with", Operator::NotStartsWith),
    ("ends_with", Operator::EndsWith),
    ("not_ends_with", Operator::NotEndsWith),
    ("exists", Operator::Exists),
    ("not_exists", Operator::NotExists),
    ("is_true", Operator::IsTrue),
    ("is_false", Operator::IsFalse),
];

impl Operator {
    fn from_text(text: &str) -> Operator {
        for (name, op) in OPERATORS {
            if name == text {
                return op;
            }
        }
        Operator::Unknown(text.to_string())
    }

    /// Its name in Segment's AST.
    pub fn ast_name(&self) -> &str {
        match self {
            Operator::NotEqualString => "not_equal_string",
            Operator::Unknown(text) => text,
            other => OPERATORS
                .iter()
                .find(|(_, op)| op == other)
                .map_or("", |(name, _)| name),
        }
    }

    /// Whether it takes no value (and so swallows the token after it as one).
    fn is_unary(&self) -> bool {
        matches!(
            self,
            Operator::Exists | Operator::NotExists | Operator::IsTrue | Operator::IsFalse
        )
    }
}

/// A condition's value as Segment's AST holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
}

/// One comparison or function: `properties.plan = "pro"`, `contains(event, "x")`.
#[derive(Debug, Clone)]
pub struct Condition {
    pub kind: FieldKind,
    /// The path below `properties.` (`traits.`, `context.`) as written (escapes removed).
    pub name: String,
    pub operator: Operator,
    pub value: Option<Literal>,
    /// Where the field is read: `None` when Segment's runtime throws on reading it (a name of
    /// only `.`, `[` and `]`), `Some(None)` for an empty name (undefined).
    path: Option<Option<JsonPath>>,
    /// `String(value)` and `Number(value)`, worked out once.
    text: String,
    number: f64,
}

impl PartialEq for Condition {
    /// Equal when read from the same text (`Number("x")`, NaN, equals itself here).
    fn eq(&self, other: &Condition) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.operator == other.operator
            && self.value == other.value
            && self.path == other.path
            && self.text == other.text
            && self.number.to_bits() == other.number.to_bits()
    }
}

impl Condition {
    fn new(kind: FieldKind, name: &str, operator: Operator, value: Option<Literal>) -> Condition {
        let (text, number) = match &value {
            None => ("undefined".to_string(), f64::NAN),
            Some(Literal::String(s)) => (s.clone(), js::to_number(s)),
            Some(Literal::Number(n)) => (js::number_text(*n), *n),
            Some(Literal::Bool(b)) => (bool_text(*b).into(), f64::from(u8::from(*b))),
        };
        let path = if !kind.has_name() {
            Some(Some(JsonPath::from_keys(&[kind.root_key()])))
        } else if name.is_empty() {
            Some(None)
        } else {
            JsonPath::trigger_field(name).map(|p| {
                let mut keys = vec![kind.root_key()];
                keys.extend(p.steps().iter().map(|s| s.name.as_str()));
                Some(JsonPath::from_keys(&keys))
            })
        };
        Condition {
            kind,
            name: name.to_string(),
            operator,
            value,
            path,
            text,
            number,
        }
    }

    /// Segment's `validateValue` of the field's value; `None` when reading it throws.
    fn test(&self, event: &Value) -> Option<bool> {
        // `data.type`, `data.properties`: a property of the event (reading one of null throws),
        // then JavaScript's `a && a[k]` for the steps of the name.
        if event.is_null() {
            return None;
        }
        let actual = match &self.path {
            None => return None,
            Some(None) => Read::Undefined,
            Some(Some(path)) => match path.steps().split_first() {
                Some((first, rest)) => rest
                    .iter()
                    .fold(Read::Value(event).property(first), Read::get),
                None => Read::Value(event),
            },
        };
        let text = self.text.as_str();
        let n = self.number;
        let string = actual.as_str();
        let number = actual.as_number();
        Some(match &self.operator {
            Operator::Equals => string == Some(text),
            Operator::NotEquals => string != Some(text),
            Operator::NumberEquals => number.is_some_and(|a| a == n),
            Operator::NumberNotEquals => number.is_some_and(|a| a != n),
            Operator::Less => number.is_some_and(|a| a < n),
            Operator::LessOrEqual => number.is_some_and(|a| a <= n),
            Operator::Greater => number.is_some_and(|a| a > n),
            Operator::GreaterOrEqual => number.is_some_and(|a| a >= n),
            Operator::Contains => string.is_some_and(|a| find(a, text).is_some()),
            Operator::NotContains => string.is_some_and(|a| find(a, text).is_none()),
            Operator::StartsWith => string.is_some_and(|a| a.starts_with(text)),
            Operator::NotStartsWith => string.is_some_and(|a| !a.starts_with(text)),
            Operator::EndsWith => string.is_some_and(|a| a.ends_with(text)),
            Operator::NotEndsWith => string.is_some_and(|a| !a.ends_with(text)),
            Operator::Exists => !actual.is_nullish(),
            Operator::NotExists => actual.is_nullish(),
            Operator::IsTrue => actual.value() == Some(&Value::Bool(true)),
            Operator::IsFalse => actual.value() == Some(&Value::Bool(false)),
            Operator::NotEqualString => string.is_some_and(|a| a != text),
            Operator::Unknown(_) => false,
        })
    }

    /// The path read (for [`crate::engine::reads`]).
    pub fn path(&self) -> Option<&JsonPath> {
        self.path.as_ref().and_then(Option::as_ref)
    }
}

impl Node {
    /// Whether the event matches; `None` when Segment's runtime throws before it can say.
    fn eval(&self, event: &Value) -> Option<bool> {
        match self {
            Node::Group { all, children } => {
                for c in children {
                    if c.eval(event)? != *all {
                        return Some(!*all);
                    }
                }
                Some(*all)
            }
            Node::Not(inner) => inner.eval(event).map(|b| !b),
            Node::Condition(c) => c.test(event),
            Node::Empty => None,
        }
    }

    /// Appends the event types this part can match to `out`; false for any type.
    fn types_into(&self, out: &mut Vec<String>) -> bool {
        match self {
            Node::Condition(Condition {
                kind: FieldKind::Type,
                operator: Operator::Equals,
                text,
                ..
            }) => out.push(text.clone()),
            Node::Group {
                all: false,
                children,
            } => return children.iter().all(|p| p.types_into(out)),
            // The types every pinning part allows, in the first one's order.
            Node::Group {
                all: true,
                children,
            } => {
                let start = out.len();
                let mut pinned = false;
                for p in children {
                    let mid = out.len();
                    if !p.types_into(out) {
                        out.truncate(mid);
                        continue;
                    }
                    if pinned {
                        let mut kept = start;
                        for i in start..mid {
                            if out[mid..].contains(&out[i]) {
                                out.swap(kept, i);
                                kept += 1;
                            }
                        }
                        out.truncate(kept);
                    }
                    pinned = true;
                }
                return pinned;
            }
            _ => return false,
        }
        true
    }

    /// Segment's AST of this part (`{"type": "group", "operator": "and", "children": [...]}`);
    /// a `!` of this plugin's reading is `{"type": "not", "child": ...}`, an empty level null.
    fn to_ast(&self) -> Value {
        let mut out = Map::new();
        let mut put = |k: &str, v: Value| out.push_new(k.to_string(), v);
        match self {
            Node::Group { all, children } => {
                put("type", Value::from("group"));
                put("operator", Value::from(if *all { "and" } else { "or" }));
                put(
                    "children",
                    Value::Array(children.iter().map(Node::to_ast).collect()),
                );
            }
            Node::Not(inner) => {
                put("type", Value::from("not"));
                put("child", inner.to_ast());
            }
            Node::Empty => return Value::Null,
            Node::Condition(c) => {
                put("type", Value::from(c.kind.ast_name()));
                if c.kind.has_name() {
                    put("name", Value::from(c.name.as_str()));
                }
                put("operator", Value::from(c.operator.ast_name()));
                match &c.value {
                    None => {}
                    Some(Literal::String(s)) => put("value", Value::from(s.as_str())),
                    Some(Literal::Number(n)) => put(
                        "value",
                        Number::from_f64(*n).map_or(Value::Null, Value::Number),
                    ),
                    Some(Literal::Bool(b)) => put("value", Value::Bool(*b)),
                }
            }
        }
        Value::Object(out)
    }

    /// Calls `f` with every condition.
    fn each_condition<'a>(&'a self, f: &mut dyn FnMut(&'a Condition)) {
        match self {
            Node::Group { children, .. } => {
                for c in children {
                    c.each_condition(f);
                }
            }
            Node::Not(inner) => inner.each_condition(f),
            Node::Condition(c) => f(c),
            Node::Empty => {}
        }
    }
}

impl TriggerQuery {
    /// The trigger no event matches (an empty `or`).
    pub fn never() -> TriggerQuery {
        TriggerQuery {
            root: Node::Group {
                all: false,
                children: Vec::new(),
            },
        }
    }

    /// Parses a trigger; what Segment's runtime rejects is an error, and the notes (parts
    /// skipped, parts read differently on purpose) are left out.
    pub fn parse(text: &str) -> Result<TriggerQuery, TriggerError> {
        TriggerQuery::parse_noted(text, &mut Vec::new())
    }

    /// Parses a trigger and appends its notes, in the order of the text.
    pub fn parse_noted(
        text: &str,
        notes: &mut Vec<TriggerNote>,
    ) -> Result<TriggerQuery, TriggerError> {
        TriggerQuery::parse_with(text, notes, false)
    }

    /// Parses a trigger exactly as Segment's runtime reads it, without this plugin's
    /// deliberate differences (for tests that compare the two readings).
    pub fn parse_as_segment(text: &str) -> Result<TriggerQuery, TriggerError> {
        TriggerQuery::parse_with(text, &mut Vec::new(), true)
    }

    fn parse_with(
        text: &str,
        notes: &mut Vec<TriggerNote>,
        segment: bool,
    ) -> Result<TriggerQuery, TriggerError> {
        let tokens = normalize(lex(text)?);
        let mark = notes.len();
        let mut parser = Parser {
            notes,
            depth: 0,
            segment,
        };
        let root = match parser.level(&tokens, false) {
            Ok(Some(node @ Node::Group { .. })) => Ok(node),
            Ok(Some(node)) => Ok(Node::Group {
                all: true,
                children: vec![node],
            }),
            Ok(None) => Err(TriggerError::new(0, TriggerErrorKind::NoCondition)),
            Err(Fail::Error(e)) => Err(e),
            Err(Fail::Nested) => Err(TriggerError::new(0, TriggerErrorKind::NoCondition)),
        };
        match root {
            Ok(root) => {
                sort_by_position(&mut notes[mark..]);
                Ok(TriggerQuery { root })
            }
            // Where a deliberate difference (a group read to its own `)`) leaves a part this
            // plugin cannot read, Segment's reading, which can, is the one: a trigger Segment
            // accepts is never rejected here.
            Err(e) if !segment => {
                notes.truncate(mark);
                TriggerQuery::parse_with(text, notes, true).map_err(|_| e)
            }
            Err(e) => Err(e),
        }
    }

    /// A trigger from Segment's AST itself (`parseFql`'s result), read as `validate` reads it:
    /// for the upstream fixtures, whose ASTs may hold what no trigger text gives. `None` for an
    /// AST with an error (it never matches).
    pub fn from_segment_ast(ast: &Value) -> Option<TriggerQuery> {
        if ast.get("error").is_some() {
            return None;
        }
        Some(TriggerQuery {
            root: node_from_ast(ast, 0),
        })
    }

    /// Whether the event satisfies this trigger (Segment's runtime: an error while evaluating
    /// is no match).
    pub fn matches(&self, event: &Value) -> bool {
        self.root.eval(event) == Some(true)
    }

    /// The trigger as a tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Segment's AST of the trigger, as `parseFql` returns it (see [`Node`]'s `to_ast`).
    pub fn to_ast(&self) -> Value {
        self.root.to_ast()
    }

    /// The paths the conditions read.
    pub fn paths(&self) -> Vec<&JsonPath> {
        let mut out = Vec::new();
        self.root.each_condition(&mut |c| out.extend(c.path()));
        out
    }

    /// The event `type`s this query can match, when the query pins them down (`type = "x"`
    /// in every branch); `None` means any type. Lets a plugin skip events cheaply.
    pub fn possible_types(&self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        self.root.types_into(&mut out).then_some(out)
    }
}

/// A node of Segment's AST: a group, a condition, or null (`undefined`, which throws).
fn node_from_ast(v: &Value, depth: usize) -> Node {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
    let kind = [
        FieldKind::Type,
        FieldKind::Event,
        FieldKind::Name,
        FieldKind::UserId,
        FieldKind::Properties,
        FieldKind::Traits,
        FieldKind::Context,
    ]
    .into_iter()
    .find(|k| k.ast_name() == text("type"));
    match (v, kind) {
        (Value::Null, _) => Node::Empty,
        _ if text("type") == "group" && depth < MAX_NESTING => Node::Group {
            // An operator other than "and" and "or" is false.
            all: text("operator") == "and",
            children: match text("operator") {
                "and" | "or" => v
                    .get("children")
                    .and_then(Value::as_array)
                    .map(|c| c.iter().map(|n| node_from_ast(n, depth + 1)).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
        },
        (_, Some(kind)) => {
            let value = match v.get("value") {
                Some(Value::String(s)) => Some(Literal::String(s.clone())),
                Some(Value::Number(n)) => Some(Literal::Number(n.as_f64().unwrap_or(f64::NAN))),
                Some(Value::Bool(b)) => Some(Literal::Bool(*b)),
                _ => None,
            };
            Node::Condition(Condition::new(
                kind,
                text("name"),
                Operator::from_text(text("operator")),
                value,
            ))
        }
        // Any other node is false.
        _ => Node::Group {
            all: false,
            children: Vec::new(),
        },
    }
}

/// Why Segment's runtime rejects a trigger (and so never runs its subscription).
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerError {
    /// Character offset in the trigger.
    pub at: usize,
    pub kind: TriggerErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TriggerErrorKind {
    /// A character that starts no token (`~`, a non-ASCII letter outside quotes, `\r`).
    InvalidCharacter(char),
    UnterminatedString,
    /// `!` not followed by `=`, a letter or `(`.
    BangWithoutEquals,
    /// A name followed by a character that cannot end it (`event<=0`).
    BadNameEnd(char),
    /// `5.` before a space, or `1.2.3`.
    BadNumber,
    /// A string, name or number of 100,000 characters or more.
    TooLong,
    /// `\` at the end.
    EscapeAtEnd,
    /// A field without an operator or value after it (`type`, `type =` is fine).
    MissingOperator,
    MissingValue,
    /// `contains(` or `match(` without its arguments.
    MissingArgument,
    /// `(` without a `)`.
    Unclosed,
    /// Nothing that is a condition.
    NoCondition,
    /// Parentheses nested deeper than [`MAX_NESTING`].
    TooDeep,
    /// Nested parentheses, when read as Segment's runtime reads them.
    Nested,
}

impl TriggerError {
    fn new(at: usize, kind: TriggerErrorKind) -> TriggerError {
        TriggerError { at, kind }
    }

    /// What is wrong and where, for a settings warning.
    pub fn message(&self) -> String {
        let c = |ch: &char| {
            let mut s = String::from("\"");
            s.push(*ch);
            s.push('"');
            s
        };
        let what = match &self.kind {
            TriggerErrorKind::InvalidCharacter(ch) => cat(&["invalid character ", &c(ch)]),
            TriggerErrorKind::UnterminatedString => "unterminated string".into(),
            TriggerErrorKind::BangWithoutEquals => {
                "\"!\" must be followed by \"=\" and a space, a name or \"(\"".into()
            }
            TriggerErrorKind::BadNameEnd(ch) => {
                cat(&["a name cannot be followed by ", &c(ch), " (add a space)"])
            }
            TriggerErrorKind::BadNumber => "invalid number".into(),
            TriggerErrorKind::TooLong => {
                "a string, name or number of 100,000 characters or more".into()
            }
            TriggerErrorKind::EscapeAtEnd => "\"\\\" at the end".into(),
            TriggerErrorKind::MissingOperator => "a field without an operator".into(),
            TriggerErrorKind::MissingValue => "a field without a value".into(),
            TriggerErrorKind::MissingArgument => "a function without its arguments".into(),
            TriggerErrorKind::Unclosed => "\"(\" without \")\"".into(),
            TriggerErrorKind::NoCondition => "no condition Segment's runtime understands".into(),
            TriggerErrorKind::TooDeep => "parentheses nested deeper than 64 levels".into(),
            TriggerErrorKind::Nested => "nested parentheses".into(),
        };
        cat(&[
            &what,
            " at ",
            &crate::engine::text::int(self.at as i64),
            " (Segment's runtime rejects it too)",
        ])
    }
}

impl std::fmt::Display for TriggerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for TriggerError {}

/// Something about a trigger worth a warning: a part Segment's runtime skips or can never
/// match (this plugin reads it the same way), or a part this plugin reads differently on
/// purpose.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerNote {
    /// Character offset in the trigger.
    pub at: usize,
    /// The text concerned (a token, or a condition).
    pub text: String,
    pub kind: NoteKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoteKind {
    /// Skipped, as Segment's runtime skips it.
    Ignored,
    /// Not an operator: the comparison never matches, as in Segment.
    NotAnOperator,
    /// The token after `exists` (and the other operators without a value) is its value.
    Swallowed,
    /// A single-quoted value is compared with its quotes (Segment strips only double quotes).
    SingleQuoted,
    /// A comparison without a value: Segment compares with the text "eos".
    NoValue,
    /// A punctuation token taken as the value.
    TokenAsValue,
    /// A field that Segment's runtime throws on reading, or `()`: no match when reached.
    Throws,
    // The deliberate differences:
    /// `and` and `or` mixed at one level without parentheses.
    Precedence,
    /// Nested parentheses (Segment rejects the trigger).
    Nested,
    /// A function call inside parentheses (Segment ends the group at the function's `)`).
    FunctionInGroup,
    /// `!` before a group or a comparison (Segment ignores it).
    Negation,
    /// `match` without `*`: an exact match (Segment: ends with all but the first character).
    MatchExact,
    /// `match` with `*` at both ends: a substring (Segment: starts with `*...`).
    MatchSubstring,
    /// `!= true` / `!= false`: not that boolean (Segment: not the string "true"/"false").
    NotBoolean,
    /// `type = null` / `event = null`: missing (Segment: the string "null").
    NullString,
}

impl TriggerNote {
    /// Whether this plugin reads the part differently from Segment's runtime, on purpose.
    pub fn is_difference(&self) -> bool {
        (self.kind as u8) >= (NoteKind::Precedence as u8)
    }

    /// What it means, for a settings warning: `<text> at <offset>: <meaning>`.
    pub fn message(&self) -> String {
        let what = match self.kind {
            NoteKind::Ignored => "ignored (Segment's runtime ignores it too)",
            NoteKind::NotAnOperator => "is not an operator: the comparison never matches (as in Segment's runtime)",
            NoteKind::Swallowed => "is read as the value of the operator before it, which takes none, and has no other effect (as in Segment's runtime)",
            NoteKind::SingleQuoted => "is compared with its single quotes, which never match a value without them (as in Segment's runtime, which strips only double quotes)",
            NoteKind::NoValue => "has no value: it is compared with the text \"eos\" (as in Segment's runtime)",
            NoteKind::TokenAsValue => "is taken as the value of the comparison before it (as in Segment's runtime)",
            NoteKind::Throws => "cannot be read: when it is reached the trigger does not match (Segment's runtime throws there)",
            NoteKind::Precedence => "mixes \"and\" and \"or\" without parentheses: here \"and\" binds tighter; Segment's runtime joins the whole group with the last of them",
            NoteKind::Nested => "nested parentheses are read here; Segment's runtime rejects the trigger (it never matches there)",
            NoteKind::FunctionInGroup => "this group ends at its own \")\" here; Segment's runtime ends it at the \")\" of the function call in it and reads the rest as outside the group",
            NoteKind::Negation => "negates what follows here; Segment's runtime ignores this \"!\"",
            NoteKind::MatchExact => "without \"*\" is an exact match here; Segment's runtime tests whether the value ends with all but its first character",
            NoteKind::MatchSubstring => "with \"*\" at both ends matches a substring here; Segment's runtime tests whether the value starts with \"*\" and the text",
            NoteKind::NotBoolean => "holds here for any value but that boolean; Segment's runtime compares with the text \"true\"/\"false\" (so false != false holds there)",
            NoteKind::NullString => "compares with a missing value here; Segment's runtime compares with the text \"null\"",
        };
        // A string token shows with its own quotes.
        let text = if self.text.starts_with(['"', '\'']) {
            self.text.clone()
        } else {
            crate::engine::text::quoted(&self.text)
        };
        cat(&[
            &text,
            " at ",
            &crate::engine::text::int(self.at as i64),
            ": ",
            what,
        ])
    }
}

// ---------------------------------------------------------------------------------------------
// The lexer: fql-ts's, character for character (its quirks included: `!=` and `<=` need a
// space after them, a string ends at its quote only before white space or `,` `]` `)`, `\`
// escapes only in names).

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Ident,
    Dot,
    Operator,
    Conditional,
    Str,
    Number,
    Null,
    BrackLeft,
    BrackRight,
    ParenLeft,
    ParenRight,
    Comma,
    Eos,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// fql-ts's token value: a string's with its quotes, a name's without its escapes.
    value: String,
    /// Character offset.
    at: usize,
}

/// fql-ts's limit on strings, names and numbers, in UTF-16 units.
const MAX_TOKEN_LENGTH: usize = 100_000;

/// The end of the text, as fql-ts's reader says it (`peek` returns "-1" there).
const EOS: Option<char> = None;

fn is_alpha(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphabetic())
}

fn is_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

fn is_whitespace(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t' | '\n'))
}

fn is_terminator(c: Option<char>) -> bool {
    c == EOS || is_whitespace(c) || matches!(c, Some(',' | ']' | ')'))
}

fn is_ident(c: Option<char>) -> bool {
    is_alpha(c) || is_digit(c) || matches!(c, Some('_' | '-' | '\\'))
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn fail(&self, kind: TriggerErrorKind) -> TriggerError {
        TriggerError::new(self.pos, kind)
    }

    /// fql-ts's `accept`: reads `s`'s characters (stopping after a terminator); true when they
    /// are `s` and a terminator follows. Otherwise it steps back, except at the end of the
    /// text, where what it read stays read.
    fn accept(&mut self, s: &str) -> bool {
        let start = self.pos;
        let mut read = String::new();
        for _ in s.chars() {
            let c = self.next();
            let Some(ch) = c else {
                return false;
            };
            read.push(ch);
            if is_terminator(c) {
                break;
            }
        }
        if read == s && is_terminator(self.peek()) {
            return true;
        }
        self.pos = start;
        false
    }

    fn ident(&mut self, first: char) -> Result<String, TriggerError> {
        let mut out = String::new();
        let mut units = 0;
        let mut c = first;
        loop {
            if c == '\\' {
                match self.next() {
                    None => return Err(self.fail(TriggerErrorKind::EscapeAtEnd)),
                    // JavaScript escapes one UTF-16 unit: half of such a character, after
                    // which the other half cannot end the name.
                    Some(ch) if ch.len_utf16() > 1 => {
                        return Err(self.fail(TriggerErrorKind::BadNameEnd(ch)))
                    }
                    Some(ch) => c = ch,
                }
            }
            out.push(c);
            units += c.len_utf16();
            if units >= MAX_TOKEN_LENGTH {
                return Err(self.fail(TriggerErrorKind::TooLong));
            }
            if !is_ident(self.peek()) {
                break;
            }
            c = self.next().unwrap_or(' ');
        }
        let next = self.peek();
        if !(is_terminator(next) || matches!(next, Some('.' | '(' | '=' | '!'))) {
            return Err(self.fail(TriggerErrorKind::BadNameEnd(next.unwrap_or(' '))));
        }
        Ok(out)
    }

    /// A token that starts with a letter, `!`, `=`, `<`, `>`, `\` or `_`.
    fn operator_or_word(&mut self, first: char) -> Result<(Kind, String), TriggerError> {
        let op = |s: &str| Ok((Kind::Operator, s.to_string()));
        match first {
            '=' => op("="),
            '!' if self.accept("=") => op("!="),
            '!' => Err(self.fail(TriggerErrorKind::BangWithoutEquals)),
            'a' if self.accept("nd") => Ok((Kind::Conditional, "and".into())),
            'o' if self.accept("r") => Ok((Kind::Conditional, "or".into())),
            'n' if self.accept("ull") => Ok((Kind::Null, "null".into())),
            '<' | '>' => {
                let mut s = first.to_string();
                if self.accept("=") {
                    s.push('=');
                }
                op(&s)
            }
            _ => Ok((Kind::Ident, self.ident(first)?)),
        }
    }

    fn number(&mut self, first: char) -> Result<String, TriggerError> {
        let mut out = first.to_string();
        let mut decimal = false;
        while is_digit(self.peek()) || self.peek() == Some('.') {
            let c = self.next().unwrap_or('0');
            out.push(c);
            if c == '.' {
                if is_terminator(self.peek()) || decimal {
                    return Err(self.fail(TriggerErrorKind::BadNumber));
                }
                decimal = true;
            }
            if out.len() > MAX_TOKEN_LENGTH {
                return Err(self.fail(TriggerErrorKind::TooLong));
            }
        }
        Ok(out)
    }

    fn string(&mut self, quote: char, at: usize) -> Result<String, TriggerError> {
        let mut out = quote.to_string();
        let mut units = 0;
        while self.peek() != Some(quote) {
            let Some(c) = self.next() else {
                return Err(TriggerError::new(at, TriggerErrorKind::UnterminatedString));
            };
            out.push(c);
            units += c.len_utf16();
            if units >= MAX_TOKEN_LENGTH {
                return Err(self.fail(TriggerErrorKind::TooLong));
            }
        }
        // The closing quote counts only before a terminator; otherwise it opens the next string.
        self.accept(&quote.to_string());
        out.push(quote);
        Ok(out)
    }
}

fn lex(text: &str) -> Result<Vec<Token>, TriggerError> {
    let mut lx = Lexer {
        chars: text.chars().collect(),
        pos: 0,
    };
    let mut tokens = Vec::new();
    loop {
        let at = lx.pos;
        let Some(c) = lx.next() else {
            return Ok(tokens);
        };
        if is_whitespace(Some(c)) {
            continue;
        }
        let (kind, value) = match c {
            '!' if is_alpha(lx.peek()) || lx.peek() == Some('(') => (Kind::Operator, "!".into()),
            _ if c.is_ascii_alphabetic() || matches!(c, '!' | '=' | '>' | '<' | '\\' | '_') => {
                lx.operator_or_word(c)?
            }
            '0'..='9' | '-' | '+' => (Kind::Number, lx.number(c)?),
            '"' | '\'' => (Kind::Str, lx.string(c, at)?),
            '.' => (Kind::Dot, ".".into()),
            '[' => (Kind::BrackLeft, "[".into()),
            ']' => (Kind::BrackRight, "]".into()),
            ',' => (Kind::Comma, ",".into()),
            '(' => (Kind::ParenLeft, "(".into()),
            ')' => (Kind::ParenRight, ")".into()),
            other => {
                return Err(TriggerError::new(
                    at,
                    TriggerErrorKind::InvalidCharacter(other),
                ))
            }
        };
        tokens.push(Token { kind, value, at });
    }
}

/// destination-subscriptions' `normalize`: `name . name` becomes one name `name.name`.
fn normalize(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let merge = out.last().is_some_and(|t| t.kind == Kind::Ident)
            && tokens[i].kind == Kind::Dot
            && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident);
        if merge {
            if let Some(last) = out.last_mut() {
                last.value.push('.');
                last.value.push_str(&tokens[i + 1].value);
            }
            i += 2;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The parser: destination-subscriptions' `parse`, one parenthesis level at a time.

/// Deep enough for any real query, shallow enough that hostile input cannot exhaust the stack.
pub const MAX_NESTING: usize = 64;

enum Fail {
    Error(TriggerError),
    /// A `(` inside a parenthesis level, which Segment's parser cannot read.
    Nested,
}

impl From<TriggerError> for Fail {
    fn from(e: TriggerError) -> Fail {
        Fail::Error(e)
    }
}

struct Parser<'n> {
    notes: &'n mut Vec<TriggerNote>,
    depth: usize,
    /// Read as Segment's runtime does, without the deliberate differences.
    segment: bool,
}

/// The field a name starts with (`properties` of `properties.plan`); `Some(None)` for the names
/// that Segment's lookup table inherits from `Object.prototype` (`constructor`, ...), which take
/// an operator and a value and then nothing.
fn field_kind(name: &str) -> Option<Option<FieldKind>> {
    let first = name.split('.').next().unwrap_or("");
    Some(Some(match first {
        "type" => FieldKind::Type,
        "event" => FieldKind::Event,
        "name" => FieldKind::Name,
        "userId" => FieldKind::UserId,
        "properties" => FieldKind::Properties,
        "traits" => FieldKind::Traits,
        "context" => FieldKind::Context,
        "constructor"
        | "toString"
        | "toLocaleString"
        | "valueOf"
        | "hasOwnProperty"
        | "isPrototypeOf"
        | "propertyIsEnumerable"
        | "__proto__"
        | "__defineGetter__"
        | "__defineSetter__"
        | "__lookupGetter__"
        | "__lookupSetter__" => return Some(None),
        _ => return None,
    }))
}

fn is_function(t: &Token) -> bool {
    t.kind == Kind::Ident && (t.value == "contains" || t.value == "match")
}

/// Segment's `getTokenValue`: a string without its double quotes, a number, `true`/`false`
/// names as booleans, anything else as its text.
fn token_value(t: &Token) -> Literal {
    match t.kind {
        Kind::Str => {
            let v = t.value.strip_prefix('"').unwrap_or(&t.value);
            Literal::String(v.strip_suffix('"').unwrap_or(v).to_string())
        }
        Kind::Number => Literal::Number(js::to_number(&t.value)),
        Kind::Ident if t.value == "true" => Literal::Bool(true),
        Kind::Ident if t.value == "false" => Literal::Bool(false),
        _ => Literal::String(token_text_raw(t).into()),
    }
}

/// fql-ts's token value (the end token's is "eos").
fn token_text_raw(t: &Token) -> &str {
    if t.kind == Kind::Eos {
        "eos"
    } else {
        &t.value
    }
}

/// `String(b)`.
fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Notes in the order of the text (an insertion sort: they come nearly in order, and std's
/// sorts are large in the .wasm).
fn sort_by_position(notes: &mut [TriggerNote]) {
    for i in 1..notes.len() {
        let mut j = i;
        while j > 0 && notes[j - 1].at > notes[j].at {
            notes.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `String(getTokenValue(t))`.
fn token_text(t: &Token) -> String {
    match token_value(t) {
        Literal::String(s) => s,
        Literal::Number(n) => js::number_text(n),
        Literal::Bool(b) => bool_text(b).into(),
    }
}

impl Parser<'_> {
    fn note(&mut self, t: &Token, kind: NoteKind) {
        self.notes.push(TriggerNote {
            at: t.at,
            text: token_text_raw(t).into(),
            kind,
        });
    }

    /// One level: the nodes of `tokens` (which end with the end token) joined as Segment joins
    /// them, `None` when there is none. With `probe`, a `(` fails with [`Fail::Nested`].
    fn level(&mut self, tokens: &[Token], probe: bool) -> Result<Option<Node>, Fail> {
        let mut nodes: Vec<Node> = Vec::new();
        // Segment's operator for the level: the last `and`/`or` seen.
        let mut last_and = true;
        // The `and`/`or` between each node and the one before it (`None`: none was written).
        let mut joins: Vec<Option<(bool, usize)>> = Vec::new();
        let mut pending: Option<(bool, usize)> = None;
        let mut negate: Option<usize> = None;
        let mut i = 0;
        while let Some(tok) = tokens.get(i) {
            i += 1;
            let before = nodes.len();
            let bang = negate.take();
            match tok.kind {
                Kind::Ident => {
                    let kind = field_kind(&tok.value);
                    if kind.is_some() {
                        let op = token(tokens, i).ok_or_else(|| {
                            TriggerError::new(tok.at, TriggerErrorKind::MissingOperator)
                        })?;
                        let value = token(tokens, i + 1).ok_or_else(|| {
                            TriggerError::new(tok.at, TriggerErrorKind::MissingValue)
                        })?;
                        i += 2;
                        match kind {
                            Some(Some(kind)) => nodes.push(self.comparison(kind, tok, op, value)),
                            _ => self.note(tok, NoteKind::Ignored),
                        }
                    } else if is_function(tok) {
                        self.function(&tok.value, tokens, &mut i, false, &mut nodes)?;
                    } else {
                        self.note(tok, NoteKind::Ignored);
                    }
                }
                Kind::Operator if tok.value == "!" => match token(tokens, i) {
                    Some(f) if is_function(f) => {
                        i += 1;
                        self.function(&f.value, tokens, &mut i, true, &mut nodes)?;
                    }
                    _ => negate = Some(tok.at),
                },
                Kind::ParenLeft => {
                    if probe {
                        return Err(Fail::Nested);
                    }
                    nodes.push(self.group(tok, tokens, &mut i)?);
                }
                Kind::Conditional => {
                    last_and = tok.value == "and";
                    pending = Some((last_and, tok.at));
                }
                _ => self.note(tok, NoteKind::Ignored),
            }
            if let Some(at) = bang {
                let bang_token = Token {
                    kind: Kind::Operator,
                    value: "!".into(),
                    at,
                };
                match nodes.pop() {
                    Some(node)
                        if nodes.len() == before
                            && !self.segment
                            && !matches!(node, Node::Empty) =>
                    {
                        self.note(&bang_token, NoteKind::Negation);
                        nodes.push(Node::Not(Box::new(node)));
                    }
                    other => {
                        nodes.extend(other);
                        self.note(&bang_token, NoteKind::Ignored);
                    }
                }
            }
            if nodes.len() > before {
                if before > 0 {
                    joins.push(pending);
                }
                pending = None;
            }
        }
        if let Some(at) = negate {
            self.notes.push(TriggerNote {
                at,
                text: "!".into(),
                kind: NoteKind::Ignored,
            });
        }
        // One node is the level's value; `()` alone is none (Segment's `undefined`).
        if nodes.len() <= 1 {
            return Ok(nodes.pop().filter(|n| !matches!(n, Node::Empty)));
        }
        // A join nobody wrote counts as Segment's operator.
        let mixed = joins
            .iter()
            .find(|j| j.is_some_and(|(and, _)| and != last_and))
            .copied()
            .flatten();
        let Some((_, at)) = mixed.filter(|_| !self.segment) else {
            return Ok(Some(Node::Group {
                all: last_and,
                children: nodes,
            }));
        };
        self.notes.push(TriggerNote {
            at,
            text: if last_and { "or" } else { "and" }.into(),
            kind: NoteKind::Precedence,
        });
        // `and` binds tighter: runs of nodes joined by `and`, joined by `or`.
        let mut alternatives: Vec<Node> = Vec::new();
        let mut run: Vec<Node> = Vec::new();
        for (k, node) in nodes.into_iter().enumerate() {
            let and = k == 0 || joins[k - 1].map_or(last_and, |(and, _)| and);
            if !and {
                alternatives.push(one_or_group(std::mem::take(&mut run), true));
            }
            run.push(node);
        }
        alternatives.push(one_or_group(run, true));
        Ok(Some(one_or_group(alternatives, false)))
    }

    /// The parenthesis level that `open` starts (`tokens[*i]` is the token after it).
    /// Segment's parser takes the tokens up to the first `)` and fails on a `(` among them;
    /// this one then reads up to the matching `)` (a deliberate difference).
    fn group(&mut self, open: &Token, tokens: &[Token], i: &mut usize) -> Result<Node, Fail> {
        if self.depth >= MAX_NESTING {
            return Err(TriggerError::new(open.at, TriggerErrorKind::TooDeep).into());
        }
        let rest = &tokens[*i..];
        let unclosed = || Fail::Error(TriggerError::new(open.at, TriggerErrorKind::Unclosed));
        let first = rest
            .iter()
            .position(|t| t.kind == Kind::ParenRight)
            .ok_or_else(unclosed)?;
        self.depth += 1;
        let mark = self.notes.len();
        let result = match self.level(&rest[..first], true) {
            Err(Fail::Nested) if self.segment => {
                Err(TriggerError::new(open.at, TriggerErrorKind::Nested).into())
            }
            Err(Fail::Nested) => {
                self.notes.truncate(mark);
                let end = balanced_end(rest).ok_or_else(unclosed)?;
                self.note(open, NoteKind::Nested);
                let node = self.level(&rest[..end], false);
                *i += end + 1;
                node
            }
            // Segment's reading (the level ends at the first `)`), unless that `)` closes a
            // function's arguments (or a `(` read as a value): here the level ends at its own.
            Ok(node) => match balanced_end(rest).filter(|&end| end != first && !self.segment) {
                Some(end) => {
                    self.notes.truncate(mark);
                    self.note(open, NoteKind::FunctionInGroup);
                    let node = self.level(&rest[..end], false);
                    *i += end + 1;
                    node
                }
                None => {
                    *i += first + 1;
                    Ok(node)
                }
            },
            Err(e) => Err(e),
        };
        self.depth -= 1;
        Ok(match result? {
            Some(node) => node,
            None => {
                self.note(open, NoteKind::Throws);
                Node::Empty
            }
        })
    }

    /// A comparison: `field`, then whatever token follows as its operator and the next as its
    /// value, read as Segment's parser reads them.
    fn comparison(&mut self, kind: FieldKind, field: &Token, op: &Token, value: &Token) -> Node {
        let prefix = kind.root_key();
        let name = match field.value.strip_prefix(prefix) {
            Some(rest) if kind.has_name() => rest.strip_prefix('.').unwrap_or(&field.value),
            _ => "",
        };
        let (eq, ne) = (op.value == "=", op.value == "!=");
        let is_null = value.value == "null";
        let boolean = match value.value.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        let cond = |operator: Operator, value: Option<Literal>| {
            Node::Condition(Condition::new(kind, name, operator, value))
        };
        let typed = |op: Operator| cond(op, Some(token_value(value)));
        let text = || Some(Literal::String(token_text(value)));
        let operator = Operator::from_text(token_text_raw(op));
        if let Operator::Unknown(_) = operator {
            self.note(op, NoteKind::NotAnOperator);
        } else if operator.is_unary() {
            if value.kind != Kind::Eos {
                self.note(value, NoteKind::Swallowed);
            }
        } else if value.kind == Kind::Eos {
            self.note(op, NoteKind::NoValue);
        } else if value.kind == Kind::Str && value.value.starts_with('\'') {
            self.note(value, NoteKind::SingleQuoted);
        } else if !matches!(
            value.kind,
            Kind::Str | Kind::Number | Kind::Ident | Kind::Null
        ) {
            self.note(value, NoteKind::TokenAsValue);
        }
        let mut whole = field.clone();
        whole.value = cat(&[
            &field.value,
            " ",
            token_text_raw(op),
            " ",
            token_text_raw(value),
        ]);
        match kind {
            FieldKind::Type | FieldKind::Event => {
                if (eq || ne) && value.kind == Kind::Null && !self.segment {
                    self.note(&whole, NoteKind::NullString);
                    return cond(
                        if eq {
                            Operator::NotExists
                        } else {
                            Operator::Exists
                        },
                        None,
                    );
                }
                cond(operator, text())
            }
            _ if ne && is_null => cond(Operator::Exists, None),
            _ if eq && is_null => cond(Operator::NotExists, None),
            FieldKind::Name => cond(operator, text()),
            _ if eq && boolean.is_some() => cond(
                if boolean == Some(true) {
                    Operator::IsTrue
                } else {
                    Operator::IsFalse
                },
                None,
            ),
            _ if ne && boolean.is_some() && !self.segment => {
                self.note(&whole, NoteKind::NotBoolean);
                let is = if boolean == Some(true) {
                    Operator::IsTrue
                } else {
                    Operator::IsFalse
                };
                Node::Not(Box::new(cond(is, None)))
            }
            FieldKind::UserId => cond(operator, text()),
            _ if eq && value.kind == Kind::Number => typed(Operator::NumberEquals),
            _ if ne && value.kind == Kind::Number => typed(Operator::NumberNotEquals),
            _ => typed(operator),
        }
    }

    /// `contains(field, "x")` or `match(field, "x*")` (`tokens[*i]` is the token after the
    /// name): Segment's parser skips one token for `(`, takes the field, skips one for `,`,
    /// takes the value and skips one for `)`, whatever they are.
    fn function(
        &mut self,
        name: &str,
        tokens: &[Token],
        i: &mut usize,
        negate: bool,
        nodes: &mut Vec<Node>,
    ) -> Result<(), TriggerError> {
        let start = tokens.get(*i - 1).map_or(0, |t| t.at);
        let missing = || TriggerError::new(start, TriggerErrorKind::MissingArgument);
        let skip = |i: &mut usize, expected: Kind, notes: &mut Vec<TriggerNote>| {
            if let Some(t) = tokens.get(*i).filter(|t| t.kind != expected) {
                notes.push(TriggerNote {
                    at: t.at,
                    text: t.value.clone(),
                    kind: NoteKind::Ignored,
                });
            }
            *i += 1;
        };
        skip(i, Kind::ParenLeft, self.notes);
        let field = token(tokens, *i).ok_or_else(missing)?.clone();
        *i += 1;
        skip(i, Kind::Comma, self.notes);
        let value = token(tokens, *i).ok_or_else(missing)?.clone();
        *i += 1;
        skip(i, Kind::ParenRight, self.notes);
        let (kind, path) = match field.value.as_str() {
            "event" => (FieldKind::Event, ""),
            "name" => (FieldKind::Name, ""),
            "userId" => (FieldKind::UserId, ""),
            f => {
                let kind = [FieldKind::Properties, FieldKind::Traits, FieldKind::Context]
                    .into_iter()
                    .find(|k| f.starts_with(k.root_key()));
                let Some(kind) = kind else {
                    let mut whole = field.clone();
                    whole.value = cat(&[name, "(", &field.value, ", ", &value.value, ")"]);
                    whole.at = start;
                    self.note(&whole, NoteKind::Ignored);
                    return Ok(());
                };
                let rest = &f[kind.root_key().len()..];
                (kind, rest.strip_prefix('.').unwrap_or(f))
            }
        };
        if value.kind == Kind::Eos {
            let mut at = value.clone();
            at.at = start;
            self.note(&at, NoteKind::NoValue);
        } else if value.kind == Kind::Str && value.value.starts_with('\'') {
            self.note(&value, NoteKind::SingleQuoted);
        }
        let text = token_text(&value);
        let mut whole = value.clone();
        whole.value = cat(&[name, "(", &field.value, ", ", &value.value, ")"]);
        whole.at = start;
        let (operator, arg) = if name == "contains" {
            let op = if negate {
                Operator::NotContains
            } else {
                Operator::Contains
            };
            (op, text)
        } else if value.value.ends_with("*\"") {
            // Segment: a prefix, all but the last character (the `*`).
            let prefix = &text[..text.len() - 1];
            if prefix.starts_with('*') && text.len() >= 2 && !self.segment {
                self.note(&whole, NoteKind::MatchSubstring);
                let op = if negate {
                    Operator::NotContains
                } else {
                    Operator::Contains
                };
                (op, prefix[1..].to_string())
            } else {
                let op = if negate {
                    Operator::NotStartsWith
                } else {
                    Operator::StartsWith
                };
                (op, prefix.to_string())
            }
        } else if let Some(suffix) = text.strip_prefix('*') {
            let op = if negate {
                Operator::NotEndsWith
            } else {
                Operator::EndsWith
            };
            (op, suffix.to_string())
        } else if self.segment {
            let op = if negate {
                Operator::NotEndsWith
            } else {
                Operator::EndsWith
            };
            let mut rest = text.chars();
            rest.next();
            (op, rest.as_str().to_string())
        } else {
            // Segment: a suffix, all but the first character, whatever it is.
            self.note(&whole, NoteKind::MatchExact);
            let op = if negate {
                Operator::NotEqualString
            } else {
                Operator::Equals
            };
            (op, text)
        };
        nodes.push(Node::Condition(Condition::new(
            kind,
            path,
            operator,
            Some(Literal::String(arg)),
        )));
        Ok(())
    }
}

/// The index of the `)` that closes the level `tokens` start inside (every `(` counted).
fn balanced_end(tokens: &[Token]) -> Option<usize> {
    let mut depth = 0usize;
    tokens.iter().position(|t| {
        match t.kind {
            Kind::ParenLeft => depth += 1,
            Kind::ParenRight if depth == 0 => return true,
            Kind::ParenRight => depth -= 1,
            _ => {}
        }
        false
    })
}

/// The end token, which Segment's parser puts after the tokens of every parenthesis level
/// (and may take as an operator or a value; its text is "eos").
static END: Token = Token {
    kind: Kind::Eos,
    value: String::new(),
    at: 0,
};

/// Token `i` of a level: its tokens, then [`END`], then none.
fn token(tokens: &[Token], i: usize) -> Option<&Token> {
    match i.cmp(&tokens.len()) {
        std::cmp::Ordering::Less => tokens.get(i),
        std::cmp::Ordering::Equal => Some(&END),
        std::cmp::Ordering::Greater => None,
    }
}

/// One node as it is, several joined.
fn one_or_group(mut nodes: Vec<Node>, all: bool) -> Node {
    if nodes.len() == 1 {
        if let Some(node) = nodes.pop() {
            return node;
        }
    }
    Node::Group {
        all,
        children: nodes,
    }
}
