//! The three Intercom actions: their fields, presets and `perform` rules.

mod company;
mod fields;
mod identify;
pub mod presets;
mod track_event;

use crate::engine::json::{Map, Value};
use crate::intercom::settings::Settings;
use crate::intercom::{IntercomCall, Warning};

/// An action of this destination (Segment's `partnerAction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    TrackEvent,
    IdentifyUser,
    IdentifyCompany,
}

impl ActionKind {
    pub const ALL: [ActionKind; 3] = [
        ActionKind::TrackEvent,
        ActionKind::IdentifyUser,
        ActionKind::IdentifyCompany,
    ];

    /// The action's key, as in `partnerAction` and in the plugin name.
    pub fn key(self) -> &'static str {
        match self {
            ActionKind::TrackEvent => "trackEvent",
            ActionKind::IdentifyUser => "identifyUser",
            ActionKind::IdentifyCompany => "identifyCompany",
        }
    }

    pub fn from_key(key: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.key() == key)
    }

    /// The fields a mapping of this action may set.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            ActionKind::TrackEvent => &["event_name", "revenue", "currency", "event_metadata"],
            ActionKind::IdentifyUser => &[
                "user_id",
                "custom_traits",
                "name",
                "phone",
                "unsubscribed_from_emails",
                "language_override",
                "email",
                "created_at",
                "avatar_image_url",
                "user_hash",
                "intercom_user_jwt",
                "company",
                "companies",
                "hide_default_launcher",
            ],
            ActionKind::IdentifyCompany => {
                &["company", "hide_default_launcher", "company_custom_traits"]
            }
        }
    }
}

/// What a perform needs besides the mapped payload.
pub struct PerformInput<'a> {
    pub settings: &'a Settings,
    pub event: &'a Value,
    /// Milliseconds since the epoch, for events without a timestamp.
    pub now_ms: f64,
}

/// Runs an action on a mapped payload; `None` means no call (the warnings say why).
pub fn perform(
    kind: ActionKind,
    payload: Map<String, Value>,
    input: &PerformInput,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    match kind {
        ActionKind::TrackEvent => track_event::perform(payload, input.settings, warnings),
        _ => identify::perform(kind == ActionKind::IdentifyUser, payload, input, warnings),
    }
}

/// Adds `widget: {activator}` (custom launcher only) and a boolean `hide_default_launcher`;
/// `out` has neither yet.
fn add_widget_fields(
    out: &mut Map<String, Value>,
    payload: &mut Map<String, Value>,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) {
    if let Some(activator) = settings.custom_activator() {
        let mut widget = Map::with_capacity(1);
        fields::put(&mut widget, "activator", Value::String(activator.into()));
        fields::put(out, "widget", Value::Object(widget));
    }
    let field = [("hide_default_launcher", fields::Kind::Bool)];
    fields::copy_all(payload, "", &field, out, warnings);
}
