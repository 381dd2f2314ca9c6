//! Session rules driven through sequences of events: the exact list of Intercom calls.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::json;
use intercom_web_destination::{Destination, IntercomCall};

const T0: f64 = 1_700_000_000_000.0;

struct Page {
    destination: Destination,
    calls: Vec<Value>,
    debug: Vec<String>,
}

impl Page {
    fn new(settings: Value) -> Page {
        Page {
            destination: Destination::new(&settings).unwrap(),
            calls: Vec::new(),
            debug: Vec::new(),
        }
    }

    /// Sends an event `at_s` seconds after T0 through every plugin, as analytics.js does.
    fn send(&mut self, at_s: f64, mut event: Value) {
        let now = T0 + at_s * 1000.0;
        event["timestamp"] = json!(now / 1000.0);
        for action in self.destination.actions() {
            let out = self.destination.process(action, &event, now);
            self.calls
                .extend(out.calls.iter().map(IntercomCall::to_args));
            for w in out.warnings {
                assert!(w.debug, "unexpected warning {w}");
                self.debug.push(w.to_string());
            }
        }
    }

    fn reset(&mut self) {
        let out = self.destination.reset();
        self.calls
            .extend(out.calls.iter().map(IntercomCall::to_args));
    }

    fn take(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.calls)
    }
}

fn identify(user: &str, traits: Value, hash: Option<&str>) -> Value {
    let mut e = json!({"type": "identify", "userId": user, "traits": traits});
    if let Some(h) = hash {
        e["integrations"] = json!({"Intercom": {"user_hash": h}});
    }
    e
}

fn page_view(user: Option<&str>) -> Value {
    json!({"type": "page", "userId": user, "properties": {"path": "/"}})
}

fn boot() -> Value {
    json!({"app_id": "abc12345", "installation_type": "s", "api_base": "https://api-iam.intercom.io"})
}

fn seconds(at_s: f64) -> i64 {
    ((T0 + at_s * 1000.0) / 1000.0).floor() as i64
}

#[test]
fn login_page_views_trait_change_logout_and_second_user() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    p.send(
        0.0,
        identify(
            "u1",
            json!({"email": "a@x.example", "name": "Ada"}),
            Some("hash-1"),
        ),
    );
    assert_eq!(
        p.take(),
        vec![
            json!(["update", {"user_id": "u1", "email": "a@x.example", "name": "Ada", "user_hash": "hash-1"}])
        ]
    );
    // 30 page views, one a minute: pings at most every 180 s, each carrying the hash.
    for i in 0..30 {
        p.send(60.0 * f64::from(i + 1), page_view(Some("u1")));
    }
    let pings = p.take();
    // Pings use at most half of the 20 updates in any 30 minutes: the identify at 0 s counts
    // until 1800 s, so the tenth ping waits for it to leave the window.
    let expected: Vec<Value> = [60.0, 240.0, 420.0, 600.0, 780.0, 960.0, 1140.0, 1320.0, 1500.0, 1800.0]
        .iter()
        .map(|&t| json!(["update", {"user_id": "u1", "user_hash": "hash-1", "last_request_at": seconds(t)}]))
        .collect();
    assert_eq!(pings, expected);
    assert_eq!(p.debug.len(), 20, "every held-back page view is noted");
    assert!(p.debug[0].starts_with("update: not sent: a page view without new data"));
    // A trait change is sent, with the remembered hash.
    p.send(1850.0, identify("u1", json!({"name": "Ada L."}), None));
    assert_eq!(
        p.take(),
        vec![json!(["update", {"user_id": "u1", "name": "Ada L.", "user_hash": "hash-1"}])]
    );
    // Logout: shutdown and boot as an anonymous visitor.
    p.reset();
    assert_eq!(p.take(), vec![json!(["shutdown"]), json!(["boot", boot()])]);
    // The anonymous visitor's page view right after the boot adds nothing: held back.
    p.send(1900.0, page_view(None));
    assert_eq!(p.take(), Vec::<Value>::new());
    // Second user: a plain update (the session was reset), never with the first user's hash.
    p.send(
        1960.0,
        identify("u2", json!({"email": "b@x.example"}), None),
    );
    assert_eq!(
        p.take(),
        vec![
            json!(["update", {"user_id": "u2", "email": "b@x.example", "last_request_at": seconds(1960.0)}])
        ]
    );
    p.send(2500.0, page_view(Some("u2")));
    assert_eq!(
        p.take(),
        vec![json!(["update", {"user_id": "u2", "last_request_at": seconds(2500.0)}])]
    );
}

#[test]
fn hundred_page_views_and_five_changes_stay_within_the_quota() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    p.send(
        0.0,
        identify("u1", json!({"plan": "free", "name": "Ada"}), None),
    );
    let mut updates = 1;
    let mut changes_sent = 0;
    for i in 1..=100 {
        let at = 17.0 * f64::from(i); // 100 page views within 30 minutes
        if i % 20 == 0 {
            p.send(
                at,
                identify("u1", json!({"name": format!("Ada {i}")}), None),
            );
            let calls = p.take();
            assert_eq!(
                calls,
                vec![json!(["update", {"user_id": "u1", "name": format!("Ada {i}")}])],
                "change {i} sent"
            );
            changes_sent += 1;
            updates += 1;
        }
        p.send(at + 0.5, page_view(Some("u1")));
        updates += p.take().len();
    }
    assert_eq!(changes_sent, 5);
    assert!(updates <= 20, "{updates} updates in 30 minutes");
    // Pings are spaced 180 s apart and share the first half of the quota with the changes.
    assert_eq!(updates, 1 + 5 + 7);
}

#[test]
fn repeated_identical_identify_is_not_sent_again() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    p.send(0.0, identify("u1", json!({"name": "Ada"}), None));
    p.send(1.0, identify("u1", json!({"name": "Ada"}), None));
    assert_eq!(
        p.take(),
        vec![json!(["update", {"user_id": "u1", "name": "Ada"}])]
    );
    assert_eq!(
        p.debug,
        vec!["update: not sent: it changes nothing since the last update"]
    );
    // Group calls follow the same rule.
    let group = json!({"type": "group", "groupId": "g1", "traits": {"name": "Acme"}});
    p.send(2.0, group.clone());
    p.send(3.0, group);
    assert_eq!(
        p.take(),
        vec![json!(["update", {"company": {"company_id": "g1", "name": "Acme"}}])]
    );
}

#[test]
fn user_switch_without_reset_boots_the_new_user() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    p.send(0.0, identify("u1", json!({"name": "Ada"}), Some("hash-1")));
    p.send(10.0, identify("u2", json!({"name": "Bob"}), None));
    let mut boot_u2 = boot();
    boot_u2["user_id"] = json!("u2");
    boot_u2["name"] = json!("Bob");
    assert_eq!(
        p.take(),
        vec![
            json!(["update", {"user_id": "u1", "name": "Ada", "user_hash": "hash-1"}]),
            json!(["shutdown"]),
            json!(["boot", boot_u2]),
        ]
    );
    // The new user's page views never carry the old user's hash.
    p.send(20.0, page_view(Some("u2")));
    assert_eq!(
        p.take(),
        vec![json!(["update", {"user_id": "u2", "last_request_at": seconds(20.0)}])]
    );
}

#[test]
fn track_events_keep_their_order_around_updates() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    p.send(0.0, identify("u1", json!({"name": "Ada"}), None));
    p.send(1.0, json!({"type": "track", "userId": "u1", "event": "A"}));
    p.send(2.0, identify("u2", json!({"name": "Bob"}), None));
    p.send(3.0, json!({"type": "track", "userId": "u2", "event": "B"}));
    let methods: Vec<String> = p
        .take()
        .iter()
        .map(|c| c[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        methods,
        vec!["update", "trackEvent", "shutdown", "boot", "trackEvent"]
    );
}

#[test]
fn every_rule_can_be_turned_off() {
    let mut p = Page::new(
        json!({"appId": "abc12345", "ensurePing": false, "rememberIdentity": false,
        "updateQuota": false, "shutdownOnReset": false, "shutdownOnUserSwitch": false}),
    );
    p.send(
        0.0,
        identify("u1", json!({"email": "a@x.example"}), Some("hash-1")),
    );
    p.send(1.0, page_view(Some("u1")));
    p.send(2.0, page_view(Some("u1")));
    p.send(3.0, identify("u2", json!({}), None));
    p.reset();
    assert_eq!(
        p.take(),
        vec![
            json!(["update", {"user_id": "u1", "email": "a@x.example", "user_hash": "hash-1"}]),
            json!(["update", {"user_id": "u1"}]),
            json!(["update", {"user_id": "u1"}]),
            json!(["update", {"user_id": "u2"}]),
        ]
    );
    assert!(p.debug.is_empty());
}

#[test]
fn quota_can_be_set() {
    let mut p = Page::new(json!({"appId": "abc12345", "updateQuota": 4}));
    for i in 0..10 {
        p.send(f64::from(i), page_view(Some("u1")));
    }
    // Half of the quota (2) for pings, one per 15 minutes.
    assert_eq!(p.take().len(), 1);
    p.send(901.0, page_view(Some("u1")));
    assert_eq!(p.take().len(), 1);
}

#[test]
fn secrets_never_appear_in_warnings() {
    let mut p = Page::new(json!({"appId": "abc12345"}));
    for i in 0..5 {
        p.send(f64::from(i), identify("u1", json!({}), Some("s3cret-hash")));
    }
    p.send(6.0, identify("u2", json!({}), Some("0ther-s3cret")));
    assert!(!p.debug.is_empty());
    for w in &p.debug {
        assert!(!w.contains("s3cret"), "{w}");
    }
}

// ---- data quality ----

fn first_update(settings: Value, event: Value) -> (Value, Vec<String>) {
    let mut d = Destination::new(&settings).unwrap();
    let out = d.process(
        intercom_web_destination::ActionKind::IdentifyUser,
        &event,
        T0,
    );
    (
        out.calls[0].to_args(),
        out.warnings.iter().map(|w| w.to_string()).collect(),
    )
}

#[test]
fn name_from_first_and_last_name() {
    let cases = [
        (
            json!({"name": "Full", "firstName": "A", "lastName": "B"}),
            Some("Full"),
        ),
        (
            json!({"firstName": "Ada", "lastName": "Lovelace"}),
            Some("Ada Lovelace"),
        ),
        (json!({"firstName": "Ada"}), Some("Ada")),
        (json!({"lastName": "Lovelace"}), Some("Lovelace")),
        (json!({"email": "x@y.example"}), None),
    ];
    for (traits, name) in cases {
        let (call, _) = first_update(json!({"appId": "a"}), identify("u", traits.clone(), None));
        assert_eq!(
            call[1].get("name").and_then(Value::as_str),
            name,
            "{}",
            traits.to_json()
        );
    }
}

#[test]
fn company_from_string_only_when_enabled() {
    let event = identify("u", json!({"name": "n", "company": "Acme"}), None);
    let (call, warnings) = first_update(json!({"appId": "a"}), event.clone());
    assert_eq!(call, json!(["update", {"user_id": "u", "name": "n"}]));
    assert_eq!(
        warnings,
        vec!["company: dropped: a company must be an object with a company_id (turn on companyFromString to use a string as the company_id)"]
    );
    let (call, warnings) = first_update(json!({"appId": "a", "companyFromString": true}), event);
    assert_eq!(
        call,
        json!(["update", {"user_id": "u", "name": "n", "company": {"company_id": "Acme"}}])
    );
    assert!(warnings.is_empty());
}

#[test]
fn nested_traits_drop_flatten_or_stringify() {
    let subs = |mode: &str| {
        json!({"appId": "a", "nestedTraits": mode, "subscriptions": [{"partnerAction": "identifyUser",
            "subscribe": "type = \"identify\"", "mapping": {"user_id": {"@path": "$.userId"}, "custom_traits": {"@path": "$.traits"}}}]})
    };
    let event = identify(
        "u",
        json!({"plan": "pro", "address": {"city": "Paris", "geo": {"lat": 1}}, "tags": ["a", "b"]}),
        None,
    );
    let (call, warnings) = first_update(subs("drop"), event.clone());
    assert_eq!(call, json!(["update", {"user_id": "u", "plan": "pro"}]));
    assert_eq!(warnings.len(), 2);
    let (call, warnings) = first_update(subs("flatten"), event.clone());
    assert_eq!(
        call,
        json!(["update", {"user_id": "u", "plan": "pro", "address_city": "Paris", "address_geo_lat": 1, "tags_0": "a", "tags_1": "b"}])
    );
    assert!(warnings.is_empty());
    // Flattened names that another attribute has: the first stays, a different value is
    // reported (the answer never holds a key twice).
    let clash = identify(
        "u",
        json!({"a_b": 1, "a": {"b": 2}, "x": {"y": 1}, "x_y": 1, "p": {"q_r": 1}, "p_q": {"r": 2}}),
        None,
    );
    let (call, warnings) = first_update(subs("flatten"), clash);
    assert_eq!(
        call.to_json(),
        json!(["update", {"user_id": "u", "a_b": 1, "x_y": 1, "p_q_r": 1}]).to_json()
    );
    assert_eq!(
        warnings,
        vec![
            "custom_traits.a_b: dropped: conflicts with the custom attribute \"a_b\"",
            "custom_traits.p_q_r: dropped: conflicts with the custom attribute \"p_q_r\""
        ]
    );
    let (call, _) = first_update(subs("stringify"), event);
    assert_eq!(
        call,
        json!(["update", {"user_id": "u", "plan": "pro", "address": r#"{"city":"Paris","geo":{"lat":1}}"#, "tags": r#"["a","b"]"#}])
    );
}

#[test]
fn session_settings_errors() {
    for (settings, message) in [
        (
            json!({"appId": "a", "updateQuota": -1}),
            "updateQuota must be false or a whole number from 0 to 1000, got -1",
        ),
        (
            json!({"appId": "a", "updateQuota": "20"}),
            "updateQuota must be false or a number of updates per 30 minutes, got a string",
        ),
        (
            json!({"appId": "a", "nestedTraits": "keep"}),
            "nestedTraits must be \"drop\", \"flatten\" or \"stringify\", got \"keep\"",
        ),
        (
            json!({"appId": "a", "shutdownOnReset": "no"}),
            "shutdownOnReset must be true or false, got a string",
        ),
        (
            json!({"appId": "a", "companyFromString": 1}),
            "companyFromString must be true or false, got a number",
        ),
    ] {
        assert_eq!(Destination::new(&settings).unwrap_err().message(), message);
    }
}

/// An identify of a user (`Some(user_id)`) or a lead (`None`, by email), with an optional hash.
fn identify_as(user_id: Option<&str>, email: Option<&str>, hash: Option<&str>) -> Value {
    let mut e = json!({"type": "identify", "traits": {}});
    if let Some(id) = user_id {
        e["userId"] = json!(id);
    }
    if let Some(email) = email {
        e["traits"]["email"] = json!(email);
    }
    if let Some(h) = hash {
        e["integrations"] = json!({"Intercom": {"user_hash": h}});
    }
    e
}

/// The identity rule (README "Intercom's session rules"), every combination: who counts as the
/// same person (user_id, else email, else anonymous), when the first person's secret is carried
/// into the second identify, and when the second one switches sessions.
#[test]
fn identity_rule_table() {
    type Who<'a> = (Option<&'a str>, Option<&'a str>);
    const USER_1: Who = (Some("u1"), Some("a@example.com"));
    const USER_1_NO_EMAIL: Who = (Some("u1"), None);
    const USER_2: Who = (Some("u2"), Some("b@example.com"));
    const LEAD_A: Who = (None, Some("a@example.com"));
    const LEAD_B: Who = (None, Some("b@example.com"));
    const USER_1_FROM_LEAD_A: Who = (Some("u1"), Some("a@example.com"));
    const USER_1_OTHER_EMAIL: Who = (Some("u1"), Some("c@example.com"));
    const USER_3_OTHER_EMAIL: Who = (Some("u3"), Some("c@example.com"));
    const ANONYMOUS: Who = (None, None);
    // (first, reset in between, second, settings, the secret carried, a switch)
    let on = json!({"appId": "abc12345"});
    let cases: Vec<(&str, Who, bool, Who, Value, bool, bool)> = vec![
        (
            "same user",
            USER_1,
            false,
            USER_1_NO_EMAIL,
            on.clone(),
            true,
            false,
        ),
        (
            "same user, new email",
            USER_1,
            false,
            USER_1_OTHER_EMAIL,
            on.clone(),
            true,
            false,
        ),
        (
            "another user",
            USER_1,
            false,
            USER_2,
            on.clone(),
            false,
            true,
        ),
        (
            "same user after reset",
            USER_1,
            true,
            USER_1,
            on.clone(),
            false,
            false,
        ),
        (
            "another user after reset",
            USER_1,
            true,
            USER_2,
            on.clone(),
            false,
            false,
        ),
        ("same lead", LEAD_A, false, LEAD_A, on.clone(), true, false),
        (
            "another lead",
            LEAD_A,
            false,
            LEAD_B,
            on.clone(),
            false,
            true,
        ),
        (
            "same lead after reset",
            LEAD_A,
            true,
            LEAD_A,
            on.clone(),
            false,
            false,
        ),
        (
            "lead becomes a user, same email",
            LEAD_A,
            false,
            USER_1_FROM_LEAD_A,
            on.clone(),
            false,
            false,
        ),
        (
            "lead, then a user with another email",
            LEAD_A,
            false,
            USER_3_OTHER_EMAIL,
            on.clone(),
            false,
            true,
        ),
        (
            "lead, then a user without email",
            LEAD_A,
            false,
            USER_1_NO_EMAIL,
            on.clone(),
            false,
            true,
        ),
        (
            "user, then a lead form (email only)",
            USER_1,
            false,
            LEAD_A,
            on.clone(),
            false,
            false,
        ),
        (
            "user, then anonymous",
            USER_1,
            false,
            ANONYMOUS,
            on.clone(),
            false,
            false,
        ),
        (
            "same user, rememberIdentity off",
            USER_1,
            false,
            USER_1,
            json!({"appId": "abc12345", "rememberIdentity": false}),
            false,
            false,
        ),
        (
            "another user, shutdownOnUserSwitch off",
            USER_1,
            false,
            USER_2,
            json!({"appId": "abc12345", "shutdownOnUserSwitch": false}),
            false,
            false,
        ),
        (
            "another lead, shutdownOnUserSwitch off",
            LEAD_A,
            false,
            LEAD_B,
            json!({"appId": "abc12345", "shutdownOnUserSwitch": false}),
            false,
            false,
        ),
    ];
    for (name, first, reset, second, settings, carried, switched) in cases {
        for secret in ["user_hash", "intercom_user_jwt"] {
            let mut p = Page::new(settings.clone());
            let mut event = identify_as(first.0, first.1, None);
            event["integrations"] = json!({"Intercom": {secret: "secret-1"}});
            p.send(0.0, event);
            if reset {
                p.reset();
            }
            p.take();
            let mut event = identify_as(second.0, second.1, None);
            event["traits"]["name"] = json!("Second"); // new data: an update that goes out
            p.send(10.0, event);
            // and a page view of the second person: carried there too, or not
            p.send(
                20.0,
                json!({"type": "page", "userId": second.0, "traits": {}}),
            );
            let calls = p.take();
            let text = Value::Array(calls.clone()).to_json();
            let methods: Vec<&str> = calls.iter().filter_map(|c| c[0].as_str()).collect();
            assert_eq!(
                text.contains("secret-1"),
                carried,
                "{name} ({secret}): {text}"
            );
            assert_eq!(
                methods.contains(&"shutdown"),
                switched,
                "{name} ({secret}): {text}"
            );
        }
    }
}

/// The second lead's later updates never carry the first lead's hash (issue 16).
#[test]
fn email_only_leads_never_share_a_hash() {
    let mut p = Page::new(json!({"appId": "abc12345", "shutdownOnUserSwitch": false}));
    p.send(
        0.0,
        identify_as(None, Some("a@example.com"), Some("hash-a")),
    );
    p.send(10.0, identify_as(None, Some("b@example.com"), None));
    p.send(20.0, identify_as(None, Some("b@example.com"), None));
    let text = Value::Array(p.take()).to_json();
    assert_eq!(text.matches("hash-a").count(), 1, "{text}");
}

/// The quota spaces pings by the monotonic clock: setting the system clock back changes only
/// the pings' `last_request_at`, not when the next one may go.
#[test]
fn ping_spacing_follows_the_monotonic_clock() {
    use intercom_web_destination::Clock;
    let mut d = Destination::new(&json!({"appId": "abc12345"})).unwrap();
    let spacing_ms = 30.0 * 60.0 * 1000.0 / 10.0;
    let mut sent = 0;
    let identify = identify("u1", json!({"name": "Ada"}), None);
    d.process_event(&identify, Clock::at(T0));
    for i in 1..=20 {
        let monotonic_ms = T0 + f64::from(i) * (spacing_ms + 1.0);
        // the wall clock was set back two hours after the identify
        let clock = Clock {
            wall_ms: monotonic_ms - 2.0 * 3600.0 * 1000.0,
            monotonic_ms,
        };
        let out = d.process_event(&json!({"type": "page", "userId": "u1"}), clock);
        sent += out.calls.len();
        if let Some(IntercomCall::Update(u)) = out.calls.first() {
            let expected = ((clock.wall_ms) / 1000.0).floor() as i64;
            assert_eq!(u.get("last_request_at"), Some(&json!(expected)));
        }
    }
    // one per spacing: 10 per 30 minutes, half of the quota
    assert_eq!(sent, 20);
}
