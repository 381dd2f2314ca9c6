//! The default subscriptions and each field's default mapping (Segment's presets).
//!
//! The mappings are JSON text, parsed when a subscription needs them: data is smaller in the
//! .wasm than code building the same values. Paths leave out the optional `$.`.

use super::ActionKind;
use crate::engine::json::Value;

/// Track Event: the event name, revenue and currency, and all properties as metadata.
const TRACK_EVENT: &str = concat!(
    r#"{"event_name":{"@path":"event"},"#,
    r#""revenue":{"@path":"properties.revenue"},"#,
    r#""currency":{"@path":"properties.currency"},"#,
    r#""event_metadata":{"@path":"properties"}}"#,
);

/// Identify User. `name`: traits.name, else "firstName lastName" (Segment's spec traits).
/// `user_hash` reads `integrations.Intercom` (current upstream) and then `context.Intercom`
/// (where Segment's published 3.98.0 plugin reads it). A company without `id` (a string, or an
/// object with company_id) passes as it is, so that the action can use or report it instead of
/// seeing an empty shape; each `companies` item has the same shape as `company`.
const IDENTIFY_USER: &str = concat!(
    r#"{"user_id":{"@path":"userId"},"#,
    r#""name":{"@if":{"exists":{"@path":"traits.name"},"then":{"@path":"traits.name"},"else":{"@if":{"exists":{"@path":"traits.firstName"},"then":{"@template":"{{traits.firstName}} {{traits.lastName}}"},"else":{"@path":"traits.lastName"}}}}},"#,
    r#""phone":{"@path":"traits.phone"},"#,
    r#""email":{"@path":"traits.email"},"#,
    r#""created_at":{"@if":{"exists":{"@path":"traits.createdAt"},"then":{"@path":"traits.createdAt"},"else":{"@path":"traits.created_at"}}},"#,
    r#""avatar_image_url":{"@path":"traits.avatar"},"#,
    r#""user_hash":{"@if":{"exists":{"@path":"integrations.Intercom.user_hash"},"then":{"@path":"integrations.Intercom.user_hash"},"else":{"@if":{"exists":{"@path":"integrations.Intercom.userHash"},"then":{"@path":"integrations.Intercom.userHash"},"else":{"@if":{"exists":{"@path":"context.Intercom.user_hash"},"then":{"@path":"context.Intercom.user_hash"},"else":{"@path":"context.Intercom.userHash"}}}}}}},"#,
    r#""intercom_user_jwt":{"@if":{"exists":{"@path":"integrations.Intercom.intercom_user_jwt"},"then":{"@path":"integrations.Intercom.intercom_user_jwt"},"else":{"@path":"integrations.Intercom.intercomUserJwt"}}},"#,
    r#""company":{"@if":{"exists":{"@path":"traits.company.id"},"then":{"company_id":{"@path":"traits.company.id"},"name":{"@path":"traits.company.name"},"created_at":{"@if":{"exists":{"@path":"traits.company.createdAt"},"then":{"@path":"traits.company.createdAt"},"else":{"@path":"traits.company.created_at"}}},"plan":{"@path":"traits.company.plan"},"monthly_spend":{"@path":"traits.company.monthly_spend"},"size":{"@path":"traits.company.size"},"website":{"@path":"traits.company.website"},"industry":{"@path":"traits.company.industry"}},"else":{"@path":"traits.company"}}},"#,
    r#""companies":{"@arrayPath":["traits.companies",{"company_id":{"@path":"id"},"name":{"@path":"name"},"created_at":{"@if":{"exists":{"@path":"createdAt"},"then":{"@path":"createdAt"},"else":{"@path":"created_at"}}},"plan":{"@path":"plan"},"monthly_spend":{"@path":"monthly_spend"},"size":{"@path":"size"},"website":{"@path":"website"},"industry":{"@path":"industry"}}]},"#,
    r#""hide_default_launcher":{"@if":{"exists":{"@path":"context.Intercom.hideDefaultLauncher"},"then":{"@path":"context.Intercom.hideDefaultLauncher"},"else":{"@path":"context.Intercom.hide_default_launcher"}}}}"#,
);

/// Identify Company: the group's traits as the company, `groupId` as its company_id.
const IDENTIFY_COMPANY: &str = concat!(
    r#"{"company":{"company_id":{"@path":"groupId"},"name":{"@path":"traits.name"},"created_at":{"@if":{"exists":{"@path":"traits.createdAt"},"then":{"@path":"traits.createdAt"},"else":{"@path":"traits.created_at"}}},"plan":{"@path":"traits.plan"},"size":{"@path":"traits.size"},"website":{"@path":"traits.website"},"industry":{"@path":"traits.industry"},"monthly_spend":{"@path":"traits.monthly_spend"}},"#,
    r#""hide_default_launcher":{"@if":{"exists":{"@path":"context.Intercom.hideDefaultLauncher"},"then":{"@path":"context.Intercom.hideDefaultLauncher"},"else":{"@path":"context.Intercom.hide_default_launcher"}}}}"#,
);

/// The preset subscriptions, as the `subscriptions` setting gives them: without a name or a
/// mapping, so each has its action's preset name and default mapping. Their triggers are
/// [`ActionKind::preset_trigger`]'s (tested).
pub const PRESET_SUBSCRIPTIONS: &str = concat!(
    r#"[{"partnerAction":"trackEvent","subscribe":"type = \"track\""},"#,
    r#"{"partnerAction":"identifyUser","subscribe":"type = \"identify\" or type = \"page\""},"#,
    r#"{"partnerAction":"identifyCompany","subscribe":"type = \"group\""}]"#,
);

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
    pub fn default_mapping(self) -> Value {
        let text = match self {
            ActionKind::TrackEvent => TRACK_EVENT,
            ActionKind::IdentifyUser => IDENTIFY_USER,
            ActionKind::IdentifyCompany => IDENTIFY_COMPANY,
        };
        // Constant text, checked by the tests below: never the fallback.
        crate::engine::json::parse(text).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_mappings_are_objects_of_the_actions_fields() {
        for action in ActionKind::ALL {
            let Value::Object(map) = action.default_mapping() else {
                panic!("{action:?}: not an object");
            };
            assert!(!map.is_empty());
            for key in map.keys() {
                assert!(action.fields().contains(&key.as_str()), "{action:?}: {key}");
            }
        }
    }

    #[test]
    fn preset_subscriptions_are_the_presets() {
        let Ok(Value::Array(items)) = crate::engine::json::parse(PRESET_SUBSCRIPTIONS) else {
            panic!("not an array");
        };
        assert_eq!(items.len(), ActionKind::ALL.len());
        for (item, action) in items.iter().zip(ActionKind::ALL) {
            assert_eq!(item["partnerAction"], Value::from(action.key()));
            assert_eq!(item["subscribe"], Value::from(action.preset_trigger()));
        }
    }
}
