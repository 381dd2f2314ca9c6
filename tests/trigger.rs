//! The trigger language: every operator and function, edge values, grouping and errors.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::engine::trigger::TriggerQuery;
use intercom_web_destination::json;

fn event() -> Value {
    json!({
        "type": "track",
        "event": "Order Completed",
        "userId": "u1",
        "properties": {
            "revenue": 120, "zero": 0, "neg": -1.5, "text": "5", "empty": "", "flag": true,
            "off": false, "nothing": null, "plan": "pro-annual", "nested": {"deep": {"x": "y"}},
            "list": [1, 2]
        },
        "context": {"page": {"url": "https://shop.example/admin/orders", "path": "/admin"}}
    })
}

fn check(query: &str, expected: bool) {
    let q = TriggerQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    assert_eq!(q.matches(&event()), expected, "{query}");
}

#[test]
fn string_equality() {
    check(r#"type = "track""#, true);
    check(r#"type = "identify""#, false);
    check(r#"type != "identify""#, true);
    check(r#"type != "track""#, false);
    check(r#"event = "Order Completed""#, true);
    check(r#"properties.missing != "a""#, true);
    check(r#"properties.missing = "a""#, false);
    // Strings never equal numbers, even numeric strings.
    check(r#"properties.revenue = "120""#, false);
    check(r#"properties.text = "5""#, true);
    check(r#"properties.empty = """#, true);
    check(r#"event = "order completed""#, false);
}

#[test]
fn numbers() {
    check("properties.revenue = 120", true);
    check("properties.revenue != 120", false);
    check("properties.revenue > 100", true);
    check("properties.revenue >= 120", true);
    check("properties.revenue < 120", false);
    check("properties.revenue <= 120", true);
    check("properties.neg < -1", true);
    check("properties.neg = -1.5", true);
    check("properties.zero = 0", true);
    check("properties.revenue > 1.2e2", false);
    // A numeric string is not a number.
    check("properties.text = 5", false);
    check("properties.text > 1", false);
    check("properties.text != 5", true);
    check("properties.missing > 0", false);
    check("properties.missing < 0", false);
    check("properties.nothing >= 0", false);
    check("properties.flag = 1", false);
}

#[test]
fn booleans_and_null() {
    check("properties.flag = true", true);
    check("properties.flag = false", false);
    check("properties.off = false", true);
    check("properties.off != true", true);
    check(r#"properties.text = true"#, false);
    check("properties.zero = false", false);
    check("properties.nothing = null", true);
    check("properties.missing = null", true);
    check("properties.zero = null", false);
    check("properties.empty != null", true);
    check("properties.off != null", true);
    check("properties.nothing != null", false);
    check("properties.missing != null", false);
    check("userId != null", true);
}

#[test]
fn functions() {
    check(r#"contains(event, "Completed")"#, true);
    check(r#"contains(event, "completed")"#, false);
    check(r#"contains(properties.revenue, "12")"#, false);
    check(r#"contains(properties.missing, "x")"#, false);
    check(r#"!contains(event, "Refund")"#, true);
    check(r#"!contains(properties.missing, "x")"#, true);
    check(r#"match(properties.plan, "pro*")"#, true);
    check(r#"match(properties.plan, "*annual")"#, true);
    check(r#"match(properties.plan, "*monthly")"#, false);
    check(r#"match(properties.plan, "*-*")"#, true);
    check(r#"match(properties.plan, "pro-annual")"#, true);
    check(r#"match(properties.plan, "pro")"#, false);
    check(r#"!match(properties.plan, "basic*")"#, true);
    check(r#"match(properties.zero, "0*")"#, false);
}

#[test]
fn paths() {
    check(r#"properties.nested.deep.x = "y""#, true);
    check(r#"properties.list[1] = 2"#, true);
    check(r#"context.page.path = "/admin""#, true);
    check(r#"properties.nested.deep.x.y = "y""#, false);
}

#[test]
fn logic_and_grouping() {
    check(r#"type = "identify" or type = "track""#, true);
    check(r#"type = "track" and event = "Order Completed""#, true);
    check(r#"type = "track" and event = "Other""#, false);
    // `and` binds tighter than `or`.
    check(r#"type = "track" or type = "x" and event = "nope""#, true);
    check(
        r#"(type = "track" or type = "x") and event = "nope""#,
        false,
    );
    check(
        r#"type = "track" and (event = "A" or event = "Order Completed") and !contains(context.page.url, "/admin")"#,
        false,
    );
    check(
        r#"type = "track" and (event = "A" or (event = "B" or (properties.revenue > 100 and ((properties.flag = true)))))"#,
        true,
    );
    check(r#"!(type = "track")"#, false);
}

#[test]
fn event_without_fields() {
    let q = TriggerQuery::parse(r#"type = "track""#).unwrap();
    assert!(!q.matches(&json!({})));
    assert!(!q.matches(&json!({"type": null})));
    assert!(!q.matches(&json!({"type": 1})));
}

#[test]
fn parse_errors_say_what_and_where() {
    let cases = [
        ("", "empty query"),
        ("type =", "unexpected end of query"),
        (r#"type = "track" and"#, "unexpected end of query"),
        (
            r#"type == "track""#,
            "unexpected token operator \"=\" at 6, expected a value",
        ),
        (r#"type = "track"#, "unterminated string at 7"),
        (r#"(type = "track""#, "unexpected end of query"),
        (r#"type = "track")"#, "unexpected token \")\" at 14"),
        (r#"type ~ "track""#, "unexpected character \"~\" at 5"),
        (
            r#"type > "a""#,
            "operator \">\" at 5 needs a number on its right",
        ),
        (r#"starts(type, "t")"#, "unknown function \"starts\" at 0"),
        (
            r#"contains(type, 1)"#,
            "unexpected token number 1 at 15, expected a string",
        ),
        (
            r#"type "track""#,
            "unexpected token string \"track\" at 5, expected an operator",
        ),
        (
            r#"type = track"#,
            "unexpected token \"track\" at 7, expected a value",
        ),
        (r#"and = "x""#, "unexpected token \"and\" at 0"),
        (r#"a..b = 1"#, "invalid path \"a..b\": empty key at 0"),
    ];
    for (query, message) in cases {
        assert_eq!(TriggerQuery::parse(query).unwrap_err(), message, "{query}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "{}type = \"track\"{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(
        TriggerQuery::parse(&deep).unwrap_err(),
        "query nested deeper than 64 levels"
    );
    let negations = format!("{}contains(type, \"t\")", "!".repeat(100));
    assert_eq!(
        TriggerQuery::parse(&negations).unwrap_err(),
        "query nested deeper than 64 levels"
    );
}

#[test]
fn possible_types_let_plugins_skip_other_events() {
    let t = |q: &str| TriggerQuery::parse(q).unwrap().possible_types();
    let v = |items: &[&str]| Some(items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(t(r#"type = "track""#), v(&["track"]));
    assert_eq!(
        t(r#"type = "identify" or type = "page""#),
        v(&["identify", "page"])
    );
    assert_eq!(t(r#"type = "track" and event = "A""#), v(&["track"]));
    assert_eq!(t(r#"(type = "a" or type = "b") and type = "b""#), v(&["b"]));
    assert_eq!(t(r#"$.type = "group""#), v(&["group"]));
    assert_eq!(t(r#"event = "A""#), None);
    assert_eq!(t(r#"type = "track" or event = "A""#), None);
    assert_eq!(t(r#"type != "track""#), None);
    assert_eq!(t(r#"!(type = "track")"#), None);
    assert_eq!(t(r#"context.type = "track""#), None);
}
