//! The default subscriptions and each field's default mapping (Segment's presets).

use super::ActionKind;
use crate::json::{Map, Value};

/// A JSON object from key/value pairs.
fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<String, Value>>(),
    )
}

/// `{"@if": {"exists": a, "then": a, "else": b}}`: `a` if present, else `b`.
fn first_of(a: &str, b: Value) -> Value {
    if_exists(path(a), path(a), b)
}

/// `{"@if": {"exists": subject, "then": then, "else": otherwise}}`.
fn if_exists(subject: Value, then: Value, otherwise: Value) -> Value {
    obj([(
        "@if",
        obj([("exists", subject), ("then", then), ("else", otherwise)]),
    )])
}

fn path(p: &str) -> Value {
    obj([("@path", Value::from(p))])
}

/// The company shape shared by `company` and each `companies` item, with paths under `base`.
fn company_shape(base: &str, id_field: &str) -> Value {
    let p = |field: &str| path(&format!("{base}{field}"));
    obj([
        ("company_id", p(id_field)),
        ("name", p("name")),
        (
            "created_at",
            first_of(&format!("{base}createdAt"), p("created_at")),
        ),
        ("plan", p("plan")),
        ("monthly_spend", p("monthly_spend")),
        ("size", p("size")),
        ("website", p("website")),
        ("industry", p("industry")),
    ])
}

fn hide_default_launcher() -> Value {
    first_of(
        "$.context.Intercom.hideDefaultLauncher",
        path("$.context.Intercom.hide_default_launcher"),
    )
}

impl ActionKind {
    /// The preset's trigger.
    pub fn preset_trigger(self) -> &'static str {
        match self {
            ActionKind::TrackEvent => "type = \"track\"",
            ActionKind::IdentifyUser => "type = \"identify\" or type = \"page\"",
            ActionKind::IdentifyCompany => "type = \"group\"",
        }
    }

    /// The preset's display name.
    pub fn preset_name(self) -> &'static str {
        match self {
            ActionKind::TrackEvent => "Track Event",
            ActionKind::IdentifyUser => "Identify User",
            ActionKind::IdentifyCompany => "Identify Company",
        }
    }

    /// The default mapping: every field's default, as Segment's preset has it.
    /// `user_hash` reads `integrations.Intercom` (current upstream) and then
    /// `context.Intercom` (where Segment's published 3.98.0 plugin reads it).
    pub fn default_mapping(self) -> Value {
        match self {
            ActionKind::TrackEvent => obj([
                ("event_name", path("$.event")),
                ("revenue", path("$.properties.revenue")),
                ("currency", path("$.properties.currency")),
                ("event_metadata", path("$.properties")),
            ]),
            ActionKind::IdentifyUser => obj([
                ("user_id", path("$.userId")),
                // traits.name, else "firstName lastName" (Segment's spec traits).
                (
                    "name",
                    first_of(
                        "$.traits.name",
                        if_exists(
                            path("$.traits.firstName"),
                            obj([(
                                "@template",
                                Value::from("{{traits.firstName}} {{traits.lastName}}"),
                            )]),
                            path("$.traits.lastName"),
                        ),
                    ),
                ),
                ("phone", path("$.traits.phone")),
                ("email", path("$.traits.email")),
                (
                    "created_at",
                    first_of("$.traits.createdAt", path("$.traits.created_at")),
                ),
                ("avatar_image_url", path("$.traits.avatar")),
                (
                    "user_hash",
                    first_of(
                        "$.integrations.Intercom.user_hash",
                        first_of(
                            "$.integrations.Intercom.userHash",
                            first_of(
                                "$.context.Intercom.user_hash",
                                path("$.context.Intercom.userHash"),
                            ),
                        ),
                    ),
                ),
                (
                    "intercom_user_jwt",
                    first_of(
                        "$.integrations.Intercom.intercom_user_jwt",
                        path("$.integrations.Intercom.intercomUserJwt"),
                    ),
                ),
                // A company without `id` (a string, or an object with company_id) passes as it
                // is, so that the action can use or report it instead of seeing an empty shape.
                (
                    "company",
                    if_exists(
                        path("$.traits.company.id"),
                        company_shape("$.traits.company.", "id"),
                        path("$.traits.company"),
                    ),
                ),
                (
                    "companies",
                    obj([(
                        "@arrayPath",
                        Value::Array(vec![
                            Value::from("$.traits.companies"),
                            company_shape("$.", "id"),
                        ]),
                    )]),
                ),
                ("hide_default_launcher", hide_default_launcher()),
            ]),
            ActionKind::IdentifyCompany => obj([
                (
                    "company",
                    obj([
                        ("company_id", path("$.groupId")),
                        ("name", path("$.traits.name")),
                        (
                            "created_at",
                            first_of("$.traits.createdAt", path("$.traits.created_at")),
                        ),
                        ("plan", path("$.traits.plan")),
                        ("size", path("$.traits.size")),
                        ("website", path("$.traits.website")),
                        ("industry", path("$.traits.industry")),
                        ("monthly_spend", path("$.traits.monthly_spend")),
                    ]),
                ),
                ("hide_default_launcher", hide_default_launcher()),
            ]),
        }
    }
}
