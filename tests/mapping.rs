//! Mapping directives: each one, undefined removal, and every compile error.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::engine::mapping::{
    Mapping, MappingError, MappingErrorKind as Kind, ResolveError,
};
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
            "left": {"a": 1, "b": 1}, "right": {"b": 2, "c": 2},
            "mixed": ["str", null, {"id": "c1"}], "template": "{{traits.name}}", "which": "nope"
        }
    })
}

fn resolve(mapping: Value) -> Option<Value> {
    Mapping::compile(&mapping, "mapping")
        .unwrap_or_else(|e| panic!("{}: {e}", mapping.to_json()))
        .resolve(&event())
        .unwrap_or_else(|e| panic!("{}: throws {e}", mapping.to_json()))
}

/// What resolving throws (Segment's runtime error).
fn throws(mapping: Value) -> ResolveError {
    Mapping::compile(&mapping, "mapping")
        .unwrap_or_else(|e| panic!("{}: {e}", mapping.to_json()))
        .resolve(&event())
        .unwrap_err()
}

fn compile_error(mapping: Value) -> MappingError {
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
    let p = |path: &str| resolve(json!({ "@path": path }));
    assert_eq!(p("$.traits.email"), Some(json!("ADA@Example.com")));
    assert_eq!(p("traits.email"), Some(json!("ADA@Example.com")));
    assert_eq!(p("$.traits.companies[1].id"), Some(json!("c2")));
    assert_eq!(p("$.traits.companies.1.id"), Some(json!("c2")));
    assert_eq!(p("$.traits.missing"), None);
    assert_eq!(p("$.traits.nothing"), Some(json!(null)));
    // Loose paths, as Segment's `get` splits them.
    assert_eq!(p("$..traits.email"), Some(json!("ADA@Example.com")));
    assert_eq!(p("$.traits.email."), Some(json!("ADA@Example.com")));
    assert_eq!(p("traits['phone']"), Some(json!("+1-555-0100")));
    // JavaScript's reads: through null, 0 and false the value itself; `.length`.
    assert_eq!(p("$.traits.nothing.deeper"), Some(json!(null)));
    assert_eq!(p("$.traits.zero.x.y"), Some(json!(0)));
    assert_eq!(p("$.traits.name.length"), Some(json!(12)));
    assert_eq!(p("$.traits.companies.length"), Some(json!(2)));
    // "" and "." are the whole event; "$" is a key named "$".
    assert_eq!(p(""), Some(event()));
    assert_eq!(p("$"), None);
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
    // A path given by a directive.
    assert_eq!(
        resolve(json!({"@path": {"@template": "$.traits.{{traits.which}}"}})),
        None
    );
    assert_eq!(
        throws(json!({"@path": {"@path": "$.traits.count"}})),
        ResolveError::NotString {
            directive: "@path",
            got: "number"
        }
    );
}

#[test]
fn if_exists() {
    let m = |p: &str| json!({"@if": {"exists": {"@path": p}, "then": "yes", "else": "no"}});
    assert_eq!(resolve(m("$.traits.name")), Some(json!("yes")));
    assert_eq!(resolve(m("$.traits.missing")), Some(json!("no")));
    assert_eq!(resolve(m("$.traits.nothing")), Some(json!("no")));
    for present in [
        "zero",
        "off",
        "empty",
        "space",
        "list",
        "obj",
        "name.constructor",
    ] {
        assert_eq!(
            resolve(m(&format!("$.traits.{present}"))),
            Some(json!("yes")),
            "{present}"
        );
    }
    // A missing branch is undefined; so is a falsy `else`.
    assert_eq!(
        resolve(json!({"k": {"@if": {"exists": {"@path": "$.traits.missing"}, "then": 1}}})),
        Some(json!({}))
    );
    assert_eq!(
        resolve(
            json!({"k": {"@if": {"exists": {"@path": "$.traits.missing"}, "then": 1, "else": 0}}})
        ),
        Some(json!({}))
    );
    assert_eq!(
        resolve(json!({"@if": {"exists": {"@path": "$.traits.name"}, "then": ""}})),
        Some(json!(""))
    );
    assert_eq!(
        throws(json!({"@if": {"exists": "", "then": 1}})),
        ResolveError::NoCondition
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
    let t = |t: &str| resolve(json!({ "@template": t }));
    assert_eq!(
        t("Hi {{traits.name}} <{{ traits.email }}>!"),
        Some(json!("Hi Ada Lovelace <ADA@Example.com>!"))
    );
    assert_eq!(
        t("[{{traits.missing}}][{{traits.nothing}}]"),
        Some(json!("[][]"))
    );
    assert_eq!(
        t("{{traits.count}}/{{traits.flag}}/{{traits.companies[0].id}}/{{traits.zero}}"),
        Some(json!("42/true/c1/0"))
    );
    // Objects and arrays as JavaScript's String() shows them, never as JSON.
    assert_eq!(t("{{traits.left}}"), Some(json!("[object Object]")));
    assert_eq!(t("{{traits.nested.a.c}}"), Some(json!("1,[object Object]")));
    // `{{}}` is text; `{{ }}` is the whole event, shown as "[object Object]".
    assert_eq!(t("{{}}|{{ }}"), Some(json!("{{}}|[object Object]")));
    // `$.` is not special in templates: "$" is a key.
    assert_eq!(t("{{$.traits.name}}"), Some(json!("")));
    // Triple braces first, then double ones over the result.
    assert_eq!(t("{{{traits.template}}}"), Some(json!("Ada Lovelace")));
    assert_eq!(t("no fields"), Some(json!("no fields")));
}

#[test]
fn literal_resolves_what_it_holds() {
    assert_eq!(resolve(json!({"@literal": {"@path": "$.x"}})), None);
    assert_eq!(
        resolve(json!({"@literal": {"name": {"@path": "$.traits.name"}, "n": 1}})),
        Some(json!({"name": "Ada Lovelace", "n": 1}))
    );
    assert_eq!(resolve(json!({"@literal": null})), Some(json!(null)));
    assert_eq!(resolve(json!({"@literal": false})), Some(json!(false)));
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
    // Items that are not objects are read as JavaScript reads them: null gives null fields.
    assert_eq!(
        resolve(json!({"@arrayPath": ["$.traits.mixed", {"id": {"@path": "$.id"}}]})),
        Some(json!([{}, {"id": null}, {"id": "c1"}]))
    );
}

#[test]
fn case() {
    let c = |op: &str, p: &str| resolve(json!({"@case": {"operator": op, "value": {"@path": p}}}));
    assert_eq!(c("lower", "$.traits.email"), Some(json!("ada@example.com")));
    assert_eq!(c("upper", "$.traits.name"), Some(json!("ADA LOVELACE")));
    assert_eq!(c("upper", "$.traits.count"), Some(json!(42)));
    assert_eq!(c("upper", "$.traits.missing"), None);
    assert_eq!(c("title", "$.traits.count"), Some(json!(42)));
    assert_eq!(
        throws(json!({"@case": {"operator": "title", "value": {"@path": "$.traits.name"}}})),
        ResolveError::CaseOperator
    );
    assert_eq!(
        resolve(json!({"@case": {"operator": "lower", "value": ""}})),
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
        r(phone.clone(), json!({"pattern": "-"})),
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
            phone.clone(),
            json!({"pattern": "-", "replacement": "", "pattern2": "+1", "replacement2": "00"})
        ),
        Some(json!("005550100"))
    );
    // Numbers and booleans are stringified first; anything else gives "".
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
        Some(json!(""))
    );
    assert_eq!(
        r(
            json!({"@path": "$.traits.missing"}),
            json!({"pattern": "t"})
        ),
        Some(json!(""))
    );
    assert_eq!(r(json!(""), json!({"pattern": "t"})), None);
    // The pattern is literal; the replacement has JavaScript's patterns.
    assert_eq!(
        r(json!("a.b.c"), json!({"pattern": ".", "replacement": "*"})),
        Some(json!("a*b*c"))
    );
    assert_eq!(
        r(json!("a-b"), json!({"pattern": "-", "replacement": "[$&]"})),
        Some(json!("a[-]b"))
    );
    assert_eq!(
        r(json!("a-b"), json!({"pattern": "-", "replacement": "$$"})),
        Some(json!("a$b"))
    );
    assert_eq!(
        r(json!("a-b"), json!({"pattern": "-", "replacement": "$1"})),
        Some(json!("a$1b"))
    );
}

#[test]
fn merge() {
    let objects = json!([{"@path": "$.traits.left"}, {"@path": "$.traits.right"}, {"@path": "$.traits.missing"}]);
    assert_eq!(
        resolve(json!({"@merge": {"objects": objects, "direction": "right"}})),
        Some(json!({"a": 1, "b": 2, "c": 2}))
    );
    assert_eq!(
        resolve(json!({"@merge": {"objects": objects, "direction": "left"}})),
        Some(json!({"a": 1, "b": 1, "c": 2}))
    );
    // A key whose mapping gives undefined overwrites too (Object.assign copies it).
    assert_eq!(
        resolve(
            json!({"@merge": {"objects": [{"@path": "$.traits.left"}, {"a": {"@path": "$.traits.missing"}}], "direction": "right"}})
        ),
        Some(json!({"b": 1}))
    );
    // A string's characters, under their indices, first (JavaScript's key order).
    assert_eq!(
        resolve(
            json!({"@merge": {"objects": [{"x": 1}, {"@literal": "ab"}], "direction": "right"}})
        ),
        Some(json!({"0": "a", "1": "b", "x": 1}))
    );
    assert_eq!(
        throws(json!({"@merge": {"objects": objects}})),
        ResolveError::MissingKey {
            directive: "@merge",
            key: "direction"
        }
    );
}

#[test]
fn json_directive() {
    let j = |mode: &str, p: &str| resolve(json!({"@json": {"mode": mode, "value": {"@path": p}}}));
    assert_eq!(
        j("encode", "$.traits.left"),
        Some(json!(r#"{"a":1,"b":1}"#))
    );
    assert_eq!(j("decode", "$.traits.encoded"), Some(json!({"a": 1})));
    assert_eq!(j("decode", "$.traits.bad_json"), Some(json!("{oops")));
    assert_eq!(j("encode", "$.traits.missing"), None);
    assert_eq!(j("ENCODE", "$.traits.left"), None);
    assert_eq!(
        throws(json!({"@json": {"mode": "encode", "value": ""}})),
        ResolveError::MissingKey {
            directive: "@json",
            key: "value"
        }
    );
}

#[test]
fn flatten() {
    assert_eq!(
        resolve(json!({"@flatten": {"value": {"@path": "$.traits.nested"}, "separator": "."}})),
        Some(json!({"a.b": 1, "a.c.0": 1, "a.c.1.d": 2, "e": "f"}))
    );
    assert_eq!(
        resolve(
            json!({"@flatten": {"value": {"@path": "$.traits.nested"}, "separator": "_", "omitArrays": true}})
        ),
        Some(json!({"a_b": 1, "a_c": [1, {"d": 2}], "e": "f"}))
    );
    assert_eq!(
        resolve(json!({"@flatten": {"value": {"@path": "$.traits.count"}, "separator": "."}})),
        Some(json!({"": 42}))
    );
    assert_eq!(
        throws(json!({"@flatten": {"value": {"@path": "$.traits.nested"}}})),
        ResolveError::MissingKey {
            directive: "@flatten",
            key: "separator"
        }
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
            json!({"@transform": {"apply": {"@path": "$.traits.missing"}, "mapping": {"x": 1, "y": {"@path": "$.a"}}}})
        ),
        Some(json!({"x": 1}))
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
    // Null values of objects, nested ones too, go; arrays stay as they are.
    assert_eq!(
        resolve(json!({"@excludeWhenNull": {"a": null, "b": {"c": null, "d": 1}, "e": [null]}})),
        Some(json!({"b": {"d": 1}, "e": [null]}))
    );
}

#[test]
fn metadata_and_unsupported_directives() {
    // `_metadata` beside a directive is what Segment's app saves: accepted, ignored.
    assert_eq!(
        resolve(json!({"@path": "$.traits.email", "_metadata": {"label": "Email"}})),
        Some(json!("ADA@Example.com"))
    );
    // @liquid is left out, with a note that names its place.
    let mut notes = Vec::new();
    let m = Mapping::compile_noted(
        &json!({"n": {"@liquid": "{{ traits.name }}"}}),
        "mapping",
        &mut notes,
    )
    .unwrap();
    assert_eq!(m.resolve(&event()).unwrap(), Some(json!({})));
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].path, "mapping.n.@liquid");
}

#[test]
fn root_directive_takes_the_other_keys_as_its_mapping() {
    let m = json!({"__segment_internal_directive": {"@transform": {"apply": {"c": {"@path": "$.traits.company"}}}},
        "company_id": {"@path": "$.c.id"}});
    let compiled = Mapping::compile_transform(&m, "mapping", &mut Vec::new()).unwrap();
    assert_eq!(
        compiled.resolve(&event()),
        Ok(Some(json!({"company_id": "c9"})))
    );
}

#[test]
fn directives_in_arrays_are_checked_when_resolved() {
    // Segment's validation does not look into arrays: these compile, and throw when resolved.
    assert_eq!(
        throws(json!({"a": [{"@foo": 1}]})),
        ResolveError::UnknownDirective("@foo".into())
    );
    assert_eq!(
        throws(json!({"a": [{"@path": 1}]})),
        ResolveError::NotString {
            directive: "@path",
            got: "number"
        }
    );
    // An object with a directive and other keys is a plain object there.
    assert_eq!(
        resolve(json!([{"@path": "$.traits.name", "x": 1}])),
        Some(json!([{"@path": "$.traits.name", "x": 1}]))
    );
}

#[test]
fn compile_errors_name_the_part_and_what_is_wrong() {
    let cases = [
        (
            json!({"@path": "$.a", "x": 1}),
            "mapping",
            Kind::MixedKeys { directive: "@path".into() },
            "directive @path cannot be mixed with other keys",
        ),
        (
            json!({"@path": "$.a", "@template": "x"}),
            "mapping",
            Kind::SeveralDirectives(vec!["@path".into(), "@template".into()]),
            "only one directive allowed per object, found @path, @template",
        ),
        (
            json!({"a": {"@foo": 1}}),
            "mapping.a",
            Kind::UnknownDirective("@foo".into()),
            "unknown directive @foo (known: @if, @case, @replace, @arrayPath, @path, @template, @literal, @flatten, @json, @merge, @transform, @excludeWhenNull, @liquid)",
        ),
        (
            json!({"@path": 3}),
            "mapping.@path",
            Kind::NotStringOrDirective,
            "must be a string or a directive",
        ),
        (
            json!({"@template": ["x"]}),
            "mapping.@template",
            Kind::NotStringOrDirective,
            "must be a string or a directive",
        ),
        (
            json!({"@if": "x"}),
            "mapping.@if",
            Kind::NotObject,
            "must be an object",
        ),
        (
            json!({"@if": {"exists": 1, "then": {"x": {"@nope": 1}}}}),
            "mapping.@if.then.x",
            Kind::UnknownDirective("@nope".into()),
            "unknown directive @nope (known: @if, @case, @replace, @arrayPath, @path, @template, @literal, @flatten, @json, @merge, @transform, @excludeWhenNull, @liquid)",
        ),
        (
            json!({"@arrayPath": "$.a"}),
            "mapping.@arrayPath",
            Kind::NotArrayPath,
            "must be [path] or [path, item mapping]",
        ),
        (
            json!({"@arrayPath": [1]}),
            "mapping.@arrayPath[0]",
            Kind::NotStringOrDirective,
            "must be a string or a directive",
        ),
        (
            json!({"@case": {"operator": 1, "value": "x"}}),
            "mapping.@case.operator",
            Kind::NotString,
            "must be a string",
        ),
        (
            json!({"@case": {"operator": "lower", "value": 1}}),
            "mapping.@case.value",
            Kind::NotStringOrDirective,
            "must be a string or a directive",
        ),
        (
            json!({"@replace": {"value": "x"}}),
            "mapping.@replace.pattern",
            Kind::Required,
            "is required",
        ),
        (
            json!({"@replace": {"pattern": "x"}}),
            "mapping.@replace.value",
            Kind::Required,
            "is required",
        ),
        (
            json!({"@replace": {"value": "x", "pattern": "12345678901"}}),
            "mapping.@replace.pattern",
            Kind::TooLong,
            "at most 10 characters",
        ),
        (
            json!({"@replace": {"value": "x", "pattern": "a", "replacement": "12345678901"}}),
            "mapping.@replace.replacement",
            Kind::TooLong,
            "at most 10 characters",
        ),
        (
            json!({"@replace": {"value": "x", "pattern": ""}}),
            "mapping.@replace.pattern",
            Kind::Empty,
            "must not be empty",
        ),
        (
            json!({"@replace": {"value": "x", "pattern": "a", "global": "yes"}}),
            "mapping.@replace.global",
            Kind::NotBoolean,
            "must be true or false",
        ),
        (
            json!({"@replace": {"value": "x", "pattern": 1}}),
            "mapping.@replace.pattern",
            Kind::NotString,
            "must be a string",
        ),
        (
            json!({"@merge": {"objects": {}}}),
            "mapping.@merge.objects",
            Kind::NotArrayOfMappings,
            "must be an array of mappings",
        ),
        (
            json!({"@merge": {"objects": [5]}}),
            "mapping.@merge.objects[0]",
            Kind::NotObjectOrDirective,
            "must be an object or a directive",
        ),
        (
            json!({"@merge": {"objects": [], "direction": "up"}}),
            "mapping.@merge.direction",
            Kind::NotOneOf("left", "right"),
            "must be \"left\" or \"right\"",
        ),
        (
            json!({"@json": {"mode": "x", "value": 1}}),
            "mapping.@json.mode",
            Kind::NotOneOf("encode", "decode"),
            "must be \"encode\" or \"decode\"",
        ),
        (
            json!({"@flatten": {"value": 1, "separator": 1}}),
            "mapping.@flatten.separator",
            Kind::NotString,
            "must be a string",
        ),
        (
            json!({"@transform": {"apply": {}}}),
            "mapping.@transform.mapping",
            Kind::Required,
            "is required",
        ),
        (
            json!({"@liquid": 1}),
            "mapping.@liquid",
            Kind::NotString,
            "must be a string",
        ),
    ];
    for (mapping, at, kind, what) in cases {
        let e = compile_error(mapping.clone());
        assert_eq!(
            (e.at.as_str(), &e.kind),
            (at, &kind),
            "{}",
            mapping.to_json()
        );
        assert_eq!(e.message(), format!("{at}: {what}"));
    }
}

#[test]
fn deep_mappings_are_rejected() {
    let mut m = json!({"@path": "$.a"});
    for _ in 0..100 {
        m = json!({ "x": m });
    }
    let e = compile_error(m);
    assert_eq!(e.kind, Kind::TooDeep);
    assert_eq!(e.at, format!("mapping{}", ".x".repeat(65)));
    assert!(e.message().ends_with(": nested deeper than 64 levels"));
}

#[test]
fn root_directive_errors_name_the_root_key() {
    // Segment's runtime throws on these when `transform` runs, so the subscription never runs.
    let cases = [
        (
            json!({"__segment_internal_directive": "@path"}),
            "mapping.__segment_internal_directive",
            Kind::NotSingleDirective,
        ),
        (
            json!({"__segment_internal_directive": {}}),
            "mapping.__segment_internal_directive",
            Kind::NotSingleDirective,
        ),
        (
            json!({"__segment_internal_directive": {"@merge": {}, "@flatten": {}}}),
            "mapping.__segment_internal_directive",
            Kind::NotSingleDirective,
        ),
        (
            json!({"__segment_internal_directive": {"@transform": 1}}),
            "mapping.__segment_internal_directive.@transform",
            Kind::NotObject,
        ),
    ];
    for (mapping, at, kind) in cases {
        let e = Mapping::compile_transform(&mapping, "mapping", &mut Vec::new()).unwrap_err();
        assert_eq!((e.at.as_str(), e.kind), (at, kind), "{}", mapping.to_json());
    }
}

#[test]
fn resolve_errors_give_segments_messages() {
    let cases = [
        (
            ResolveError::MissingKey {
                directive: "@merge",
                key: "direction",
            },
            "@merge requires a \"direction\" key",
        ),
        (
            ResolveError::NoCondition,
            "@if requires an \"exists\" key or a \"blank\" key",
        ),
        (
            ResolveError::UnknownDirective("@foo".into()),
            "@foo is not a valid directive, got undefined",
        ),
        (
            ResolveError::OptionsNotObject("@if"),
            "@if requires an object",
        ),
        (ResolveError::ArrayPathNotArray, "@arrayPath expected array"),
        (
            ResolveError::ApplyNotObject,
            "@transform \"apply\" key should be an object",
        ),
        (
            ResolveError::NotString {
                directive: "@template",
                got: "undefined",
            },
            "@template: expected string, got undefined",
        ),
        (
            ResolveError::DataNotObject { got: "array" },
            "data must be an object, got array",
        ),
        (
            ResolveError::CaseOperator,
            "operator key should have a value of \"lower\" or \"upper\"",
        ),
        (
            ResolveError::ReplaceTooLong("replacement"),
            "@replace requires a \"replacement\" less than 10 characters",
        ),
        (
            ResolveError::FlattenSeparator,
            "@flatten requires a string separator",
        ),
        (
            ResolveError::Invalid(Box::new(MappingError {
                at: "mapping.@transform.apply".into(),
                kind: Kind::Required,
            })),
            "mapping.@transform.apply: is required",
        ),
    ];
    for (e, message) in cases {
        assert_eq!(e.message(), message);
    }
}

#[test]
fn what_throws_when_resolved() {
    assert_eq!(
        throws(json!({"a": [{"@if": 1}]})),
        ResolveError::OptionsNotObject("@if")
    );
    assert_eq!(
        throws(json!({"a": [{"@arrayPath": "$.x"}]})),
        ResolveError::ArrayPathNotArray
    );
    assert_eq!(
        throws(json!({"a": [{"@transform": {"apply": 1, "mapping": {}}}]})),
        ResolveError::ApplyNotObject
    );
    assert_eq!(
        throws(json!({"a": [{"@transform": {"apply": {"@foo": 1}, "mapping": {}}}]})),
        ResolveError::Invalid(Box::new(MappingError {
            at: "mapping.a[0].@transform.apply".into(),
            kind: Kind::UnknownDirective("@foo".into()),
        }))
    );
    assert_eq!(
        throws(json!({"@transform": {"apply": {"@path": "$.traits.count"},
            "mapping": {"@transform": {"apply": {}, "mapping": {}}}}})),
        ResolveError::DataNotObject { got: "number" }
    );
    assert_eq!(
        throws(
            json!({"@replace": {"value": "x", "pattern": "a", "pattern2": "b", "replacement2": "12345678901"}})
        ),
        ResolveError::ReplaceTooLong("replacement")
    );
    assert_eq!(
        throws(
            json!({"a": [{"@flatten": {"value": 1, "separator": {"@path": "$.traits.count"}}}]})
        ),
        ResolveError::FlattenSeparator
    );
}

/// Each part of a mapping is validated once: nested directives (here `@if` in the `else` of
/// `@if`, 30 deep) compile in linear time. (Validating each level's options again at every level
/// above it took time that doubled per level: 20 levels took seconds, 30 would take hours, at
/// factory time, on the page.)
#[test]
fn nested_directives_compile_in_linear_time() {
    let mut text = String::from(r#"{"@path": "$.last"}"#);
    for i in 0..30 {
        text = format!(
            r#"{{"@if": {{"exists": {{"@path": "$.k{i}"}}, "then": {{"@path": "$.v{i}"}}, "else": {text}}}}}"#
        );
    }
    let raw = intercom_web_destination::engine::json::parse(&text).unwrap();
    let started = std::time::Instant::now();
    let mapping = Mapping::compile(&raw, "deep").unwrap();
    assert!(
        started.elapsed().as_secs_f64() < 1.0,
        "{:?}",
        started.elapsed()
    );
    let event = intercom_web_destination::json!({"k3": 1, "v3": "third", "last": "end"});
    assert_eq!(
        mapping.resolve(&event).unwrap(),
        Some(intercom_web_destination::engine::json::Value::from("third"))
    );
}
