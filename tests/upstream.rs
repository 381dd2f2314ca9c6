//! Segment's own test suites of its trigger parser (`@segment/destination-subscriptions`) and
//! mapping kit (`@segment/actions-core`), as data: tests/fixtures/upstream/*.json, made by
//! tests/fixtures/extract-upstream.mjs from segmentio/action-destinations (each file names the
//! commit, the test files and the package versions that confirmed every expectation).
//!
//! Every case runs here natively: the trigger read as Segment reads it must give Segment's AST
//! and verdicts exactly, and this plugin's reading the same unless a deliberate difference is
//! noted; every mapping must compile, resolve or throw as Segment's does.

use intercom_web_destination::engine::json::{self, Value};
use intercom_web_destination::engine::mapping::{flatten_into, render_template, Mapping};
use intercom_web_destination::engine::trigger::TriggerQuery;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/upstream/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v = json::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(v["origin"]["commit"]
        .as_str()
        .is_some_and(|c| c.len() == 40));
    v
}

fn cases(v: &Value) -> &[Value] {
    v["cases"].as_array().map_or(&[], Vec::as_slice)
}

/// JSON equality with objects compared as maps (key order is not compared).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn has_difference(fql: &str) -> bool {
    let mut notes = Vec::new();
    let _ = TriggerQuery::parse_noted(fql, &mut notes);
    notes.iter().any(|n| n.is_difference())
}

#[test]
fn parser_cases_give_segments_ast() {
    let f = fixture("destination-subscriptions-fql.json");
    let mut checked = 0;
    for case in cases(&f) {
        let fql = case["fql"].as_str().unwrap();
        let ast = &case["ast"];
        let theirs = TriggerQuery::parse_as_segment(fql);
        let ours = TriggerQuery::parse(fql);
        if ast.get("error").is_some() {
            assert!(theirs.is_err(), "{fql:?} ({})", case["test"].to_json());
            assert!(ours.is_err(), "{fql:?}");
        } else {
            let theirs = theirs.unwrap_or_else(|e| panic!("{fql:?}: {}", e.message()));
            assert!(
                same(&theirs.to_ast(), ast),
                "{fql:?}: {} != {}",
                theirs.to_ast().to_json(),
                ast.to_json()
            );
            let ours = ours.unwrap_or_else(|e| panic!("{fql:?}: {}", e.message()));
            assert!(has_difference(fql) || same(&ours.to_ast(), ast), "{fql:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 102);
}

#[test]
fn validator_cases_give_segments_verdicts() {
    let f = fixture("destination-subscriptions-validate.json");
    let (mut from_ast, mut from_text) = (0, 0);
    for case in cases(&f) {
        let expected = case["result"].as_bool().unwrap();
        let name = case["test"].to_json();
        if case.get("dataUndefined").is_some() {
            // `validate(ast, undefined)`: no event, no match (no event is ever undefined here).
            assert!(!expected, "{name}");
            continue;
        }
        let data = &case["data"];
        let query = TriggerQuery::from_segment_ast(&case["ast"]);
        assert_eq!(
            query.is_some_and(|q| q.matches(data)),
            expected,
            "{name}: AST {}",
            case["ast"].to_json()
        );
        from_ast += 1;
        if let Some(fql) = case["fql"].as_str() {
            let theirs = TriggerQuery::parse_as_segment(fql).unwrap();
            assert_eq!(theirs.matches(data), expected, "{name}: {fql:?}");
            let ours = TriggerQuery::parse(fql).unwrap();
            assert!(
                has_difference(fql) || ours.matches(data) == expected,
                "{name}: {fql:?}"
            );
            from_text += 1;
        }
    }
    assert_eq!((from_ast, from_text), (134, 93));
}

/// Segment's `transform(mapping, data)`: its result without undefined keys, or its error.
fn transform(mapping: &Value, data: &Value, data_type: &str) -> Result<Option<Value>, String> {
    if data_type != "object" || !data.is_object() {
        return Err("data must be an object".into());
    }
    let compiled =
        Mapping::compile_transform(mapping, "mapping", &mut Vec::new()).map_err(|e| e.message())?;
    compiled.resolve(data).map_err(|e| e.message())
}

#[test]
fn mapping_kit_cases_give_segments_results() {
    let f = fixture("mapping-kit.json");
    let mut counts = [0; 3];
    for case in cases(&f) {
        let name = case["test"].to_json();
        let expected = case.get("result");
        let throws = case.get("throws").is_some();
        match case["kind"].as_str().unwrap() {
            "transform" => {
                let data = case
                    .get("data")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default()));
                let data_type = case["dataType"].as_str().unwrap_or("object");
                let data_type = if data_type == "undefined" {
                    "object"
                } else {
                    data_type
                };
                let got = transform(&case["mapping"], &data, data_type);
                match (got, throws) {
                    (Err(_), true) => {}
                    (Ok(v), false) => {
                        let want = expected.cloned();
                        assert!(
                            match (&v, &want) {
                                (Some(v), Some(w)) => same(v, w),
                                (None, None) => true,
                                _ => false,
                            },
                            "{name}: {} gave {:?}, Segment {:?}",
                            case["mapping"].to_json(),
                            v.as_ref().map(Value::to_json),
                            want.as_ref().map(Value::to_json)
                        );
                    }
                    (got, _) => panic!(
                        "{name}: {} gave {got:?}, Segment throws: {throws}",
                        case["mapping"].to_json()
                    ),
                }
                counts[0] += 1;
            }
            "render" => {
                let Some(template) = case["template"].as_str() else {
                    // A template that is not a string: Segment throws, and so does compiling.
                    assert!(throws, "{name}");
                    assert!(Mapping::compile(
                        &intercom_web_destination::json!({"@template": case["template"].clone()}),
                        "m"
                    )
                    .is_err());
                    counts[1] += 1;
                    continue;
                };
                let data = case
                    .get("data")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default()));
                let got = render_template(
                    template,
                    &intercom_web_destination::engine::js::Read::Value(&data),
                );
                assert_eq!(Some(&Value::String(got)), expected, "{name}: {template:?}");
                counts[1] += 1;
            }
            _ => {
                let mut out = json::Map::new();
                let prefix = case["prefix"].as_str().unwrap_or("");
                let separator = case["separator"].as_str().unwrap_or(".");
                let omit = case["ignoreArrays"].as_bool().unwrap_or(false);
                flatten_into(&mut out, prefix, &case["input"], separator, omit, 0);
                assert!(
                    same(&Value::Object(out.clone()), expected.unwrap()),
                    "{name}: {}",
                    Value::Object(out).to_json()
                );
                counts[2] += 1;
            }
        }
    }
    assert_eq!(counts, [118, 11, 7]);
}

#[test]
fn schema_fixtures_are_accepted_and_rejected_as_segment_does() {
    let f = fixture("mapping-kit-schema-fixtures.json");
    for case in cases(&f) {
        let file = case["file"].as_str().unwrap();
        let result = Mapping::compile(&case["mapping"], "mapping");
        assert_eq!(
            result.is_ok(),
            case["valid"].as_bool().unwrap(),
            "{file}: {result:?}"
        );
    }
    assert_eq!(cases(&f).len(), 31);
}
