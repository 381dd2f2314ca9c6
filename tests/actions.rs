//! The three actions on the preset mappings: exact payloads, including every correction the
//! reference doc lists.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::json;
use intercom_web_destination::{ActionKind, Destination, IntercomCall};

const NOW_MS: f64 = 1_700_000_000_000.0;

/// Runs an event through every action, as the analytics.js plugins do, and returns the calls
/// as `Intercom(...)` argument arrays plus the warnings as text.
fn run_with(settings: Value, event: Value) -> (Vec<Value>, Vec<String>) {
    let mut d = Destination::new(&settings).unwrap();
    let mut calls = Vec::new();
    let mut warnings = Vec::new();
    for action in d.actions() {
        let out = d.process(action, &event, NOW_MS);
        calls.extend(out.calls.iter().map(IntercomCall::to_args));
        warnings.extend(out.warnings.iter().map(|w| w.to_string()));
    }
    (calls, warnings)
}

fn run(event: Value) -> (Vec<Value>, Vec<String>) {
    run_with(json!({"appId": "abc12345"}), event)
}

// ---- trackEvent ----

#[test]
fn track_with_revenue_gets_integer_cents() {
    let (calls, warnings) = run(json!({"type": "track", "event": "Order Completed",
        "properties": {"revenue": 19.99, "currency": "EUR", "order_id": "o1"}}));
    assert_eq!(
        calls,
        vec![
            json!(["trackEvent", "Order Completed", {"price": {"amount": 1999, "currency": "EUR"}, "order_id": "o1"}])
        ]
    );
    assert!(warnings.is_empty());
}

#[test]
fn track_revenue_numeric_string_and_default_currency() {
    let (calls, _) =
        run(json!({"type": "track", "event": "Paid", "properties": {"revenue": "12.50"}}));
    assert_eq!(
        calls,
        vec![json!(["trackEvent", "Paid", {"price": {"amount": 1250, "currency": "USD"}}])]
    );
}

#[test]
fn track_invalid_revenue_is_dropped_with_warning() {
    let (calls, warnings) =
        run(json!({"type": "track", "event": "Paid", "properties": {"revenue": "abc", "n": 1}}));
    assert_eq!(
        calls,
        vec![json!(["trackEvent", "Paid", {"revenue": "abc", "n": 1}])]
    );
    assert_eq!(warnings, vec!["revenue: no price: \"abc\" is not a number"]);
}

#[test]
fn track_zero_revenue_means_no_price() {
    let (calls, warnings) = run(
        json!({"type": "track", "event": "Free", "properties": {"revenue": 0, "currency": "USD"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["trackEvent", "Free", {"revenue": 0, "currency": "USD"}])]
    );
    assert!(warnings.is_empty());
}

#[test]
fn track_drops_nested_metadata_but_keeps_rich_links() {
    let (calls, warnings) = run_with(
        json!({"appId": "abc12345", "richLinkProperties": ["article"]}),
        json!({"type": "track", "event": "Read", "properties": {
            "tags": ["a"], "article": {"url": "https://x.example/a", "value": "A"}, "meta": {"a": 1}, "ok": true, "none": null}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["trackEvent", "Read", {"article": {"url": "https://x.example/a", "value": "A"}, "ok": true, "none": null}])
        ]
    );
    assert_eq!(
        warnings,
        vec![
            "event_metadata.tags: dropped: Intercom metadata must be flat, got an array (list the key in richLinkProperties if it is a rich link)",
            "event_metadata.meta: dropped: Intercom metadata must be flat, got an object (list the key in richLinkProperties if it is a rich link)",
        ]
    );
}

#[test]
fn track_keeps_ten_metadata_keys_price_and_rich_links_first() {
    let mut props = intercom_web_destination::engine::json::Map::new();
    for i in 0..12 {
        props.insert(format!("k{i}"), json!(i));
    }
    props.insert("link".into(), json!({"url": "u", "value": "v"}));
    props.insert("revenue".into(), json!(5));
    let (calls, warnings) = run_with(
        json!({"appId": "abc12345", "richLinkProperties": ["link"]}),
        json!({"type": "track", "event": "Big", "properties": props}),
    );
    let metadata = calls[0][2].as_object().unwrap();
    let keys: Vec<&str> = metadata.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec!["price", "link", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]
    );
    assert_eq!(metadata["price"], json!({"amount": 500, "currency": "USD"}));
    assert_eq!(
        warnings,
        vec!["event_metadata: Intercom keeps at most 10 metadata keys; not sent: k8, k9, k10, k11"]
    );
}

#[test]
fn track_without_name_sends_nothing() {
    let (calls, warnings) = run(json!({"type": "track", "properties": {}}));
    assert!(calls.is_empty());
    assert_eq!(
        warnings,
        vec!["event_name: no trackEvent: the event name is required"]
    );
    let (calls, warnings) = run(json!({"type": "track", "event": {"x": 1}}));
    assert!(calls.is_empty());
    assert_eq!(
        warnings,
        vec!["event_name: no trackEvent: the event name must be a string, got an object"]
    );
}

#[test]
fn track_without_properties() {
    let (calls, warnings) = run(json!({"type": "track", "event": "Ping"}));
    assert_eq!(calls, vec![json!(["trackEvent", "Ping", {}])]);
    assert!(warnings.is_empty());
}

// ---- identifyUser ----

#[test]
fn identify_full_user() {
    let (calls, warnings) = run(json!({
        "type": "identify", "userId": "u1", "timestamp": "2023-11-14T22:13:20.000Z",
        "traits": {"name": "Ada", "email": "ada@example.com", "phone": "+44 1", "createdAt": "2021-03-04T05:06:07Z",
            "avatar": "https://img.example/a.png",
            "company": {"id": "c1", "name": "Engines", "created_at": 1614834367123_i64, "plan": "pro", "size": 10,
                "website": "https://engines.example", "industry": "Computing", "monthly_spend": 99.5},
            "companies": [{"id": "c2", "name": "Two", "createdAt": "1614834367"}]},
        "integrations": {"Intercom": {"user_hash": "h4sh"}},
        "context": {"Intercom": {"hideDefaultLauncher": true}}
    }));
    assert_eq!(
        calls,
        vec![json!(["update", {
            "user_id": "u1", "email": "ada@example.com", "name": "Ada", "phone": "+44 1",
            "created_at": 1614834367, "avatar": {"type": "avatar", "image_url": "https://img.example/a.png"},
            "user_hash": "h4sh",
            "company": {"company_id": "c1", "name": "Engines", "plan": "pro", "website": "https://engines.example",
                "industry": "Computing", "created_at": 1614834367, "size": 10, "monthly_spend": 99.5},
            "companies": [{"company_id": "c2", "name": "Two", "created_at": 1614834367}],
            "hide_default_launcher": true
        }])]
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn page_runs_identify_user_too() {
    let (calls, _) = run(json!({"type": "page", "userId": "u1", "name": "Home",
        "integrations": {"Intercom": {"intercomUserJwt": "jwt.value"}}, "timestamp": "2023-11-14T22:13:20Z"}));
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "u1", "intercom_user_jwt": "jwt.value", "last_request_at": 1700000000}])
        ]
    );
}

#[test]
fn identity_only_update_gets_last_request_at() {
    let (calls, _) = run(
        json!({"type": "identify", "userId": "123", "traits": {"email": "e@example.com"},
        "integrations": {"Intercom": {"user_hash": "81b6"}}, "timestamp": "2023-11-14T22:13:20.000Z"}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "123", "email": "e@example.com", "user_hash": "81b6", "last_request_at": 1700000000}])
        ]
    );
    // Without a timestamp, now is used.
    let (calls, _) = run(json!({"type": "identify", "userId": "123"}));
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "123", "last_request_at": 1700000000}])]
    );
    // With a real trait, no ping is added.
    let (calls, _) = run(json!({"type": "identify", "userId": "123", "traits": {"name": "N"}}));
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "123", "name": "N"}])]
    );
    // ensurePing off gives the reference behaviour.
    let (calls, _) = run_with(
        json!({"appId": "a", "ensurePing": false}),
        json!({"type": "identify", "userId": "123"}),
    );
    assert_eq!(calls, vec![json!(["update", {"user_id": "123"}])]);
}

#[test]
fn created_at_numeric_string_and_invalid() {
    let (calls, _) = run(
        json!({"type": "identify", "userId": "u", "traits": {"created_at": "1614834367", "name": "x"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "x", "created_at": 1614834367}])]
    );
    let (calls, warnings) = run(
        json!({"type": "identify", "userId": "u", "traits": {"createdAt": "not a date", "name": "x"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "x"}])]
    );
    assert_eq!(
        warnings,
        vec!["created_at: dropped: \"not a date\" is not a date (expected ISO-8601 or unix time)"]
    );
}

#[test]
fn null_or_false_company_sends_no_company() {
    for company in [json!(null), json!(false)] {
        let (calls, warnings) = run(
            json!({"type": "identify", "userId": "u", "traits": {"name": "x", "company": company}}),
        );
        assert_eq!(
            calls,
            vec![json!(["update", {"user_id": "u", "name": "x"}])]
        );
        assert!(warnings.is_empty());
    }
}

#[test]
fn companies_keep_only_valid_objects() {
    let (calls, warnings) = run(json!({"type": "identify", "userId": "u",
        "traits": {"companies": ["str", null, {"id": "c1", "name": "One"}, {"name": "no id"}]}}));
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "u", "companies": [{"company_id": "c1", "name": "One"}]}])
        ]
    );
    // The preset's @arrayPath reads "str" and null as Segment does (a company of undefined
    // and of null fields): no attributes, left out silently.
    assert_eq!(
        warnings,
        vec!["companies[3].company_id: company dropped: it has no company_id, which Intercom requires"]
    );
}

#[test]
fn integrations_intercom_false_gives_no_hash() {
    let (calls, warnings) = run(
        json!({"type": "identify", "userId": "u", "traits": {"name": "n"},
        "integrations": {"Intercom": false}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n"}])]
    );
    assert!(warnings.is_empty());
    let (calls, warnings) = run(
        json!({"type": "identify", "userId": "u", "traits": {"name": "n"},
        "integrations": {"Intercom": {"user_hash": 12345, "intercom_user_jwt": true}}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n"}])]
    );
    assert_eq!(
        warnings,
        vec![
            "user_hash: dropped: must be a non-empty string, got a number",
            "intercom_user_jwt: dropped: must be a non-empty string, got a boolean",
        ]
    );
}

#[test]
fn context_intercom_user_hash_is_accepted_after_integrations() {
    let (calls, _) = run(
        json!({"type": "identify", "userId": "u", "traits": {"name": "n"},
        "context": {"Intercom": {"user_hash": "ctx"}}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n", "user_hash": "ctx"}])]
    );
    let (calls, _) = run(
        json!({"type": "identify", "userId": "u", "traits": {"name": "n"},
        "integrations": {"Intercom": {"user_hash": "int"}}, "context": {"Intercom": {"user_hash": "ctx"}}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n", "user_hash": "int"}])]
    );
}

#[test]
fn widget_only_with_custom_activator() {
    let (calls, _) = run_with(
        json!({"appId": "a", "activator": "#chat"}),
        json!({"type": "identify", "userId": "u", "traits": {"name": "n"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n", "widget": {"activator": "#chat"}}])]
    );
}

#[test]
fn custom_traits_are_flat_and_do_not_override() {
    let subs = json!([{"partnerAction": "identifyUser", "subscribe": "type = \"identify\"", "mapping": {
        "user_id": {"@path": "$.userId"}, "email": {"@path": "$.traits.email"},
        "custom_traits": {"@path": "$.traits"}}}]);
    let (calls, warnings) = run_with(
        json!({"appId": "a", "subscriptions": subs}),
        json!({"type": "identify", "userId": "u", "traits": {"email": "e@x.example", "plan": "pro", "seats": 3,
            "address": {"city": "Paris"}, "user_id": "other"}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "u", "email": "e@x.example", "plan": "pro", "seats": 3}])
        ]
    );
    assert_eq!(
        warnings,
        vec![
            "custom_traits.address: dropped: Intercom custom attributes must be flat, got an object (see the nestedTraits setting)",
            "custom_traits.user_id: dropped: conflicts with the standard attribute \"user_id\"",
        ]
    );
}

#[test]
fn anonymous_page_is_a_ping() {
    let (calls, warnings) = run(
        json!({"type": "page", "anonymousId": "anon", "userId": null,
        "properties": {"path": "/"}, "timestamp": "2023-11-14T22:13:20Z"}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"last_request_at": 1700000000}])]
    );
    assert!(warnings.is_empty());
}

// ---- identifyCompany ----

#[test]
fn group_updates_company() {
    let (calls, warnings) = run(json!({"type": "group", "groupId": "g1", "userId": "u1",
        "traits": {"name": "Acme", "plan": "enterprise", "size": "250", "website": "https://acme.example",
            "industry": "Anvils", "monthly_spend": 1000, "createdAt": "2021-03-04T05:06:07+00:00"}}));
    assert_eq!(
        calls,
        vec![
            json!(["update", {"company": {"company_id": "g1", "name": "Acme", "plan": "enterprise",
            "website": "https://acme.example", "industry": "Anvils", "created_at": 1614834367, "size": 250, "monthly_spend": 1000}}])
        ]
    );
    assert!(warnings.is_empty());
}

#[test]
fn group_without_id_sends_nothing() {
    let (calls, warnings) = run(json!({"type": "group", "traits": {"name": "Acme"}}));
    assert!(calls.is_empty());
    assert_eq!(
        warnings,
        vec![
            "company.company_id: company dropped: it has no company_id, which Intercom requires",
            "company: no update: a company with a company_id (the group id) is required",
        ]
    );
}

#[test]
fn group_with_custom_traits_and_widget() {
    let subs = json!([{"partnerAction": "identifyCompany", "subscribe": "type = \"group\"", "mapping": {
        "company": {"company_id": {"@path": "$.groupId"}, "name": {"@path": "$.traits.name"}},
        "company_custom_traits": {"@path": "$.traits.custom"},
        "hide_default_launcher": {"@literal": false}}}]);
    let (calls, warnings) = run_with(
        json!({"appId": "a", "activator": "#c", "subscriptions": subs}),
        json!({"type": "group", "groupId": 42, "traits": {"name": "Acme", "custom": {"tier": "gold", "bad": [1]}}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["update", {"company": {"company_id": "42", "name": "Acme", "tier": "gold"},
            "widget": {"activator": "#c"}, "hide_default_launcher": false}])
        ]
    );
    assert_eq!(warnings, vec!["company_custom_traits.bad: dropped: Intercom custom attributes must be flat, got an array (see the nestedTraits setting)"]);
}

// ---- routing ----

#[test]
fn presets_route_by_type() {
    assert!(
        run(json!({"type": "alias", "userId": "u", "previousId": "p"}))
            .0
            .is_empty()
    );
    assert!(run(json!({"type": "screen", "name": "x"})).0.is_empty());
    assert_eq!(
        run(json!({"type": "identify", "userId": "u", "traits": {"name": "n"}}))
            .0
            .len(),
        1
    );
}

#[test]
fn one_event_can_run_an_action_twice() {
    let subs = json!([
        {"partnerAction": "trackEvent", "subscribe": "type = \"track\"", "mapping": {"event_name": {"@path": "$.event"}}},
        {"partnerAction": "trackEvent", "subscribe": "event = \"Signed Up\"", "mapping": {
            "event_name": {"@template": "{{event}} ({{properties.plan}})"}, "event_metadata": {"plan": {"@path": "$.properties.plan"}}}}
    ]);
    let (calls, _) = run_with(
        json!({"appId": "a", "subscriptions": subs}),
        json!({"type": "track", "event": "Signed Up", "properties": {"plan": "pro"}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["trackEvent", "Signed Up", {}]),
            json!(["trackEvent", "Signed Up (pro)", {"plan": "pro"}])
        ]
    );
}

#[test]
fn non_object_event_is_a_warning() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let out = d.process(ActionKind::TrackEvent, &json!("track"), NOW_MS);
    assert!(out.calls.is_empty());
    assert_eq!(
        out.warnings[0].to_string(),
        "event: ignored: must be an object, got a string"
    );
}

#[test]
fn boot_call_per_region() {
    let boot = |s: Value| Destination::new(&s).unwrap().boot_call().to_args();
    assert_eq!(
        boot(json!({"appId": "abc12345"})),
        json!(["boot", {"app_id": "abc12345", "installation_type": "s", "api_base": "https://api-iam.intercom.io"}])
    );
    assert_eq!(
        boot(json!({"appId": "abc12345", "apiBase": "eu", "activator": "#chat"})),
        json!(["boot", {"app_id": "abc12345", "installation_type": "s", "api_base": "https://api-iam.eu.intercom.io", "custom_launcher_selector": "#chat"}])
    );
    assert_eq!(
        boot(json!({"appId": "abc12345", "apiBase": "https://api-iam.au.intercom.io"}))[1]
            ["api_base"],
        json!("https://api-iam.au.intercom.io")
    );
}

#[test]
fn integrations_switches_skip_this_destination() {
    let event =
        |integrations: Value| json!({"type": "track", "event": "E", "integrations": integrations});
    for off in [
        json!({"Intercom Web (Actions)": false}),
        json!({"All": false}),
        json!({"All": false, "Intercom": {"user_hash": "h"}}),
    ] {
        assert!(run(event(off.clone())).0.is_empty(), "{}", off.to_json());
    }
    for on in [
        json!({}),
        json!({"All": false, "Intercom Web (Actions)": true}),
        json!({"All": false, "Intercom Web (Actions)": {}}),
        json!({"Segment.io": false}),
        json!({"All": true}),
    ] {
        assert_eq!(run(event(on.clone())).0.len(), 1, "{}", on.to_json());
    }
}

/// Renders a read set as `key{child,...}` (`*` = everything below), for compact assertions.
fn render(r: &intercom_web_destination::engine::reads::ReadSet) -> String {
    use intercom_web_destination::engine::reads::ReadSet;
    match r {
        ReadSet::Nothing => "-".into(),
        ReadSet::All => "*".into(),
        ReadSet::Keys(keys) => {
            let inner: Vec<String> = keys
                .iter()
                .map(|(k, v)| format!("{k}:{}", render(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
    }
}

#[test]
fn presets_read_only_what_they_map() {
    let d = Destination::new(&json!({"appId": "a"})).unwrap();
    assert_eq!(
        render(&d.reads(ActionKind::TrackEvent)),
        "{type:*,event:*,properties:*,timestamp:*,integrations:{All:*,Intercom Web (Actions):*}}"
    );
    assert_eq!(
        render(&d.reads(ActionKind::IdentifyCompany)),
        "{type:*,groupId:*,traits:{name:*,createdAt:*,created_at:*,plan:*,size:*,website:*,industry:*,monthly_spend:*},context:{Intercom:{hideDefaultLauncher:*,hide_default_launcher:*}},timestamp:*,integrations:{All:*,Intercom Web (Actions):*}}"
    );
    let user = render(&d.reads(ActionKind::IdentifyUser));
    assert!(user.starts_with("{type:*,userId:*,traits:{name:*,firstName:*,lastName:*,phone:*,email:*,createdAt:*,created_at:*,avatar:*,company:*,companies:*},integrations:{Intercom:{user_hash:*,userHash:*,intercom_user_jwt:*,intercomUserJwt:*},All:*,Intercom Web (Actions):*},context:{Intercom:{"), "{user}");
}

#[test]
fn group_name_is_never_built_from_first_and_last_name() {
    let (calls, _) = run(
        json!({"type": "group", "groupId": "g1", "traits": {"firstName": "Ada", "lastName": "L"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"company": {"company_id": "g1"}}])]
    );
}

#[test]
fn call_json_text_matches_the_argument_array() {
    let calls = [
        IntercomCall::Shutdown,
        Destination::new(&json!({"appId": "abc12345"}))
            .unwrap()
            .boot_call(),
        IntercomCall::TrackEvent {
            name: "Q\"uote".into(),
            metadata: json!({"a": [1, "x"], "b": null})
                .as_object()
                .unwrap()
                .clone(),
        },
    ];
    for call in calls {
        let parsed: Value = intercom_web_destination::engine::json::parse(&call.to_json()).unwrap();
        assert_eq!(parsed, call.to_args());
    }
}

#[test]
fn null_rich_link_is_kept_like_any_null_property() {
    let (calls, warnings) = run_with(
        json!({"appId": "abc12345", "richLinkProperties": ["article"]}),
        json!({"type": "track", "event": "A", "properties": {"article": null, "note": null, "title": "t"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["trackEvent", "A", {"article": null, "note": null, "title": "t"}])]
    );
    assert!(warnings.is_empty());
}

// ---- empty values: one rule for every standard attribute ----

/// Every field of identifyUser and identifyCompany, mapped from a trait of the same name, gets
/// each empty value: it is left out, without a warning; `false` stays for the boolean fields.
#[test]
fn empty_values_are_left_out_field_by_field() {
    let mapping = |fields: &[&str], company: bool| {
        let mut m = json!({});
        for f in fields {
            m[*f] = json!({ "@path": format!("$.traits.{f}") });
        }
        if company {
            json!({"company": m, "hide_default_launcher": {"@path": "$.traits.hide_default_launcher"}})
        } else {
            m
        }
    };
    let user_fields = [
        "user_id",
        "name",
        "phone",
        "email",
        "created_at",
        "avatar_image_url",
        "user_hash",
        "intercom_user_jwt",
        "language_override",
    ];
    let company_fields = [
        "company_id",
        "name",
        "plan",
        "size",
        "website",
        "industry",
        "monthly_spend",
        "created_at",
    ];
    let settings = |subs: Value| {
        json!({"appId": "abc12345", "ensurePing": false, "updateQuota": false,
        "rememberIdentity": false, "subscriptions": subs})
    };
    let user = settings(
        json!([{"partnerAction": "identifyUser", "enabled": true, "subscribe": "type = \"identify\"",
        "mapping": mapping(&user_fields, false)}]),
    );
    let company = settings(
        json!([{"partnerAction": "identifyCompany", "enabled": true, "subscribe": "type = \"group\"",
        "mapping": mapping(&company_fields, true)}]),
    );
    // The calls of one event, and that it gave no warning.
    let quietly = |settings: &Value, event: Value, what: &str| {
        let (calls, warnings) = run_with(settings.clone(), event);
        assert_eq!(warnings, Vec::<String>::new(), "{what}");
        calls
    };
    for empty in [json!(null), json!(false), json!(""), json!("  \t")] {
        for field in user_fields {
            let mut traits = json!({"email": "e@example.com"});
            traits[field] = empty.clone();
            let what = format!("{field}: {}", empty.to_json());
            let calls = quietly(&user, json!({"type": "identify", "traits": traits}), &what);
            // An update of nothing at all (the email emptied) is no call worth comparing.
            let calls: Vec<Value> = calls
                .into_iter()
                .filter(|c| c != &json!(["update", {}]))
                .collect();
            let expected = match field {
                "email" => vec![],
                _ => vec![json!(["update", {"email": "e@example.com"}])],
            };
            assert_eq!(calls, expected, "{what}");
        }
        for field in company_fields.iter().filter(|f| **f != "company_id") {
            let mut traits = json!({"company_id": "c1"});
            traits[*field] = empty.clone();
            let what = format!("{field}: {}", empty.to_json());
            let calls = quietly(&company, json!({"type": "group", "traits": traits}), &what);
            assert_eq!(
                calls,
                vec![json!(["update", {"company": {"company_id": "c1"}}])],
                "{what}"
            );
        }
        // identifyCompany without a company_id makes no call: that is said.
        let (calls, warnings) = run_with(
            company.clone(),
            json!({"type": "group", "traits": {"company_id": empty.clone()}}),
        );
        assert_eq!(
            (calls, warnings),
            (
                vec![],
                vec![
                    "company: no update: a company with a company_id (the group id) is required"
                        .to_string()
                ]
            ),
            "company_id: {}",
            empty.to_json()
        );
    }
    // `false` is a value of the boolean attributes.
    let (calls, _) = run_with(
        company,
        json!({"type": "group", "traits": {"company_id": "c1", "hide_default_launcher": false}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"company": {"company_id": "c1"}, "hide_default_launcher": false}])]
    );
    // companies: [] and company: {} are empty too.
    let (calls, warnings) =
        run(json!({"type": "identify", "userId": "u", "traits": {"companies": [], "company": {}}}));
    assert_eq!(
        (calls, warnings),
        (
            vec![json!(["update", {"user_id": "u", "last_request_at": 1_700_000_000}])],
            vec![]
        )
    );
}
