//! trackEvent: `Intercom('trackEvent', event_name, metadata)`.

use super::fields::{dropped, long_string, too_long};
use crate::intercom::convert::{cents, type_name, Cents};
use crate::intercom::{IntercomCall, Warning};
use crate::json::{Map, Value};
use crate::settings::Settings;

/// Intercom keeps at most this many metadata keys per event.
pub const MAX_METADATA_KEYS: usize = 10;

pub fn perform(
    mut payload: Map<String, Value>,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    let name = match payload.remove("event_name") {
        Some(v) if super::fields::too_long(&v) => {
            warnings.push(Warning::new(
                "event_name",
                "no trackEvent: the event name is longer than 64 KB",
            ));
            return None;
        }
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => crate::text::number_text(&n),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            warnings.push(Warning::new(
                "event_name",
                "no trackEvent: the event name is required",
            ));
            return None;
        }
        Some(other) => {
            warnings.push(Warning::new(
                "event_name",
                format!(
                    "no trackEvent: the event name must be a string, got {}",
                    type_name(&other)
                ),
            ));
            return None;
        }
    };
    let mut source = match payload.remove("event_metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            warnings.push(dropped("event_metadata", "an object", &other));
            Map::new()
        }
    };

    let price = match payload.get("revenue").map(cents) {
        None | Some(Cents::None) => None,
        Some(Cents::Invalid(reason)) => {
            warnings.push(Warning::new("revenue", format!("no price: {reason}")));
            None
        }
        Some(Cents::Amount(amount)) => {
            let currency = match payload.get("currency") {
                Some(Value::String(c)) if !c.trim().is_empty() => c.clone(),
                None | Some(Value::Null) | Some(Value::String(_)) => "USD".to_string(),
                Some(other) => {
                    warnings.push(Warning::new(
                        "currency",
                        format!(
                            "ignored: must be a string, got {}; USD used",
                            type_name(other)
                        ),
                    ));
                    "USD".to_string()
                }
            };
            source.shift_remove("revenue");
            source.shift_remove("currency");
            if source.contains_key("price") {
                warnings.push(Warning::new(
                    "event_metadata.price",
                    "replaced by the price computed from revenue",
                ));
                source.shift_remove("price");
            }
            let mut p = Map::new();
            p.insert("amount".into(), Value::Number(amount.into()));
            p.insert("currency".into(), Value::String(currency));
            Some(Value::Object(p))
        }
    };

    // Order of preference for Intercom's 10 keys: price, rich links, then the event's order.
    let mut rich = Vec::new();
    let mut plain = Vec::new();
    for (key, value) in source {
        if settings.rich_link_properties.contains(&key) {
            match value {
                Value::Object(_) => rich.push((key, value)),
                other => plain.push((key, other)),
            }
        } else if too_long(&value) {
            warnings.push(long_string(&format!("event_metadata.{key}")));
        } else if value.is_object() || value.is_array() {
            warnings.push(Warning::new(
                format!("event_metadata.{key}"),
                format!(
                    "dropped: Intercom metadata must be flat, got {} (list the key in richLinkProperties if it is a rich link)",
                    type_name(&value)
                ),
            ));
        } else {
            plain.push((key, value));
        }
    }
    let mut metadata = Map::new();
    let ordered = price
        .map(|p| ("price".to_string(), p))
        .into_iter()
        .chain(rich)
        .chain(plain);
    let mut left_out = Vec::new();
    for (key, value) in ordered {
        if metadata.len() < MAX_METADATA_KEYS {
            metadata.insert(key, value);
        } else {
            left_out.push(key);
        }
    }
    if !left_out.is_empty() {
        let shown = left_out.len().min(20);
        let mut list = left_out[..shown].join(", ");
        if left_out.len() > shown {
            list.push_str(&format!(" and {} more", left_out.len() - shown));
        }
        warnings.push(Warning::new(
            "event_metadata",
            format!("Intercom keeps at most {MAX_METADATA_KEYS} metadata keys; not sent: {list}"),
        ));
    }
    Some(IntercomCall::TrackEvent { name, metadata })
}
