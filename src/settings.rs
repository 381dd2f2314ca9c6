//! Destination settings: parsed and validated once; errors name the field and what is wrong.

use crate::intercom::convert::type_name;
use crate::json::Value;

/// The activator Intercom uses when the site has no custom launcher.
pub const DEFAULT_ACTIVATOR: &str = "#IntercomDefaultWidget";
/// Where the widget script comes from unless `widgetUrl` says otherwise.
pub const DEFAULT_WIDGET_URL: &str = "https://widget.intercom.io/widget";
/// How long `load` waits for the widget by default.
pub const DEFAULT_LOAD_TIMEOUT_MS: u32 = 10_000;

/// Intercom's regional API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiBase {
    Us,
    Eu,
    Au,
}

impl ApiBase {
    pub fn url(self) -> &'static str {
        match self {
            ApiBase::Us => "https://api-iam.intercom.io",
            ApiBase::Eu => "https://api-iam.eu.intercom.io",
            ApiBase::Au => "https://api-iam.au.intercom.io",
        }
    }

    fn parse(text: &str) -> Option<ApiBase> {
        let t = text.trim().trim_end_matches('/').to_ascii_lowercase();
        [ApiBase::Us, ApiBase::Eu, ApiBase::Au]
            .into_iter()
            .find(|b| t == b.url() || t == b.short())
    }

    fn short(self) -> &'static str {
        match self {
            ApiBase::Us => "us",
            ApiBase::Eu => "eu",
            ApiBase::Au => "au",
        }
    }
}

/// Validated settings (subscriptions are compiled separately, see [`crate::Destination`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub app_id: String,
    pub activator: String,
    pub rich_link_properties: Vec<String>,
    pub api_base: ApiBase,
    /// Base URL of the widget script, without a trailing slash; the App ID is appended.
    pub widget_url: String,
    pub csp_nonce: Option<String>,
    pub load_timeout_ms: u32,
    pub debug: bool,
    /// Add `last_request_at` to identity-only updates so Intercom counts them.
    pub ensure_ping: bool,
    /// Carry the current user's user_hash / JWT into later updates for the same user.
    pub remember_identity: bool,
    /// Updates Intercom honours per 30 minutes; `None` turns the quota rules off.
    pub update_quota: Option<u32>,
    /// On analytics.js `reset`: `shutdown`, then boot again as an anonymous visitor.
    pub shutdown_on_reset: bool,
    /// An identify for a different user_id shuts down and boots as the new user.
    pub shutdown_on_user_switch: bool,
    /// A company given as a string is used as its company_id.
    pub company_from_string: bool,
    /// What happens to nested objects and arrays in custom attributes.
    pub nested_traits: NestedTraits,
}

/// Intercom custom attributes are flat; what to do with nested values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NestedTraits {
    /// Leave them out, with a warning (Segment's behaviour).
    Drop,
    /// `address: {city}` becomes `address_city`.
    Flatten,
    /// `address: {city}` becomes the JSON string `{"city":...}`.
    Stringify,
}

/// Intercom's update quota: this many `update` calls per 30 minutes are honoured.
pub const DEFAULT_UPDATE_QUOTA: u32 = 20;

/// A settings value that cannot be used; the message names the field.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsError(pub String);

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, SettingsError> {
    Err(SettingsError(msg.into()))
}

/// Shows at most 80 characters of an outside value in a message.
pub fn preview(s: &str) -> String {
    let mut p: String = s.chars().take(80).collect();
    if p.len() < s.len() {
        p.push('…');
    }
    crate::text::quoted(&p)
}

impl Settings {
    /// Validates the non-subscription settings.
    pub fn parse(raw: &Value) -> Result<Settings, SettingsError> {
        let Value::Object(map) = raw else {
            return err(format!(
                "settings must be an object, got {}",
                type_name(raw)
            ));
        };
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let string = |k: &str| -> Result<Option<&str>, SettingsError> {
            match get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(other) => err(format!("{k} must be a string, got {}", type_name(other))),
            }
        };
        let boolean = |k: &str, default: bool| -> Result<bool, SettingsError> {
            match get(k) {
                None => Ok(default),
                Some(Value::Bool(b)) => Ok(*b),
                Some(other) => err(format!(
                    "{k} must be true or false, got {}",
                    type_name(other)
                )),
            }
        };

        let app_id = match string("appId")? {
            None | Some("") => return err("appId is required"),
            Some(id) => id.trim(),
        };
        if app_id.is_empty()
            || app_id.len() > 64
            || !app_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return err(format!(
                "appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got {}",
                preview(app_id)
            ));
        }

        let activator = match string("activator")? {
            None => DEFAULT_ACTIVATOR.to_string(),
            Some(a) if a.trim().is_empty() => DEFAULT_ACTIVATOR.to_string(),
            Some(a) => a.trim().to_string(),
        };

        let api_base = match string("apiBase")? {
            None => ApiBase::Us,
            Some(s) if s.trim().is_empty() => ApiBase::Us,
            Some(s) => ApiBase::parse(s).ok_or_else(|| {
                SettingsError(format!(
                    "apiBase must be one of {}, {}, {} (or us, eu, au), got {}",
                    ApiBase::Us.url(),
                    ApiBase::Eu.url(),
                    ApiBase::Au.url(),
                    preview(s)
                ))
            })?,
        };

        let rich_link_properties = match get("richLinkProperties") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => err(format!(
                        "richLinkProperties[{i}] must be a string, got {}",
                        type_name(other)
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return err(format!(
                    "richLinkProperties must be an array of strings, got {}",
                    type_name(other)
                ))
            }
        };

        let widget_url = match string("widgetUrl")? {
            None => DEFAULT_WIDGET_URL.to_string(),
            Some(u) => validate_widget_url(u)?,
        };

        let csp_nonce = match string("cspNonce")? {
            None | Some("") => None,
            Some(n)
                if n.len() <= 256
                    && n.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b)) =>
            {
                Some(n.to_string())
            }
            Some(n) => {
                return err(format!(
                    "cspNonce must be a base64 value of at most 256 characters, got {}",
                    preview(n)
                ))
            }
        };

        let load_timeout_ms = match get("loadTimeoutMs") {
            None => DEFAULT_LOAD_TIMEOUT_MS,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(ms) if (1.0..=600_000.0).contains(&ms) => ms as u32,
                _ => {
                    return err(format!(
                        "loadTimeoutMs must be between 1 and 600000, got {}",
                        crate::text::number_text(n)
                    ))
                }
            },
            Some(other) => {
                return err(format!(
                    "loadTimeoutMs must be a number of milliseconds, got {}",
                    type_name(other)
                ))
            }
        };

        Ok(Settings {
            app_id: app_id.to_string(),
            activator,
            rich_link_properties,
            api_base,
            widget_url,
            csp_nonce,
            load_timeout_ms,
            debug: boolean("debug", false)?,
            ensure_ping: boolean("ensurePing", true)?,
            remember_identity: boolean("rememberIdentity", true)?,
            update_quota: match get("updateQuota") {
                None | Some(Value::Bool(true)) => Some(DEFAULT_UPDATE_QUOTA),
                Some(Value::Bool(false)) => None,
                Some(Value::Number(n)) => match n.as_u64() {
                    Some(0) => None,
                    Some(q) if q <= 1000 => Some(q as u32),
                    _ => {
                        return err(format!(
                            "updateQuota must be false or a whole number from 0 to 1000, got {}",
                            crate::text::number_text(n)
                        ))
                    }
                },
                Some(other) => {
                    return err(format!(
                        "updateQuota must be false or a number of updates per 30 minutes, got {}",
                        type_name(other)
                    ))
                }
            },
            shutdown_on_reset: boolean("shutdownOnReset", true)?,
            shutdown_on_user_switch: boolean("shutdownOnUserSwitch", true)?,
            company_from_string: boolean("companyFromString", false)?,
            nested_traits: match string("nestedTraits")? {
                None | Some("drop") => NestedTraits::Drop,
                Some("flatten") => NestedTraits::Flatten,
                Some("stringify") => NestedTraits::Stringify,
                Some(other) => {
                    return err(format!(
                        "nestedTraits must be \"drop\", \"flatten\" or \"stringify\", got {}",
                        preview(other)
                    ))
                }
            },
        })
    }

    /// The activator when it is not Intercom's default one.
    pub fn custom_activator(&self) -> Option<&str> {
        (self.activator != DEFAULT_ACTIVATOR).then_some(self.activator.as_str())
    }

    /// The widget script URL: the validated base plus the validated App ID.
    pub fn widget_script_url(&self) -> String {
        format!("{}/{}", self.widget_url, self.app_id)
    }
}

/// Accepts `https://host[/path]` or `http://` on a loopback host; returns it without trailing `/`.
fn validate_widget_url(raw: &str) -> Result<String, SettingsError> {
    let url = raw.trim().trim_end_matches('/');
    let bad = || {
        err(format!(
            "widgetUrl must be an https: URL or an http: URL on a loopback host (localhost, 127.0.0.1, [::1]), got {}",
            preview(raw)
        ))
    };
    if url.chars().any(|c| {
        !c.is_ascii_graphic() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '?' | '#')
    }) {
        return bad();
    }
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return bad();
    };
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return bad();
    }
    if !secure {
        let host = if authority.starts_with("[::1]") {
            "[::1]"
        } else {
            authority.split(':').next().unwrap_or("")
        };
        let loopback = host == "localhost"
            || host == "[::1]"
            || (host.starts_with("127.")
                && host.split('.').count() == 4
                && host.split('.').all(|p| p.parse::<u8>().is_ok()));
        if !loopback {
            return bad();
        }
    }
    Ok(url.to_string())
}
