//! identifyCompany: `Intercom('update', {company})`, for group events by default.

use super::add_widget_fields;
use super::company::clean_company;
use super::fields::{merge_custom, put, warn, At};
use crate::intercom::{IntercomCall, Warning};
use crate::json::{Map, Value};
use crate::settings::Settings;

pub fn perform(
    mut payload: Map<String, Value>,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<IntercomCall> {
    // company_custom_traits is a field of the action; it belongs inside the company.
    let mut company_value = payload.take("company");
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
    let Some(company) = clean_company(company_value, "company", settings, warnings) else {
        warn(
            warnings,
            At::top("company"),
            &["no update: a company with a company_id (the group id) is required"],
        );
        return None;
    };
    let mut out = Map::new();
    put(&mut out, "company", Value::Object(company));
    add_widget_fields(&mut out, &mut payload, settings, warnings);
    Some(IntercomCall::Update(out))
}
