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
        let mut parser = Parser { tokens, pos: 0 };
        let query = parser.or_expr(0)?;
        match parser.tokens.get(parser.pos) {
            None => Ok(query),
            Some((tok, at)) => Err(format!("unexpected token {} at {at}", tok.describe())),
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

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Num(f64),
    Op(CompareOp),
    LParen,
    RParen,
    Comma,
    Bang,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Word(w) => quoted(w),
            Token::Str(s) => format!("string {}", quoted(s)),
            Token::Num(n) => format!("number {}", format_number(*n)),
            Token::Op(op) => format!("operator {}", op.text()),
            Token::LParen => "\"(\"".into(),
            Token::RParen => "\")\"".into(),
            Token::Comma => "\",\"".into(),
            Token::Bang => "\"!\"".into(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, c)| c);
        match c {
            c if c.is_ascii_whitespace() => i += 1,
            '(' => push(&mut out, Token::LParen, at, &mut i, 1),
            ')' => push(&mut out, Token::RParen, at, &mut i, 1),
            ',' => push(&mut out, Token::Comma, at, &mut i, 1),
            '=' => push(&mut out, Token::Op(CompareOp::Eq), at, &mut i, 1),
            '!' if next == Some('=') => push(&mut out, Token::Op(CompareOp::Ne), at, &mut i, 2),
            '!' => push(&mut out, Token::Bang, at, &mut i, 1),
            '<' if next == Some('=') => push(&mut out, Token::Op(CompareOp::Le), at, &mut i, 2),
            '<' => push(&mut out, Token::Op(CompareOp::Lt), at, &mut i, 1),
            '>' if next == Some('=') => push(&mut out, Token::Op(CompareOp::Ge), at, &mut i, 2),
            '>' => push(&mut out, Token::Op(CompareOp::Gt), at, &mut i, 1),
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(format!("unterminated string at {at}")),
                        Some(&(_, '"')) => break,
                        Some(&(_, '\\')) => {
                            let &(_, escaped) = chars
                                .get(i + 1)
                                .ok_or_else(|| format!("unterminated string at {at}"))?;
                            s.push(escaped);
                            i += 2;
                        }
                        Some(&(_, ch)) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                i += 1;
                out.push((Token::Str(s), at));
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while let Some(&(_, d)) = chars.get(i) {
                    let exponent_sign =
                        matches!(d, '+' | '-') && matches!(chars.get(i - 1), Some(&(_, 'e' | 'E')));
                    if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E') || exponent_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let literal: String = chars[start..i].iter().map(|&(_, c)| c).collect();
                let n = parse_number(&literal)
                    .ok_or_else(|| format!("invalid number {} at {at}", quoted(&literal)))?;
                out.push((Token::Num(n), at));
            }
            c if is_word_char(c) => {
                let start = i;
                while chars.get(i).is_some_and(|&(_, c)| is_word_char(c)) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|&(_, c)| c).collect();
                out.push((Token::Word(word), at));
            }
            other => {
                let text = other.to_string();
                return Err(format!("unexpected character {} at {at}", quoted(&text)));
            }
        }
    }
    Ok(out)
}

fn push(out: &mut Vec<(Token, usize)>, tok: Token, at: usize, i: &mut usize, len: usize) {
    out.push((tok, at));
    *i += len;
}

fn is_word_char(c: char) -> bool {
    // Non-ASCII letters are allowed in field names without linking Unicode tables.
    c.is_ascii_alphanumeric() || !c.is_ascii() || matches!(c, '_' | '.' | '$' | '-' | '[' | ']')
}

/// Deep enough for any real query, shallow enough that hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 64;

struct Parser {
    tokens: Vec<(Token, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn next(&mut self) -> Result<(Token, usize), String> {
        let item = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or_else(|| "unexpected end of query".to_string())?;
        self.pos += 1;
        Ok(item)
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        let (tok, at) = self.next()?;
        if tok == want {
            Ok(())
        } else {
            Err(format!(
                "unexpected token {} at {at}, expected {}",
                tok.describe(),
                want.describe()
            ))
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
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
        let (tok, at) = self.next()?;
        match tok {
            Token::Bang => Ok(TriggerQuery::Not(Box::new(self.unary(depth + 1)?))),
            Token::LParen => {
                let inner = self.or_expr(depth + 1)?;
                self.expect(Token::RParen)?;
                Ok(inner)
            }
            Token::Word(word) if self.peek() == Some(&Token::LParen) => self.function(&word, at),
            Token::Word(word) if word != "and" && word != "or" => {
                let field = parse_field(&word, at)?;
                let (op_tok, op_at) = self.next()?;
                let op = match op_tok {
                    Token::Op(op) => op,
                    other => {
                        return Err(format!(
                            "unexpected token {} at {op_at}, expected an operator",
                            other.describe()
                        ))
                    }
                };
                let (value_tok, value_at) = self.next()?;
                let value = match value_tok {
                    Token::Str(s) => Literal::String(s),
                    Token::Num(n) => Literal::Number(n),
                    Token::Word(w) if w == "true" => Literal::Bool(true),
                    Token::Word(w) if w == "false" => Literal::Bool(false),
                    Token::Word(w) if w == "null" => Literal::Null,
                    other => {
                        return Err(format!(
                            "unexpected token {} at {value_at}, expected a value",
                            other.describe()
                        ))
                    }
                };
                let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
                if ordering && !matches!(value, Literal::Number(_)) {
                    return Err(format!(
                        "operator {} at {op_at} needs a number on its right",
                        op.text()
                    ));
                }
                Ok(TriggerQuery::Compare { field, op, value })
            }
            other => Err(format!("unexpected token {} at {at}", other.describe())),
        }
    }

    fn function(&mut self, name: &str, at: usize) -> Result<TriggerQuery, String> {
        if name != "contains" && name != "match" {
            return Err(format!("unknown function {} at {at}", quoted(name)));
        }
        self.expect(Token::LParen)?;
        let (field_tok, field_at) = self.next()?;
        let field = match field_tok {
            Token::Word(w) => parse_field(&w, field_at)?,
            other => {
                return Err(format!(
                    "unexpected token {} at {field_at}, expected a field",
                    other.describe()
                ))
            }
        };
        self.expect(Token::Comma)?;
        let (arg_tok, arg_at) = self.next()?;
        let arg = match arg_tok {
            Token::Str(s) => s,
            other => {
                return Err(format!(
                    "unexpected token {} at {arg_at}, expected a string",
                    other.describe()
                ))
            }
        };
        self.expect(Token::RParen)?;
        Ok(if name == "contains" {
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
