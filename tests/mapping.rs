//! Mapping directives: each one, undefined removal, and every compile error.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::engine::mapping::Mapping;
use intercom_web_destination::json;

fn event() -> Value {
    json!({
        "type": "identify",
        "userId": "u1",
        "traits": {
            "name": "Ada Lovelace", "email": "ADA@Example.com", "zero": 0, "off": false,
            "empty": "", "space": " ", "nothing": null, "list": [], "blank_list": [""],
            "obj": {}, "count": 42, "flag": true, "phone": "+1-555-0100",
            "companies": [{"id": "c1", "name": "One"}, {"id": "c2"}],
            "company": {"id": "c9", "name": "Nine"},
            "encoded": "{\"a\":1}", "bad_json": "{oops",
            "nested": {"a": {"b": 1, "c": [1, {"d": 2}]}, "e": "f"},
            "left": {"a": 1, "b": 1}, "right": {"b": 2, "c": 2}
        }
    })
}

fn resolve(mapping: Value) -> Option<Value> {
    Mapping::compile(&mapping, "mapping")
        .unwrap_or_else(|e| panic!("{}: {e}", mapping.to_json()))
        .resolve(&event())
}

fn compile_error(mapping: Value) -> String {
    Mapping::compile(&mapping, "mapping").unwrap_err()
}

#[test]
fn plain_values_are_copied() {
    assert_eq!(resolve(json!("x")), Some(json!("x")));
    assert_eq!(resolve(json!(3)), Some(json!(3)));
    assert_eq!(resolve(json!(null)), Some(json!(null)));
    assert_eq!(
        resolve(json!({"a": [1, "b"]})),
        Some(json!({"a": [1, "b"]}))
    );
}

#[test]
fn path() {
    assert_eq!(
        resolve(json!({"@path": "$.traits.email"})),
        Some(json!("ADA@Example.com"))
    );
    assert_eq!(
        resolve(json!({"@path": "traits.email"})),
        Some(json!("ADA@Example.com"))
    );
    assert_eq!(
        resolve(json!({"@path": "$.traits.companies[1].id"})),
        Some(json!("c2"))
    );
    assert_eq!(resolve(json!({"@path": "$.traits.missing"})), None);
    assert_eq!(
        resolve(json!({"@path": "$.traits.nothing"})),
        Some(json!(null))
    );
    assert_eq!(resolve(json!({"@path": "$.traits.nothing.deeper"})), None);
    // Undefined keys disappear, null stays; undefined array elements become null.
    assert_eq!(
        resolve(
            json!({"a": {"@path": "$.traits.missing"}, "b": {"@path": "$.traits.nothing"}, "c": 1})
        ),
        Some(json!({"b": null, "c": 1}))
    );
    assert_eq!(
        resolve(json!([{"@path": "$.traits.missing"}, 1])),
        Some(json!([null, 1]))
    );
}

#[test]
fn if_exists() {
    let m = |p: &str| json!({"@if": {"exists": {"@path": p}, "then": "yes", "else": "no"}});
    assert_eq!(resolve(m("$.traits.name")), Some(json!("yes")));
    assert_eq!(resolve(m("$.traits.missing")), Some(json!("no")));
    assert_eq!(resolve(m("$.traits.nothing")), Some(json!("no")));
    for present in ["zero", "off", "empty", "space", "list", "obj"] {
        assert_eq!(
            resolve(m(&format!("$.traits.{present}"))),
            Some(json!("yes")),
            "{present}"
        );
    }
    // A missing branch is undefined.
    assert_eq!(
        resolve(json!({"k": {"@if": {"exists": {"@path": "$.traits.missing"}, "then": 1}}})),
        Some(json!({}))
    );
    assert_eq!(
        resolve(
            json!({"@if": {"exists": {"@path": "$.traits.name"}, "then": {"@path": "$.traits.email"}}})
        ),
        Some(json!("ADA@Example.com"))
    );
}

#[test]
fn if_blank() {
    let m = |p: &str| json!({"@if": {"blank": {"@path": p}, "then": "filled", "else": "blank"}});
    for blank in [
        "missing",
        "nothing",
        "zero",
        "off",
        "empty",
        "list",
        "blank_list",
    ] {
        assert_eq!(
            resolve(m(&format!("$.traits.{blank}"))),
            Some(json!("blank")),
            "{blank}"
        );
    }
    for filled in ["name", "space", "obj", "count", "flag"] {
        assert_eq!(
            resolve(m(&format!("$.traits.{filled}"))),
            Some(json!("filled")),
            "{filled}"
        );
    }
}

#[test]
fn template() {
    assert_eq!(
        resolve(json!({"@template": "Hi {{traits.name}} <{{ $.traits.email }}>!"})),
        Some(json!("Hi Ada Lovelace <ADA@Example.com>!"))
    );
    assert_eq!(
        resolve(json!({"@template": "[{{traits.missing}}]"})),
        Some(json!("[]"))
    );
    assert_eq!(
        resolve(json!({"@template": "[{{traits.nothing}}]"})),
        Some(json!("[]"))
    );
    assert_eq!(
        resolve(
            json!({"@template": "{{traits.count}}/{{traits.flag}}/{{traits.companies[0].id}}"})
        ),
        Some(json!("42/true/c1"))
    );
    assert_eq!(
        resolve(json!({"@template": "{{traits.left}}"})),
        Some(json!(r#"{"a":1,"b":1}"#))
    );
    assert_eq!(
        resolve(json!({"@template": "no fields"})),
        Some(json!("no fields"))
    );
}

#[test]
fn literal() {
    assert_eq!(
        resolve(json!({"@literal": {"@path": "$.x"}})),
        Some(json!({"@path": "$.x"}))
    );
    assert_eq!(resolve(json!({"@literal": null})), Some(json!(null)));
}

#[test]
fn array_path() {
    assert_eq!(
        resolve(
            json!({"@arrayPath": ["$.traits.companies", {"company_id": {"@path": "$.id"}, "name": {"@path": "$.name"}}]})
        ),
        Some(json!([{"company_id": "c1", "name": "One"}, {"company_id": "c2"}]))
    );
    // A single object counts as a one-element array.
    assert_eq!(
        resolve(json!({"@arrayPath": ["$.traits.company", {"id": {"@path": "$.id"}}]})),
        Some(json!([{"id": "c9"}]))
    );
    assert_eq!(
        resolve(json!({"@arrayPath": ["$.traits.missing", {"id": {"@path": "$.id"}}]})),
        None
    );
    assert_eq!(
        resolve(json!({"@arrayPath": ["$.traits.list"]})),
        Some(json!([]))
    );
    assert_eq!(
        resolve(json!({"@arrayPath": ["$.traits.count", {"id": 1}]})),
        Some(json!(42))
    );
}

#[test]
fn case() {
    assert_eq!(
        resolve(json!({"@case": {"operator": "lower", "value": {"@path": "$.traits.email"}}})),
        Some(json!("ada@example.com"))
    );
    assert_eq!(
        resolve(json!({"@case": {"operator": "upper", "value": {"@path": "$.traits.name"}}})),
        Some(json!("ADA LOVELACE"))
    );
    assert_eq!(
        resolve(json!({"@case": {"operator": "upper", "value": {"@path": "$.traits.count"}}})),
        Some(json!(42))
    );
    assert_eq!(
        resolve(json!({"@case": {"operator": "upper", "value": {"@path": "$.traits.missing"}}})),
        None
    );
}

#[test]
fn replace() {
    let r = |value: Value, extra: Value| {
        let mut m = json!({"value": value});
        for (k, v) in extra.as_object().unwrap() {
            m[k.as_str()] = v.clone();
        }
        resolve(json!({ "@replace": m }))
    };
    let phone = json!({"@path": "$.traits.phone"});
    assert_eq!(
        r(phone.clone(), json!({"pattern": "-", "replacement": ""})),
        Some(json!("+15550100"))
    );
    assert_eq!(
        r(
            phone.clone(),
            json!({"pattern": "-", "replacement": "", "global": false})
        ),
        Some(json!("+1555-0100"))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.name"}),
            json!({"pattern": "ada", "replacement": "A.", "ignorecase": true})
        ),
        Some(json!("A. Lovelace"))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.name"}),
            json!({"pattern": "ada", "replacement": "A."})
        ),
        Some(json!("Ada Lovelace"))
    );
    assert_eq!(
        r(
            phone,
            json!({"pattern": "-", "replacement": "", "pattern2": "+1", "replacement2": "00"})
        ),
        Some(json!("005550100"))
    );
    // Numbers and booleans are stringified first; other types pass through.
    assert_eq!(
        r(
            json!({"@path": "$.traits.count"}),
            json!({"pattern": "4", "replacement": "x"})
        ),
        Some(json!("x2"))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.flag"}),
            json!({"pattern": "t", "replacement": "T"})
        ),
        Some(json!("True"))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.nothing"}),
            json!({"pattern": "t"})
        ),
        Some(json!(null))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.missing"}),
            json!({"pattern": "t"})
        ),
        None
    );
    // Regex characters are literal.
    assert_eq!(
        r(json!("a.b.c"), json!({"pattern": ".", "replacement": "*"})),
        Some(json!("a*b*c"))
    );
}

#[test]
fn merge() {
    let objects = json!([{"@path": "$.traits.left"}, {"@path": "$.traits.right"}, {"@path": "$.traits.missing"}, 5]);
    assert_eq!(
        resolve(json!({"@merge": {"objects": objects, "direction": "right"}})),
        Some(json!({"a": 1, "b": 2, "c": 2}))
    );
    assert_eq!(
        resolve(json!({"@merge": {"objects": objects, "direction": "left"}})),
        Some(json!({"a": 1, "b": 1, "c": 2}))
    );
}

#[test]
fn json_directive() {
    assert_eq!(
        resolve(json!({"@json": {"mode": "encode", "value": {"@path": "$.traits.left"}}})),
        Some(json!(r#"{"a":1,"b":1}"#))
    );
    assert_eq!(
        resolve(json!({"@json": {"mode": "decode", "value": {"@path": "$.traits.encoded"}}})),
        Some(json!({"a": 1}))
    );
    assert_eq!(
        resolve(json!({"@json": {"mode": "decode", "value": {"@path": "$.traits.bad_json"}}})),
        Some(json!("{oops"))
    );
    assert_eq!(
        resolve(json!({"@json": {"mode": "encode", "value": {"@path": "$.traits.missing"}}})),
        None
    );
}

#[test]
fn flatten() {
    assert_eq!(
        resolve(json!({"@flatten": {"value": {"@path": "$.traits.nested"}}})),
        Some(json!({"a.b": 1, "a.c.0": 1, "a.c.1.d": 2, "e": "f"}))
    );
    assert_eq!(
        resolve(
            json!({"@flatten": {"value": {"@path": "$.traits.nested"}, "separator": "_", "omitArrays": true}})
        ),
        Some(json!({"a_b": 1, "a_c": [1, {"d": 2}], "e": "f"}))
    );
    assert_eq!(
        resolve(json!({"@flatten": {"value": {"@path": "$.traits.count"}}})),
        Some(json!(42))
    );
}

#[test]
fn transform() {
    assert_eq!(
        resolve(
            json!({"@transform": {"apply": {"@path": "$.traits.company"}, "mapping": {"company_id": {"@path": "$.id"}}}})
        ),
        Some(json!({"company_id": "c9"}))
    );
    assert_eq!(
        resolve(
            json!({"@transform": {"apply": {"@path": "$.traits.missing"}, "mapping": {"x": 1}}})
        ),
        None
    );
}

#[test]
fn exclude_when_null() {
    assert_eq!(
        resolve(
            json!({"a": {"@excludeWhenNull": {"@path": "$.traits.nothing"}}, "b": {"@excludeWhenNull": {"@path": "$.traits.zero"}}})
        ),
        Some(json!({"b": 0}))
    );
}

#[test]
fn compile_errors_name_the_field() {
    let cases = [
        (json!({"@path": "$.a", "x": 1}), "mapping: directive @path cannot be mixed with other keys"),
        (json!({"@path": "$.a", "@template": "x"}), "mapping: only one directive allowed per object, found @path, @template"),
        (json!({"a": {"@foo": 1}}), "mapping.a: unknown directive @foo (known: @path, @if, @template, @literal, @arrayPath, @case, @replace, @merge, @json, @flatten, @transform, @excludeWhenNull)"),
        (json!({"@path": 3}), "mapping.@path: must be a string path like \"$.traits.email\""),
        (json!({"@path": "$.a..b"}), "mapping.@path: invalid path \"$.a..b\": empty key"),
        (json!({"@template": ["x"]}), "mapping.@template: must be a string"),
        (json!({"@template": "{{a"}), "mapping.@template: unclosed {{ in template \"{{a\""),
        (json!({"@if": {"then": 1}}), "mapping.@if: needs exists or blank"),
        (json!({"@if": {"exists": 1, "blank": 1}}), "mapping.@if: use either exists or blank, not both"),
        (json!({"@if": {"exists": 1, "than": 1}}), "mapping.@if.than: unknown key (expected exists or blank, then, else)"),
        (json!({"@if": "x"}), "mapping.@if: must be an object"),
        (json!({"@arrayPath": "$.a"}), "mapping.@arrayPath: must be [path] or [path, item mapping]"),
        (json!({"@arrayPath": [1]}), "mapping.@arrayPath[0]: must be a string path"),
        (json!({"@arrayPath": ["$.a", {"x": {"@nope": 1}}]}), "mapping.@arrayPath[1].x: unknown directive @nope (known: @path, @if, @template, @literal, @arrayPath, @case, @replace, @merge, @json, @flatten, @transform, @excludeWhenNull)"),
        (json!({"@case": {"operator": "title", "value": "x"}}), "mapping.@case.operator: must be \"lower\" or \"upper\""),
        (json!({"@case": {"operator": "lower"}}), "mapping.@case.value: is required"),
        (json!({"@replace": {"value": "x"}}), "mapping.@replace.pattern: is required"),
        (json!({"@replace": {"value": "x", "pattern": "12345678901"}}), "mapping.@replace.pattern: at most 10 characters"),
        (json!({"@replace": {"value": "x", "pattern": "a", "replacement": "12345678901"}}), "mapping.@replace.replacement: at most 10 characters"),
        (json!({"@replace": {"value": "x", "pattern": ""}}), "mapping.@replace.pattern: must not be empty"),
        (json!({"@replace": {"value": "x", "pattern": "a", "global": "yes"}}), "mapping.@replace.global: must be true or false"),
        (json!({"@replace": {"value": "x", "pattern": 1}}), "mapping.@replace.pattern: must be a string"),
        (json!({"@merge": {"objects": {}}}), "mapping.@merge.objects: must be an array of mappings"),
        (json!({"@merge": {"objects": [], "direction": "up"}}), "mapping.@merge.direction: must be \"left\" or \"right\""),
        (json!({"@json": {"mode": "x", "value": 1}}), "mapping.@json.mode: must be \"encode\" or \"decode\""),
        (json!({"@flatten": {"value": 1, "separator": 1}}), "mapping.@flatten.separator: must be a string"),
        (json!({"@flatten": {"value": 1, "omitArrays": "no"}}), "mapping.@flatten.omitArrays: must be true or false"),
        (json!({"@transform": {"apply": 1}}), "mapping.@transform.mapping: is required"),
        (json!({"a": [{"b": {"@path": 1}}]}), "mapping.a[0].b.@path: must be a string path like \"$.traits.email\""),
    ];
    for (mapping, message) in cases {
        assert_eq!(
            compile_error(mapping.clone()),
            message,
            "{}",
            mapping.to_json()
        );
    }
}

#[test]
fn deep_mappings_are_rejected() {
    let mut m = json!({"@path": "$.a"});
    for _ in 0..100 {
        m = json!({ "x": m });
    }
    assert!(compile_error(m).ends_with(": nested deeper than 64 levels"));
}
