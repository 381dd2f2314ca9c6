//! Destination settings: declared once, as the rows of [`SETTINGS`] (key, TypeScript type,
//! default, the README's line, and how the value is read); parsed and validated once, with
//! errors that name the field and what is wrong. `js/index.d.ts` and the README's settings
//! table are checked against the table by `tests/settings_table.rs`.

use crate::engine::json::{type_name, Value};
use crate::engine::text::{cat, digits};
use std::fmt;

/// The activator Intercom uses when the site has no custom launcher.
pub const DEFAULT_ACTIVATOR: &str = "#IntercomDefaultWidget";
/// Where the widget script comes from unless `widgetUrl` says otherwise.
pub const DEFAULT_WIDGET_URL: &str = "https://widget.intercom.io/widget";
/// How long the widget may take to load by default.
pub const DEFAULT_LOAD_TIMEOUT_MS: u32 = 10_000;
/// Intercom's update quota: this many `update` calls per 30 minutes are honoured.
pub const DEFAULT_UPDATE_QUOTA: u32 = 20;
/// The longest App ID: it goes into the widget script's URL.
const MAX_APP_ID: usize = 64;
/// The longest widgetUrl accepted (a longer one is no Intercom widget URL; it would also be
/// requested, and shown in messages, in full).
const MAX_WIDGET_URL: usize = 2048;
/// The longest activator (CSS selector) accepted.
const MAX_ACTIVATOR: usize = 1024;
/// The most rich-link keys, and the longest, accepted.
const MAX_RICH_LINKS: usize = 100;
const MAX_RICH_LINK_KEY: usize = 256;
/// The longest CSP nonce accepted.
const MAX_NONCE: usize = 256;

/// Intercom's regional API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiBase {
    Us,
    Eu,
    Au,
}

impl ApiBase {
    const ALL: [ApiBase; 3] = [ApiBase::Us, ApiBase::Eu, ApiBase::Au];

    pub fn url(self) -> &'static str {
        match self {
            ApiBase::Us => "https://api-iam.intercom.io",
            ApiBase::Eu => "https://api-iam.eu.intercom.io",
            ApiBase::Au => "https://api-iam.au.intercom.io",
        }
    }

    fn short(self) -> &'static str {
        match self {
            ApiBase::Us => "us",
            ApiBase::Eu => "eu",
            ApiBase::Au => "au",
        }
    }

    /// A URL or region code, in any case, with or without trailing slashes; blank is the
    /// default (US).
    pub fn parse(text: &str) -> Option<ApiBase> {
        let t = text.trim();
        if t.is_empty() {
            return Some(ApiBase::Us);
        }
        let t = without_trailing_slashes(t);
        ApiBase::ALL
            .into_iter()
            .find(|b| t.eq_ignore_ascii_case(b.url()) || t.eq_ignore_ascii_case(b.short()))
    }
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

/// Validated settings (subscriptions are compiled separately, see
/// [`crate::intercom::destination::Destination`]).
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
    /// Carry the current person's user_hash / JWT into later updates for the same person.
    pub remember_identity: bool,
    /// Updates Intercom honours per 30 minutes; `None` turns the quota rules off.
    pub update_quota: Option<u32>,
    /// On analytics.js `reset`: `shutdown`, then boot again as an anonymous visitor.
    pub shutdown_on_reset: bool,
    /// An identify of another person shuts down and boots as them.
    pub shutdown_on_user_switch: bool,
    /// A company given as a string is used as its company_id.
    pub company_from_string: bool,
    /// What happens to nested objects and arrays in custom attributes.
    pub nested_traits: NestedTraits,
    /// The analytics.js events the Messenger's own events become (`None`: off).
    pub messenger_events: Option<MessengerEvents>,
}

/// The names of the analytics.js `track` events that the Messenger's callbacks become; `None`
/// for a callback that sends nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessengerEvents {
    /// `onShow`: the visitor opened the Messenger.
    pub opened: Option<String>,
    /// `onHide`: the visitor closed it.
    pub closed: Option<String>,
    /// `onUnreadCountChange`: the number of unread messages changed (`{unread_count}`).
    pub unread_count_changed: Option<String>,
    /// `onUserEmailSupplied`: the visitor gave an email in the Messenger (never sent with it).
    pub email_supplied: Option<String>,
}

impl MessengerEvents {
    /// Each callback with its setting key, Intercom's callback name and its event name.
    pub fn callbacks(&self) -> [(&'static str, &'static str, Option<&str>); 4] {
        [
            ("opened", "onShow", self.opened.as_deref()),
            ("closed", "onHide", self.closed.as_deref()),
            (
                "unreadCountChanged",
                "onUnreadCountChange",
                self.unread_count_changed.as_deref(),
            ),
            (
                "emailSupplied",
                "onUserEmailSupplied",
                self.email_supplied.as_deref(),
            ),
        ]
    }
}

impl Default for MessengerEvents {
    /// The default names.
    fn default() -> MessengerEvents {
        MessengerEvents {
            opened: Some("Intercom Messenger Opened".into()),
            closed: Some("Intercom Messenger Closed".into()),
            unread_count_changed: Some("Intercom Unread Count Changed".into()),
            email_supplied: Some("Intercom Email Supplied".into()),
        }
    }
}

/// The longest event name a Messenger callback may be given.
const MAX_EVENT_NAME: usize = 200;

impl Default for Settings {
    /// The defaults of every setting but `appId`, which has none.
    fn default() -> Settings {
        Settings {
            app_id: String::new(),
            activator: DEFAULT_ACTIVATOR.into(),
            rich_link_properties: Vec::new(),
            api_base: ApiBase::Us,
            widget_url: DEFAULT_WIDGET_URL.into(),
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
            messenger_events: None,
        }
    }
}

/// One setting, declared once: everything else (validation, defaults, messages, the types of
/// `js/index.d.ts`, the README's settings table) follows from its row in [`SETTINGS`].
pub struct Setting {
    pub key: &'static str,
    /// Whether the settings must have it.
    pub required: bool,
    /// How it is documented. (Checked natively against the README and `js/index.d.ts`; the
    /// browser build does not carry the documentation.)
    #[cfg(not(target_arch = "wasm32"))]
    pub docs: Docs,
    /// Reads a value that is present (not null) into the settings, or says what it must be.
    read: Reader,
}

/// A setting's documentation.
pub struct Docs {
    /// Its type in `js/index.d.ts` (without `| undefined`).
    pub ts_type: &'static str,
    /// The README's "meaning" column.
    pub doc: &'static str,
    /// The README's "default" column.
    pub default: &'static str,
}

/// Every setting, in the order they are checked (the first problem is the one reported) and
/// shown in the README.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "appId",
        required: true,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "string",
            doc: "Intercom App ID; 1-64 characters of `A-Z a-z 0-9 _ -` (it goes into the script URL)",
            default: "—",
        },
        read: Reader::Value(|v, s| {
            let id = text(v)?.trim();
            let valid = (1..=MAX_APP_ID).contains(&id.len())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid {
                return Err(Must::be("1-64 characters of A-Z, a-z, 0-9, _ or -", id));
            }
            s.app_id = id.into();
            Ok(())
        }),
    },
    Setting {
        key: "activator",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "string",
            doc: "CSS selector of a custom launcher (`custom_launcher_selector`), at most 1,024 characters; a non-default one adds `widget: {activator}` to updates",
            default: "`#IntercomDefaultWidget`",
        },
        read: Reader::Value(|v, s| {
            let raw = text(v)?;
            if raw.chars().count() > MAX_ACTIVATOR {
                return Err(Must::be("a CSS selector of at most 1024 characters", raw));
            }
            let activator = raw.trim();
            if !activator.is_empty() {
                s.activator = activator.into();
            }
            Ok(())
        }),
    },
    Setting {
        key: "apiBase",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "IntercomApiBase",
            doc: "`https://api-iam.intercom.io` (US), `https://api-iam.eu.intercom.io` (EU), `https://api-iam.au.intercom.io` (Australia), or `us` / `eu` / `au`",
            default: "US",
        },
        read: Reader::Value(|v, s| {
            let raw = text(v)?;
            s.api_base = ApiBase::parse(raw).ok_or_else(|| {
                Must::be("one of https://api-iam.intercom.io, https://api-iam.eu.intercom.io, https://api-iam.au.intercom.io (or us, eu, au)", raw)
            })?;
            Ok(())
        }),
    },
    Setting {
        key: "richLinkProperties",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "readonly string[]",
            doc: "track-property keys whose object values are Intercom rich links `{url, value}`; at most 100 keys of at most 256 characters",
            default: "`[]`",
        },
        read: Reader::Value(|v, s| {
            let Value::Array(items) = v else {
                return Err(Must::BeA("an array of strings"));
            };
            if items.len() > MAX_RICH_LINKS {
                return Err(Must::Be("an array of at most 100 strings", crate::engine::text::cat(&["an array of ", &crate::engine::text::int(items.len() as i64)])));
            }
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(key) if key.chars().count() <= MAX_RICH_LINK_KEY => {
                        s.rich_link_properties.push(key.clone())
                    }
                    Value::String(_) => return Err(Must::Item(i, "a string of at most 256 characters", "a longer one")),
                    other => return Err(Must::Item(i, "a string", type_name(other))),
                }
            }
            Ok(())
        }),
    },
    Setting {
        key: "subscriptions",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "readonly IntercomSubscription[] | string",
            doc: "Segment subscriptions, as an array or a JSON string; absent means the three presets",
            default: "presets",
        },
        // Compiled with the actions (`subscriptions::parse_subscriptions`), which check it.
        read: Reader::Value(|_, _| Ok(())),
    },
    Setting {
        key: "widgetUrl",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "string",
            doc: "base URL of the widget script, for self-hosting and tests; `https:`, or `http:` on localhost / 127.x / [::1]; at most 2,048 characters",
            default: "`https://widget.intercom.io/widget`",
        },
        read: Reader::Value(|v, s| {
            let raw = text(v)?;
            let url = widget_url(raw).filter(|url| url.len() <= MAX_WIDGET_URL);
            s.widget_url = url
                .ok_or_else(|| Must::be("an https: URL, or an http: URL on a loopback host (localhost, 127.0.0.1, [::1]), of at most 2048 characters", raw))?
                .into();
            Ok(())
        }),
    },
    Setting {
        key: "cspNonce",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "string",
            doc: "nonce for the widget `<script>`, for a strict Content-Security-Policy; base64, at most 256 characters",
            default: "none",
        },
        read: Reader::Value(|v, s| {
            let nonce = text(v)?;
            let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
            if nonce.len() > MAX_NONCE || !nonce.chars().all(base64) {
                return Err(Must::be("a base64 value of at most 256 characters", nonce));
            }
            s.csp_nonce = (!nonce.is_empty()).then(|| nonce.into());
            Ok(())
        }),
    },
    Setting {
        key: "loadTimeoutMs",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "number",
            doc: "how long the widget may take to load before it counts as blocked (1-600000): one console warning, and later events are dropped",
            default: "`10000`",
        },
        read: Reader::Value(|v, s| {
            let Value::Number(n) = v else {
                return Err(Must::BeA("a number of milliseconds"));
            };
            match n.as_f64() {
                Some(ms) if (1.0..=600_000.0).contains(&ms) => s.load_timeout_ms = ms as u32,
                _ => return Err(Must::Be("between 1 and 600000", v.to_json())),
            }
            Ok(())
        }),
    },
    flag(
        "debug",
        "also print every warning on the console",
        false,
        |s, on| s.debug = on,
    ),
    flag(
        "ensurePing",
        "add `last_request_at` to identity-only updates, which Intercom otherwise ignores",
        true,
        |s, on| s.ensure_ping = on,
    ),
    flag(
        "rememberIdentity",
        "carry the user's `user_hash` / `intercom_user_jwt` into later updates for the same person (see the identity rule below)",
        true,
        |s, on| s.remember_identity = on,
    ),
    Setting {
        key: "updateQuota",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "number | false",
            doc: "Intercom's `update` quota per 30 minutes (see below); `false` sends every update",
            default: "`20`",
        },
        read: Reader::Value(|v, s| {
            s.update_quota = match v {
                Value::Bool(false) => None,
                Value::Number(n) => match n.as_u64() {
                    Some(0) => None,
                    Some(q) if q <= 1000 => Some(q as u32),
                    _ => {
                        return Err(Must::Be(
                            "false or a whole number from 0 to 1000",
                            v.to_json(),
                        ))
                    }
                },
                // (on, with Intercom's quota)
                Value::Bool(true) => Some(DEFAULT_UPDATE_QUOTA),
                _ => return Err(Must::BeA("false or a number of updates per 30 minutes")),
            };
            Ok(())
        }),
    },
    flag(
        "shutdownOnReset",
        "on analytics.js `reset`: `Intercom('shutdown')`, then boot as an anonymous visitor",
        true,
        |s, on| s.shutdown_on_reset = on,
    ),
    flag(
        "shutdownOnUserSwitch",
        "an identify of another person (see the identity rule below) shuts down and boots as them",
        true,
        |s, on| s.shutdown_on_user_switch = on,
    ),
    flag(
        "companyFromString",
        "`traits.company: \"Acme\"` is sent as `company: {company_id: \"Acme\"}` (else dropped with a warning)",
        false,
        |s, on| s.company_from_string = on,
    ),
    Setting {
        key: "nestedTraits",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "'drop' | 'flatten' | 'stringify'",
            doc: "nested custom traits: `drop` (with a warning, as Segment), `flatten` (`address_city`; a flattened name that another attribute has is dropped with a warning, the first stays) or `stringify` (JSON text)",
            default: "`drop`",
        },
        read: Reader::Value(|v, s| {
            s.nested_traits = match text(v)? {
                "drop" => NestedTraits::Drop,
                "flatten" => NestedTraits::Flatten,
                "stringify" => NestedTraits::Stringify,
                other => return Err(Must::be("\"drop\", \"flatten\" or \"stringify\"", other)),
            };
            Ok(())
        }),
    },
    Setting {
        key: "messengerEvents",
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "boolean | IntercomMessengerEventNames",
            doc: "the Messenger's own events as analytics.js `track` events for the other destinations (never Intercom): `true` for the default names, or `{opened, closed, unreadCountChanged, emailSupplied}` with a name (or `false`) each; see below",
            default: "`false`",
        },
        read: Reader::Value(|v, s| {
            s.messenger_events = match v {
                Value::Bool(false) => None,
                Value::Bool(true) => Some(MessengerEvents::default()),
                Value::Object(names) => {
                    let mut events = MessengerEvents::default();
                    for (key, name) in names {
                        let slot = match key.as_str() {
                            "opened" => &mut events.opened,
                            "closed" => &mut events.closed,
                            "unreadCountChanged" => &mut events.unread_count_changed,
                            "emailSupplied" => &mut events.email_supplied,
                            _ => return Err(Must::be("an object of opened, closed, unreadCountChanged or emailSupplied", key)),
                        };
                        *slot = match name {
                            Value::Bool(false) | Value::Null => None,
                            Value::String(n) if !n.trim().is_empty() && n.chars().count() <= MAX_EVENT_NAME => Some(n.clone()),
                            _ => return Err(Must::Be("an object of event names (1-200 characters) or false", name.to_json())),
                        };
                    }
                    Some(events)
                }
                _ => return Err(Must::BeA("true, false or an object of event names")),
            };
            Ok(())
        }),
    },
];

/// A true-or-false setting with its default and what it sets.
const fn flag(
    key: &'static str,
    doc: &'static str,
    default: bool,
    set: fn(&mut Settings, bool),
) -> Setting {
    #[cfg(target_arch = "wasm32")]
    let _ = (doc, default);
    Setting {
        key,
        required: false,
        #[cfg(not(target_arch = "wasm32"))]
        docs: Docs {
            ts_type: "boolean",
            doc,
            default: if default { "`true`" } else { "`false`" },
        },
        read: Reader::Flag(set),
    }
}

/// How a row reads its value (present, not null).
enum Reader {
    /// `true` or `false`, given to the function.
    Flag(fn(&mut Settings, bool)),
    /// Any other value: the function reads it, or says what it must be.
    Value(fn(&Value, &mut Settings) -> Result<(), Must>),
}

/// What a value must be, when it is not.
#[derive(Debug)]
enum Must {
    /// Of another type: "must be {0}, got {its type}".
    BeA(&'static str),
    /// Of the right type, but not a value this accepts: "must be {0}, got {1}" (the value).
    Be(&'static str, String),
    /// Item {0} of an array: "[{0}] must be {1}, got {2}" (its type).
    Item(usize, &'static str, &'static str),
}

impl Must {
    /// [`Must::Be`] a text, shown as a preview.
    fn be(what: &'static str, text: &str) -> Must {
        Must::Be(what, preview(text))
    }
}

/// A string value's text, or that it must be a string.
fn text(v: &Value) -> Result<&str, Must> {
    v.as_str().ok_or(Must::BeA("a string"))
}

/// A setting that cannot be used: which (with the path of an item), what it must be, and what
/// it was. Its message is written in one place, [`fmt::Display`].
#[derive(Debug, Clone, PartialEq)]
pub enum SettingProblem {
    /// The settings are not an object (the type they have).
    NotAnObject(&'static str),
    /// A required setting is missing, null or empty.
    Required(&'static str),
    /// `path` must be `must`, and is `got` (a type, or a value's preview).
    Invalid {
        path: String,
        must: &'static str,
        got: String,
    },
}

impl SettingProblem {
    /// The message: `{path} must be {what}, got {what it was}`, or `{key} is required`. (Built
    /// by concatenation: the wasm links no formatting machinery.)
    pub fn message(&self) -> String {
        match self {
            SettingProblem::NotAnObject(got) => cat(&["settings must be an object, got ", got]),
            SettingProblem::Required(key) => cat(&[key, " is required"]),
            SettingProblem::Invalid { path, must, got } => {
                cat(&[path, " must be ", must, ", got ", got])
            }
        }
    }
}

impl fmt::Display for SettingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Settings that cannot make a destination: a setting's problem, or the subscriptions'. (A
/// single subscription that is wrong is left out with a warning instead.)
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsError {
    Setting(SettingProblem),
    /// `subscriptions` is a string that is not JSON (the parser's message).
    SubscriptionsNotJson(String),
    /// `subscriptions` is neither an array nor a string (the type it was).
    SubscriptionsNotAnArray(&'static str),
    /// `subscriptions` is JSON text of something else than an array (the type it was).
    SubscriptionsJsonNotAnArray(&'static str),
}

impl SettingsError {
    pub fn message(&self) -> String {
        match self {
            SettingsError::Setting(problem) => problem.message(),
            SettingsError::SubscriptionsNotJson(why) => {
                cat(&["subscriptions is not valid JSON: ", why])
            }
            SettingsError::SubscriptionsNotAnArray(got) => cat(&[
                "subscriptions must be an array (or a JSON string of one), got ",
                got,
            ]),
            SettingsError::SubscriptionsJsonNotAnArray(got) => {
                cat(&["subscriptions must be an array, got ", got])
            }
        }
    }
}

impl From<SettingProblem> for SettingsError {
    fn from(problem: SettingProblem) -> SettingsError {
        SettingsError::Setting(problem)
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl Settings {
    /// Validates the settings (but for the subscriptions, compiled with the actions).
    pub fn parse(raw: &Value) -> Result<Settings, SettingsError> {
        Settings::check(raw).map_err(SettingsError::from)
    }

    /// [`Settings::parse`], with the first problem (in the order of [`SETTINGS`]) as a type.
    pub fn check(raw: &Value) -> Result<Settings, SettingProblem> {
        let Value::Object(map) = raw else {
            return Err(SettingProblem::NotAnObject(type_name(raw)));
        };
        let mut settings = Settings::default();
        for setting in SETTINGS {
            let value = map.get(setting.key).filter(|v| !v.is_null());
            let Some(value) = value else {
                if setting.required {
                    return Err(SettingProblem::Required(setting.key));
                }
                continue;
            };
            if setting.required && value.as_str() == Some("") {
                return Err(SettingProblem::Required(setting.key));
            }
            let read = match setting.read {
                Reader::Flag(set) => match value {
                    Value::Bool(on) => {
                        set(&mut settings, *on);
                        Ok(())
                    }
                    _ => Err(Must::BeA("true or false")),
                },
                Reader::Value(read) => read(value, &mut settings),
            };
            read.map_err(|must| {
                let (path, must, got) = match must {
                    Must::BeA(what) => (setting.key.to_string(), what, type_name(value).into()),
                    Must::Be(what, shown) => (setting.key.to_string(), what, shown),
                    Must::Item(i, what, got) => {
                        let index = crate::engine::text::int(i as i64);
                        let path = cat(&[setting.key, "[", &index, "]"]);
                        (path, what, got.into())
                    }
                };
                SettingProblem::Invalid { path, must, got }
            })?;
        }
        Ok(settings)
    }

    /// The activator when it is not Intercom's default one.
    pub fn custom_activator(&self) -> Option<&str> {
        (self.activator != DEFAULT_ACTIVATOR).then_some(self.activator.as_str())
    }

    /// The widget script URL: the validated base plus the validated App ID.
    pub fn widget_script_url(&self) -> String {
        cat(&[&self.widget_url, "/", &self.app_id])
    }
}

/// At most 80 characters of an outside value, quoted as JSON, for a message.
pub fn preview(s: &str) -> String {
    match s.char_indices().nth(80) {
        None => crate::engine::text::quoted(s),
        Some((end, _)) => {
            let mut p = crate::engine::text::quoted(&s[..end]);
            p.insert(p.len() - 1, '…');
            p
        }
    }
}

/// `raw` without surrounding white space and trailing `/` if it is `https://host[/path]`, or
/// `http://` on a loopback host (where a developer serves a copy), with no characters that a
/// URL would need escaped and no user info; `None` otherwise. (URL syntax is ASCII: read as
/// bytes.)
fn widget_url(raw: &str) -> Option<&str> {
    let url = without_trailing_slashes(raw.trim());
    let b = url.as_bytes();
    let scheme = before(b, b':');
    let secure = scheme.eq_ignore_ascii_case(b"https");
    if !secure && !scheme.eq_ignore_ascii_case(b"http") {
        return None;
    }
    let rest = b.get(scheme.len() + 1..)?.strip_prefix(b"//")?;
    let authority = before(rest, b'/');
    let host = before(authority, b':');
    let loopback = authority.starts_with(b"[::1]")
        || host.eq_ignore_ascii_case(b"localhost")
        || (host.starts_with(b"127.") && is_ipv4(host));
    // Printable ASCII but for quotes, backquotes, `<`, `>`, `\`, `?`, `#` and (in the
    // authority) `@`.
    let plain = |c: &u8| {
        c.is_ascii_graphic()
            && !matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\' | b'?' | b'#')
    };
    let ok = rest.iter().all(plain) && !authority.is_empty() && !authority.contains(&b'@');
    (ok && (secure || loopback)).then_some(url)
}

/// `s` up to the first `c` (all of it when there is none).
fn before(s: &[u8], c: u8) -> &[u8] {
    let end = s.iter().position(|&x| x == c).unwrap_or(s.len());
    &s[..end]
}

/// `s` without trailing `/`.
fn without_trailing_slashes(s: &str) -> &str {
    let end = s.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1);
    // (after an ASCII byte: a character boundary)
    &s[..end]
}

/// Four dot-separated decimal numbers of at most 255 (leading zeros allowed; no signs, which
/// no browser reads in a host).
fn is_ipv4(host: &[u8]) -> bool {
    let mut rest = host;
    for part in 1..=4 {
        let number = before(rest, b'.');
        if digits(number, 10).is_none_or(|n| n > 255) {
            return false;
        }
        match rest.get(number.len() + 1..) {
            Some(after) if part < 4 => rest = after,
            None if part == 4 => return true,
            _ => return false,
        }
    }
    false
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
            assert_eq!(Settings::parse(&raw).unwrap_err().message(), want);
        }
    }

    #[test]
    fn api_base_blank_or_slashes() {
        assert_eq!(ApiBase::parse(" "), Some(ApiBase::Us));
        assert_eq!(ApiBase::parse("/"), None);
        assert_eq!(ApiBase::parse("Au//"), Some(ApiBase::Au));
    }
}
