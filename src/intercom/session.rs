//! Intercom's session rules, kept per page: identity continuity, the update quota, logout
//! (`reset`) and switching users. Each rule has a setting that turns it off.

use super::{IntercomCall, Warning};
use crate::engine::json::{Map, Value};
use crate::intercom::settings::Settings;
use crate::Outcome;

/// Intercom honours a limited number of `update` calls per this window (30 minutes).
pub const QUOTA_WINDOW_MS: f64 = 30.0 * 60.0 * 1000.0;

/// Who an identifyUser update is about, by Intercom's identifiers: its `user_id`, else its
/// `email` (a lead), else nobody in particular. Identity verification values are computed on
/// that identifier (`user_hash` is an HMAC of the user_id, else of the email), so they belong to
/// one person.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Person<'a> {
    User(&'a str),
    Lead(&'a str),
    Anonymous,
}

impl<'a> Person<'a> {
    fn of(user_id: Option<&'a str>, email: Option<&'a str>) -> Person<'a> {
        match (user_id, email) {
            (Some(id), _) => Person::User(id),
            (None, Some(email)) => Person::Lead(email),
            (None, None) => Person::Anonymous,
        }
    }

    /// The same known person: their secrets may be carried from one update to the next.
    fn is(&self, other: &Person) -> bool {
        *self != Person::Anonymous && self == other
    }
}

/// The person the Messenger currently runs for, as the identify updates said, and the identity
/// verification values given for them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Identity {
    user_id: Option<String>,
    email: Option<String>,
    user_hash: Option<String>,
    intercom_user_jwt: Option<String>,
}

impl Identity {
    fn person(&self) -> Person<'_> {
        Person::of(self.user_id.as_deref(), self.email.as_deref())
    }

    /// The secrets with their attribute names.
    fn secrets(&self) -> [(&'static str, Option<&String>); 2] {
        [
            ("user_hash", self.user_hash.as_ref()),
            ("intercom_user_jwt", self.intercom_user_jwt.as_ref()),
        ]
    }
}

/// The identity rule, in one place. `current` is who the Messenger runs for, `next` who an
/// identifyUser update is about:
/// - the same person: user_ids equal, or (neither has a user_id) emails equal;
/// - a switch to another person (shutdown, then boot as them, with `shutdownOnUserSwitch`):
///   both known and not the same, except a lead who becomes a user with the lead's email (Intercom
///   converts the lead; the conversation goes on), and a user followed by an update without a
///   user_id (which says nothing about who is at the browser);
/// - anyone else is not the same person: nothing of the current one is carried.
fn switches_person(current: &Person, next: &Person, next_email: Option<&str>) -> bool {
    match (current, next) {
        (Person::User(a), Person::User(b)) => a != b,
        (Person::Lead(a), Person::Lead(b)) => a != b,
        (Person::Lead(email), Person::User(_)) => next_email != Some(*email),
        _ => false,
    }
}

/// What the plugin knows of the current Messenger session.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The boot settings (app_id, api_base, ...), for booting again after a shutdown.
    boot: Map<String, Value>,
    identity: Identity,
    /// Attributes Intercom has from this session's updates (at most [`MAX_KNOWN`]): an update
    /// that would not change any of them changes nothing.
    known: Map<String, Value>,
    /// When the newest updates of the current quota window were sent (monotonic ms), oldest
    /// first, from `sent_at[first]` (the earlier ones left the window), at most the quota.
    sent_at: Vec<f64>,
    first: usize,
    last_ping_ms: Option<f64>,
}

/// At most this many attributes are remembered: each is searched for in a list, and a hostile
/// identify with 50,000 traits must not cost 50,000 searches of 50,000. An attribute past it
/// counts as a change in every update (sent, never dropped as unchanged).
const MAX_KNOWN: usize = 1000;

fn text<'a>(payload: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    payload.get(key).and_then(Value::as_str)
}

impl Session {
    pub fn new(boot: Map<String, Value>) -> Session {
        // Written out: `..Session::default()` builds (and drops) a default boot map too.
        Session {
            boot,
            identity: Identity::default(),
            known: Map::new(),
            sent_at: Vec::new(),
            first: 0,
            last_ping_ms: None,
        }
    }

    /// `Intercom('boot', ...)` for start-up.
    pub fn boot_call(&self) -> IntercomCall {
        IntercomCall::Boot(self.boot.clone())
    }

    /// Turns an update (from identifyUser when `from_user`, else identifyCompany) into the
    /// calls to send, applying the session rules.
    pub fn update(
        &mut self,
        mut payload: Map<String, Value>,
        from_user: bool,
        settings: &Settings,
        now_ms: f64,
        out: &mut Outcome,
    ) {
        let (calls, warnings) = (&mut out.calls, &mut out.warnings);
        if from_user && self.identify(&mut payload, settings) {
            calls.push(IntercomCall::Shutdown);
            self.learn(&payload);
            let mut boot_payload = self.boot.clone();
            boot_payload.extend(payload);
            calls.push(IntercomCall::Boot(boot_payload));
            super::note(
                warnings,
                "",
                "user_id",
                true,
                &["a different user was identified without a reset: shutdown, then boot as the new user"],
                &[],
            );
            return;
        }
        if let Some(limit) = settings.update_quota {
            if !self.within_quota(&payload, limit, now_ms, warnings) {
                return;
            }
            // Only the quota rule asks what Intercom already knows.
            self.learn(&payload);
        }
        calls.push(IntercomCall::Update(payload));
    }

    /// The identity rule ([`switches_person`]) applied to an identifyUser update: whether it
    /// switches to another person (the current one forgotten; the caller shuts down and boots),
    /// else, for the same person, their remembered secrets carried into it. Either way the
    /// update's identity is remembered.
    fn identify(&mut self, payload: &mut Map<String, Value>, settings: &Settings) -> bool {
        let email = text(payload, "email");
        let next = Person::of(text(payload, "user_id"), email);
        let current = self.identity.person();
        let same = current.is(&next);
        let switch = settings.shutdown_on_user_switch && switches_person(&current, &next, email);
        if same && settings.remember_identity {
            for (key, secret) in self.identity.secrets() {
                if let (false, Some(v)) = (payload.contains_key(key), secret) {
                    payload.push_new(key.to_string(), Value::String(v.clone()));
                }
            }
        }
        if switch {
            self.forget_user();
        }
        self.remember(payload, same);
        switch
    }

    /// analytics.js `reset`: forget the user; with `shutdownOnReset`, end the Messenger session
    /// and boot again as an anonymous visitor.
    pub fn reset(&mut self, settings: &Settings, out: &mut Outcome) {
        self.forget_user();
        if settings.shutdown_on_reset {
            out.calls.push(IntercomCall::Shutdown);
            out.calls.push(self.boot_call());
        }
    }

    fn forget_user(&mut self) {
        self.identity = Identity::default();
        self.known.clear();
        self.last_ping_ms = None;
    }

    /// Takes the identity of an identifyUser update: for the same person, what it changes
    /// (a user's new email); for another known person, only what the update says (the secrets
    /// given for someone else are forgotten); an update about nobody in particular changes
    /// nothing.
    fn remember(&mut self, payload: &Map<String, Value>, same_person: bool) {
        let given = |key| text(payload, key).map(str::to_string);
        let next = Identity {
            user_id: given("user_id"),
            email: given("email"),
            user_hash: given("user_hash"),
            intercom_user_jwt: given("intercom_user_jwt"),
        };
        if next.person() == Person::Anonymous {
            return;
        }
        if !same_person {
            self.identity = next;
            return;
        }
        let id = &mut self.identity;
        for (field, value) in [
            (&mut id.email, next.email),
            (&mut id.user_hash, next.user_hash),
            (&mut id.intercom_user_jwt, next.intercom_user_jwt),
        ] {
            if value.is_some() {
                *field = value;
            }
        }
    }

    /// Records what Intercom now knows (a ping's timestamp is not data).
    fn learn(&mut self, payload: &Map<String, Value>) {
        for (k, v) in payload {
            if k == "last_request_at" {
                continue;
            }
            // A key Intercom already has keeps its place (and its key: no copy of it).
            let v = v.clone();
            let room = self.known.len() < MAX_KNOWN;
            match self.known.get_mut(k) {
                Some(old) => *old = v,
                None if room => self.known.push_new(k.clone(), v),
                None => {}
            }
        }
    }

    /// Decides whether an update is worth one of Intercom's `limit` updates per 30 minutes.
    /// Identity changes and data changes always go; an update that changes nothing is dropped;
    /// pings (page views without new data) get at most half of the quota, spread over the window,
    /// so that changes keep a reserve.
    fn within_quota(
        &mut self,
        payload: &Map<String, Value>,
        limit: u32,
        now_ms: f64,
        warnings: &mut Vec<Warning>,
    ) -> bool {
        let mut first = self.first;
        while self
            .sent_at
            .get(first)
            .is_some_and(|t| now_ms - t >= QUOTA_WINDOW_MS)
        {
            first += 1;
        }
        let used = self.sent_at.len() - first;
        // More gone than left: drop them (each time sent is moved O(1) times on average).
        if first > used {
            self.sent_at.copy_within(first.., 0);
            self.sent_at.truncate(used);
            first = 0;
        }
        self.first = first;
        // (A changed user_id or email is a change like any other attribute's.)
        let changes = payload
            .iter()
            .any(|(k, v)| k != "last_request_at" && self.known.get(k) != Some(v));
        if !changes {
            if !payload.contains_key("last_request_at") {
                super::note(
                    warnings,
                    "",
                    "update",
                    true,
                    &["not sent: it changes nothing since the last update"],
                    &[],
                );
                return false;
            }
            let ping_budget = (limit / 2).max(1);
            let spacing = QUOTA_WINDOW_MS / f64::from(ping_budget);
            let too_soon = self.last_ping_ms.is_some_and(|t| now_ms - t < spacing);
            if used >= ping_budget as usize || too_soon {
                super::note(
                    warnings,
                    "",
                    "update",
                    true,
                    &[
                        "not sent: a page view without new data, and Intercom honours ",
                        " updates per 30 minutes (",
                        " used); keeping them for changes",
                    ],
                    &[i64::from(limit), used as i64],
                );
                return false;
            }
        } else if used >= limit as usize {
            super::note(
                warnings,
                "",
                "update",
                false,
                &[
                    "sent, but Intercom's quota of ",
                    " updates per 30 minutes is used up: Intercom may ignore it",
                ],
                &[i64::from(limit)],
            );
        }
        if payload.contains_key("last_request_at") {
            self.last_ping_ms = Some(now_ms);
        }
        self.sent_at.push(now_ms);
        // Only whether `limit` (or the pings' half of it) were sent in the window matters: the
        // send times before the newest `limit` are not kept (a page sending thousands of
        // updates in 30 minutes must not keep a time for each).
        if self.sent_at.len() - self.first > limit as usize {
            self.first += 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    /// Thousands of updates inside one quota window keep at most the quota's send times.
    #[test]
    fn the_quota_keeps_at_most_the_quota_of_send_times() {
        let settings = Settings::parse(&json!({"appId": "a"})).unwrap();
        let mut session = Session::new(Map::new());
        for i in 0..10_000 {
            let mut payload = Map::new();
            payload.push_new("name".into(), Value::String(crate::engine::text::int(i)));
            let mut out = Outcome::default();
            session.update(payload, false, &settings, 1000.0 + i as f64, &mut out);
            assert_eq!(out.calls.len(), 1, "a change is always sent");
        }
        assert!(session.sent_at.len() - session.first <= 20);
        assert!(session.sent_at.len() <= 41, "{}", session.sent_at.len());
    }
}
