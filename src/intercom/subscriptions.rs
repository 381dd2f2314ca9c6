//! Subscriptions: which action runs on which events, with which mapping. Compiled once.

use crate::engine::json::{Map, Value};
use crate::engine::mapping::{Mapping, MappingError, ResolveError};
use crate::engine::text::cat;
pub use crate::engine::trigger::TriggerQuery;
use crate::intercom::actions::ActionKind;
use crate::intercom::convert::type_name;
use crate::intercom::settings::SettingsError;
use crate::intercom::Warning;

/// An enabled, valid subscription, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub name: String,
    pub action: ActionKind,
    pub trigger: TriggerQuery,
    /// The event types the trigger can match (`None`: any), see [`TriggerQuery::possible_types`].
    pub event_types: Option<Vec<String>>,
    /// The compiled mapping: an object of the action's fields, as a rule.
    pub mapping: Mapping,
    /// Whether the mapping is an object of the action's fields only (its result then needs no
    /// filtering).
    fields_only: bool,
}

impl Subscription {
    /// Whether the trigger may match an event of this `type` (false only when the trigger pins
    /// the type down and this is not one of its types).
    pub fn may_run_on(&self, event_type: Option<&str>) -> bool {
        match (&self.event_types, event_type) {
            (None, _) => true,
            (Some(types), Some(t)) => types.iter().any(|x| x == t),
            (Some(_), None) => false,
        }
    }

    /// The payload of the action for this event: the mapping resolved, as the action's fields
    /// (a mapping that gives no object gives none). `Err` is what Segment's runtime throws
    /// while resolving it (the subscription then does nothing for the event).
    pub fn resolve(&self, event: &Value) -> Result<Map<String, Value>, ResolveError> {
        let mut payload = match self.mapping.resolve(event)? {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let known = self.action.fields();
        if !self.fields_only && payload.keys().any(|k| !known.contains(&k.as_str())) {
            let mut fields = Map::with_capacity(payload.len());
            for (k, v) in payload {
                if known.contains(&k.as_str()) {
                    fields.push_new(k, v);
                }
            }
            payload = fields;
        }
        Ok(payload)
    }

    /// The preset subscription of an action.
    pub fn preset(action: ActionKind) -> Subscription {
        // Constant texts, checked by the tests: never the fallbacks.
        let trigger =
            TriggerQuery::parse(action.preset_trigger()).unwrap_or_else(|_| TriggerQuery::never());
        let mapping = compile_mapping(action, &action.default_mapping(), "preset", &mut Vec::new())
            .unwrap_or(Mapping::Undefined);
        Subscription::new(action.preset_name().into(), action, trigger, mapping)
    }

    fn new(
        name: String,
        action: ActionKind,
        trigger: TriggerQuery,
        mapping: Mapping,
    ) -> Subscription {
        let fields_only = match &mapping {
            Mapping::Object(fields) => fields
                .iter()
                .all(|(k, _)| action.fields().contains(&k.as_str())),
            _ => false,
        };
        Subscription {
            name,
            action,
            event_types: trigger.possible_types(),
            trigger,
            mapping,
            fields_only,
        }
    }
}

/// `{key}must be {what}, got {the type of value}` (`key` is empty or ends with `: `).
fn must(key: &str, what: &str, value: &Value) -> String {
    cat(&[key, "must be ", what, ", got ", type_name(value)])
}

/// Parses the `subscriptions` setting: absent means the presets (as
/// [`crate::intercom::actions::presets::PRESET_SUBSCRIPTIONS`] lists them); an array or a JSON string of one. A subscription that
/// is invalid is left out and reported; it never matches.
pub fn parse_subscriptions(
    raw: Option<&Value>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Subscription>, SettingsError> {
    let parsed;
    let items = match raw {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => {
            return Ok(Vec::from(ActionKind::ALL.map(Subscription::preset)))
        }
        Some(Value::String(text)) => {
            parsed =
                crate::engine::json::parse(text).map_err(SettingsError::SubscriptionsNotJson)?;
            match &parsed {
                Value::Array(items) => items,
                other => return Err(SettingsError::SubscriptionsJsonNotAnArray(type_name(other))),
            }
        }
        Some(other) => return Err(SettingsError::SubscriptionsNotAnArray(type_name(other))),
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut at = String::from("subscriptions[");
        crate::engine::json::push_int(&mut at, i as i64);
        at.push(']');
        if let Err(mut e) = parse_one(item, &at, &mut out, warnings) {
            e.push_str("; subscription ignored");
            warnings.push(Warning::new(at, e));
        }
    }
    Ok(out)
}

/// A string that must be there; the error names `key`.
fn required<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(cat(&[key, ": must be a string, got ", type_name(other)])),
        None => Err(cat(&[key, ": is required"])),
    }
}

/// Adds the subscription to `out` unless Segment's runtime would not run it; `Err` says what is
/// wrong, relative to `at`.
fn parse_one(
    item: &Value,
    at: &str,
    out: &mut Vec<Subscription>,
    warnings: &mut Vec<Warning>,
) -> Result<(), String> {
    let Value::Object(map) = item else {
        return Err(must("", "an object", item));
    };
    // Segment's runtime runs a subscription when `enabled` is truthy. One without it runs
    // here (a deliberate difference: hand-written settings leave it out), with a warning.
    let mut defaults = Vec::new();
    match map.get("enabled") {
        None => defaults.push(Warning::new(
            cat(&[at, ".enabled"]),
            "missing: the subscription runs (Segment's runtime runs only those with enabled: true)",
        )),
        Some(v) if !crate::engine::js::truthy(v) => return Ok(()),
        Some(_) => {}
    }
    let key = required(map, "partnerAction")?;
    let Some(action) = ActionKind::from_key(key) else {
        return Err(cat(&[
            "partnerAction: unknown action ",
            &crate::engine::text::quoted(key),
            " (expected trackEvent, identifyUser or identifyCompany)",
        ]));
    };
    let name = match map.get("name") {
        Some(Value::String(n)) if !n.is_empty() => n,
        _ => action.preset_name(),
    };
    let text = required(map, "subscribe")?;
    let mut notes = Vec::new();
    let trigger = match TriggerQuery::parse_noted(text, &mut notes) {
        Ok(t) => t,
        Err(e) => return Err(cat(&["subscribe: ", &e.message()])),
    };
    for note in notes {
        let reason = cat(&[
            &crate::engine::text::quoted(name),
            ": ",
            &note.message(),
            ", in the trigger ",
            &crate::engine::text::quoted(text),
        ]);
        warnings.push(Warning::new(cat(&[at, ".subscribe"]), reason));
    }
    let default;
    let mapping = match map.get("mapping") {
        None | Some(Value::Null) => {
            defaults.push(Warning::new(
                cat(&[at, ".mapping"]),
                "missing: the action's default mapping is used (Segment's runtime maps nothing)",
            ));
            default = action.default_mapping();
            &default
        }
        Some(m) => m,
    };
    let mapping = compile_mapping(action, mapping, at, warnings).map_err(|e| e.message())?;
    warnings.append(&mut defaults);
    out.push(Subscription::new(name.into(), action, trigger, mapping));
    Ok(())
}

/// Compiles a subscription's mapping as Segment's runtime reads it (see [`Mapping::compile`]);
/// keys that are not fields of the action are reported (they have no effect).
fn compile_mapping(
    action: ActionKind,
    mapping: &Value,
    at: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Mapping, MappingError> {
    let known = action.fields();
    if let Value::Object(map) = mapping {
        for field in map.keys() {
            if known.contains(&field.as_str())
                || field.starts_with('@')
                || field == "_metadata"
                || field == crate::engine::mapping::ROOT_MAPPING_KEY
            {
                continue;
            }
            let mut reason = cat(&["ignored: not a field of ", action.key()]);
            let mut sep = " (fields: ";
            for f in known {
                reason.push_str(sep);
                reason.push_str(f);
                sep = ", ";
            }
            reason.push(')');
            warnings.push(Warning::new(cat(&[at, ".mapping.", field]), reason));
        }
    }
    let mut notes = Vec::new();
    let compiled = Mapping::compile_transform(mapping, "mapping", &mut notes)?;
    for note in notes {
        warnings.push(Warning::new(cat(&[at, ".", &note.path]), note.reason));
    }
    Ok(compiled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presets_without_warnings() {
        let mut warnings = Vec::new();
        let presets = parse_subscriptions(None, &mut warnings).unwrap();
        assert_eq!(warnings, vec![]);
        assert_eq!(presets, ActionKind::ALL.map(Subscription::preset).to_vec());
        assert!(presets
            .iter()
            .all(|s| matches!(&s.mapping, Mapping::Object(f) if !f.is_empty())));
    }
}
