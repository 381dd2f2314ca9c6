//! Which parts of an event the compiled subscriptions read. The browser shell converts only
//! those parts of a JS event (a big `context`, or an unreadable property nobody maps, is never
//! touched), which is most of the per-event cost.

use crate::engine::mapping::Mapping;
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
            // An array index: read all of the array.
            if step.is_index {
                break;
            }
            let key = &step.key;
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
        self.add_steps(&[Step::key(key)]);
    }

    /// Adds everything a mapping reads from the event it is resolved against.
    pub fn add_mapping(&mut self, mapping: &Mapping) {
        match mapping {
            Mapping::Literal(_) | Mapping::Undefined => {}
            Mapping::Object(fields) => {
                for (_, m) in fields {
                    self.add_mapping(m);
                }
            }
            // A template's parts are text literals and paths.
            Mapping::Array(items)
            | Mapping::Merge { objects: items, .. }
            | Mapping::Template(items) => {
                for m in items {
                    self.add_mapping(m);
                }
            }
            Mapping::Path(p) => self.add_path(p),
            Mapping::If {
                subject,
                then,
                otherwise,
                ..
            } => {
                self.add_mapping(subject);
                self.add_mapping(then);
                self.add_mapping(otherwise);
            }
            // Item mappings are relative to each element: the whole array is read.
            Mapping::ArrayPath { path, .. } => self.add_path(path),
            // `@transform`'s second mapping reads the result of the first, not the event.
            Mapping::Apply { value, .. } => self.add_mapping(value),
        }
    }

    /// Adds every field a trigger compares.
    pub fn add_trigger(&mut self, query: &TriggerQuery) {
        match query {
            TriggerQuery::Logic { parts, .. } => {
                for q in parts {
                    self.add_trigger(q);
                }
            }
            TriggerQuery::Compare { field, .. } => self.add_path(field),
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
            r.add_path(&JsonPath::parse(p).unwrap());
        }
        r.add_path(&JsonPath::parse("$.traits.company").unwrap());
        r.add_path(&JsonPath::parse("properties.items[0].sku").unwrap());
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
                ("properties", keys(vec![("items", ReadSet::All)])),
            ])
        );
        r.add_path(&JsonPath::parse("$").unwrap());
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
