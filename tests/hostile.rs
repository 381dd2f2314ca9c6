//! Hostile and odd input through the whole core: it must give the right calls or a clear
//! warning, never a panic, and the next normal event must still work.

use intercom_web_destination::engine::json::{Map, Value};
use intercom_web_destination::json;
use intercom_web_destination::{ActionKind, Destination, IntercomCall};

const NOW: f64 = 1_700_000_000_000.0;

fn run(d: &mut Destination, event: &Value) -> (Vec<Value>, Vec<String>) {
    let mut calls = Vec::new();
    let mut warnings = Vec::new();
    for action in d.actions() {
        let out = d.process(action, event, NOW);
        calls.extend(out.calls.iter().map(IntercomCall::to_args));
        warnings.extend(out.warnings.iter().map(|w| w.to_string()));
    }
    (calls, warnings)
}

fn still_works(d: &mut Destination) {
    let (calls, _) = run(
        d,
        &json!({"type": "track", "event": "Normal", "properties": {"a": 1}}),
    );
    assert_eq!(calls, vec![json!(["trackEvent", "Normal", {"a": 1}])]);
}

#[test]
fn huge_string_trait_is_dropped_with_a_warning() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let big = "x".repeat(5 * 1024 * 1024);
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "identify", "userId": "u", "traits": {"name": big, "email": "e@x.example"}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "u", "email": "e@x.example", "last_request_at": 1700000000}])
        ]
    );
    assert_eq!(warnings, vec!["name: dropped: a string longer than 64 KB"]);
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "track", "event": "x".repeat(70_000)}),
    );
    assert!(calls.is_empty());
    assert_eq!(
        warnings,
        vec!["event_name: no trackEvent: the event name is longer than 64 KB"]
    );
    still_works(&mut d);
}

#[test]
fn fifty_thousand_properties() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let props: Map<String, Value> = (0..50_000)
        .map(|i| {
            let v = if i % 2 == 0 {
                json!(i)
            } else {
                json!({"nested": i})
            };
            (format!("p{i}"), v)
        })
        .collect();
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "track", "event": "Many", "properties": props}),
    );
    let expected: Map<String, Value> = (0..10)
        .map(|i| (format!("p{}", i * 2), json!(i * 2)))
        .collect();
    assert_eq!(calls, vec![json!(["trackEvent", "Many", expected])]);
    assert_eq!(warnings.len(), 50, "capped");
    assert_eq!(warnings[49], "event: 24952 more warnings not shown");
    still_works(&mut d);
}

#[test]
fn wrong_shapes_everywhere() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let cases = [
        json!({"type": "identify", "userId": "u", "traits": "a string"}),
        json!({"type": "identify", "userId": ["u"], "traits": [1, 2]}),
        json!({"type": "identify", "userId": {"id": 1}, "traits": null, "integrations": "x", "context": 5}),
        json!({"type": "track", "event": "E", "properties": [1, 2, 3]}),
        json!({"type": "track", "event": ["E"], "properties": "p"}),
        json!({"type": "group", "groupId": {"x": 1}, "traits": []}),
        json!({"type": null, "event": null, "properties": null}),
        json!({"type": "page", "properties": {"revenue": {"amount": 1}}, "timestamp": "not a time"}),
    ];
    for event in cases {
        let _ = run(&mut d, &event);
        still_works(&mut d);
    }
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "identify", "userId": ["u"], "traits": {"name": "N"}}),
    );
    assert_eq!(calls, vec![json!(["update", {"name": "N"}])]);
    assert_eq!(
        warnings,
        vec!["user_id: dropped: must be a string, got an array"]
    );
}

#[test]
fn fifty_thousand_traits_flattened_with_clashes() {
    let mut d = Destination::new(
        &json!({"appId": "a", "nestedTraits": "flatten", "subscriptions": [
        {"partnerAction": "identifyUser", "subscribe": "type = \"identify\"",
         "mapping": {"user_id": {"@path": "$.userId"}, "custom_traits": {"@path": "$.traits"}}},
        {"partnerAction": "trackEvent", "subscribe": "type = \"track\""}]}),
    )
    .unwrap();
    // Every odd trait flattens to the name of the even one before it ("t0_x" after "t0": {"x"}).
    let traits: Map<String, Value> = (0..50_000)
        .map(|i| {
            if i % 2 == 0 {
                (format!("t{i}"), json!({"x": i}))
            } else {
                (format!("t{}_x", i - 1), json!(-i))
            }
        })
        .collect();
    let event = json!({"type": "identify", "userId": "u", "traits": traits});
    let (calls, warnings) = run(&mut d, &event);
    assert_eq!(calls.len(), 1);
    let update = calls[0][1].as_object().unwrap();
    // user_id, and each name once with the first value, as far as the clash search goes (the
    // first 1,000 custom attributes: 1,000 pairs); past it, both of a pair are sent.
    assert_eq!(update.len(), 1 + 1_000 + 48_000);
    assert_eq!(update.get("t0_x"), Some(&json!(0)));
    assert_eq!(update.get("t1998_x"), Some(&json!(1_998)));
    assert_eq!(warnings.len(), 50, "capped");
    still_works(&mut d);
}

#[test]
fn fifty_thousand_traits_twice() {
    let mut d = Destination::new(&json!({"appId": "a", "subscriptions": [
        {"partnerAction": "identifyUser", "subscribe": "type = \"identify\"",
         "mapping": {"user_id": {"@path": "$.userId"}, "custom_traits": {"@path": "$.traits"}}},
        {"partnerAction": "trackEvent", "subscribe": "type = \"track\""}]}))
    .unwrap();
    let traits: Map<String, Value> = (0..50_000).map(|i| (format!("t{i}"), json!(i))).collect();
    let event = json!({"type": "identify", "userId": "u", "traits": traits});
    let (calls, warnings) = run(&mut d, &event);
    assert_eq!(calls[0][1].as_object().unwrap().len(), 1 + 50_000);
    assert!(warnings.is_empty());
    // The session remembers the first 1,000 attributes only (each is searched for in a list):
    // the same update again is sent, not dropped as one that changes nothing.
    let (calls, _) = run(&mut d, &event);
    assert_eq!(calls.len(), 1);
    still_works(&mut d);
}

#[test]
fn prototype_keys_are_plain_data() {
    let subs = json!([{"partnerAction": "identifyUser", "subscribe": "type = \"identify\"", "mapping": {
        "user_id": {"@path": "$.userId"},
        "custom_traits": {"__proto__": {"@path": "$.traits.__proto__"}, "constructor": {"@path": "$.traits.constructor"}, "prototype": "p"}}}]);
    let mut d = Destination::new(&json!({"appId": "a", "subscriptions": subs})).unwrap();
    let (calls, _) = run(
        &mut d,
        &json!({"type": "identify", "userId": "u", "traits": {"__proto__": "polluted", "constructor": "c"}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["update", {"user_id": "u", "__proto__": "polluted", "constructor": "c", "prototype": "p"}])
        ]
    );
}

/// What reaches the core of a deep event: `js/boundary.js` has cut it at depth 64 (the
/// deeper values are null, see `tests/web_hostile.rs` case "deep").
#[test]
fn deep_values_as_the_browser_cuts_them() {
    let mut deep = Value::Null;
    for _ in 0..62 {
        let mut m = Map::new();
        m.insert("x".into(), deep);
        deep = Value::Object(m);
    }
    let mut event = json!({"type": "track", "event": "Deep", "properties": {"a": 1}});
    event["properties"]["b"] = deep;
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let (calls, run_warnings) = run(&mut d, &event);
    assert_eq!(calls, vec![json!(["trackEvent", "Deep", {"a": 1}])]);
    assert_eq!(
        run_warnings,
        vec!["event_metadata.b: dropped: Intercom metadata must be flat, got an object (list the key in richLinkProperties if it is a rich link)"]
    );
    still_works(&mut d);
}

#[test]
fn unicode_keys_and_values() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let (calls, _) = run(
        &mut d,
        &json!({"type": "track", "event": "Ünïcödé 🎉", "properties": {"ключ": "値", "\u{0}": "nul"}}),
    );
    assert_eq!(
        calls,
        vec![json!(["trackEvent", "Ünïcödé 🎉", {"ключ": "値", "\u{0}": "nul"}])]
    );
}

#[test]
fn numbers_at_the_edges() {
    let mut d = Destination::new(&json!({"appId": "a"})).unwrap();
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "track", "event": "Edge", "properties": {
        "revenue": 1e300, "max": 1.7976931348623157e308, "neg0": -0.0}}),
    );
    assert_eq!(
        calls,
        vec![
            json!(["trackEvent", "Edge", {"revenue": 1e300, "max": 1.7976931348623157e308, "neg0": -0.0}])
        ]
    );
    assert_eq!(
        warnings,
        vec!["revenue: no price: 1e+300 is out of range for a price"]
    );
    let (calls, warnings) = run(
        &mut d,
        &json!({"type": "identify", "userId": "u", "traits": {"name": "n", "createdAt": -1e300}}),
    );
    assert_eq!(
        calls,
        vec![json!(["update", {"user_id": "u", "name": "n"}])]
    );
    assert_eq!(
        warnings,
        vec!["created_at: dropped: -1e+300 is out of range for a date"]
    );
    let _ = ActionKind::ALL;
}
