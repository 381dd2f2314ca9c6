//! identifyUser: `Intercom('update', user)`, for identify and page events by default; and
//! identifyCompany: `Intercom('update', {company})`, for group events by default.
//!
//! One function for both: identifyCompany is identifyUser without the user's fields and with
//! a required company. A payload holds only its action's fields (see `compile_fields`), so the
//! fields of the other action are absent: no `companies` or `custom_traits` for a company, no
//! `company_custom_traits` for a user.

use super::company::{clean_companies, clean_company};
use super::fields::{copy_all, merge_custom, put, warn, At, Kind};
use super::{add_widget_fields, PerformInput};
use crate::engine::json::{Map, Value};
use crate::intercom::convert::unix_seconds;
use crate::intercom::{IntercomCall, Warning};

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

/// identifyUser when `user`, else identifyCompany.
pub fn perform(
    user: bool,
    mut payload: Map<String, Value>,
    input: &PerformInput,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    // (No user fields for a company.)
    let fields = &FIELDS[..if user { FIELDS.len() } else { 0 }];
    let mut out = Map::with_capacity(fields.len());
    copy_all(&mut payload, "", fields, &mut out, warnings);
    let settings = input.settings;
    let mut company_value = payload.take("company");
    // company_custom_traits (identifyCompany) belongs inside the company.
    if let Some(custom) = payload.remove("company_custom_traits") {
        match &mut company_value {
            // A key the company has keeps its value (and the first of repeated keys wins).
            Value::Object(company) => merge_custom(
                custom,
                company,
                "company_custom_traits",
                settings.nested_traits,
                true,
                warnings,
            ),
            _ => warn(
                warnings,
                At::top("company_custom_traits"),
                &["dropped: there is no company to add them to"],
            ),
        }
    }
    match clean_company(company_value, "company", settings, warnings) {
        Some(company) => put(&mut out, "company", Value::Object(company)),
        None if !user => {
            warn(
                warnings,
                At::top("company"),
                &["no update: a company with a company_id (the group id) is required"],
            );
            return None;
        }
        None => {}
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
    // (Never for a company: `out` has one.)
    if settings.ensure_ping && identity_only(&out) {
        let seconds = event_seconds(input.event, input.now_ms);
        put(&mut out, "last_request_at", Value::Number(seconds.into()));
    }
    Some(IntercomCall::Update(out))
}

/// Whether every key of `out` is one of [`IDENTITY_ONLY`].
fn identity_only(out: &Map<String, Value>) -> bool {
    out.keys().all(|k| IDENTITY_ONLY.contains(&k.as_str()))
}

/// The event's `timestamp` in unix seconds, or `now_ms` when it has none usable.
pub fn event_seconds(event: &Value, now_ms: f64) -> i64 {
    event
        .get("timestamp")
        .and_then(|t| unix_seconds(t).ok())
        .unwrap_or((now_ms / 1000.0).floor() as i64)
}
