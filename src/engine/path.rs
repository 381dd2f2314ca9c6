//! Paths into an event, split once as Segment's runtime splits them, and read as JavaScript
//! reads them (see [`crate::engine::js`]).
//!
//! Segment has two readings, and both accept any text: the mapping kit's `get`
//! (`@path`, `@arrayPath`, templates), for which [`JsonPath::parse`] is the splitting, and the
//! trigger language's, [`JsonPath::trigger_field`].

use crate::engine::js::{Key, Read};
use crate::engine::json::Value;

/// A path: the keys read one after the other from the root (none: the root itself).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Key>,
}

/// One step of a path.
pub type Step = Key;

impl JsonPath {
    /// The mapping kit's path (`$.traits.email`, `traits.companies[0].id`, `a['b c']`): split
    /// at `.`, at `[` before a quote or digit and at runs of `]` after one; empty keys are
    /// skipped and quotes removed. `""` and `"."` are the root. (`$.` is not special here:
    /// `@path` removes its first `$.` before, see [`JsonPath::parse_rooted`].)
    pub fn parse(text: &str) -> JsonPath {
        if text.is_empty() || text == "." {
            return JsonPath { steps: Vec::new() };
        }
        let b = text.as_bytes();
        let quote_or_digit = |c: u8| c == b'"' || c == b'\'' || c.is_ascii_digit();
        let mut steps = Vec::new();
        // Empty pieces are skipped before the quotes are removed: `['']` reads the key "".
        let mut push = |piece: &str| {
            if !piece.is_empty() {
                let key: String = piece.chars().filter(|&c| c != '"' && c != '\'').collect();
                steps.push(Key::new(&key));
            }
        };
        let (mut start, mut i) = (0, 0);
        while i < b.len() {
            let sep_len = match b[i] {
                b'.' => 1,
                b'[' if b.get(i + 1).copied().is_some_and(quote_or_digit) => 1,
                b']' if i > 0 && quote_or_digit(b[i - 1]) => {
                    b[i..].iter().take_while(|&&c| c == b']').count()
                }
                _ => 0,
            };
            if sep_len == 0 {
                i += 1;
                continue;
            }
            push(&text[start..i]);
            i += sep_len;
            start = i;
        }
        push(&text[start..]);
        JsonPath { steps }
    }

    /// `@path`'s and `@arrayPath`'s reading: the first `$.` anywhere is removed, then
    /// [`JsonPath::parse`].
    pub fn parse_rooted(text: &str) -> JsonPath {
        match crate::engine::text::find(text, "$.") {
            Some(i) => JsonPath::parse(&crate::engine::text::cat(&[&text[..i], &text[i + 2..]])),
            None => JsonPath::parse(text),
        }
    }

    /// The trigger language's field path below `properties.` (or `traits.`, `context.`): the
    /// runs of characters other than `.`, `[` and `]`. `None` when there is none: Segment's
    /// runtime then throws on every event (the trigger never matches).
    pub fn trigger_field(text: &str) -> Option<JsonPath> {
        let steps: Vec<Key> = text
            .split(['.', '[', ']'])
            .filter(|piece| !piece.is_empty())
            .map(Key::new)
            .collect();
        (!steps.is_empty()).then_some(JsonPath { steps })
    }

    /// A path of plain keys (`["integrations", "All"]`).
    pub fn from_keys(keys: &[&str]) -> JsonPath {
        JsonPath {
            steps: keys.iter().map(|k| Key::new(k)).collect(),
        }
    }

    /// The steps of the path, from the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the path is exactly one key (`type`, `$.type`).
    pub fn is_single_key(&self, key: &str) -> bool {
        matches!(self.steps.as_slice(), [step] if step.name == key)
    }

    /// The value at this path as JavaScript reads it (`prev && prev[key]` for each key).
    pub fn read<'a>(&self, root: &'a Value) -> Read<'a> {
        self.read_from(Read::Value(root))
    }

    /// [`JsonPath::read`] from a read already made.
    pub fn read_from<'a>(&self, start: Read<'a>) -> Read<'a> {
        let mut current = start;
        for step in &self.steps {
            current = current.get(step);
        }
        current
    }

    /// The value at this path when it is a value of `root` (not undefined, not made by the
    /// read, not a member).
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        match self.read(root) {
            Read::Value(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn keys(p: &JsonPath) -> Vec<&str> {
        p.steps().iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn splits_as_the_mapping_kit() {
        for (text, expected) in [
            ("a.b[0].c", vec!["a", "b", "0", "c"]),
            ("a['b c']", vec!["a", "b c"]),
            ("a[\"x.y\"]", vec!["a", "x", "y"]),
            ("a[x]", vec!["a[x]"]),
            ("a..b.", vec!["a", "b"]),
            ("a[0]]]", vec!["a", "0"]),
            ("a]", vec!["a]"]),
            ("$.a", vec!["$", "a"]),
            ("", vec![]),
            (".", vec![]),
            ("..", vec![]),
            ("a['']", vec!["a", ""]),
        ] {
            assert_eq!(keys(&JsonPath::parse(text)), expected, "{text}");
        }
        assert_eq!(keys(&JsonPath::parse_rooted("$.a.b")), vec!["a", "b"]);
        assert_eq!(keys(&JsonPath::parse_rooted("$..a")), vec!["a"]);
        assert_eq!(keys(&JsonPath::parse_rooted("x.$.a")), vec!["x", "a"]);
        assert_eq!(keys(&JsonPath::parse_rooted("$")), vec!["$"]);
    }

    #[test]
    fn splits_as_the_trigger_language() {
        let t = |text| JsonPath::trigger_field(text).map(|p| keys(&p).join("|"));
        assert_eq!(t("a.b[0]"), Some("a|b|0".into()));
        assert_eq!(t("my key"), Some("my key".into()));
        assert_eq!(t("'a'"), Some("'a'".into()));
        assert_eq!(t(".[]"), None);
    }

    #[test]
    fn reads() {
        let v = json!({"a": {"b": [{"c": 1}, {"c": 2}]}, "x": null});
        let get = |p: &str| JsonPath::parse_rooted(p).read(&v).to_value();
        assert_eq!(get("$.a.b[1].c"), Some(json!(2)));
        assert_eq!(get("a.b.1.c"), Some(json!(2)));
        assert_eq!(get("$.x"), Some(Value::Null));
        assert_eq!(get("$.x.y"), Some(Value::Null));
        assert_eq!(get("$.a.b[5]"), None);
        assert_eq!(get("$.a.b.length"), Some(json!(2)));
        assert_eq!(get(""), Some(v.clone()));
    }
}
