//! The trigger language (Segment's FQL subset): parsed once into a [`TriggerQuery`], evaluated per event.
//!
//! Grammar (`and` binds tighter than `or`):
//! ```text
//! query   := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "!" unary | "(" query ")" | func | compare
//! func    := ("contains" | "match") "(" field "," string ")"
//! compare := field ("=" | "!=" | "<" | "<=" | ">" | ">=") literal
//! literal := "string" | number | true | false | null
//! ```

use crate::json::{write_string, Number, Value};
use crate::path::JsonPath;
use crate::text::{find, parse_number};

/// A parsed trigger, ready to evaluate against events.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerQuery {
    Or(Vec<TriggerQuery>),
    And(Vec<TriggerQuery>),
    Not(Box<TriggerQuery>),
    Compare {
        field: JsonPath,
        op: CompareOp,
        value: Literal,
    },
    Contains {
        field: JsonPath,
        needle: String,
    },
    Match {
        field: JsonPath,
        pattern: MatchPattern,
    },
}

/// A comparison operator. Its value is the set of orderings it accepts (bit 0: less, 1: equal,
/// 2: greater), so evaluating one is a bit test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u8)]
pub enum CompareOp {
    Lt = 1,
    Eq = 2,
    Le = 3,
    Gt = 4,
    Ne = 5,
    Ge = 6,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

/// `match(field, "abc*")` and friends, decided at parse time.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchPattern {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl TriggerQuery {
    /// Parses a query; the error says what was unexpected and where (character offset).
    pub fn parse(text: &str) -> Result<TriggerQuery, String> {
        let mut parser = Parser {
            text,
            pos: 0,
            error: String::new(),
        };
        // Every token first, so that a bad one is reported before any grammar error.
        let mut end = 0;
        loop {
            let tok = lex(text, end);
            if tok.kind >= BAD_STRING {
                parser.fail(tok, "", "");
                return Err(parser.error);
            }
            if tok.kind == END {
                break;
            }
            end = tok.end();
        }
        if end == 0 {
            parser.error.push_str("empty query");
        } else if let Some(query) = parser.expr(0, 2) {
            let tok = parser.next();
            if tok.kind == END {
                return Ok(query);
            }
            parser.fail(tok, "", "");
        }
        Err(parser.error)
    }

    /// Whether the event satisfies this query.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            TriggerQuery::Or(parts) => parts.iter().any(|q| q.matches(event)),
            TriggerQuery::And(parts) => parts.iter().all(|q| q.matches(event)),
            TriggerQuery::Not(inner) => !inner.matches(event),
            TriggerQuery::Compare { field, op, value } => compare(field.get(event), *op, value),
            TriggerQuery::Contains { field, needle } => {
                matches!(field.get(event), Some(Value::String(s)) if find(s, needle).is_some())
            }
            TriggerQuery::Match { field, pattern } => match field.get(event) {
                Some(Value::String(s)) => match pattern {
                    MatchPattern::Exact(p) => s == p,
                    MatchPattern::Prefix(p) => s.starts_with(p.as_str()),
                    MatchPattern::Suffix(p) => s.ends_with(p.as_str()),
                    MatchPattern::Contains(p) => find(s, p).is_some(),
                },
                _ => false,
            },
        }
    }

    /// The event `type`s this query can match, when the query pins them down (`type = "x"`
    /// in every branch); `None` means any type. Lets a plugin skip events cheaply.
    pub fn possible_types(&self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        self.types_into(&mut out).then_some(out)
    }

    /// Appends [`possible_types`](Self::possible_types) to `out`; false for any type (what it
    /// appended is then to be discarded).
    fn types_into(&self, out: &mut Vec<String>) -> bool {
        match self {
            TriggerQuery::Compare {
                field,
                op: CompareOp::Eq,
                value: Literal::String(t),
            } if field.is_single_key("type") => out.push(t.clone()),
            TriggerQuery::Or(parts) => {
                for p in parts {
                    if !p.types_into(out) {
                        return false;
                    }
                }
            }
            // The types every pinning part allows, in the first one's order.
            TriggerQuery::And(parts) => {
                let start = out.len();
                let mut pinned = false;
                for p in parts {
                    let mid = out.len();
                    if !p.types_into(out) {
                        out.truncate(mid);
                        continue;
                    }
                    if pinned {
                        // Those before `mid` that are also after it move to the front, in order.
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
}

fn compare(actual: Option<&Value>, op: CompareOp, expected: &Literal) -> bool {
    use core::cmp::Ordering;
    // Ordering is defined for numbers only; other values are equal or unordered.
    let order = match (expected, actual) {
        (Literal::Number(e), Some(Value::Number(a))) => {
            a.as_f64().unwrap_or(f64::NAN).partial_cmp(e)
        }
        (Literal::Null, None | Some(Value::Null)) => Some(Ordering::Equal),
        (Literal::String(e), Some(Value::String(a))) if a == e => Some(Ordering::Equal),
        (Literal::Bool(e), Some(Value::Bool(a))) if a == e => Some(Ordering::Equal),
        _ => None,
    };
    match order {
        Some(o) => op as u8 & (1 << (o as i8 + 1)) != 0,
        None => op == CompareOp::Ne,
    }
}

/// A token: its kind, its text, and where that is in the query (`at`, a byte offset).
#[derive(Clone, Copy)]
struct Token<'a> {
    kind: u8,
    at: usize,
    text: &'a str,
}

impl Token<'_> {
    /// The byte offset after the token.
    fn end(self) -> usize {
        self.at + self.text.len()
    }
}

// Token kinds: a [`CompareOp`]'s value for an operator, the byte itself for `(`, `)`, `,` and
// `!`, and these.
/// Past the last token.
const END: u8 = 0;
/// A double-quoted string; its value is [`unescape`] of its text.
const STR: u8 = b'"';
/// A number; its text parses with [`parse_number`].
const NUM: u8 = b'0';
/// Words, in this order: a name, `and`, `or`, and the value words `true`, `false`, `null`.
const WORD: u8 = 16;
const AND: u8 = 17;
const OR: u8 = 18;
const TRUE: u8 = 19;
const FALSE: u8 = 20;
const NULL: u8 = 21;
/// What [`lex`] finds wrong: a string without its closing quote (`at..at`), text that starts
/// like a number but is none, a character that starts no token.
const BAD_STRING: u8 = 200;
const BAD_NUMBER: u8 = 201;
const BAD_CHAR: u8 = 202;

/// The value of a string token (its text, quotes included): `\x` stands for `x`.
fn unescape(quoted_text: &str) -> String {
    let bytes = quoted_text.as_bytes();
    let end = bytes.len().saturating_sub(1);
    let mut out = String::new();
    let (mut start, mut i) = (1, 1);
    while i < end {
        if bytes[i] == b'\\' {
            out.push_str(&quoted_text[start..i]);
            start = i + 1;
            i += 1;
        }
        i += 1;
    }
    out.push_str(&quoted_text[start.min(end)..end]);
    out
}

/// The value of a number token (checked by [`lex`]).
fn number(text: &str) -> f64 {
    parse_number(text).unwrap_or(f64::NAN)
}

/// Appends ` at N` and `tail`: every message with a position ends so.
fn at(out: &mut String, at: usize, tail: &str) {
    out.push_str(" at ");
    crate::json::push_int(out, at as i64);
    out.push_str(tail);
}

/// The token at byte `i` or after spaces (`END` at the end of the text); a `BAD_` kind says
/// what is wrong there.
fn lex(text: &str, mut i: usize) -> Token<'_> {
    let bytes = text.as_bytes();
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    let start = i;
    let Some(&b) = bytes.get(i) else {
        return Token {
            kind: END,
            at: i,
            text: "",
        };
    };
    let next = bytes.get(i + 1).copied();
    i += 1;
    let kind = match b {
        b'(' | b')' | b',' => b,
        b'!' if next != Some(b'=') => b,
        // `<` 1, `=` 2, `>` 4, and `!=` `<=` `>=` add `=`'s 2 (see `CompareOp`).
        b'!' | b'<' | b'=' | b'>' => {
            let op = match b {
                b'<' => 1,
                b'=' => 2,
                b'>' => 4,
                _ => 3,
            };
            if b != b'=' && next == Some(b'=') {
                i += 1;
                op + 2
            } else {
                op
            }
        }
        b'"' => {
            // To the closing quote; `\` escapes the next byte (a multi-byte character's other
            // bytes are never a quote or a backslash).
            loop {
                match bytes.get(i) {
                    None => {
                        i = start;
                        break BAD_STRING;
                    }
                    Some(b'"') => {
                        i += 1;
                        break STR;
                    }
                    Some(b'\\') => i += 2,
                    Some(_) => i += 1,
                }
            }
        }
        b if b.is_ascii_digit() || (b == b'-' && next.is_some_and(|n| n.is_ascii_digit())) => {
            let mut prev = b;
            while let Some(&d) = bytes.get(i) {
                let exponent_sign = matches!(d, b'+' | b'-') && prev | 0x20 == b'e';
                if !(d.is_ascii_digit() || d == b'.' || d | 0x20 == b'e' || exponent_sign) {
                    break;
                }
                prev = d;
                i += 1;
            }
            match parse_number(&text[start..i]) {
                Some(_) => NUM,
                None => BAD_NUMBER,
            }
        }
        b if is_word_byte(b) => {
            while bytes.get(i).is_some_and(|&c| is_word_byte(c)) {
                i += 1;
            }
            match &text[start..i] {
                "and" => AND,
                "or" => OR,
                "true" => TRUE,
                "false" => FALSE,
                "null" => NULL,
                _ => WORD,
            }
        }
        // ASCII: every other byte is part of a word.
        _ => BAD_CHAR,
    };
    Token {
        kind,
        at: start,
        text: text.get(start..i).unwrap_or(""),
    }
}

fn is_word_byte(b: u8) -> bool {
    // Non-ASCII letters are allowed in field names without linking Unicode tables.
    b.is_ascii_alphanumeric()
        || !b.is_ascii()
        || matches!(b, b'_' | b'.' | b'$' | b'-' | b'[' | b']')
}

/// Deep enough for any real query, shallow enough that hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 64;

/// Parses tokens (from `pos`, a byte offset, on); a method that fails leaves its message in
/// `error` (empty until then) and returns `None`.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
    error: String,
}

impl<'a> Parser<'a> {
    /// The next token (the text's tokens are known to be valid).
    fn peek(&self) -> Token<'a> {
        lex(self.text, self.pos)
    }

    fn next(&mut self) -> Token<'a> {
        let tok = self.peek();
        self.pos = tok.end();
        tok
    }

    /// The next token, which must be of kind `want` (else the error ends with `expected`).
    fn take(&mut self, want: u8, expected: &str) -> Option<Token<'a>> {
        let tok = self.next();
        if tok.kind == want {
            return Some(tok);
        }
        self.fail(tok, "", expected);
        None
    }

    /// Keeps the message `what`, the token quoted, its position, then `tail`. An empty `what`
    /// is what the token's kind says: "unexpected token" and the token as `"word"`,
    /// `string "x"`, `number 1`, `operator "="` or `"("`; or what [`lex`] found wrong.
    fn fail(&mut self, tok: Token, what: &str, tail: &str) {
        let text = tok.text;
        let out = &mut self.error;
        let kind = if what.is_empty() { tok.kind } else { WORD };
        out.push_str(match kind {
            END => return out.push_str("unexpected end of query"),
            BAD_STRING => "unterminated string",
            BAD_NUMBER => "invalid number ",
            BAD_CHAR => "unexpected character ",
            STR => "unexpected token string ",
            NUM => "unexpected token number ",
            1..=6 => "unexpected token operator ",
            _ if what.is_empty() => "unexpected token ",
            _ => what,
        });
        match kind {
            STR => write_string(&unescape(text), out),
            NUM => {
                if let Some(n) = Number::from_f64(number(text)) {
                    n.write(out);
                }
            }
            BAD_STRING => {}
            _ => write_string(text, out),
        }
        at(out, tok.at, tail);
    }

    /// `level` 2: `or` of `and`s; 1: `and` of unaries; 0: a unary. One part is returned as is.
    fn expr(&mut self, depth: usize, level: u8) -> Option<TriggerQuery> {
        if level == 0 {
            return self.unary(depth);
        }
        let word = AND + level - 1;
        let mut parts = Vec::new();
        loop {
            parts.push(self.expr(depth, level - 1)?);
            if self.peek().kind != word {
                break;
            }
            self.next();
        }
        if parts.len() == 1 {
            return parts.pop();
        }
        Some(if level == 2 {
            TriggerQuery::Or(parts)
        } else {
            TriggerQuery::And(parts)
        })
    }

    fn unary(&mut self, depth: usize) -> Option<TriggerQuery> {
        if depth > MAX_NESTING {
            self.error.push_str("query nested deeper than 64 levels");
            return None;
        }
        let start = self.pos;
        let tok = self.next();
        match tok.kind {
            b'!' => Some(TriggerQuery::Not(Box::new(self.unary(depth + 1)?))),
            b'(' => {
                let inner = self.expr(depth + 1, 2)?;
                self.take(b')', ", expected \")\"")?;
                Some(inner)
            }
            WORD..=NULL if self.peek().kind == b'(' => self.function(tok),
            WORD | TRUE..=NULL => {
                self.pos = start;
                self.compare()
            }
            _ => {
                self.fail(tok, "", "");
                None
            }
        }
    }

    /// `field op literal`.
    #[inline(never)]
    fn compare(&mut self) -> Option<TriggerQuery> {
        let field = self.field()?;
        let op_tok = self.next();
        let op = match op_tok.kind {
            1 => CompareOp::Lt,
            2 => CompareOp::Eq,
            3 => CompareOp::Le,
            4 => CompareOp::Gt,
            5 => CompareOp::Ne,
            6 => CompareOp::Ge,
            _ => {
                self.fail(op_tok, "", ", expected an operator");
                return None;
            }
        };
        let value_tok = self.next();
        let kind = value_tok.kind;
        if !matches!(kind, NUM | STR | TRUE..=NULL) {
            self.fail(value_tok, "", ", expected a value");
            return None;
        }
        if kind != NUM && !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            self.fail(op_tok, "operator ", " needs a number on its right");
            return None;
        }
        let text = value_tok.text;
        let value = match kind {
            NUM => Literal::Number(number(text)),
            STR => Literal::String(unescape(text)),
            TRUE => Literal::Bool(true),
            FALSE => Literal::Bool(false),
            _ => Literal::Null,
        };
        Some(TriggerQuery::Compare { field, op, value })
    }

    /// `contains(field, "x")` or `match(field, "x*")`; `name` is the function's word, and the
    /// next token is its `(`.
    #[inline(never)]
    fn function(&mut self, name: Token) -> Option<TriggerQuery> {
        let contains = match name.text {
            "contains" => true,
            "match" => false,
            _ => {
                self.fail(name, "unknown function ", "");
                return None;
            }
        };
        self.next();
        let field = self.field()?;
        self.take(b',', ", expected \",\"")?;
        let arg_tok = self.take(STR, ", expected a string")?;
        self.take(b')', ", expected \")\"")?;
        let arg = unescape(arg_tok.text);
        if contains {
            return Some(TriggerQuery::Contains { field, needle: arg });
        }
        // `*` at either end (the same `*` cannot be both) makes a prefix, suffix or substring.
        let b = arg.as_bytes();
        let ends = b.len() > 1 && b.ends_with(b"*");
        let mut start = 0;
        while let Some(b'*') = b.get(start) {
            start += 1;
        }
        let mut end = b.len();
        while end > start && b[end - 1] == b'*' {
            end -= 1;
        }
        let core = String::from(arg.get(start..end).unwrap_or(""));
        let pattern = match (start > 0, ends) {
            (true, true) => MatchPattern::Contains(core),
            (true, false) => MatchPattern::Suffix(core),
            (false, true) => MatchPattern::Prefix(core),
            (false, false) => MatchPattern::Exact(core),
        };
        Some(TriggerQuery::Match { field, pattern })
    }

    /// The path the next token names (`and` and `or` can be; `true`, `false` and `null` are
    /// values, not fields).
    fn field(&mut self) -> Option<JsonPath> {
        let tok = self.next();
        if !matches!(tok.kind, WORD..=OR) {
            self.fail(tok, "", ", expected a field");
            return None;
        }
        match JsonPath::parse(tok.text) {
            Ok(path) => Some(path),
            Err(e) => {
                self.error.push_str(&e);
                at(&mut self.error, tok.at, "");
                None
            }
        }
    }
}
