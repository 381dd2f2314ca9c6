//! The company object shared by identifyUser (`company`, `companies`) and identifyCompany.

use super::fields::{copy_all, dropped, merge_custom, merge_map, put, warn, At, Kind};
use crate::engine::json::{Map, Value};
use crate::intercom::settings::Settings;
use crate::intercom::Warning;

/// The standard company attributes, in the order they are sent.
const FIELDS: [(&str, Kind); 8] = [
    ("company_id", Kind::Text),
    ("name", Kind::Text),
    ("plan", Kind::Text),
    ("website", Kind::Text),
    ("industry", Kind::Text),
    ("created_at", Kind::Date),
    ("size", Kind::Number),
    ("monthly_spend", Kind::Number),
];

/// Cleans a mapped company: typed standard fields, `company_custom_traits` merged flat,
/// nulls removed. `None` when there is nothing to send; a company that has fields but no
/// `company_id` is dropped with a warning, since Intercom ignores it.
pub fn clean_company(
    value: Value,
    path: &str,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<Map<String, Value>> {
    let mut from = match value {
        Value::Object(map) => map,
        Value::Null | Value::Bool(false) => return None,
        Value::String(id) if settings.company_from_string && !id.trim().is_empty() => {
            let mut company = Map::new();
            put(&mut company, "company_id", Value::String(id));
            return Some(company);
        }
        Value::String(_) => {
            warn(
                warnings,
                At::top(path),
                &["dropped: a company must be an object with a company_id (turn on companyFromString to use a string as the company_id)"],
            );
            return None;
        }
        other => {
            dropped(warnings, At::top(path), "an object", &other);
            return None;
        }
    };
    let mut out = Map::with_capacity(FIELDS.len());
    copy_all(&mut from, path, &FIELDS, &mut out, warnings);
    let custom = from.remove("company_custom_traits");
    // Keys a user mapped beyond the standard ones are custom attributes too.
    let nested = settings.nested_traits;
    merge_map(from, &mut out, path, nested, false, false, warnings);
    if let Some(custom) = custom {
        let at = crate::engine::text::cat(&[path, ".company_custom_traits"]);
        merge_custom(custom, &mut out, &at, nested, false, warnings);
    }
    if out.is_empty() {
        return None;
    }
    if !out.contains_key("company_id") {
        warn(
            warnings,
            At::under(path, "company_id"),
            &["company dropped: it has no company_id, which Intercom requires"],
        );
        return None;
    }
    Some(out)
}

/// Cleans `companies`: an array of companies (a single object counts as one); items that are
/// not objects, or have no company_id, are dropped with a warning.
pub fn clean_companies(
    value: Value,
    path: &str,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<Value>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(_) => vec![value],
        Value::Null => return None,
        other => {
            dropped(warnings, At::top(path), "an array of companies", &other);
            return None;
        }
    };
    let mut cleaned = Vec::with_capacity(items.len());
    // `path[i]`, written in one buffer.
    let mut at = String::with_capacity(path.len() + 8);
    for (i, item) in items.into_iter().enumerate() {
        at.clear();
        at.push_str(path);
        at.push('[');
        crate::engine::json::push_int(&mut at, i as i64);
        at.push(']');
        match item {
            Value::Object(_) => {
                if let Some(company) = clean_company(item, &at, settings, warnings) {
                    cleaned.push(Value::Object(company));
                }
            }
            other => dropped(warnings, At::top(&at), "a company object", &other),
        }
    }
    (!cleaned.is_empty()).then_some(cleaned)
}
