//! JavaScript's readings of event values, as Segment's runtime makes them in the browser:
//! property reads that go on through falsy values (`a && a[k]`) and reach `.length`, string
//! characters and prototype members; `String(v)`; `Number(text)`.
//!
//! Segment's trigger and mapping code reads events with plain JavaScript property access, so a
//! drop-in replacement has to read them the same way: `properties.plan.length` is a number,
//! `traits.count.x` with `count: 0` is `0`, and `properties.constructor` exists.

use crate::engine::json::{Map, Number, Value};

/// What a property read gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<'a> {
    Undefined,
    /// A value of the event (or of the mapping's input).
    Value(&'a Value),
    /// A value the read made: a string's or an array's `length`, a string's character.
    Made(Value),
    /// A member every value of its kind inherits (`constructor`, `toString`, `push`, ...): a
    /// function, or for `__proto__` the prototype object. It exists, is truthy, and is neither a
    /// string, a number nor a boolean; reads below it give undefined (a simplification: a
    /// function's own `length` and `name` are not modelled).
    Member,
}

impl<'a> Read<'a> {
    /// The value read, if it is one of the event's or made (not undefined or a member).
    pub fn value(&self) -> Option<&Value> {
        match self {
            Read::Value(v) => Some(v),
            Read::Made(v) => Some(v),
            Read::Undefined | Read::Member => None,
        }
    }

    /// `v === undefined || v === null`.
    pub fn is_nullish(&self) -> bool {
        matches!(self, Read::Undefined) || matches!(self.value(), Some(Value::Null))
    }

    /// JavaScript's truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Read::Undefined => false,
            Read::Member => true,
            Read::Value(v) => truthy(v),
            Read::Made(v) => truthy(v),
        }
    }

    /// The string, when `typeof v === "string"`.
    pub fn as_str(&self) -> Option<&str> {
        self.value().and_then(Value::as_str)
    }

    /// The number, when `typeof v === "number"`.
    pub fn as_number(&self) -> Option<f64> {
        self.value().and_then(Value::as_f64)
    }

    /// The value as an owned JSON value; undefined and members (functions) have none.
    pub fn to_value(&self) -> Option<Value> {
        self.value().cloned()
    }

    /// `v[key]` of a value that is not null or undefined (those give undefined here).
    pub fn property(self, key: &Key) -> Read<'a> {
        match self {
            Read::Value(v) if !v.is_null() => key.read(v),
            Read::Made(v) => Read::Made(v).get(key),
            Read::Member => Read::Member.get(key),
            _ => Read::Undefined,
        }
    }

    /// `v[key]` after `v &&`: a falsy value is the result itself.
    pub fn get(self, key: &Key) -> Read<'a> {
        if !self.truthy() {
            return self;
        }
        match self {
            Read::Value(v) => key.read(v),
            Read::Made(v) => match key.read(&v) {
                Read::Value(inner) => Read::Made(inner.clone()),
                other => other.detached(),
            },
            // A member's own properties are not modelled, except what every object inherits.
            Read::Member => {
                if key.members & OBJECT != 0 {
                    Read::Member
                } else {
                    Read::Undefined
                }
            }
            Read::Undefined => Read::Undefined,
        }
    }

    /// A read that borrows nothing (a made value or a member).
    fn detached(self) -> Read<'static> {
        match self {
            Read::Undefined => Read::Undefined,
            Read::Member => Read::Member,
            Read::Value(v) => Read::Made(v.clone()),
            Read::Made(v) => Read::Made(v),
        }
    }
}

/// JavaScript's truthiness of a JSON value: false for null, false, 0 and "".
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0 && !x.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// Kinds of value whose prototype has a member, as bits.
const OBJECT: u8 = 1;
const ARRAY: u8 = 2;
const STRING: u8 = 4;
const NUMBER: u8 = 8;
const BOOLEAN: u8 = 16;

/// The members of the built-in prototypes (Chromium's, without symbols), and which kinds of
/// value inherit them. `Object.prototype`'s are inherited by every kind.
const MEMBERS: &[(&str, u8)] = &[
    ("constructor", OBJECT),
    ("toString", OBJECT),
    ("toLocaleString", OBJECT),
    ("valueOf", OBJECT),
    ("hasOwnProperty", OBJECT),
    ("isPrototypeOf", OBJECT),
    ("propertyIsEnumerable", OBJECT),
    ("__proto__", OBJECT),
    ("__defineGetter__", OBJECT),
    ("__defineSetter__", OBJECT),
    ("__lookupGetter__", OBJECT),
    ("__lookupSetter__", OBJECT),
    ("at", ARRAY | STRING),
    ("concat", ARRAY | STRING),
    ("includes", ARRAY | STRING),
    ("indexOf", ARRAY | STRING),
    ("lastIndexOf", ARRAY | STRING),
    ("slice", ARRAY | STRING),
    ("copyWithin", ARRAY),
    ("entries", ARRAY),
    ("every", ARRAY),
    ("fill", ARRAY),
    ("filter", ARRAY),
    ("find", ARRAY),
    ("findIndex", ARRAY),
    ("findLast", ARRAY),
    ("findLastIndex", ARRAY),
    ("flat", ARRAY),
    ("flatMap", ARRAY),
    ("forEach", ARRAY),
    ("join", ARRAY),
    ("keys", ARRAY),
    ("map", ARRAY),
    ("pop", ARRAY),
    ("push", ARRAY),
    ("reduce", ARRAY),
    ("reduceRight", ARRAY),
    ("reverse", ARRAY),
    ("shift", ARRAY),
    ("some", ARRAY),
    ("sort", ARRAY),
    ("splice", ARRAY),
    ("toReversed", ARRAY),
    ("toSorted", ARRAY),
    ("toSpliced", ARRAY),
    ("unshift", ARRAY),
    ("values", ARRAY),
    ("with", ARRAY),
    ("anchor", STRING),
    ("big", STRING),
    ("blink", STRING),
    ("bold", STRING),
    ("charAt", STRING),
    ("charCodeAt", STRING),
    ("codePointAt", STRING),
    ("endsWith", STRING),
    ("fixed", STRING),
    ("fontcolor", STRING),
    ("fontsize", STRING),
    ("isWellFormed", STRING),
    ("italics", STRING),
    ("link", STRING),
    ("localeCompare", STRING),
    ("match", STRING),
    ("matchAll", STRING),
    ("normalize", STRING),
    ("padEnd", STRING),
    ("padStart", STRING),
    ("repeat", STRING),
    ("replace", STRING),
    ("replaceAll", STRING),
    ("search", STRING),
    ("small", STRING),
    ("split", STRING),
    ("startsWith", STRING),
    ("strike", STRING),
    ("sub", STRING),
    ("substr", STRING),
    ("substring", STRING),
    ("sup", STRING),
    ("toLocaleLowerCase", STRING),
    ("toLocaleUpperCase", STRING),
    ("toLowerCase", STRING),
    ("toUpperCase", STRING),
    ("toWellFormed", STRING),
    ("trim", STRING),
    ("trimEnd", STRING),
    ("trimLeft", STRING),
    ("trimRight", STRING),
    ("trimStart", STRING),
    ("toExponential", NUMBER),
    ("toFixed", NUMBER),
    ("toPrecision", NUMBER),
];

/// A property key, with what it reads worked out once: the array index it is, and which kinds
/// of value inherit a member of that name.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    /// The array (or string) index the key is: canonical decimal digits below 2^32 - 1.
    pub index: Option<usize>,
    members: u8,
}

impl Key {
    pub fn new(name: &str) -> Key {
        let mut members = 0;
        for (member, kinds) in MEMBERS {
            if *member == name {
                members = *kinds;
            }
        }
        Key {
            name: name.to_string(),
            index: array_index(name),
            members,
        }
    }

    /// Whether `name` is `length` (an own property of strings and arrays).
    fn is_length(&self) -> bool {
        self.name == "length"
    }

    /// Whether a value of `kind` inherits a member of this name.
    fn inherited(&self, kind: u8) -> bool {
        self.members & (kind | OBJECT) != 0
    }

    /// `v[key]` of a truthy value.
    fn read<'a>(&self, v: &'a Value) -> Read<'a> {
        let kind = match v {
            Value::Object(map) => match map.get(&self.name) {
                Some(found) => return Read::Value(found),
                None => OBJECT,
            },
            Value::Array(items) => {
                if let Some(item) = self.index.and_then(|i| items.get(i)) {
                    return Read::Value(item);
                }
                if self.is_length() {
                    return Read::Made(Value::Number(Number::from(items.len() as i64)));
                }
                ARRAY
            }
            Value::String(s) => {
                if self.is_length() {
                    let units = s.encode_utf16().count();
                    return Read::Made(Value::Number(Number::from(units as i64)));
                }
                if let Some(unit) = self.index.and_then(|i| s.encode_utf16().nth(i)) {
                    // A lone surrogate (half of a character outside the BMP) has no UTF-8 form.
                    let c = char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}');
                    return Read::Made(Value::String(c.to_string()));
                }
                STRING
            }
            Value::Number(_) => NUMBER,
            Value::Bool(_) => BOOLEAN,
            Value::Null => return Read::Undefined,
        };
        if self.inherited(kind) {
            Read::Member
        } else {
            Read::Undefined
        }
    }
}

/// An object's entries in the order a JavaScript object holds its keys: array indices first,
/// ascending, then the others in the order they were added.
pub fn in_key_order(map: Map<String, Value>) -> Map<String, Value> {
    if !map.keys().any(|k| array_index(k).is_some()) {
        return map;
    }
    let mut indices: Vec<(usize, String, Value)> = Vec::new();
    let mut others = Map::new();
    for (k, v) in map {
        match array_index(&k) {
            Some(i) => indices.push((i, k, v)),
            None => others.push_new(k, v),
        }
    }
    // An insertion sort (the keys come ascending, as a rule; std's sorts are large in the
    // .wasm); the indices are distinct.
    for i in 1..indices.len() {
        let mut j = i;
        while j > 0 && indices[j - 1].0 > indices[j].0 {
            indices.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut out = Map::with_capacity(indices.len() + others.len());
    for (_, k, v) in indices {
        out.push_new(k, v);
    }
    for (k, v) in others {
        out.push_new(k, v);
    }
    out
}

/// `name` as an array index: `ToString(ToUint32(name)) === name`, below 2^32 - 1.
pub fn array_index(name: &str) -> Option<usize> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 10 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    let n = crate::engine::text::digits(b, 10)?;
    (n < u64::from(u32::MAX)).then_some(n as usize)
}

/// JavaScript's `String(v)` of a number.
pub fn number_text(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // Finite: the JSON value's writer, which writes numbers as JavaScript does.
    let mut out = String::new();
    if let Some(n) = Number::from_f64(v) {
        n.write(&mut out);
    }
    out
}

/// JavaScript's `String(v)` of a JSON value: arrays joined with "," (null items as ""),
/// objects as "[object Object]".
pub fn string_of(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => out.push_str(s),
        Value::Object(_) => out.push_str("[object Object]"),
        Value::Array(items) => join(items, out, 0),
    }
}

/// `Array.prototype.join(",")`; an array inside itself cannot happen in JSON, but depth is
/// bounded anyway.
fn join(items: &[Value], out: &mut String, depth: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => {}
            Value::Array(inner) if depth < 64 => join(inner, out, depth + 1),
            Value::Array(_) => {}
            other => string_of(other, out),
        }
    }
}

/// JavaScript's white space and line terminators (what `Number(text)` and `trim()` skip).
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// JavaScript's `Number(text)`: NaN when it is not a number literal.
pub fn to_number(text: &str) -> f64 {
    let t = text.trim_matches(is_space);
    if t.is_empty() {
        return 0.0;
    }
    let b = t.as_bytes();
    // 0x, 0o and 0b integers (no sign).
    if b.len() > 2 && b[0] == b'0' {
        let radix = match b[1] | 0x20 {
            b'x' => 16,
            b'o' => 8,
            b'b' => 2,
            _ => 0,
        };
        if radix != 0 {
            let mut n = 0.0f64;
            for &d in &b[2..] {
                match char::from(d).to_digit(radix) {
                    Some(x) => n = n * f64::from(radix) + f64::from(x),
                    None => return f64::NAN,
                }
            }
            return n;
        }
    }
    let (negative, unsigned) = match b[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    if unsigned == "Infinity" {
        return sign * f64::INFINITY;
    }
    decimal(unsigned).map_or(f64::NAN, |v| sign * v)
}

/// An unsigned StrDecimalLiteral (`12`, `1.`, `.5`, `1e3`), through the JSON number reader.
fn decimal(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        &t[start..*i]
    };
    let int = digits(&mut i);
    let mut frac = "";
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = digits(&mut i);
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = "";
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let start = i + 1;
        i = start;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i).is_empty() {
            return None;
        }
        exp = &t[start..i];
    }
    if i != b.len() {
        return None;
    }
    let int = int.trim_start_matches('0');
    let json = crate::engine::text::cat(&[
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "" } else { "." },
        frac,
        if exp.is_empty() { "" } else { "e" },
        exp,
    ]);
    // A literal too large for a double is Infinity (the JSON reader gives none for it).
    let zero = int.bytes().all(|d| d == b'0') && frac.bytes().all(|d| d == b'0');
    Some(
        crate::engine::text::parse_number(&json).unwrap_or(if zero || exp.starts_with('-') {
            0.0
        } else {
            f64::INFINITY
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn numbers_as_javascript_writes_them() {
        for (v, text) in [
            (0.0, "0"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (-19.99, "-19.99"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (1.2345e-7, "1.2345e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (2f64.powi(60), "1152921504606847000"),
        ] {
            assert_eq!(number_text(v), text, "{v}");
        }
    }

    #[test]
    fn number_of_text_as_javascript_reads_it() {
        for (text, v) in [
            ("", 0.0),
            ("  12 ", 12.0),
            ("+5", 5.0),
            ("-5.", -5.0),
            (".5", 0.5),
            ("007", 7.0),
            ("1e3", 1000.0),
            ("0x1F", 31.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("-Infinity", f64::NEG_INFINITY),
            ("1e999", f64::INFINITY),
            ("\u{feff}\u{2028}3", 3.0),
        ] {
            assert_eq!(to_number(text), v, "{text:?}");
        }
        for text in [
            "abc", "1,5", ".", "-", "+", "1e", "-0x10", "infinity", "\u{85}1", "1 2",
        ] {
            assert!(to_number(text).is_nan(), "{text:?}");
        }
    }

    #[test]
    fn reads_go_through_falsy_values_length_and_members() {
        let v = json!({"zero": 0, "s": "héllo😀", "list": [1, 2], "o": {"k": null}, "f": false});
        let read = |keys: &[&str]| {
            let mut r = Read::Value(&v);
            for k in keys {
                r = r.get(&Key::new(k));
            }
            r
        };
        assert_eq!(read(&["zero", "x", "y"]), Read::Value(&json!(0)));
        assert_eq!(read(&["f", "x"]), Read::Value(&json!(false)));
        assert_eq!(read(&["s", "length"]), Read::Made(json!(7)));
        assert_eq!(read(&["s", "1"]), Read::Made(json!("é")));
        assert_eq!(read(&["s", "5"]), Read::Made(json!("\u{fffd}")));
        assert_eq!(read(&["s", "01"]), Read::Undefined);
        assert_eq!(read(&["list", "length"]), Read::Made(json!(2)));
        assert_eq!(read(&["list", "1"]), Read::Value(&json!(2)));
        assert_eq!(read(&["list", "push"]), Read::Member);
        assert_eq!(read(&["o", "constructor"]), Read::Member);
        assert_eq!(read(&["o", "push"]), Read::Undefined);
        assert_eq!(read(&["o", "k", "x"]), Read::Value(&Value::Null));
        assert_eq!(read(&["s", "length", "toFixed"]), Read::Member);
        assert_eq!(read(&["missing", "x"]), Read::Undefined);
    }

    #[test]
    fn string_of_values() {
        let s = |v: Value| {
            let mut out = String::new();
            string_of(&v, &mut out);
            out
        };
        assert_eq!(
            s(json!([1, "b", null, [2, [3]], {"a": 1}])),
            "1,b,,2,3,[object Object]"
        );
        assert_eq!(s(json!({"a": 1})), "[object Object]");
        assert_eq!(s(json!(null)), "null");
        assert_eq!(s(json!(2.5)), "2.5");
    }
}
