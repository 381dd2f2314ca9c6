//! Subscriptions: which action runs on which events, with which mapping. Compiled once.

pub mod trigger;

use crate::actions::ActionKind;
use crate::intercom::convert::type_name;
use crate::intercom::Warning;
use crate::json::{Map, Value};
use crate::mapping::Mapping;
use crate::settings::SettingsError;
pub use trigger::TriggerQuery;

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
    /// Resolves every field of this subscription against the event.
    pub fn resolve(&self, event: &Value) -> Map<String, Value> {
        let mut payload = Map::new();
        for (field, mapping) in &self.fields {
            if let Some(v) = mapping.resolve(event) {
                payload.insert(field.clone(), v);
            }
        }
        payload
    }

    /// The preset subscription of an action.
    pub fn preset(action: ActionKind) -> Subscription {
        let mut warnings = Vec::new();
        let fields = compile_fields(action, &action.default_mapping(), "preset", &mut warnings)
            .unwrap_or_default();
        let trigger =
            TriggerQuery::parse(action.preset_trigger()).unwrap_or(TriggerQuery::Or(Vec::new()));
        Subscription {
            name: action.preset_name().to_string(),
            action,
            event_types: trigger.possible_types(),
            trigger,
            fields,
        }
    }
}

/// Parses the `subscriptions` setting: absent means the presets; an array or a JSON string of
/// one. A subscription that is invalid is left out and reported; it never matches.
pub fn parse_subscriptions(
    raw: Option<&Value>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Subscription>, SettingsError> {
    let parsed;
    let items = match raw {
        None | Some(Value::Null) => {
            return Ok(ActionKind::ALL
                .into_iter()
                .map(Subscription::preset)
                .collect())
        }
        Some(Value::Array(items)) => items,
        Some(Value::String(text)) => {
            parsed = crate::json::parse(text)
                .map_err(|e| SettingsError(format!("subscriptions is not valid JSON: {e}")))?;
            match &parsed {
                Value::Array(items) => items,
                other => {
                    return Err(SettingsError(format!(
                        "subscriptions must be an array, got {}",
                        type_name(other)
                    )))
                }
            }
        }
        Some(other) => {
            return Err(SettingsError(format!(
                "subscriptions must be an array (or a JSON string of one), got {}",
                type_name(other)
            )))
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("subscriptions[{i}]");
        match parse_one(item, &at, warnings) {
            Ok(Some(sub)) => out.push(sub),
            Ok(None) => {}
            Err(e) => warnings.push(Warning::new(at, format!("{e}; subscription ignored"))),
        }
    }
    Ok(out)
}

/// `Ok(None)` for a disabled subscription; `Err` says what is wrong, relative to `at`.
fn parse_one(
    item: &Value,
    at: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Subscription>, String> {
    let Value::Object(map) = item else {
        return Err(format!("must be an object, got {}", type_name(item)));
    };
    match map.get("enabled") {
        None | Some(Value::Null) | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Ok(None),
        Some(other) => {
            return Err(format!(
                "enabled: must be true or false, got {}",
                type_name(other)
            ))
        }
    }
    let action = match map.get("partnerAction") {
        Some(Value::String(key)) => ActionKind::from_key(key).ok_or_else(|| {
            format!(
                "partnerAction: unknown action {} (expected trackEvent, identifyUser or identifyCompany)",
                crate::text::quoted(key)
            )
        })?,
        Some(other) => return Err(format!("partnerAction: must be a string, got {}", type_name(other))),
        None => return Err("partnerAction: is required".to_string()),
    };
    let name = match map.get("name") {
        Some(Value::String(n)) if !n.is_empty() => n.clone(),
        _ => action.preset_name().to_string(),
    };
    let trigger = match map.get("subscribe") {
        Some(Value::String(q)) => TriggerQuery::parse(q).map_err(|e| format!("subscribe: {e}"))?,
        Some(other) => {
            return Err(format!(
                "subscribe: must be a string, got {}",
                type_name(other)
            ))
        }
        None => return Err("subscribe: is required".to_string()),
    };
    let fields = match map.get("mapping") {
        None | Some(Value::Null) => {
            compile_fields(action, &action.default_mapping(), "", warnings)?
        }
        Some(mapping) => compile_fields(action, mapping, at, warnings)?,
    };
    Ok(Some(Subscription {
        name,
        action,
        event_types: trigger.possible_types(),
        trigger,
        fields,
    }))
}

/// Compiles a subscription's mapping object: one compiled mapping per known field.
fn compile_fields(
    action: ActionKind,
    mapping: &Value,
    at: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<(String, Mapping)>, String> {
    let Value::Object(map) = mapping else {
        return Err(format!(
            "mapping: must be an object, got {}",
            type_name(mapping)
        ));
    };
    let mut fields = Vec::new();
    for (field, raw) in map {
        if !action.fields().contains(&field.as_str()) {
            warnings.push(Warning::new(
                format!("{at}.mapping.{field}"),
                format!(
                    "ignored: not a field of {} (fields: {})",
                    action.key(),
                    action.fields().join(", ")
                ),
            ));
            continue;
        }
        let compiled = Mapping::compile(raw, &format!("mapping.{field}"))?;
        fields.push((field.clone(), compiled));
    }
    Ok(fields)
}
