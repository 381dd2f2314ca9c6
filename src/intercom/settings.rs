//! Destination settings: parsed and validated once; errors name the field and what is wrong.

use crate::engine::json::Value;
use crate::intercom::convert::type_name;

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

    /// A URL or region code, in any case; blank is the default (US).
    fn parse(text: &str) -> Option<ApiBase> {
        let t = crate::engine::text::trim(text);
        if t.is_empty() {
            return Some(ApiBase::Us);
        }
        let t = trim_slashes(t);
        [ApiBase::Us, ApiBase::Eu, ApiBase::Au]
            .into_iter()
            .find(|b| t.eq_ignore_ascii_case(b.url()) || t.eq_ignore_ascii_case(b.short()))
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

/// The settings, in the order they are checked: a [`Problem`] names one by its index.
const KEYS: [&str; 15] = [
    "appId",
    "activator",
    "apiBase",
    "richLinkProperties",
    "widgetUrl",
    "cspNonce",
    "loadTimeoutMs",
    "debug",
    "ensurePing",
    "rememberIdentity",
    "updateQuota",
    "shutdownOnReset",
    "shutdownOnUserSwitch",
    "companyFromString",
    "nestedTraits",
];
const APP_ID: usize = 0;
const ACTIVATOR: usize = 1;
const API_BASE: usize = 2;
const RICH_LINKS: usize = 3;
const WIDGET_URL: usize = 4;
const CSP_NONCE: usize = 5;
const LOAD_TIMEOUT: usize = 6;
/// The boolean settings are `FLAGS..FLAGS + 7` (and `updateQuota` among them, see `check`).
const FLAGS: usize = 7;
const UPDATE_QUOTA: usize = 10;
const NESTED_TRAITS: usize = 14;

/// What a setting must be. The message is `{key} must be {what}, got {the value}`, where the
/// value is shown as its type, or (for the values whose type is right) as its text.
#[derive(Clone, Copy)]
enum Must {
    /// The settings themselves are not an object.
    Object,
    /// appId is missing or empty.
    Given,
    String,
    Bool,
    AppId,
    ApiBase,
    Array,
    /// An item of richLinkProperties.
    StringItem,
    WidgetUrl,
    Nonce,
    TimeoutRange,
    TimeoutType,
    QuotaRange,
    QuotaType,
    NestedTraits,
    Activator,
}

/// The longest widgetUrl accepted (a longer one is no Intercom widget URL; it would also be
/// requested, and shown in messages, in full).
const MAX_WIDGET_URL: usize = 2048;
/// The longest activator (CSS selector) accepted.
const MAX_ACTIVATOR: usize = 1024;

/// What each [`Must`] says, in its order.
const WHAT: [&str; 16] = [
    "an object",
    "",
    "a string",
    "true or false",
    "1-64 characters of A-Z, a-z, 0-9, _ or -",
    "one of https://api-iam.intercom.io, https://api-iam.eu.intercom.io, https://api-iam.au.intercom.io (or us, eu, au)",
    "an array of strings",
    "a string",
    "an https: URL, or an http: URL on a loopback host (localhost, 127.0.0.1, [::1]), of at most 2048 characters",
    "a base64 value of at most 256 characters",
    "between 1 and 600000",
    "a number of milliseconds",
    "false or a whole number from 0 to 1000",
    "false or a number of updates per 30 minutes",
    "\"drop\", \"flatten\" or \"stringify\"",
    "a CSS selector of at most 1024 characters",
];

/// A setting that cannot be used: its index in [`KEYS`] (for an item of richLinkProperties,
/// the item's index) and what it must be. The message is written from the settings
/// afterwards, so that finding a problem is cheap.
struct Problem(usize, Must);

impl Problem {
    fn message(self, raw: &Value) -> SettingsError {
        let Problem(key, must) = self;
        // An item's problem has the item's index (see `check`).
        let item = matches!(must, Must::StringItem);
        let (field, mut value) = match KEYS.get(if item { RICH_LINKS } else { key }) {
            Some(k) if !matches!(must, Must::Object) => (*k, raw.get(*k).unwrap_or(&Value::Null)),
            _ => ("settings", raw),
        };
        let mut m = String::new();
        m.push_str(field);
        if let Must::Given = must {
            m.push_str(" is required");
            return SettingsError(m);
        }
        if item {
            value = value.get(key).unwrap_or(&Value::Null);
            m.push('[');
            crate::engine::json::push_int(&mut m, key as i64);
            m.push(']');
        }
        m.push_str(" must be ");
        m.push_str(WHAT.get(must as usize).copied().unwrap_or(""));
        m.push_str(", got ");
        match (must, value.as_str()) {
            (Must::TimeoutRange | Must::QuotaRange, _) => value.write_to(&mut m),
            (
                Must::AppId
                | Must::ApiBase
                | Must::WidgetUrl
                | Must::Nonce
                | Must::NestedTraits
                | Must::Activator,
                Some(s),
            ) => {
                // The App ID is checked trimmed.
                let s = if let Must::AppId = must {
                    crate::engine::text::trim(s)
                } else {
                    s
                };
                push_preview(&mut m, s);
            }
            _ => m.push_str(type_name(value)),
        }
        SettingsError(m)
    }
}

/// Shows at most 80 characters of an outside value in a message.
pub fn preview(s: &str) -> String {
    let mut p = String::new();
    push_preview(&mut p, s);
    p
}

/// Appends [`preview`]`(s)`.
fn push_preview(out: &mut String, s: &str) {
    // The byte index of the 81st character, counting the bytes that start one.
    let (mut end, mut chars) = (0, 0);
    while end < s.len() {
        if s.as_bytes()[end] & 0xc0 != 0x80 {
            if chars == 80 {
                break;
            }
            chars += 1;
        }
        end += 1;
    }
    // `end` starts a character.
    crate::engine::json::write_string(&s[..end], out);
    if end < s.len() {
        // Before the closing quote (ASCII: a character boundary; not `pop`, which decodes).
        out.truncate(out.len() - 1);
        out.push_str("…\"");
    }
}

/// The JSON types each setting (in the order of [`KEYS`]) may have besides null, as bits
/// `1 << kind` (see [`kind`]), and what it must be when it has another.
const TYPES: [(u8, Must); 15] = {
    const S: (u8, Must) = (1 << 3, Must::String);
    const B: (u8, Must) = (1 << 1, Must::Bool);
    [
        S,
        S,
        S,
        (1 << 4, Must::Array),
        S,
        S,
        (1 << 2, Must::TimeoutType),
        B,
        B,
        B,
        (1 << 1 | 1 << 2, Must::QuotaType),
        B,
        B,
        B,
        S,
    ]
};

/// A value's kind: null 0, bool 1, number 2, string 3, array 4, object 5.
fn kind(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// The boolean settings' defaults, in the order of [`KEYS`] (`updateQuota`'s is unused).
const FLAG_DEFAULTS: [bool; 7] = [false, true, true, false, true, true, false];

/// Letters, digits, `_` and `-` (see [`in_set`]).
const ID_BYTES: [u64; 2] = [0x03ff_2000_0000_0000, 0x07ff_fffe_87ff_fffe];
/// Base64 or base64url: [`ID_BYTES`], `+`, `/` and `=`.
const NONCE_BYTES: [u64; 2] = [0x23ff_a800_0000_0000, 0x07ff_fffe_87ff_fffe];
/// Printable ASCII but for quotes, backquotes, `<`, `>`, `\`, `?` and `#`.
const URL_BYTES: [u64; 2] = [0x2fff_ff72_0000_0000, 0x7fff_fffe_efff_ffff];

/// Whether ASCII `b` is in `set`: bit `b % 64` of its mask for `b / 64` (a table is smaller
/// in wasm than searching a list of bytes).
fn in_set(b: u8, set: &[u64; 2]) -> bool {
    b < 128 && set[usize::from(b >> 6 & 1)] >> (b & 63) & 1 != 0
}

/// Whether every byte of `s` is in `set`.
fn all_in(s: &[u8], set: &[u64; 2]) -> bool {
    let mut i = 0;
    while i < s.len() {
        if !in_set(s[i], set) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `s` has at most `max` bytes, each in `set`.
fn word(s: &str, max: usize, set: &[u64; 2]) -> bool {
    s.len() <= max && all_in(s.as_bytes(), set)
}

/// The defaults, filled in by [`check`] (a constant: one copy, not a store per field).
const DEFAULTS: Settings = Settings {
    app_id: String::new(),
    activator: String::new(),
    rich_link_properties: Vec::new(),
    api_base: ApiBase::Us,
    widget_url: String::new(),
    csp_nonce: None,
    load_timeout_ms: DEFAULT_LOAD_TIMEOUT_MS,
    debug: false,
    ensure_ping: true,
    remember_identity: true,
    update_quota: Some(DEFAULT_UPDATE_QUOTA),
    shutdown_on_reset: true,
    shutdown_on_user_switch: true,
    company_from_string: false,
    nested_traits: NestedTraits::Drop,
};

impl Settings {
    /// Validates the non-subscription settings.
    pub fn parse(raw: &Value) -> Result<Settings, SettingsError> {
        let mut settings = DEFAULTS;
        match check(raw, &mut settings) {
            Ok(()) => Ok(settings),
            Err(p) => Err(p.message(raw)),
        }
    }

    /// The activator when it is not Intercom's default one.
    pub fn custom_activator(&self) -> Option<&str> {
        (self.activator != DEFAULT_ACTIVATOR).then_some(self.activator.as_str())
    }

    /// The widget script URL: the validated base plus the validated App ID.
    pub fn widget_script_url(&self) -> String {
        crate::engine::text::cat(&[&self.widget_url, "/", &self.app_id])
    }
}

/// [`Settings::parse`] into `s` (which has the defaults), with the problem found first.
#[inline(never)]
fn check(raw: &Value, s: &mut Settings) -> Result<(), Problem> {
    let Value::Object(map) = raw else {
        return Err(Problem(0, Must::Object));
    };
    let mut flags = FLAG_DEFAULTS;
    for key in 0..KEYS.len() {
        let (types, wrong) = TYPES[key];
        let v = map.get(KEYS[key]).unwrap_or(&Value::Null);
        let kind = kind(v);
        if kind != 0 && types >> kind & 1 == 0 {
            return Err(Problem(key, wrong));
        }
        // The type is right: a string setting is text ("" when absent).
        let text = v.as_str().unwrap_or("");
        match key {
            APP_ID => {
                if text.is_empty() {
                    return Err(Problem(key, Must::Given));
                }
                let app_id = crate::engine::text::trim(text);
                if app_id.is_empty() || !word(app_id, 64, &ID_BYTES) {
                    return Err(Problem(key, Must::AppId));
                }
                s.app_id.push_str(app_id);
            }
            ACTIVATOR if text.chars().count() > MAX_ACTIVATOR => {
                return Err(Problem(key, Must::Activator))
            }
            ACTIVATOR => s.activator.push_str(match crate::engine::text::trim(text) {
                "" => DEFAULT_ACTIVATOR,
                a => a,
            }),
            API_BASE => s.api_base = ApiBase::parse(text).ok_or(Problem(key, Must::ApiBase))?,
            RICH_LINKS => {
                for (i, v) in v.as_array().map_or(&[][..], |a| a).iter().enumerate() {
                    match v {
                        Value::String(link) => s.rich_link_properties.push(link.clone()),
                        _ => return Err(Problem(i, Must::StringItem)),
                    }
                }
            }
            WIDGET_URL => s.widget_url.push_str(if kind == 0 {
                DEFAULT_WIDGET_URL
            } else {
                widget_url(text)
                    .filter(|url| url.len() <= MAX_WIDGET_URL)
                    .ok_or(Problem(key, Must::WidgetUrl))?
            }),

            CSP_NONCE => {
                // Base64 or base64url.
                if !word(text, 256, &NONCE_BYTES) {
                    return Err(Problem(key, Must::Nonce));
                }
                if !text.is_empty() {
                    s.csp_nonce = Some(text.into());
                }
            }
            LOAD_TIMEOUT => {
                if let Value::Number(n) = v {
                    match n.as_f64() {
                        Some(ms) if (1.0..=600_000.0).contains(&ms) => {
                            s.load_timeout_ms = ms as u32
                        }
                        _ => return Err(Problem(key, Must::TimeoutRange)),
                    }
                }
            }
            UPDATE_QUOTA => {
                s.update_quota = match v {
                    Value::Bool(false) => None,
                    Value::Number(n) => match n.as_u64() {
                        Some(0) => None,
                        Some(q) if q <= 1000 => Some(q as u32),
                        _ => return Err(Problem(key, Must::QuotaRange)),
                    },
                    _ => Some(DEFAULT_UPDATE_QUOTA),
                }
            }
            NESTED_TRAITS => {
                s.nested_traits = match text {
                    "" if kind == 0 => NestedTraits::Drop,
                    "drop" => NestedTraits::Drop,
                    "flatten" => NestedTraits::Flatten,
                    "stringify" => NestedTraits::Stringify,
                    _ => return Err(Problem(key, Must::NestedTraits)),
                }
            }
            _ => {
                if let (Value::Bool(b), Some(flag)) = (v, flags.get_mut(key.wrapping_sub(FLAGS))) {
                    *flag = *b;
                }
            }
        }
    }
    [
        s.debug,
        s.ensure_ping,
        s.remember_identity,
        _,
        s.shutdown_on_reset,
        s.shutdown_on_user_switch,
        s.company_from_string,
    ] = flags;
    Ok(())
}

/// `raw` without surrounding white space and trailing `/` if it is `https://host[/path]`, or
/// `http://` on a loopback host; `None` otherwise.
#[inline(never)]
fn widget_url(raw: &str) -> Option<&str> {
    let url = trim_slashes(crate::engine::text::trim(raw));
    let b = url.as_bytes();
    let secure = matches!(b.get(4), Some(b's' | b'S'));
    let scheme = 4 + usize::from(secure);
    if !b.get(..4)?.eq_ignore_ascii_case(b"http") || b.get(scheme..scheme + 3)? != b"://" {
        return None;
    }
    let rest = b.get(scheme + 3..)?;
    let authority = until(rest, b'/');
    let host = until(authority, b':');
    let loopback = secure
        || authority.starts_with(b"[::1]")
        || host.eq_ignore_ascii_case(b"localhost")
        || (host.starts_with(b"127.") && is_ipv4(host));
    let ok = all_in(rest, &URL_BYTES)
        && !authority.is_empty()
        && until(authority, b'@').len() == authority.len();
    (ok && loopback).then_some(url)
}

/// `s` up to the first `c` (all of it when there is none).
fn until(s: &[u8], c: u8) -> &[u8] {
    let end = s.iter().position(|&x| x == c).unwrap_or(s.len());
    s.get(..end).unwrap_or(s)
}

/// Four dot-separated decimal numbers of at most 255 (leading zeros allowed).
fn is_ipv4(host: &[u8]) -> bool {
    let (mut rest, mut parts) = (host, 0);
    loop {
        let part = until(rest, b'.');
        if crate::engine::text::digits(part, 10).is_none_or(|n| n > 255) {
            return false;
        }
        parts += 1;
        match rest.get(part.len() + 1..) {
            Some(r) => rest = r,
            None => return parts == 4,
        }
    }
}

/// `s` without trailing `/`.
fn trim_slashes(s: &str) -> &str {
    let mut end = s.len();
    while end > 0 && s.as_bytes()[end - 1] == b'/' {
        end -= 1;
    }
    // After ASCII: a character boundary.
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_cut_at_80_characters() {
        assert_eq!(preview("a\"b"), "\"a\\\"b\"");
        assert_eq!(preview(&"é".repeat(80)), format!("\"{}\"", "é".repeat(80)));
        assert_eq!(preview(&"é".repeat(81)), format!("\"{}…\"", "é".repeat(80)));
    }

    #[test]
    fn widget_urls_on_loopback_hosts() {
        for (raw, want) in [
            (" HtTp://LocalHost:80/w// ", Some("HtTp://LocalHost:80/w")),
            ("http://127.000.0.001", Some("http://127.000.0.001")),
            ("http://[::1]/", Some("http://[::1]")),
            ("https://cdn.example/é", None),
            ("http://127.0.0.256", None),
            ("http://127.0.0", None),
            ("http://127..0.1", None),
            ("http://127.0.0.1.", None),
            // `parse::<u8>` took a `+`; no browser reads this host as an address.
            ("http://127.+0.0.1", None),
            ("https://", None),
        ] {
            assert_eq!(widget_url(raw), want, "{raw}");
        }
    }

    #[test]
    fn messages_not_in_the_integration_tests() {
        for (raw, want) in [
            (
                r#"{"appId":"a","updateQuota":1.5}"#,
                "updateQuota must be false or a whole number from 0 to 1000, got 1.5",
            ),
            (
                r#"{"appId":"a","updateQuota":"5"}"#,
                "updateQuota must be false or a number of updates per 30 minutes, got a string",
            ),
            (
                r#"{"appId":"a","nestedTraits":""}"#,
                "nestedTraits must be \"drop\", \"flatten\" or \"stringify\", got \"\"",
            ),
            (
                r#"{"appId":"a","nestedTraits":1}"#,
                "nestedTraits must be a string, got a number",
            ),
            (
                r#"{"appId":"a","companyFromString":null,"shutdownOnUserSwitch":[]}"#,
                "shutdownOnUserSwitch must be true or false, got an array",
            ),
            (
                r#"{"appId":" a b "}"#,
                "appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got \"a b\"",
            ),
            // The first problem in the order of the settings.
            (
                r#"{"nestedTraits":1,"debug":1,"appId":"a","activator":2}"#,
                "activator must be a string, got a number",
            ),
        ] {
            let raw = crate::engine::json::parse(raw).unwrap();
            assert_eq!(Settings::parse(&raw).unwrap_err().0, want);
        }
    }

    #[test]
    fn api_base_blank_or_slashes() {
        assert_eq!(ApiBase::parse(" "), Some(ApiBase::Us));
        assert_eq!(ApiBase::parse("/"), None);
        assert_eq!(ApiBase::parse("Au//"), Some(ApiBase::Au));
    }
}
