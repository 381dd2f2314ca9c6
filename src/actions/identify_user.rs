//! identifyUser: `Intercom('update', user)`, for identify and page events by default.

use super::company::{clean_companies, clean_company};
use super::fields::{copy, merge_custom, put, Kind};
use super::{add_widget_fields, PerformInput};
use crate::intercom::convert::unix_seconds;
use crate::intercom::{IntercomCall, Warning};
use crate::json::{Map, Value};

/// Fields that do not make an update count as a change for Intercom (see "ping").
const IDENTITY_ONLY: &[&str] = &[
    "user_id",
    "email",
    "user_hash",
    "intercom_user_jwt",
    "widget",
    "hide_default_launcher",
];

/// The standard user attributes, in the order they are sent.
const FIELDS: [(&str, Kind); 10] = [
    ("user_id", Kind::Text),
    ("email", Kind::Text),
    ("name", Kind::Name),
    ("phone", Kind::Text),
    ("language_override", Kind::Text),
    ("created_at", Kind::Date),
    ("avatar_image_url", Kind::Avatar),
    ("unsubscribed_from_emails", Kind::Bool),
    ("user_hash", Kind::Secret),
    ("intercom_user_jwt", Kind::Secret),
];

pub fn perform(
    mut payload: Map<String, Value>,
    input: &PerformInput,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    let mut out = Map::with_capacity(FIELDS.len());
    for &(key, kind) in &FIELDS {
        copy(&mut payload, "", key, kind, &mut out, warnings);
    }
    let settings = input.settings;
    if let Some(company) = clean_company(payload.take("company"), "company", settings, warnings) {
        put(&mut out, "company", Value::Object(company));
    }
    if let Some(companies) =
        clean_companies(payload.take("companies"), "companies", settings, warnings)
    {
        put(&mut out, "companies", Value::Array(companies));
    }
    add_widget_fields(&mut out, &mut payload, settings, warnings);
    merge_custom(
        payload.take("custom_traits"),
        &mut out,
        "custom_traits",
        settings.nested_traits,
        false,
        warnings,
    );

    // Only identity attributes (so no `last_request_at` yet): add one, so the update counts.
    if settings.ensure_ping && identity_only(&out) {
        let seconds = event_seconds(input.event, input.now_ms);
        put(&mut out, "last_request_at", Value::Number(seconds.into()));
    }
    Some(IntercomCall::Update(out))
}

/// Whether every key of `out` is one of [`IDENTITY_ONLY`] (a loop: an `all` is larger in the
/// .wasm).
fn identity_only(out: &Map<String, Value>) -> bool {
    for k in out.keys() {
        if !IDENTITY_ONLY.contains(&k.as_str()) {
            return false;
        }
    }
    true
}

/// The event's `timestamp` in unix seconds, or `now_ms` when it has none usable.
pub fn event_seconds(event: &Value, now_ms: f64) -> i64 {
    event
        .get("timestamp")
        .and_then(|t| unix_seconds(t).ok())
        .unwrap_or((now_ms / 1000.0).floor() as i64)
}
