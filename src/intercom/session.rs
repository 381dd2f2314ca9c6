//! Intercom's session rules, kept per page: identity continuity, the update quota, logout
//! (`reset`) and switching users. Each rule has a setting that turns it off.

use super::{IntercomCall, Warning};
use crate::json::{Map, Value};
use crate::settings::Settings;
use crate::Outcome;

/// Intercom honours a limited number of `update` calls per this window (30 minutes).
pub const QUOTA_WINDOW_MS: f64 = 30.0 * 60.0 * 1000.0;

/// The identity attributes of an update, in [`Identity`]'s order.
const IDENTITY_KEYS: [&str; 4] = ["user_id", "email", "user_hash", "intercom_user_jwt"];

/// The user the Messenger currently runs for, as the last identify said: the values of
/// [`IDENTITY_KEYS`] (user_id, email, and the identity verification secrets).
type Identity = [Option<String>; 4];

/// What the plugin knows of the current Messenger session.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The boot settings (app_id, api_base, ...), for booting again after a shutdown.
    boot: Map<String, Value>,
    identity: Identity,
    /// Attributes Intercom has from this session's updates (at most [`MAX_KNOWN`]): an update
    /// that would not change any of them changes nothing.
    known: Map<String, Value>,
    /// When the updates of the current quota window were sent (ms since the epoch), oldest
    /// first, from `sent_at[first]`: the earlier ones left the window. (A Vec and an index: a
    /// VecDeque's wrapping and growth were more code in the .wasm.)
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
            identity: [None, None, None, None],
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

    /// The identity rules of an identifyUser update: whether it switches to a different user
    /// (the old one forgotten; the caller shuts down and boots), else the same user's secrets
    /// carried along. Either way the update's identity is remembered. (A function of its own:
    /// inlined, its callers' paths were duplicated for users and companies.)
    #[inline(never)]
    fn identify(&mut self, payload: &mut Map<String, Value>, settings: &Settings) -> bool {
        let user_id = text(payload, "user_id");
        let current = self.identity[0].as_deref();
        let same_user = match (user_id, current) {
            (Some(a), Some(b)) => a == b,
            (None, None) => {
                let email = text(payload, "email");
                email.is_some() && email == self.identity[1].as_deref()
            }
            _ => false,
        };
        // A different user without a reset in between: end the old session, boot the new one.
        let switch = settings.shutdown_on_user_switch
            && user_id.is_some()
            && current.is_some()
            && !same_user;
        if switch {
            self.forget_user();
        } else if settings.remember_identity && same_user {
            // Same user as before: carry the identity verification values along.
            // (Indexing: the zip and skip of iterators cost 0.2 KB gzip in the .wasm.)
            #[allow(clippy::needless_range_loop)]
            for i in 2..4 {
                let key = IDENTITY_KEYS[i];
                if let (false, Some(v)) = (payload.contains_key(key), &self.identity[i]) {
                    payload.push_new(key.to_string(), Value::String(v.clone()));
                }
            }
        }
        // (One call for both cases: the switch remembers the new user after forgetting.)
        self.remember(payload);
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

    /// Takes the identity of an identifyUser update (copying only what changed).
    fn remember(&mut self, payload: &Map<String, Value>) {
        // (Indexing: an enumerate of the array's iterator is larger in the .wasm.)
        #[allow(clippy::needless_range_loop)]
        for i in 0..IDENTITY_KEYS.len() {
            let key = IDENTITY_KEYS[i];
            let Some(v) = text(payload, key) else {
                continue;
            };
            if self.identity[i].as_deref() == Some(v) {
                continue;
            }
            if i == 0 {
                // A new user_id (switch rule off, or first identify): the old secrets are not
                // theirs.
                self.identity = Identity::default();
            }
            self.identity[i] = Some(v.to_string());
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
        // (A loop: an `any` is larger in the .wasm.)
        let mut changes = false;
        for (k, v) in payload {
            if k != "last_request_at" && self.known.get(k) != Some(v) {
                changes = true;
                break;
            }
        }
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
        true
    }
}
