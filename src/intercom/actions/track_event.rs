//! trackEvent: `Intercom('trackEvent', event_name, metadata)`.

use super::fields::{dropped, long_string, put, too_long, warn, At, MAX_STRING_BYTES};
use crate::engine::json::{Map, Value};
use crate::intercom::convert::{cents, type_name, Cents};
use crate::intercom::settings::Settings;
use crate::intercom::{IntercomCall, Warning};

/// Intercom keeps at most this many metadata keys per event.
pub const MAX_METADATA_KEYS: usize = 10;

/// At most this many of the keys left out are named in the warning.
const SHOWN_LEFT_OUT: usize = 20;

pub fn perform(
    mut payload: Map<String, Value>,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    let name = match payload.take("event_name") {
        Value::String(s) if !s.trim().is_empty() && s.len() <= MAX_STRING_BYTES => s,
        v @ Value::Number(_) => v.to_json(),
        v => {
            let (why, got) = match &v {
                v if too_long(v) => ("no trackEvent: the event name is longer than 64 KB", ""),
                Value::Null | Value::String(_) => ("no trackEvent: the event name is required", ""),
                other => (
                    "no trackEvent: the event name must be a string, got ",
                    type_name(other),
                ),
            };
            warn(warnings, At::top("event_name"), &[why, got]);
            return None;
        }
    };
    let mut source = match payload.take("event_metadata") {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        other => {
            dropped(warnings, At::top("event_metadata"), "an object", &other);
            Map::new()
        }
    };

    // The metadata in Intercom's order of preference for its 10 keys: price, rich links, then
    // the event's order.
    let mut kept = Vec::with_capacity(source.len() + 1);
    match payload.get("revenue").map_or(Cents::None, cents) {
        Cents::None => {}
        Cents::Invalid(reason) => {
            warn(warnings, At::top("revenue"), &["no price: ", &reason]);
        }
        Cents::Amount(amount) => {
            // Read in place: the payload is dropped at the end anyway.
            let currency = match payload.get("currency") {
                Some(Value::String(c)) if !c.trim().is_empty() => c.as_str(),
                other => {
                    if let Some(other) = other.filter(|v| !v.is_null() && !v.is_string()) {
                        let reason = [
                            "ignored: must be a string, got ",
                            type_name(other),
                            "; USD used",
                        ];
                        warn(warnings, At::top("currency"), &reason);
                    }
                    "USD"
                }
            };
            source.remove("revenue");
            source.remove("currency");
            if source.remove("price").is_some() {
                warn(
                    warnings,
                    At::top("event_metadata.price"),
                    &["replaced by the price computed from revenue"],
                );
            }
            let mut p = Map::with_capacity(2);
            put(&mut p, "amount", Value::Number(amount.into()));
            put(&mut p, "currency", Value::String(currency.to_string()));
            kept.push(("price".to_string(), Value::Object(p)));
        }
    }
    let mut rich_end = kept.len();
    for (key, value) in source {
        let at = At::under("event_metadata", &key);
        if settings.rich_link_properties.contains(&key) {
            if value.is_object() {
                kept.insert(rich_end, (key, value));
                rich_end += 1;
            } else {
                kept.push((key, value));
            }
        } else if too_long(&value) {
            long_string(warnings, at);
        } else if value.is_object() || value.is_array() {
            let reason = [
                "dropped: Intercom metadata must be flat, got ",
                type_name(&value),
                " (list the key in richLinkProperties if it is a rich link)",
            ];
            warn(warnings, at, &reason);
        } else {
            kept.push((key, value));
        }
    }
    // The keys left out: the first few named, the others counted.
    let mut list = String::new();
    let rest = kept.get(MAX_METADATA_KEYS..).unwrap_or_default();
    let left_out = rest.len();
    for (i, (key, _)) in rest.iter().take(SHOWN_LEFT_OUT).enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        list.push_str(key);
    }
    if left_out > 0 {
        if left_out > SHOWN_LEFT_OUT {
            list.push_str(" and ");
            crate::engine::json::push_int(&mut list, (left_out - SHOWN_LEFT_OUT) as i64);
            list.push_str(" more");
        }
        warn(
            warnings,
            At::top("event_metadata"),
            &["Intercom keeps at most 10 metadata keys; not sent: ", &list],
        );
    }
    kept.truncate(MAX_METADATA_KEYS);
    // `kept` holds each key once: the keys of one object, and "price" removed from it.
    let metadata = Map::from_unique(kept);
    Some(IntercomCall::TrackEvent { name, metadata })
}
