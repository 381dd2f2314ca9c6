//! Subscriptions: which action runs on which events, with which mapping. Compiled once.

use crate::engine::json::{Map, Value};
use crate::engine::mapping::Mapping;
use crate::engine::text::cat;
pub use crate::engine::trigger::TriggerQuery;
use crate::intercom::actions::presets::PRESET_SUBSCRIPTIONS;
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
    /// The action's fields and their compiled mappings.
    pub fields: Vec<(String, Mapping)>,
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

    /// Resolves every field of this subscription against the event.
    pub fn resolve(&self, event: &Value) -> Map<String, Value> {
        let mut payload = Map::new();
        for (field, mapping) in &self.fields {
            if let Some(v) = mapping.resolve(event) {
                // The fields are distinct (the keys of one mapping object).
                payload.push_new(field.clone(), v);
            }
        }
        payload
    }

    /// The preset subscription of an action.
    pub fn preset(action: ActionKind) -> Subscription {
        // Constant texts, checked by the tests: never the fallbacks.
        let trigger = TriggerQuery::parse(action.preset_trigger()).unwrap_or(TriggerQuery::NEVER);
        let fields = compile_fields(action, &action.default_mapping(), "preset", &mut Vec::new())
            .unwrap_or_default();
        Subscription::new(action.preset_name().into(), action, trigger, fields)
    }

    fn new(
        name: String,
        action: ActionKind,
        trigger: TriggerQuery,
        fields: Vec<(String, Mapping)>,
    ) -> Subscription {
        Subscription {
            name,
            action,
            event_types: trigger.possible_types(),
            trigger,
            fields,
        }
    }
}

/// `{key}must be {what}, got {the type of value}` (`key` is empty or ends with `: `).
fn must(key: &str, what: &str, value: &Value) -> String {
    cat(&[key, "must be ", what, ", got ", type_name(value)])
}

/// Parses the `subscriptions` setting: absent means the presets (parsed from
/// [`PRESET_SUBSCRIPTIONS`]); an array or a JSON string of one. A subscription that is invalid
/// is left out and reported; it never matches.
pub fn parse_subscriptions(
    raw: Option<&Value>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Subscription>, SettingsError> {
    let parsed;
    let items = match raw {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null | Value::String(_)) => {
            let text = match raw {
                Some(Value::String(text)) => text,
                _ => PRESET_SUBSCRIPTIONS,
            };
            parsed = match crate::engine::json::parse(text) {
                Ok(v) => v,
                Err(e) => {
                    return Err(SettingsError(cat(&[
                        "subscriptions is not valid JSON: ",
                        &e,
                    ])))
                }
            };
            match &parsed {
                Value::Array(items) => items,
                other => return Err(SettingsError(must("subscriptions ", "an array", other))),
            }
        }
        Some(other) => {
            return Err(SettingsError(must(
                "subscriptions ",
                "an array (or a JSON string of one)",
                other,
            )))
        }
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

/// Adds the subscription to `out` unless it is disabled; `Err` says what is wrong, relative
/// to `at`.
fn parse_one(
    item: &Value,
    at: &str,
    out: &mut Vec<Subscription>,
    warnings: &mut Vec<Warning>,
) -> Result<(), String> {
    let Value::Object(map) = item else {
        return Err(must("", "an object", item));
    };
    match map.get("enabled") {
        None | Some(Value::Null) | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Ok(()),
        Some(other) => return Err(must("enabled: ", "true or false", other)),
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
    let trigger = match TriggerQuery::parse(required(map, "subscribe")?) {
        Ok(t) => t,
        Err(e) => return Err(cat(&["subscribe: ", &e])),
    };
    let default;
    let mapping = match map.get("mapping") {
        None | Some(Value::Null) => {
            default = action.default_mapping();
            &default
        }
        Some(m) => m,
    };
    let fields = compile_fields(action, mapping, at, warnings)?;
    out.push(Subscription::new(name.into(), action, trigger, fields));
    Ok(())
}

/// Compiles a subscription's mapping object: one compiled mapping per known field. (One
/// caller: inlined, the .wasm is smaller.)
#[inline(always)]
fn compile_fields(
    action: ActionKind,
    mapping: &Value,
    at: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<(String, Mapping)>, String> {
    let Value::Object(map) = mapping else {
        return Err(must("mapping: ", "an object", mapping));
    };
    let known = action.fields();
    let mut fields = Vec::new();
    for (field, raw) in map {
        if !known.contains(&field.as_str()) {
            let mut reason = cat(&["ignored: not a field of ", action.key()]);
            let mut sep = " (fields: ";
            for f in known {
                reason.push_str(sep);
                reason.push_str(f);
                sep = ", ";
            }
            reason.push(')');
            warnings.push(Warning::new(cat(&[at, ".mapping.", field]), reason));
            continue;
        }
        let compiled = Mapping::compile(raw, &cat(&["mapping.", field]))?;
        fields.push((field.clone(), compiled));
    }
    Ok(fields)
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
        assert!(presets.iter().all(|s| !s.fields.is_empty()));
    }
}
