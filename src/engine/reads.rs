//! Which parts of an event the compiled subscriptions read. The browser shell converts only
//! those parts of a JS event (a big `context`, or an unreadable property nobody maps, is never
//! touched), which is most of the per-event cost.

use crate::engine::mapping::{Mapping, Reading};
use crate::engine::path::{JsonPath, Step};
use crate::engine::trigger::TriggerQuery;

/// A tree of object keys to read; `All` reads the whole value below.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ReadSet {
    #[default]
    Nothing,
    All,
    Keys(Vec<(String, ReadSet)>),
}

impl ReadSet {
    /// Adds a path (everything below its end is read).
    pub fn add_path(&mut self, path: &JsonPath) {
        self.add_steps(path.steps());
    }

    fn add_steps(&mut self, steps: &[Step]) {
        let mut node = self;
        for step in steps {
            if matches!(node, ReadSet::All) {
                return;
            }
            // (An array is always read whole: the key of an index step names nothing then.)
            let key = &step.name;
            if matches!(node, ReadSet::Nothing) {
                *node = ReadSet::Keys(Vec::new());
            }
            let ReadSet::Keys(children) = node else {
                return;
            };
            let i = match children.iter().position(|(k, _)| k == key) {
                Some(i) => i,
                None => {
                    children.push((key.clone(), ReadSet::Nothing));
                    children.len() - 1
                }
            };
            let Some((_, child)) = children.get_mut(i) else {
                return;
            };
            node = child;
        }
        // The end of the path: everything below it.
        *node = ReadSet::All;
    }

    /// Adds one key below the root (e.g. `timestamp`), read whole.
    pub fn add_key(&mut self, key: &str) {
        self.add_steps(&[Step::new(key)]);
    }

    /// Adds everything a mapping reads from the event it is resolved against. A path known
    /// only when resolving (`@path` of a mapping) reads the whole event.
    pub fn add_mapping(&mut self, mapping: &Mapping) {
        let mut whole = false;
        mapping.each_reading(&mut |r| match r {
            Reading::Path(p) => self.add_path(p),
            Reading::Template(t) => {
                for p in crate::engine::mapping::template_paths(t) {
                    self.add_path(&p);
                }
            }
            Reading::Unknown => whole = true,
        });
        if whole {
            *self = ReadSet::All;
        }
    }

    /// Adds every field a trigger compares.
    pub fn add_trigger(&mut self, query: &TriggerQuery) {
        for p in query.paths() {
            self.add_path(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn merges_paths_into_a_tree() {
        let mut r = ReadSet::default();
        for p in [
            "$.traits.email",
            "traits.company.id",
            "userId",
            "$.context.Intercom.user_hash",
        ] {
            r.add_path(&JsonPath::parse_rooted(p));
        }
        r.add_path(&JsonPath::parse_rooted("$.traits.company"));
        r.add_path(&JsonPath::parse_rooted("properties.items[0].sku"));
        let keys = |pairs: Vec<(&str, ReadSet)>| {
            ReadSet::Keys(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        };
        assert_eq!(
            r,
            keys(vec![
                (
                    "traits",
                    keys(vec![("email", ReadSet::All), ("company", ReadSet::All)])
                ),
                ("userId", ReadSet::All),
                (
                    "context",
                    keys(vec![("Intercom", keys(vec![("user_hash", ReadSet::All)]))])
                ),
                (
                    "properties",
                    keys(vec![(
                        "items",
                        keys(vec![("0", keys(vec![("sku", ReadSet::All)]))])
                    )])
                ),
            ])
        );
        r.add_path(&JsonPath::parse_rooted(""));
        assert_eq!(r, ReadSet::All);
    }

    #[test]
    fn mappings_and_triggers() {
        let mut r = ReadSet::default();
        let m = Mapping::compile(
            &json!({"a": {"@template": "{{traits.name}}"}, "b": {"@transform": {"apply": {"@path": "$.properties"}, "mapping": {"x": {"@path": "$.y"}}}},
                "c": {"@arrayPath": ["$.traits.companies", {"id": {"@path": "$.id"}}]}, "d": "literal"}),
            "m",
        )
        .unwrap();
        r.add_mapping(&m);
        r.add_trigger(
            &TriggerQuery::parse(r#"type = "track" and !contains(context.page.url, "x")"#).unwrap(),
        );
        let keys = |pairs: Vec<(&str, ReadSet)>| {
            ReadSet::Keys(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        };
        assert_eq!(
            r,
            keys(vec![
                (
                    "traits",
                    keys(vec![("name", ReadSet::All), ("companies", ReadSet::All)])
                ),
                ("properties", ReadSet::All),
                ("type", ReadSet::All),
                (
                    "context",
                    keys(vec![("page", keys(vec![("url", ReadSet::All)]))])
                ),
            ])
        );
    }
}
