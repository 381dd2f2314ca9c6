//! The trigger language with the meaning Segment's runtime gives it: what it accepts (the sloppy
//! forms too), what it rejects, how it evaluates, the notes, and the deliberate differences.
//! Segment's own parser and validator tests run as data in tests/upstream.rs; the generated
//! comparison with Segment's package is tests/e2e/differential.test.mjs.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::engine::trigger::{
    NoteKind, TriggerErrorKind, TriggerNote, TriggerQuery,
};
use intercom_web_destination::json;

fn event() -> Value {
    json!({
        "type": "track",
        "event": "Order Completed",
        "name": "Home",
        "userId": "u1",
        "properties": {
            "revenue": 120, "zero": 0, "neg": -1.5, "text": "5", "empty": "", "flag": true,
            "off": false, "nothing": null, "plan": "pro-annual", "nested": {"deep": {"x": "y"}},
            "list": [1, 2], "my key": "spaced", "$plan": "pro", "items": [{"sku": "a1"}],
            "word": "false"
        },
        "traits": {"$plan": "pro", "vip": true},
        "context": {"page": {"url": "https://shop.example/admin/orders", "path": "/admin"}}
    })
}

fn check(query: &str, expected: bool) {
    let q = TriggerQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {}", e.message()));
    assert_eq!(q.matches(&event()), expected, "{query}");
}

fn notes(query: &str) -> Vec<(usize, NoteKind)> {
    let mut notes = Vec::new();
    TriggerQuery::parse_noted(query, &mut notes)
        .unwrap_or_else(|e| panic!("{query}: {}", e.message()));
    notes.iter().map(|n: &TriggerNote| (n.at, n.kind)).collect()
}

#[test]
fn strings_compare_as_strings() {
    check(r#"type = "track""#, true);
    check(r#"type != "identify""#, true);
    check(r#"type != "track""#, false);
    check(r#"event = "Order Completed""#, true);
    check(r#"name = "Home""#, true);
    check(r#"properties.missing != "a""#, true);
    check(r#"properties.missing = "a""#, false);
    check(r#"properties.revenue = "120""#, false);
    check(r#"properties.text = "5""#, true);
    check(r#"properties.empty = """#, true);
    // A string with a backslash is that text (no escapes in values).
    check(r#"properties.text = "5\""#, false);
}

#[test]
fn numbers_compare_typed_for_fields_and_as_text_for_the_top_level() {
    check("properties.revenue = 120", true);
    check("properties.revenue != 120", false);
    check("properties.revenue > 100", true);
    check("properties.revenue <= 120", true);
    check("properties.neg < -1", true);
    check("properties.neg = -1.5", true);
    check("properties.zero = 0", true);
    // A numeric string is not a number.
    check("properties.text = 5", false);
    check("properties.text > 1", false);
    // `!= 5` needs a number (a missing field is not one).
    check("properties.text != 5", false);
    check("properties.missing != 5", false);
    // A quoted number on the right of `<` is read as the number.
    check(r#"properties.revenue > "100""#, true);
    // type, event, name and userId compare as text: `userId = 5` matches "5".
    check("event = 5", false);
    let q = TriggerQuery::parse("userId = 1.50").unwrap();
    assert!(q.matches(&json!({"userId": "1.5"})));
    assert!(!q.matches(&json!({"userId": 1.5})));
}

#[test]
fn booleans_null_and_exists() {
    check("properties.flag = true", true);
    check("properties.off = false", true);
    check("properties.word = false", false);
    check("traits.vip = true", true);
    check("properties.nothing = null", true);
    check("properties.missing = null", true);
    check("properties.zero = null", false);
    check("properties.empty != null", true);
    check("properties.nothing != null", false);
    check("userId != null", true);
    check("name = null", false);
    // `exists` as an operator, as Segment's AST names it.
    check("properties.plan exists", true);
    check("properties.missing exists", false);
    check("properties.missing not_exists", true);
}

#[test]
fn functions_need_a_string_field() {
    check(r#"contains(event, "Completed")"#, true);
    check(r#"contains(properties.revenue, "12")"#, false);
    check(r#"!contains(event, "Refund")"#, true);
    // Negated functions are false on a missing or non-string field, as in Segment.
    check(r#"!contains(properties.missing, "x")"#, false);
    check(r#"!contains(properties.revenue, "x")"#, false);
    check(r#"!match(properties.missing, "x*")"#, false);
    check(r#"match(properties.plan, "pro*")"#, true);
    check(r#"match(properties.plan, "*annual")"#, true);
    check(r#"match(properties.plan, "*monthly")"#, false);
    check(r#"!match(properties.plan, "basic*")"#, true);
    check(r#"match(properties.zero, "0*")"#, false);
    check(r#"match(properties.plan, "*")"#, true);
}

#[test]
fn field_paths_as_segment_reads_them() {
    check(r#"properties.nested.deep.x = "y""#, true);
    check(r#"context.page.path = "/admin""#, true);
    // Escaped characters, as Segment's app writes names with spaces and symbols.
    check(r#"properties.my\ key = "spaced""#, true);
    check(r#"properties.my\ key != null"#, true);
    check(r#"traits.\$plan = "pro""#, true);
    check(r#"properties.items\[0\].sku = "a1""#, true);
    // JavaScript's reads: `.length` of a string, through a falsy value, inherited members.
    check("properties.plan.length = 10", true);
    check("properties.zero.x = 0", true);
    check("properties.constructor != null", true);
    // `type.anything` is the type.
    check(r#"type.x = "track""#, true);
}

#[test]
fn sloppy_forms_that_segment_accepts() {
    // Unquoted values are text.
    check("type = track", true);
    check("event = Order", false);
    // `==`: the value is the second "=", and "track" is skipped.
    check(r#"type == "track""#, false);
    assert_eq!(
        notes(r#"type == "track""#),
        vec![(6, NoteKind::TokenAsValue), (8, NoteKind::Ignored)]
    );
    // Single quotes stay part of the value.
    check("type = 'track'", false);
    assert_eq!(notes("type = 'track'"), vec![(7, NoteKind::SingleQuoted)]);
    // `or "page"`: the string is skipped, the trigger is `type = "identify"`.
    let q = TriggerQuery::parse(r#"type = "identify" or "page""#).unwrap();
    assert!(q.matches(&json!({"type": "identify"})));
    assert!(!q.matches(&json!({"type": "page"})));
    assert_eq!(
        notes(r#"type = "identify" or "page""#),
        vec![(21, NoteKind::Ignored)]
    );
    // A token that is no operator where the operator goes: the comparison never matches.
    check(r#"type "track""#, false);
    assert_eq!(notes(r#"type "track""#), vec![(5, NoteKind::NotAnOperator)]);
    // Unknown fields and stray tokens are skipped.
    check(r#"foo = "x" and type = "track""#, true);
    check(r#"type = "track")"#, true);
    // `exists` takes the next token as its value: here the "or", so the group stays "and".
    check(r#"properties.missing exists or type = "track""#, false);
    assert_eq!(
        notes(r#"properties.missing exists or type = "track""#),
        vec![(26, NoteKind::Swallowed)]
    );
    // A field at the end with an operator and no value compares with "eos".
    check("type =", false);
    assert!(TriggerQuery::parse("type =")
        .unwrap()
        .matches(&json!({"type": "eos"})));
    // A closing quote counts only before a space (or `,` `)` `]`): here it opens the next
    // string, `"and event="`, which is skipped with the one after it.
    check(r#"type="track"and event="Other""#, true);
    check(r#"type="track""#, true);
}

#[test]
fn rejected_as_segment_rejects() {
    let error = |q: &str| TriggerQuery::parse(q).unwrap_err();
    for (query, kind, at) in [
        ("", TriggerErrorKind::NoCondition, 0),
        (r#"foo = "x""#, TriggerErrorKind::NoCondition, 0),
        ("type", TriggerErrorKind::MissingValue, 0),
        (r#"type = "track"#, TriggerErrorKind::UnterminatedString, 7),
        (r#"(type = "track""#, TriggerErrorKind::Unclosed, 0),
        (
            r#"type ~ "track""#,
            TriggerErrorKind::InvalidCharacter('~'),
            5,
        ),
        ("event !=0", TriggerErrorKind::BangWithoutEquals, 7),
        ("event<=0", TriggerErrorKind::BadNameEnd('<'), 5),
        (
            "type =\r\"track\"",
            TriggerErrorKind::InvalidCharacter('\r'),
            6,
        ),
        ("properties.café = 1", TriggerErrorKind::BadNameEnd('é'), 14),
        ("properties.x = 1.2.3", TriggerErrorKind::BadNumber, 19),
        ("contains(", TriggerErrorKind::MissingArgument, 0),
        // `items[0]`: a name cannot be followed by "[" (escaped, `items\[0\]`, it reads).
        (
            "properties.list[0] = 1",
            TriggerErrorKind::BadNameEnd('['),
            15,
        ),
    ] {
        let e = error(query);
        assert_eq!((e.kind.clone(), e.at), (kind, at), "{query:?}");
    }
    assert_eq!(
        error("event<=0").message(),
        "a name cannot be followed by \"<\" (add a space) at 5 (Segment's runtime rejects it too)"
    );
}

#[test]
fn logic_as_segment_joins_it() {
    check(r#"type = "identify" or type = "track""#, true);
    check(r#"type = "track" and event = "Order Completed""#, true);
    check(r#"type = "track" and event = "Other""#, false);
    check(
        r#"(type = "track" or type = "x") and event = "nope""#,
        false,
    );
    // `()` has no condition: Segment throws when it reaches it, so only a match before it counts.
    let q = TriggerQuery::parse(r#"type = "track" or ()"#).unwrap();
    assert!(q.matches(&json!({"type": "track"})));
    assert!(!q.matches(&json!({"type": "page"})));
    assert!(!TriggerQuery::parse(r#"() or type = "track""#)
        .unwrap()
        .matches(&event()));
    assert!(!TriggerQuery::parse("() or ()").unwrap().matches(&event()));
}

#[test]
fn deliberate_differences_are_noted_and_segment_reading_is_available() {
    // (trigger, our verdict, Segment's verdict, the note)
    let cases = [
        // `and` binds tighter; Segment joins the level with the last conditional.
        (
            r#"type = "track" or type = "x" and event = "nope""#,
            true,
            false,
            (15, NoteKind::Precedence),
        ),
        // `!` negates a group or a comparison; Segment ignores it.
        (r#"!(type = "track")"#, false, true, (0, NoteKind::Negation)),
        (r#"!type = "track""#, false, true, (0, NoteKind::Negation)),
        // `match` without `*` is exact; Segment tests the suffix "ro-annual".
        (
            r#"match(properties.plan, "pro-annual")"#,
            true,
            true,
            (0, NoteKind::MatchExact),
        ),
        (
            r#"match(properties.plan, "xro-annual")"#,
            false,
            true,
            (0, NoteKind::MatchExact),
        ),
        // `*x*` is a substring; Segment tests the prefix "*-".
        (
            r#"match(properties.plan, "*-*")"#,
            true,
            false,
            (0, NoteKind::MatchSubstring),
        ),
        // `!= false` is "not that boolean"; Segment compares with the text "false".
        (
            "properties.off != false",
            false,
            true,
            (0, NoteKind::NotBoolean),
        ),
        (
            "properties.word != false",
            true,
            false,
            (0, NoteKind::NotBoolean),
        ),
        // `event = null` is a missing event; Segment compares with the text "null".
        ("event != null", true, true, (0, NoteKind::NullString)),
    ];
    for (query, ours, segment, note) in cases {
        check(query, ours);
        let theirs = TriggerQuery::parse_as_segment(query).unwrap();
        assert_eq!(
            theirs.matches(&event()),
            segment,
            "Segment's reading of {query}"
        );
        let n = notes(query);
        assert!(n.contains(&note), "{query}: {n:?}");
    }
    let q = TriggerQuery::parse("event = null").unwrap();
    assert!(q.matches(&json!({"type": "track"})));
    assert!(!TriggerQuery::parse_as_segment("event = null")
        .unwrap()
        .matches(&json!({"type": "track"})));
    assert!(TriggerQuery::parse_as_segment("event = null")
        .unwrap()
        .matches(&json!({"event": "null"})));
    // Nested parentheses: read here, rejected by Segment.
    let nested = r#"type = "track" and (event = "A" or (properties.revenue > 100 and ((properties.flag = true))))"#;
    check(nested, true);
    assert_eq!(
        TriggerQuery::parse_as_segment(nested).unwrap_err().kind,
        TriggerErrorKind::Nested
    );
    assert_eq!(
        notes(nested),
        vec![
            (19, NoteKind::Nested),
            (35, NoteKind::Nested),
            (65, NoteKind::Nested)
        ]
    );
    // Every deliberate difference says so, with both readings.
    let mut all = Vec::new();
    TriggerQuery::parse_noted(r#"!(type = "x") or match(event, "abc")"#, &mut all).unwrap();
    assert!(all.iter().all(TriggerNote::is_difference));
    assert_eq!(
        all[0].message(),
        "\"!\" at 0: negates what follows here; Segment's runtime ignores this \"!\""
    );
}

#[test]
fn segment_ast_of_what_both_read_alike() {
    let q = TriggerQuery::parse(
        r#"type = "track" and (properties.my\ key != null or !contains(traits.email, "@x.com"))"#,
    )
    .unwrap();
    assert_eq!(
        q.to_ast(),
        json!({"type": "group", "operator": "and", "children": [
            {"type": "event-type", "operator": "=", "value": "track"},
            {"type": "group", "operator": "or", "children": [
                {"type": "event-property", "name": "my key", "operator": "exists"},
                {"type": "event-trait", "name": "email", "operator": "not_contains", "value": "@x.com"}
            ]}
        ]})
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "{}type = \"track\"{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(
        TriggerQuery::parse(&deep).unwrap_err().kind,
        TriggerErrorKind::TooDeep
    );
    // A run of `!` is a lexer error in Segment (`!` must be followed by a letter or "(").
    let negations = format!("{}contains(type, \"t\")", "!".repeat(100));
    assert_eq!(
        TriggerQuery::parse(&negations).unwrap_err().kind,
        TriggerErrorKind::BangWithoutEquals
    );
    let long = format!("event = \"{}\"", "x".repeat(100_000));
    assert_eq!(
        TriggerQuery::parse(&long).unwrap_err().kind,
        TriggerErrorKind::TooLong
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
    assert_eq!(t(r#"type = "identify" or "page""#), v(&["identify"]));
    assert_eq!(t(r#"type = "track" and event = "A""#), v(&["track"]));
    assert_eq!(t(r#"(type = "a" or type = "b") and type = "b""#), v(&["b"]));
    assert_eq!(t("type = group"), v(&["group"]));
    assert_eq!(t(r#"event = "A""#), None);
    assert_eq!(t(r#"type = "track" or event = "A""#), None);
    assert_eq!(t(r#"type != "track""#), None);
    assert_eq!(t(r#"!(type = "track")"#), None);
    assert_eq!(t(r#"context.type = "track""#), None);
}
