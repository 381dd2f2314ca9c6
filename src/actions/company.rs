//! The company object shared by identifyUser (`company`, `companies`) and identifyCompany.

use super::fields::{copy_date, copy_number, copy_string, dropped, merge_custom, At};
use crate::intercom::Warning;
use crate::json::{Map, Value};
use crate::settings::Settings;

/// Cleans a mapped company: typed standard fields, `company_custom_traits` merged flat,
/// nulls removed. `None` when there is nothing to send; a company that has fields but no
/// `company_id` is dropped with a warning, since Intercom ignores it.
pub fn clean_company(
    value: Option<Value>,
    path: &str,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<Map<String, Value>> {
    let mut from = match value? {
        Value::Object(map) => map,
        Value::Null | Value::Bool(false) => return None,
        Value::String(id) if settings.company_from_string && !id.trim().is_empty() => {
            let mut company = Map::new();
            company.insert("company_id".into(), Value::String(id));
            return Some(company);
        }
        Value::String(_) => {
            warnings.push(Warning::new(
                path,
                "dropped: a company must be an object with a company_id (turn on companyFromString to use a string as the company_id)",
            ));
            return None;
        }
        other => {
            warnings.push(dropped(path, "an object", &other));
            return None;
        }
    };
    let mut out = Map::new();
    let at = |k: &str| format!("{path}.{k}");
    for key in ["company_id", "name", "plan", "website", "industry"] {
        copy_string(&mut from, key, &mut out, At::under(path, key), warnings);
    }
    let key = "created_at";
    copy_date(&mut from, key, &mut out, At::under(path, key), warnings);
    for key in ["size", "monthly_spend"] {
        copy_number(&mut from, key, &mut out, At::under(path, key), warnings);
    }
    let custom = from.remove("company_custom_traits");
    // Keys a user mapped beyond the standard ones are custom attributes too.
    let extra: Map<String, Value> = from.into_iter().filter(|(_, v)| !v.is_null()).collect();
    if !extra.is_empty() {
        merge_custom(
            Some(Value::Object(extra)),
            &mut out,
            path,
            settings.nested_traits,
            warnings,
        );
    }
    merge_custom(
        custom,
        &mut out,
        &at("company_custom_traits"),
        settings.nested_traits,
        warnings,
    );
    if out.is_empty() {
        return None;
    }
    if !out.contains_key("company_id") {
        warnings.push(Warning::new(
            at("company_id"),
            "company dropped: it has no company_id, which Intercom requires",
        ));
        return None;
    }
    Some(out)
}

/// Cleans `companies`: an array of companies (a single object counts as one); items that are
/// not objects, or have no company_id, are dropped with a warning.
pub fn clean_companies(
    value: Option<Value>,
    path: &str,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<Value>> {
    let items = match value? {
        Value::Array(items) => items,
        obj @ Value::Object(_) => vec![obj],
        Value::Null => return None,
        other => {
            warnings.push(dropped(path, "an array of companies", &other));
            return None;
        }
    };
    let cleaned: Vec<Value> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let at = format!("{path}[{i}]");
            match item {
                Value::Object(_) => {
                    clean_company(Some(item), &at, settings, warnings).map(Value::Object)
                }
                other => {
                    warnings.push(dropped(&at, "a company object", &other));
                    None
                }
            }
        })
        .collect();
    (!cleaned.is_empty()).then_some(cleaned)
}
