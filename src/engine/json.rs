//! A small JSON value for the core: objects keep their key order in a `Vec` (no hashing), and
//! numbers are JavaScript's (see [`Number`]). Parsing is the host's (`JSON.parse` in the
//! browser; see [`crate::engine::host`]), and [`JsonWriter`] writes every JSON text.
//!
//! It replaces serde_json on the per-event path: smaller in wasm and faster (serde_json's
//! order-preserving map hashed every key with SipHash). The API follows serde_json's names.

#[cfg(any(test, not(target_arch = "wasm32")))]
use std::fmt;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map<String, Value>),
}

/// A JSON number: a finite float, as in JavaScript (the browser reads every number of an event
/// as one, and `JSON.parse` does too). Its text is JavaScript's `String(v)` (see
/// [`crate::engine::host::float_text`]), in both builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    value: f64,
}

impl Number {
    /// A finite float.
    pub fn from_f64(value: f64) -> Option<Number> {
        value.is_finite().then_some(Number { value })
    }

    pub fn as_f64(&self) -> Option<f64> {
        Some(self.value)
    }

    pub fn as_u64(&self) -> Option<u64> {
        let v = self.value;
        (v >= 0.0 && v.fract() == 0.0 && v < 1.8e19).then_some(v as u64)
    }

    pub fn as_i64(&self) -> Option<i64> {
        let v = self.value;
        (v.fract() == 0.0 && v.abs() < 9.2e18).then_some(v as i64)
    }

    /// Appends the JSON text of this number: JavaScript's `String(v)`, which is what
    /// `JSON.stringify` writes too (`-0` as `0`).
    pub fn write(&self, out: &mut String) {
        // Integers up to 2^53 are their digits in JavaScript as well; the host is asked only
        // for the others.
        if self.value.fract() == 0.0 && self.value.abs() <= 9_007_199_254_740_992.0 {
            push_int(out, self.value as i64);
        } else {
            out.push_str(&crate::engine::host::float_text(self.value));
        }
    }
}

impl From<i64> for Number {
    /// Beyond 2^53 the value is rounded, as in JavaScript.
    fn from(v: i64) -> Number {
        Number { value: v as f64 }
    }
}

impl From<u32> for Number {
    fn from(v: u32) -> Number {
        Number::from(i64::from(v))
    }
}

/// Appends the decimal digits of `v`, without core's formatting (large in wasm, and an
/// allocation per number on the per-event path).
pub fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_digits(out, v.unsigned_abs());
}

/// The digits of `n`, the highest first (at most 20 levels deep; dividing by the constant 10
/// is a multiplication, and there is no digit buffer).
fn push_digits(out: &mut String, n: u64) {
    if n >= 10 {
        push_digits(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// An object: keys in insertion order. Generic only to read like serde_json's `Map<String, Value>`.
#[derive(Debug, Clone)]
pub struct Map<K, V> {
    entries: Vec<(K, V)>,
}

impl Default for Map<String, Value> {
    fn default() -> Self {
        Map::new()
    }
}

impl PartialEq for Map<String, Value> {
    /// Equal when both have the same keys with equal values, in any order (as JSON objects).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .entries
                .iter()
                .all(|(k, v)| other.get(k).is_some_and(|o| o == v))
    }
}

impl Map<String, Value> {
    pub fn new() -> Self {
        Map {
            entries: Vec::new(),
        }
    }

    /// An empty object with room for `n` entries (one allocation for a map built to a known
    /// size).
    pub fn with_capacity(n: usize) -> Self {
        Map {
            entries: Vec::with_capacity(n),
        }
    }

    /// The index of `key`, or the length when it is absent (a plain number: no `Option`
    /// through memory in wasm).
    fn index(&self, key: &str) -> usize {
        let key = key.as_bytes();
        self.entries
            .iter()
            .take_while(|(k, _)| k.as_bytes() != key)
            .count()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        let i = self.index(key);
        self.entries.get(i).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.index(key);
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index(key) < self.len()
    }

    /// Sets a key; an existing key keeps its place. Returns the old value.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.get_mut(&key) {
            Some(v) => Some(std::mem::replace(v, value)),
            None => {
                self.push_new(key, value);
                None
            }
        }
    }

    /// Removes a key, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// [`Map::remove`], with null for an absent key.
    pub fn take(&mut self, key: &str) -> Value {
        self.remove(key).unwrap_or_default()
    }

    /// [`Map::remove`], key included: a caller that moves the entry to another map reuses the
    /// key rather than allocating a copy.
    pub fn remove_entry(&mut self, key: &str) -> Option<(String, Value)> {
        let i = self.index(key);
        (i < self.len()).then(|| self.entries.remove(i))
    }

    /// Same as [`Map::remove`] (serde_json's name for the order-keeping removal).
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.remove(key)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// An object of entries whose keys the caller knows are unique (no scan, no copy).
    pub fn from_unique(entries: Vec<(String, Value)>) -> Self {
        Map { entries }
    }

    /// Appends an entry whose key the caller knows is new (no scan of the existing keys).
    pub fn push_new(&mut self, key: String, value: Value) {
        self.entries.push((key, value));
    }

    /// Removes repeated keys, keeping the last value of each at the place of the first (as
    /// `JSON.parse` does); sorts indices instead of scanning, so large objects stay fast.
    fn dedupe(&mut self) {
        let n = self.entries.len();
        if n < 2 {
            return;
        }
        // Small objects (nearly all): a pairwise check, no allocation when there is no repeat.
        if n <= 16 {
            let repeated = (1..n).any(|j| (0..j).any(|i| self.entries[i].0 == self.entries[j].0));
            if !repeated {
                return;
            }
        }
        let entries = &mut self.entries;
        let mut order: Vec<usize> = (0..n).collect();
        heap_sort(&mut order, |a, b| {
            entries[a].0.cmp(&entries[b].0).then(a.cmp(&b)).is_lt()
        });
        // Runs of one key, in the order of appearance: the later values move into the first.
        let mut drop = vec![false; n];
        let mut any = false;
        let mut head = order[0];
        for &i in &order[1..] {
            if entries[i].0 == entries[head].0 {
                entries[head].1 = std::mem::take(&mut entries[i].1);
                drop[i] = true;
                any = true;
            } else {
                head = i;
            }
        }
        if any {
            let mut i = 0;
            entries.retain(|_| {
                let keep = !drop[i];
                i += 1;
                keep
            });
        }
    }
}

/// Heapsort: O(n log n) at worst, and much less code in the .wasm than the standard sorts.
fn heap_sort(v: &mut [usize], less: impl Fn(usize, usize) -> bool) {
    let sift = |v: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(v[child], v[child + 1]) {
            child += 1;
        }
        if !less(v[root], v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    for i in (0..v.len() / 2).rev() {
        sift(v, i, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

impl Extend<(String, Value)> for Map<String, Value> {
    fn extend<T: IntoIterator<Item = (String, Value)>>(&mut self, iter: T) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(String, Value)> for Map<String, Value> {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Self {
        let mut map = Map {
            entries: iter.into_iter().collect(),
        };
        map.dedupe();
        map
    }
}

impl IntoIterator for Map<String, Value> {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map<String, Value> {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// What `Value::get` and indexing accept: an object key or an array index.
pub trait ValueIndex {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value>;
}

impl ValueIndex for str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_object()?.get(self)
    }
}

impl ValueIndex for String {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
}

impl ValueIndex for usize {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_array()?.get(*self)
    }
}

impl<T: ValueIndex + ?Sized> ValueIndex for &T {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        (**self).index_into(v)
    }
}

static NULL: Value = Value::Null;

impl<I: ValueIndex> std::ops::Index<I> for Value {
    type Output = Value;
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NULL)
    }
}

impl std::ops::IndexMut<&str> for Value {
    /// Sets object keys like serde_json (`v["k"] = ...`); a value that is not an object
    /// becomes an empty object first.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if !self.is_object() {
            *self = Value::Object(Map::new());
        }
        let Value::Object(map) = self else {
            return self;
        };
        let i = map.index(key);
        if i == map.len() {
            map.entries.push((key.to_string(), Value::Null));
        }
        &mut map.entries[i].1
    }
}

impl Value {
    pub fn get<I: ValueIndex>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Appends the JSON text of this value.
    pub fn write_to(&self, out: &mut String) {
        JsonWriter::new(out).value(self);
    }
}

/// The one writer of JSON text: values, and arrays and objects built entry by entry (the
/// answers to the browser shell, the widget's load spec, the Intercom calls). It places the
/// commas itself: a value or key after another entry of the same array or object gets one.
/// Keys and strings are escaped; nesting is the caller's to close, in order.
pub struct JsonWriter<'a> {
    out: &'a mut String,
    /// Whether the next entry follows another one at the same level.
    after_entry: bool,
}

impl<'a> JsonWriter<'a> {
    /// A writer that appends to `out`.
    pub fn new(out: &'a mut String) -> JsonWriter<'a> {
        JsonWriter {
            out,
            after_entry: false,
        }
    }

    /// The comma before an entry that follows another.
    fn entry(&mut self) {
        if self.after_entry {
            self.out.push(',');
        }
        self.after_entry = true;
    }

    pub fn begin_array(&mut self) -> &mut Self {
        self.entry();
        self.out.push('[');
        self.after_entry = false;
        self
    }

    pub fn end_array(&mut self) -> &mut Self {
        self.out.push(']');
        self.after_entry = true;
        self
    }

    pub fn begin_object(&mut self) -> &mut Self {
        self.entry();
        self.out.push('{');
        self.after_entry = false;
        self
    }

    pub fn end_object(&mut self) -> &mut Self {
        self.out.push('}');
        self.after_entry = true;
        self
    }

    /// An object's key; its value comes next.
    pub fn key(&mut self, key: &str) -> &mut Self {
        self.entry();
        write_string(key, self.out);
        self.out.push(':');
        self.after_entry = false;
        self
    }

    pub fn string(&mut self, s: &str) -> &mut Self {
        self.entry();
        write_string(s, self.out);
        self
    }

    pub fn int(&mut self, n: i64) -> &mut Self {
        self.entry();
        push_int(self.out, n);
        self
    }

    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.entry();
        self.out.push_str(if b { "true" } else { "false" });
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.entry();
        self.out.push_str("null");
        self
    }

    /// A value, arrays and objects with all they hold (numbers as written: `12`, `19.99`).
    pub fn value(&mut self, v: &Value) -> &mut Self {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => {
                self.entry();
                n.write(self.out);
                self
            }
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.value(item);
                }
                self.end_array()
            }
            Value::Object(map) => self.object(map),
        }
    }

    /// An object value.
    pub fn object(&mut self, map: &Map<String, Value>) -> &mut Self {
        self.begin_object();
        for (k, v) in map {
            self.key(k).value(v);
        }
        self.end_object()
    }
}

/// Appends a JSON string literal (for [`JsonWriter`] and [`crate::engine::text::quoted`]).
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    // The runs between escapes (most strings: all of it) are copied whole.
    while let Some(at) = bytes.get(start..).and_then(special_at) {
        let i = start + at;
        out.push_str(&s[start..i]);
        let b = bytes[i];
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The index of the first byte of `b` that a JSON string cannot hold as it is (`"`, `\\` or a
/// control character).
fn special_at(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

impl Value {
    /// The JSON text of this value.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }
}

/// For tests and tools (`to_string()`); the wasm build writes JSON with [`Value::to_json`] and
/// links none of core's formatting.
#[cfg(any(test, not(target_arch = "wasm32")))]
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_to(&mut out);
        f.write_str(&out)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// For tests and tools: converts serde_json values (unused by the wasm build, so not linked).
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            // serde_json's numbers are finite.
            serde_json::Value::Number(n) => {
                Number::from_f64(n.as_f64().unwrap_or(0.0)).map_or(Value::Null, Value::Number)
            }
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                let mut map = Map::with_capacity(o.len());
                for (k, v) in o {
                    map.push_new(k, Value::from(v));
                }
                Value::Object(map)
            }
        }
    }
}

/// `json!({...})` for tests: serde_json's macro, converted to this crate's [`Value`].
#[macro_export]
macro_rules! json {
    ($($tokens:tt)+) => {
        $crate::engine::json::Value::from(::serde_json::json!($($tokens)+))
    };
}

/// Parses JSON text as the browser's `JSON.parse` does, with the limits of reading a value
/// from the browser (see [`crate::engine::host::parse_json`]).
pub fn parse(text: &str) -> Result<Value, String> {
    crate::engine::host::parse_json(text)
}

impl std::ops::Index<&str> for Map<String, Value> {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// For tests and tools (`json!` interpolation); nothing in the wasm build serialises with serde.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => s.serialize_i64(i),
                None => s.serialize_f64(n.value),
            },
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => map.serialize(s),
        }
    }
}

impl serde::Serialize for Map<String, Value> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A short name of a JSON value's type for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_escapes_are_four_hex_digits() {
        assert_eq!(parse(r#""\u00e9""#).unwrap(), Value::from("é"));
        // JSON.parse rejects these; str::parse-style readers would take the sign.
        for bad in [r#""\u+0e9""#, r#""\u-0e9""#, r#""\u 0e9""#, r#""\u0e""#] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_integers_like_core_does() {
        for v in [0, 7, -7, 10, 1_614_834_367, -1_000_000, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_int(&mut out, v);
            assert_eq!(out, format!("x{v}"));
        }
    }

    #[test]
    fn round_trips_and_keeps_order() {
        let text = r#"{"b":1,"a":[true,false,null,"x\"\\\n\u00e9\ud83d\ude00"],"n":-12.50,"e":1e21,"z":-0,"big":12345678901234567890}"#;
        let v = parse(text).unwrap();
        // Numbers as JavaScript reads and writes them.
        assert_eq!(
            v.to_string(),
            r#"{"b":1,"a":[true,false,null,"x\"\\\né😀"],"n":-12.5,"e":1e+21,"z":0,"big":12345678901234567000}"#
        );
        assert_eq!(v["n"].as_f64(), Some(-12.5));
        assert_eq!(v["e"].as_f64(), Some(1e21));
        assert_eq!(v["a"][0], Value::Bool(true));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn numbers() {
        // The nearest float, as JavaScript reads it; written back as JavaScript writes it.
        for (text, value, written) in [
            ("0", 0.0, "0"),
            ("19.99", 19.99, "19.99"),
            ("1.2e2", 120.0, "120"),
            ("-0.5", -0.5, "-0.5"),
            ("0.05", 0.05, "0.05"),
            ("1614834367123", 1614834367123.0, "1614834367123"),
            ("5e-324", 5e-324, "5e-324"),
            (
                "1.7976931348623157e308",
                f64::MAX,
                "1.7976931348623157e+308",
            ),
            ("1e300", 1e300, "1e+300"),
        ] {
            let parsed = parse(text).unwrap();
            assert_eq!(parsed.as_f64(), Some(value), "{text}");
            assert_eq!(parsed.to_string(), written);
        }
        // Beyond the float range: Infinity in JavaScript, which a value read from the browser
        // holds as null.
        assert_eq!(parse("1e400").unwrap(), Value::Null);
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let mut out = String::new();
        Number::from(1614834367_i64).write(&mut out);
        assert_eq!(out, "1614834367");
    }

    #[test]
    fn errors() {
        assert_eq!(parse("{").unwrap_err(), "expected a key at offset 1");
        assert_eq!(
            parse(r#"{"a":1,}"#).unwrap_err(),
            "expected a key at offset 7"
        );
        assert_eq!(
            parse("[1] x").unwrap_err(),
            "trailing characters at offset 4"
        );
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(parse(&deep).unwrap_err(), "nested deeper than 64 levels");
        assert_eq!(
            parse("\"a\u{1}\"").unwrap_err(),
            "control character in string at offset 2"
        );
    }

    #[test]
    fn duplicate_keys_in_large_objects() {
        // More than the small-object check: the sorted path, with runs of repeated keys.
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{}\":{i},", i % 7));
        }
        text.push_str("\"z\":true}");
        let v = parse(&text).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "z"]);
        // The last value of each key, at the place of its first.
        assert_eq!(v["k0"], Value::from(35));
        assert_eq!(v["k4"], Value::from(39));
        assert_eq!(v["k5"], Value::from(33));
        let many = format!("{{{}\"a\":1}}", "\"a\":0,".repeat(50_000));
        assert_eq!(parse(&many).unwrap().to_string(), "{\"a\":1}");
    }

    #[test]
    fn duplicate_keys_last_wins() {
        assert_eq!(parse(r#"{"a":1,"a":2}"#).unwrap().to_string(), r#"{"a":2}"#);
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(
            Value::String("\u{0}\u{1f}\t".into()).to_string(),
            r#""\u0000\u001f\t""#
        );
    }

    /// The writer places commas between entries at every level, whatever was nested before,
    /// and its text parses back (with serde_json) to what was written.
    #[test]
    fn writer_places_commas_and_escapes() {
        let mut out = String::new();
        let mut w = JsonWriter::new(&mut out);
        w.begin_array().int(4).null();
        w.begin_object().key("a\"b").begin_array().end_array();
        w.key("n").int(-12).key("t").bool(true).end_object();
        w.begin_array()
            .string("x\n")
            .begin_object()
            .end_object()
            .end_array();
        w.value(&parse(r#"{"k":[1,2.5,{"z":null}],"e":{}}"#).unwrap());
        w.end_array();
        assert_eq!(
            out,
            r#"[4,null,{"a\"b":[],"n":-12,"t":true},["x\n",{}],{"k":[1,2.5,{"z":null}],"e":{}}]"#
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back[2]["a\"b"], serde_json::json!([]));
        assert_eq!(back[3][0], "x\n");
    }
}
