//! Subscriptions as Segment's runtime takes them: which ones run, what is reported at set-up
//! (with the subscription, the text and the position), and what a mapping that throws does.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::json;
use intercom_web_destination::{ActionKind, Destination};

fn destination(subs: Value) -> Destination {
    Destination::new(
        &json!({"appId": "a", "subscriptions": subs, "ensurePing": false,
        "rememberIdentity": false, "updateQuota": false}),
    )
    .unwrap()
}

fn warnings(d: &Destination) -> Vec<String> {
    d.setup_warnings().iter().map(|w| w.to_string()).collect()
}

/// The Intercom calls of one event, as JSON.
fn calls(d: &mut Destination, event: Value) -> Vec<Value> {
    d.process_event(
        &event,
        intercom_web_destination::intercom::destination::Clock::at(1.0e12),
    )
    .calls
    .iter()
    .map(|c| intercom_web_destination::engine::json::parse(&c.to_json()).unwrap())
    .collect()
}

#[test]
fn subscriptions_as_json_string() {
    let subs = json!([{"partnerAction": "trackEvent", "name": "Orders", "enabled": true,
        "subscribe": "type = \"track\" and event = \"Order Completed\"",
        "mapping": {"event_name": {"@path": "$.event"}}}]);
    let d = Destination::new(&json!({"appId": "a", "subscriptions": subs.to_json()})).unwrap();
    assert_eq!(d.actions(), vec![ActionKind::TrackEvent]);
    assert_eq!(d.subscriptions()[0].name, "Orders");
    assert_eq!(d.setup_warnings(), &[]);
}

#[test]
fn invalid_subscriptions_are_reported_and_never_match() {
    let subs = json!([
        {"partnerAction": "trackEvent", "subscribe": "type = \"track\"", "enabled": true, "mapping": {}},
        {"partnerAction": "identifyUser", "subscribe": "type = \"identify\"", "enabled": false},
        {"partnerAction": "identifyUser", "subscribe": "type ~ \"identify\"", "enabled": true},
        {"partnerAction": "sendEmail", "subscribe": "type = \"track\"", "enabled": true},
        {"subscribe": "type = \"track\"", "enabled": true},
        {"partnerAction": "trackEvent", "enabled": true},
        {"partnerAction": "trackEvent", "subscribe": 1, "enabled": true},
        {"partnerAction": "trackEvent", "subscribe": "type = \"track\"", "enabled": true, "mapping": {"event_name": {"@path": "$.e", "x": 1}}},
        {"partnerAction": "identifyCompany", "subscribe": "type = \"group\"", "enabled": true, "mapping": {"company": {"@path": "$.traits"}, "colour": "red"}},
        "not an object",
    ]);
    let d = destination(subs);
    assert_eq!(
        warnings(&d),
        vec![
            "subscriptions[2]: subscribe: invalid character \"~\" at 5 (Segment's runtime rejects it too); subscription ignored",
            "subscriptions[3]: partnerAction: unknown action \"sendEmail\" (expected trackEvent, identifyUser or identifyCompany); subscription ignored",
            "subscriptions[4]: partnerAction: is required; subscription ignored",
            "subscriptions[5]: subscribe: is required; subscription ignored",
            "subscriptions[6]: subscribe: must be a string, got a number; subscription ignored",
            "subscriptions[7]: mapping.event_name: directive @path cannot be mixed with other keys; subscription ignored",
            "subscriptions[8].mapping.colour: ignored: not a field of identifyCompany (fields: company, hide_default_launcher, company_custom_traits)",
            "subscriptions[9]: must be an object, got a string; subscription ignored",
        ]
    );
    assert_eq!(
        d.actions(),
        vec![ActionKind::TrackEvent, ActionKind::IdentifyCompany]
    );
    assert_eq!(d.subscriptions().len(), 2);
}

#[test]
fn segment_upstream_subscription_runs_with_a_warning() {
    // The subscription of Segment's own Intercom tests.
    let d = destination(
        json!([{"partnerAction": "identifyUser", "name": "Identify User", "enabled": true,
        "subscribe": "type = \"identify\" or \"page\"", "mapping": {"user_id": {"@path": "$.userId"}}}]),
    );
    assert_eq!(
        warnings(&d),
        vec!["subscriptions[0].subscribe: \"Identify User\": \"page\" at 21: ignored (Segment's runtime ignores it too), in the trigger \"type = \\\"identify\\\" or \\\"page\\\"\""]
    );
    let mut d = d;
    assert_eq!(
        calls(&mut d, json!({"type": "identify", "userId": "u1"})),
        vec![json!(["update", {"user_id": "u1"}])]
    );
    assert_eq!(
        calls(&mut d, json!({"type": "page", "userId": "u1"})),
        Vec::<Value>::new()
    );
}

#[test]
fn deliberate_differences_are_warned_once_at_set_up() {
    let d = destination(
        json!([{"partnerAction": "trackEvent", "name": "Admin", "enabled": true,
        "subscribe": "type = \"track\" and !(contains(context.page.url, \"/admin\") or event = \"x\")",
        "mapping": {"event_name": {"@path": "$.event"}}}]),
    );
    let trigger = "in the trigger \"type = \\\"track\\\" and !(contains(context.page.url, \\\"/admin\\\") or event = \\\"x\\\")\"";
    assert_eq!(
        warnings(&d),
        vec![
            format!("subscriptions[0].subscribe: \"Admin\": \"!\" at 19: negates what follows here; Segment's runtime ignores this \"!\", {trigger}"),
            format!("subscriptions[0].subscribe: \"Admin\": \"(\" at 20: this group ends at its own \")\" here; Segment's runtime ends it at the \")\" of the function call in it and reads the rest as outside the group, {trigger}"),
        ]
    );
    let mut d = d;
    let page = |url: &str, event: &str| json!({"type": "track", "event": event, "context": {"page": {"url": url}}});
    assert_eq!(
        calls(&mut d, page("https://a.example/admin/x", "E")).len(),
        0
    );
    assert_eq!(calls(&mut d, page("https://a.example/shop", "E")).len(), 1);
    assert_eq!(calls(&mut d, page("https://a.example/shop", "x")).len(), 0);
}

#[test]
fn enabled_as_segment_reads_it() {
    let sub = |enabled: Option<Value>| {
        let mut s = json!({"partnerAction": "trackEvent", "subscribe": "type = \"track\"",
            "mapping": {"event_name": {"@path": "$.event"}}});
        if let Some(e) = enabled {
            s["enabled"] = e;
        }
        destination(json!([s]))
    };
    // Truthy runs, falsy does not.
    for on in [json!(true), json!("yes"), json!(1)] {
        assert_eq!(
            sub(Some(on.clone())).subscriptions().len(),
            1,
            "{}",
            on.to_json()
        );
    }
    for off in [json!(false), json!(0), json!(""), json!(null)] {
        assert_eq!(
            sub(Some(off.clone())).subscriptions().len(),
            0,
            "{}",
            off.to_json()
        );
    }
    // Without `enabled` it runs here, with a warning (Segment's runtime skips it).
    let d = sub(None);
    assert_eq!(d.subscriptions().len(), 1);
    assert_eq!(
        warnings(&d),
        vec!["subscriptions[0].enabled: missing: the subscription runs (Segment's runtime runs only those with enabled: true)"]
    );
}

#[test]
fn mappings_as_segment_takes_them() {
    // `_metadata` beside a directive, as Segment's app saves it.
    let mut d = destination(
        json!([{"partnerAction": "trackEvent", "enabled": true, "subscribe": "type = \"track\"",
        "mapping": {"event_name": {"@path": "$.event", "_metadata": {"label": "Event"}}, "_metadata": {"v": 1}}}]),
    );
    assert_eq!(d.setup_warnings(), &[]);
    assert_eq!(
        calls(&mut d, json!({"type": "track", "event": "E"})),
        vec![json!(["trackEvent", "E", {}])]
    );
    // Without a mapping: the action's default one, with a warning.
    let d = destination(
        json!([{"partnerAction": "trackEvent", "enabled": true, "subscribe": "type = \"track\""}]),
    );
    assert_eq!(
        warnings(&d),
        vec!["subscriptions[0].mapping: missing: the action's default mapping is used (Segment's runtime maps nothing)"]
    );
    // A mapping that is not an object maps nothing.
    let mut d = destination(
        json!([{"partnerAction": "trackEvent", "enabled": true, "subscribe": "type = \"track\"", "mapping": []}]),
    );
    assert_eq!(d.setup_warnings(), &[]);
    assert_eq!(
        calls(&mut d, json!({"type": "track", "event": "E"})),
        Vec::<Value>::new()
    );
    // @liquid is named where it is.
    let d = destination(
        json!([{"partnerAction": "trackEvent", "enabled": true, "subscribe": "type = \"track\"",
        "mapping": {"event_name": {"@liquid": "{{ event }}"}}}]),
    );
    assert_eq!(
        warnings(&d),
        vec!["subscriptions[0].mapping.event_name.@liquid: @liquid is not supported: the field is left out"]
    );
}

#[test]
fn a_mapping_that_throws_skips_the_event_with_a_warning() {
    let mut d = destination(json!([
        {"partnerAction": "trackEvent", "name": "Merged", "enabled": true, "subscribe": "type = \"track\"",
         "mapping": {"event_name": {"@path": "$.event"}, "event_metadata": {"@merge": {"objects": [{"@path": "$.properties"}]}}}},
        {"partnerAction": "trackEvent", "name": "Plain", "enabled": true, "subscribe": "type = \"track\"",
         "mapping": {"event_name": {"@path": "$.event"}}}
    ]));
    let outcome = d.process_event(
        &json!({"type": "track", "event": "E", "properties": {"a": 1}}),
        intercom_web_destination::intercom::destination::Clock::at(1.0e12),
    );
    assert_eq!(outcome.calls.len(), 1);
    assert_eq!(
        outcome.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        vec!["subscription Merged: ignored for this event: its mapping throws in Segment's runtime too: @merge requires a \"direction\" key"]
    );
}
