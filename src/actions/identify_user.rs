//! identifyUser: `Intercom('update', user)`, for identify and page events by default.

use super::company::{clean_companies, clean_company};
use super::fields::{copy_bool, copy_date, copy_string, dropped, merge_custom, At};
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

pub fn perform(
    mut payload: Map<String, Value>,
    input: &PerformInput,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    let mut out = Map::new();
    for key in ["user_id", "email", "name", "phone", "language_override"] {
        copy_string(&mut payload, key, &mut out, At::top(key), warnings);
    }
    // A name built from first and last name may have a missing half.
    if let Some(Value::String(name)) = out.get_mut("name") {
        let trimmed = name.trim();
        if trimmed.len() != name.len() {
            *name = trimmed.to_string();
        }
        if name.is_empty() {
            out.shift_remove("name");
        }
    }
    copy_date(
        &mut payload,
        "created_at",
        &mut out,
        At::top("created_at"),
        warnings,
    );
    match payload.remove("avatar_image_url") {
        None | Some(Value::Null) => {}
        Some(Value::String(url)) if !url.is_empty() => {
            let mut avatar = Map::new();
            avatar.insert("type".into(), Value::String("avatar".into()));
            avatar.insert("image_url".into(), Value::String(url));
            out.insert("avatar".into(), Value::Object(avatar));
        }
        Some(other) => warnings.push(dropped("avatar_image_url", "a URL string", &other)),
    }
    let key = "unsubscribed_from_emails";
    copy_bool(&mut payload, key, &mut out, At::top(key), warnings);
    // Identity verification values are secrets: only strings count, and warnings never show them.
    for key in ["user_hash", "intercom_user_jwt"] {
        match payload.remove(key) {
            Some(Value::String(s)) if !s.is_empty() => {
                out.insert(key.to_string(), Value::String(s));
            }
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(other) => warnings.push(dropped(key, "a non-empty string", &other)),
        }
    }
    let settings = input.settings;
    if let Some(company) = clean_company(payload.remove("company"), "company", settings, warnings) {
        out.insert("company".into(), Value::Object(company));
    }
    if let Some(companies) =
        clean_companies(payload.remove("companies"), "companies", settings, warnings)
    {
        out.insert("companies".into(), Value::Array(companies));
    }
    add_widget_fields(&mut out, &mut payload, input.settings, warnings);
    merge_custom(
        payload.remove("custom_traits"),
        &mut out,
        "custom_traits",
        settings.nested_traits,
        warnings,
    );

    if input.settings.ensure_ping && out.keys().all(|k| IDENTITY_ONLY.contains(&k.as_str())) {
        out.insert(
            "last_request_at".into(),
            Value::Number(event_seconds(input.event, input.now_ms).into()),
        );
    }
    Some(IntercomCall::Update(out))
}

/// The event's `timestamp` in unix seconds, or `now_ms` when it has none usable.
pub fn event_seconds(event: &Value, now_ms: f64) -> i64 {
    event
        .get("timestamp")
        .and_then(|t| unix_seconds(t).ok())
        .unwrap_or((now_ms / 1000.0).floor() as i64)
}
