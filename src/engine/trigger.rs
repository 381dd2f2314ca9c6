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

use crate::engine::json::{write_string, Number, Value};
use crate::engine::path::JsonPath;
use crate::engine::text::{find, parse_number};

/// A parsed trigger, ready to evaluate against events.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerQuery {
    /// `a or b` (`all` false) or `a and b` (`all`); `not` bit 0 negates it, bit 1 says that
    /// `!` was applied (`!!x` is `x`, but pins no type).
    Logic {
        all: bool,
        not: u8,
        parts: Vec<TriggerQuery>,
    },
    /// `field = value` and the other operators, and the functions: `op`'s bits are the
    /// orderings it accepts (see [`LT`]) and, for a string, how it is compared (see [`PREFIX`]).
    Compare {
        field: JsonPath,
        op: u8,
        value: Literal,
    },
}

/// [`TriggerQuery::Compare`]'s `op` accepts a field less than the value (then `EQ`, `GT`, and
/// no ordering, `UNORDERED`, which `!=` accepts: a value of another type). `!` flips the four
/// and sets `NEGATED`.
pub const LT: u8 = 1;
pub const EQ: u8 = 2;
pub const GT: u8 = 4;
pub const UNORDERED: u8 = 8;
pub const NE: u8 = LT | GT | UNORDERED;
pub const NEGATED: u8 = 128;
/// A string value is compared as a prefix, a suffix, or both (a substring); neither is
/// equality. `MATCH` marks the functions, so that only `=` pins a type.
pub const PREFIX: u8 = 16;
pub const SUFFIX: u8 = 32;
pub const MATCH: u8 = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(String),
    Number(f64),
    Bool(bool),
    Null,
}

impl TriggerQuery {
    /// The query no event matches (an empty `or`).
    pub const NEVER: TriggerQuery = TriggerQuery::Logic {
        all: false,
        not: 0,
        parts: Vec::new(),
    };

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
        } else if let Some(query) = parser.expr(0, 2, END) {
            return Ok(query);
        }
        Err(parser.error)
    }

    /// Whether the event satisfies this query.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            // `and` is `!any(!part)`.
            TriggerQuery::Logic { all, not, parts } => {
                parts.iter().any(|q| q.matches(event) != *all) != (*all != (*not & 1 != 0))
            }
            TriggerQuery::Compare { field, op, value } => {
                use core::cmp::Ordering;
                let actual = field.get(event);
                // Ordering is defined for numbers only; other values are equal or unordered.
                let order = match (value, actual) {
                    (Literal::Number(e), Some(Value::Number(a))) => {
                        a.as_f64().unwrap_or(f64::NAN).partial_cmp(e)
                    }
                    (Literal::Null, None | Some(Value::Null)) => Some(Ordering::Equal),
                    (Literal::String(e), Some(Value::String(a)))
                        if match op & (PREFIX | SUFFIX) {
                            0 => a == e,
                            PREFIX => a.starts_with(e.as_str()),
                            SUFFIX => a.ends_with(e.as_str()),
                            _ => find(a, e).is_some(),
                        } =>
                    {
                        Some(Ordering::Equal)
                    }
                    (Literal::Bool(e), Some(Value::Bool(a))) if a == e => Some(Ordering::Equal),
                    _ => None,
                };
                op & order.map_or(UNORDERED, |o| 1 << (o as i8 + 1)) != 0
            }
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
                op: EQ,
                value: Literal::String(t),
            } if field.is_single_key("type") => out.push(t.clone()),
            TriggerQuery::Logic {
                all: false,
                not: 0,
                parts,
            } => return parts.iter().all(|p| p.types_into(out)),
            // The types every pinning part allows, in the first one's order.
            TriggerQuery::Logic {
                all: true,
                not: 0,
                parts,
            } => {
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

// Token kinds (all below 64, for the parser's masks): an operator's `op` ([`LT`]...), the
// byte itself for `(`, `)`, `,` and `!`, and these.
/// Past the last token.
const END: u8 = 0;
/// A double-quoted string; its value is [`unescape`] of its text.
const STR: u8 = b'"';
/// A number; its text parses with [`parse_number`].
const NUM: u8 = b'0';
/// Words, in this order: a name, `and`, `or`, and the value words `true`, `false`, `null`.
const WORD: u8 = 16;
const AND: u8 = 17;
const TRUE: u8 = 19;
const FALSE: u8 = 20;
const NULL: u8 = 21;
/// What [`lex`] finds wrong: a string without its closing quote (`at..at`), text that starts
/// like a number but is none, a character that starts no token.
const BAD_STRING: u8 = 60;
const BAD_NUMBER: u8 = 61;
const BAD_CHAR: u8 = 62;

/// Kinds the parser takes in some place, as bit sets.
const OPERATORS: u64 = 1 << LT | 1 << EQ | 1 << (LT | EQ) | 1 << GT | 1 << (GT | EQ) | 1 << NE;
const VALUES: u64 = 1 << NUM | 1 << STR | 1 << TRUE | 1 << FALSE | 1 << NULL;
/// `and` and `or` can name fields; `true`, `false` and `null` are values.
const FIELDS: u64 = 7 << WORD;

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

/// The value of a number token (checked by [`lex`]). Inlined: smaller in the .wasm.
#[inline(always)]
fn number(text: &str) -> f64 {
    parse_number(text).unwrap_or(f64::NAN)
}

/// Appends ` at N` and `tail`: every message with a position ends so.
fn at(out: &mut String, at: usize, tail: &str) {
    out.push_str(" at ");
    crate::engine::json::push_int(out, at as i64);
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
    let b = bytes.get(i).copied();
    let next = bytes.get(i + 1).copied();
    i += 1;
    let mut kind = match b {
        None => END,
        Some(c @ (b'(' | b')' | b',')) => c,
        Some(b'!') if next != Some(b'=') => b'!',
        // `<` 1, `=` 2, `>` 4, `!` `NE`; and `<=` `>=` add `=`'s 2.
        Some(b @ (b'!' | b'<' | b'=' | b'>')) => {
            let op = match b {
                b'<' => LT,
                b'=' => EQ,
                b'>' => GT,
                _ => NE - EQ,
            };
            if b != b'=' && next == Some(b'=') {
                i += 1;
                op + EQ
            } else {
                op
            }
        }
        Some(b'"') => {
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
        Some(b)
            if b.is_ascii_digit() || (b == b'-' && next.is_some_and(|n| n.is_ascii_digit())) =>
        {
            let mut prev = b;
            while let Some(&d) = bytes.get(i) {
                let exponent_sign = matches!(d, b'+' | b'-') && prev | 0x20 == b'e';
                if !(d.is_ascii_digit() || d == b'.' || d | 0x20 == b'e' || exponent_sign) {
                    break;
                }
                prev = d;
                i += 1;
            }
            NUM
        }
        Some(b) if is_word_byte(b) => {
            while bytes.get(i).is_some_and(|&c| is_word_byte(c)) {
                i += 1;
            }
            WORD
        }
        // ASCII: every other byte is part of a word.
        Some(_) => BAD_CHAR,
    };
    let text = text.get(start..i).unwrap_or("");
    if kind == NUM && parse_number(text).is_none() {
        kind = BAD_NUMBER;
    }
    if kind == WORD {
        for (n, word) in ["and", "or", "true", "false", "null"].iter().enumerate() {
            if text == *word {
                kind = AND + n as u8;
            }
        }
    }
    Token {
        kind,
        at: start,
        text,
    }
}

/// ASCII letters and digits, `_ . $ - [ ]`, and any non-ASCII byte (non-ASCII letters are
/// allowed in field names without linking Unicode tables).
fn is_word_byte(b: u8) -> bool {
    // Bit `b % 64` of the mask for `b / 64`.
    let mask: u64 = if b < 64 {
        0x03ff_6010_0000_0000
    } else {
        0x07ff_fffe_afff_fffe
    };
    b >= 128 || mask >> (b & 63) & 1 != 0
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

    /// The next token, which must be of a kind in `want` (else the error ends with `tail`).
    fn take(&mut self, want: u64, tail: &str) -> Option<Token<'a>> {
        let tok = self.next();
        if want >> tok.kind & 1 != 0 {
            return Some(tok);
        }
        self.fail(tok, "", tail);
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
            1..=NE => "unexpected token operator ",
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

    /// `level` 2: `or` of `and`s, then the token `close` (`)` or the end); 1: `and` of
    /// unaries; 0: a unary. One part is returned as is.
    fn expr(&mut self, depth: usize, level: u8, close: u8) -> Option<TriggerQuery> {
        if level == 0 {
            return self.unary(depth);
        }
        let mut parts = Vec::new();
        loop {
            parts.push(self.expr(depth, level - 1, close)?);
            let save = self.pos;
            if self.next().kind != AND + level - 1 {
                self.pos = save;
                break;
            }
        }
        if level == 2 {
            let tail = if close == END { "" } else { ", expected \")\"" };
            self.take(1 << close, tail)?;
        }
        if parts.len() == 1 {
            return parts.pop();
        }
        Some(TriggerQuery::Logic {
            all: level == 1,
            not: 0,
            parts,
        })
    }

    fn unary(&mut self, depth: usize) -> Option<TriggerQuery> {
        if depth > MAX_NESTING {
            self.error.push_str("query nested deeper than 64 levels");
            return None;
        }
        let start = self.pos;
        let tok = self.next();
        let call = match tok.kind {
            b'!' => {
                let mut inner = self.unary(depth + 1);
                match &mut inner {
                    Some(TriggerQuery::Logic { not, .. }) => *not = (*not ^ 1) | 2,
                    Some(TriggerQuery::Compare { op, .. }) => *op = (*op ^ 15) | NEGATED,
                    None => {}
                }
                return inner;
            }
            b'(' => return self.expr(depth + 1, 2, b')'),
            WORD..=NULL if self.peek().kind == b'(' => {
                let contains = match tok.text {
                    "contains" => true,
                    "match" => false,
                    _ => {
                        self.fail(tok, "unknown function ", "");
                        return None;
                    }
                };
                self.next();
                Some(contains)
            }
            WORD | TRUE..=NULL => {
                self.pos = start;
                None
            }
            _ => {
                self.fail(tok, "", "");
                return None;
            }
        };
        // The path the next token names.
        let tok = self.take(FIELDS, ", expected a field")?;
        let field = match JsonPath::parse(tok.text) {
            Ok(path) => path,
            Err(e) => {
                self.error.push_str(&e);
                at(&mut self.error, tok.at, "");
                return None;
            }
        };
        let (op, value) = match call {
            // `contains(field, "x")` or `match(field, "x*")`.
            Some(contains) => {
                self.take(1 << b',', ", expected \",\"")?;
                let arg = unescape(self.take(1 << STR, ", expected a string")?.text);
                self.take(1 << b')', ", expected \")\"")?;
                // `*` at either end (the same `*` cannot be both) makes a prefix, suffix or
                // substring (a lone `*`, either, matches every string).
                let b = arg.as_bytes();
                let (mut start, mut end, mut op) = (0, b.len(), PREFIX | SUFFIX);
                if !contains {
                    op = 0;
                    if let Some(b'*') = b.last() {
                        op = PREFIX;
                    }
                    while let Some(b'*') = b.get(start) {
                        start += 1;
                        op |= SUFFIX;
                    }
                    while end > start && matches!(b.get(end - 1), Some(b'*')) {
                        end -= 1;
                    }
                }
                let core = String::from(arg.get(start..end).unwrap_or(""));
                (MATCH | EQ | op, Literal::String(core))
            }
            // `field op literal`.
            None => {
                let op_tok = self.take(OPERATORS, ", expected an operator")?;
                let value_tok = self.take(VALUES, ", expected a value")?;
                let (op, kind, text) = (op_tok.kind, value_tok.kind, value_tok.text);
                if kind != NUM && op != EQ && op != NE {
                    self.fail(op_tok, "operator ", " needs a number on its right");
                    return None;
                }
                let value = match kind {
                    NUM => Literal::Number(number(text)),
                    STR => Literal::String(unescape(text)),
                    TRUE => Literal::Bool(true),
                    FALSE => Literal::Bool(false),
                    _ => Literal::Null,
                };
                (op, value)
            }
        };
        Some(TriggerQuery::Compare { field, op, value })
    }
}
