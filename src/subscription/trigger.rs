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

use crate::json::Value;
use crate::path::JsonPath;
use crate::text::{find, format_number, parse_number, quoted};

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

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    /// The operator as written in a trigger, quoted, for messages.
    fn text(self) -> &'static str {
        match self {
            CompareOp::Eq => "\"=\"",
            CompareOp::Ne => "\"!=\"",
            CompareOp::Lt => "\"<\"",
            CompareOp::Le => "\"<=\"",
            CompareOp::Gt => "\">\"",
            CompareOp::Ge => "\">=\"",
        }
    }
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
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err("empty query".to_string());
        }
        let mut parser = Parser {
            text,
            tokens,
            pos: 0,
        };
        let query = parser.or_expr(0)?;
        match parser.tokens.get(parser.pos) {
            None => Ok(query),
            Some(&tok) => Err(parser.unexpected(tok, "")),
        }
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
}

impl TriggerQuery {
    /// The event `type`s this query can match, when the query pins them down (`type = "x"`
    /// in every branch); `None` means any type. Lets a plugin skip events cheaply.
    pub fn possible_types(&self) -> Option<Vec<String>> {
        match self {
            TriggerQuery::Compare {
                field,
                op: CompareOp::Eq,
                value: Literal::String(t),
            } if field.is_single_key("type") => Some(vec![t.clone()]),
            TriggerQuery::Or(parts) => {
                let mut all = Vec::new();
                for p in parts {
                    all.extend(p.possible_types()?);
                }
                Some(all)
            }
            TriggerQuery::And(parts) => parts
                .iter()
                .filter_map(TriggerQuery::possible_types)
                .reduce(|a, b| a.into_iter().filter(|t| b.contains(t)).collect()),
            _ => None,
        }
    }
}

fn compare(actual: Option<&Value>, op: CompareOp, expected: &Literal) -> bool {
    let equal = match (expected, actual) {
        (Literal::Null, None | Some(Value::Null)) => true,
        (Literal::Null, _) => false,
        (Literal::String(e), Some(Value::String(a))) => a == e,
        (Literal::Bool(e), Some(Value::Bool(a))) => a == e,
        (Literal::Number(e), Some(Value::Number(a))) => {
            let a = a.as_f64().unwrap_or(f64::NAN);
            return match op {
                CompareOp::Eq => a == *e,
                CompareOp::Ne => a != *e,
                CompareOp::Lt => a < *e,
                CompareOp::Le => a <= *e,
                CompareOp::Gt => a > *e,
                CompareOp::Ge => a >= *e,
            };
        }
        _ => false,
    };
    match op {
        CompareOp::Eq => equal,
        CompareOp::Ne => !equal,
        // Ordering is defined for numbers only (handled above).
        _ => false,
    }
}

/// A token: its kind and where it is in the query text (`at..end`, byte offsets).
#[derive(Clone, Copy)]
struct Token {
    kind: Kind,
    at: usize,
    end: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Word,
    /// A double-quoted string; its value is [`unescape`] of the text inside the quotes.
    Str,
    Num(f64),
    Op(CompareOp),
    LParen,
    RParen,
    Comma,
    Bang,
}

/// The value of a string token: `\x` stands for `x`.
fn unescape(quoted_text: &str) -> String {
    let inner = &quoted_text[1..quoted_text.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if c == '\\' && !escaped {
            escaped = true;
        } else {
            out.push(c);
            escaped = false;
        }
    }
    out
}

/// The token for messages: `"word"`, `string "x"`, `number 1`, `operator "="`, `"("`.
fn describe(kind: Kind, text: &str) -> String {
    match kind {
        Kind::Word => quoted(text),
        Kind::Str => format!("string {}", quoted(&unescape(text))),
        Kind::Num(n) => format!("number {}", format_number(n)),
        Kind::Op(op) => format!("operator {}", op.text()),
        Kind::LParen => "\"(\"".into(),
        Kind::RParen => "\")\"".into(),
        Kind::Comma => "\",\"".into(),
        Kind::Bang => "\"!\"".into(),
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let at = i;
        let next = bytes.get(i + 1).copied();
        let (kind, len) = match b {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'(' => (Kind::LParen, 1),
            b')' => (Kind::RParen, 1),
            b',' => (Kind::Comma, 1),
            b'=' => (Kind::Op(CompareOp::Eq), 1),
            b'!' if next == Some(b'=') => (Kind::Op(CompareOp::Ne), 2),
            b'!' => (Kind::Bang, 1),
            b'<' if next == Some(b'=') => (Kind::Op(CompareOp::Le), 2),
            b'<' => (Kind::Op(CompareOp::Lt), 1),
            b'>' if next == Some(b'=') => (Kind::Op(CompareOp::Ge), 2),
            b'>' => (Kind::Op(CompareOp::Gt), 1),
            b'"' => {
                // To the closing quote; `\` escapes the next character (a multi-byte one's
                // other bytes are never a quote or a backslash).
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => return Err(format!("unterminated string at {at}")),
                        Some(b'"') => break,
                        Some(b'\\') if j + 1 < bytes.len() => j += 2,
                        Some(b'\\') => return Err(format!("unterminated string at {at}")),
                        Some(_) => j += 1,
                    }
                }
                (Kind::Str, j + 1 - i)
            }
            b if b.is_ascii_digit() || (b == b'-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let mut j = i + 1;
                while let Some(&d) = bytes.get(j) {
                    let exponent_sign =
                        matches!(d, b'+' | b'-') && matches!(bytes[j - 1], b'e' | b'E');
                    if d.is_ascii_digit() || matches!(d, b'.' | b'e' | b'E') || exponent_sign {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let literal = &text[i..j];
                let n = parse_number(literal)
                    .ok_or_else(|| format!("invalid number {} at {at}", quoted(literal)))?;
                (Kind::Num(n), j - i)
            }
            b if is_word_byte(b) => {
                let mut j = i + 1;
                while bytes.get(j).is_some_and(|&c| is_word_byte(c)) {
                    j += 1;
                }
                (Kind::Word, j - i)
            }
            // ASCII: every other byte is part of a word.
            _ => {
                return Err(format!(
                    "unexpected character {} at {at}",
                    quoted(&text[i..i + 1])
                ))
            }
        };
        i += len;
        out.push(Token { kind, at, end: i });
    }
    Ok(out)
}

fn is_word_byte(b: u8) -> bool {
    // Non-ASCII letters are allowed in field names without linking Unicode tables.
    b.is_ascii_alphanumeric()
        || !b.is_ascii()
        || matches!(b, b'_' | b'.' | b'$' | b'-' | b'[' | b']')
}

/// Deep enough for any real query, shallow enough that hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 64;

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    fn slice(&self, tok: Token) -> &str {
        &self.text[tok.at..tok.end]
    }

    fn peek_kind(&self) -> Option<Kind> {
        self.tokens.get(self.pos).map(|t| t.kind)
    }

    fn next(&mut self) -> Result<Token, String> {
        let tok = *self
            .tokens
            .get(self.pos)
            .ok_or_else(|| "unexpected end of query".to_string())?;
        self.pos += 1;
        Ok(tok)
    }

    /// "unexpected token ... at N" and then `expected` (", expected ..." or nothing).
    fn unexpected(&self, tok: Token, expected: &str) -> String {
        format!(
            "unexpected token {} at {}{expected}",
            describe(tok.kind, self.slice(tok)),
            tok.at
        )
    }

    fn expect(&mut self, want: Kind) -> Result<(), String> {
        let tok = self.next()?;
        if tok.kind == want {
            Ok(())
        } else {
            let expected = format!(", expected {}", describe(want, ""));
            Err(self.unexpected(tok, &expected))
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(&t) if t.kind == Kind::Word && self.slice(t) == word)
    }

    fn or_expr(&mut self, depth: usize) -> Result<TriggerQuery, String> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.is_word("or") {
            self.pos += 1;
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            TriggerQuery::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<TriggerQuery, String> {
        let mut parts = vec![self.unary(depth)?];
        while self.is_word("and") {
            self.pos += 1;
            parts.push(self.unary(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            TriggerQuery::And(parts)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<TriggerQuery, String> {
        if depth > MAX_NESTING {
            return Err(format!("query nested deeper than {MAX_NESTING} levels"));
        }
        let tok = self.next()?;
        let word = self.slice(tok);
        match tok.kind {
            Kind::Bang => Ok(TriggerQuery::Not(Box::new(self.unary(depth + 1)?))),
            Kind::LParen => {
                let inner = self.or_expr(depth + 1)?;
                self.expect(Kind::RParen)?;
                Ok(inner)
            }
            Kind::Word if self.peek_kind() == Some(Kind::LParen) => self.function(tok),
            Kind::Word if word != "and" && word != "or" => {
                let field = parse_field(word, tok.at)?;
                let op_tok = self.next()?;
                let Kind::Op(op) = op_tok.kind else {
                    return Err(self.unexpected(op_tok, ", expected an operator"));
                };
                let value_tok = self.next()?;
                let value = match (value_tok.kind, self.slice(value_tok)) {
                    (Kind::Str, text) => Literal::String(unescape(text)),
                    (Kind::Num(n), _) => Literal::Number(n),
                    (Kind::Word, "true") => Literal::Bool(true),
                    (Kind::Word, "false") => Literal::Bool(false),
                    (Kind::Word, "null") => Literal::Null,
                    _ => return Err(self.unexpected(value_tok, ", expected a value")),
                };
                let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
                if ordering && !matches!(value, Literal::Number(_)) {
                    return Err(format!(
                        "operator {} at {} needs a number on its right",
                        op.text(),
                        op_tok.at
                    ));
                }
                Ok(TriggerQuery::Compare { field, op, value })
            }
            _ => Err(self.unexpected(tok, "")),
        }
    }

    /// `contains(field, "x")` or `match(field, "x*")`; `name` is the function's word.
    fn function(&mut self, name: Token) -> Result<TriggerQuery, String> {
        let contains = match self.slice(name) {
            "contains" => true,
            "match" => false,
            other => return Err(format!("unknown function {} at {}", quoted(other), name.at)),
        };
        self.expect(Kind::LParen)?;
        let field_tok = self.next()?;
        if field_tok.kind != Kind::Word {
            return Err(self.unexpected(field_tok, ", expected a field"));
        }
        let field = parse_field(self.slice(field_tok), field_tok.at)?;
        self.expect(Kind::Comma)?;
        let arg_tok = self.next()?;
        if arg_tok.kind != Kind::Str {
            return Err(self.unexpected(arg_tok, ", expected a string"));
        }
        let arg = unescape(self.slice(arg_tok));
        self.expect(Kind::RParen)?;
        Ok(if contains {
            TriggerQuery::Contains { field, needle: arg }
        } else {
            let starts = arg.starts_with('*');
            let ends = arg.len() > 1 && arg.ends_with('*');
            let core = arg
                .trim_start_matches('*')
                .trim_end_matches('*')
                .to_string();
            let pattern = match (starts, ends) {
                (true, true) => MatchPattern::Contains(core),
                (true, false) => MatchPattern::Suffix(core),
                (false, true) => MatchPattern::Prefix(core),
                (false, false) => MatchPattern::Exact(arg),
            };
            TriggerQuery::Match { field, pattern }
        })
    }
}

fn parse_field(word: &str, at: usize) -> Result<JsonPath, String> {
    if matches!(word, "true" | "false" | "null") {
        return Err(format!(
            "unexpected token {} at {at}, expected a field",
            quoted(word)
        ));
    }
    JsonPath::parse(word).map_err(|e| format!("{e} at {at}"))
}
