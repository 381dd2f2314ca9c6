//! The native core's verdicts for the differential test against Segment's engines
//! (`tests/e2e/differential.test.mjs`): reads cases as JSON lines on stdin, writes one JSON
//! line per case on stdout.
//!
//! A trigger case `{"trigger": "<fql>", "events": [...]}` answers
//! `{"ok": true, "ast": <Segment's AST>, "verdicts": [bool...], "notes": [{"at", "kind",
//! "difference"}], "segment": <reading>}` or `{"ok": false, "error": "<message>", "segment":
//! <reading>}`, where `segment` is the same answer for the trigger read exactly as Segment's
//! runtime reads it (`TriggerQuery::parse_as_segment`, without the deliberate differences).
//! A mapping case `{"mapping": <mapping>, "events": [...]}` answers `{"ok": true, "results":
//! [{"value": v} | {"undefined": true} | {"throws": "<message>"}], "notes": [...]}` or
//! `{"ok": false, "error": "<message>"}`.

use intercom_web_destination::engine::json::{self, Map, Value};
use intercom_web_destination::engine::mapping::Mapping;
use intercom_web_destination::engine::trigger::TriggerQuery;
use std::io::{BufRead, Write};

fn object(entries: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in entries {
        map.insert(k.to_string(), v);
    }
    Value::Object(map)
}

/// The trigger read as Segment's runtime reads it: `{"ok", "ast", "verdicts"}` or the error.
fn segment_reading(text: &str, events: &[Value]) -> Value {
    match TriggerQuery::parse_as_segment(text) {
        Err(e) => object(vec![
            ("ok", Value::Bool(false)),
            ("error", Value::from(e.message().as_str())),
        ]),
        Ok(query) => object(vec![
            ("ok", Value::Bool(true)),
            ("ast", query.to_ast()),
            (
                "verdicts",
                Value::Array(
                    events
                        .iter()
                        .map(|e| Value::Bool(query.matches(e)))
                        .collect(),
                ),
            ),
        ]),
    }
}

fn trigger_case(text: &str, events: &[Value]) -> Value {
    let segment = segment_reading(text, events);
    let mut notes = Vec::new();
    match TriggerQuery::parse_noted(text, &mut notes) {
        Err(e) => object(vec![
            ("ok", Value::Bool(false)),
            ("error", Value::from(e.message().as_str())),
            ("segment", segment),
        ]),
        Ok(query) => {
            let verdicts = events
                .iter()
                .map(|e| Value::Bool(query.matches(e)))
                .collect();
            let notes = notes
                .iter()
                .map(|n| {
                    object(vec![
                        ("at", Value::from(n.at as i64)),
                        ("kind", Value::from(format!("{:?}", n.kind).as_str())),
                        ("difference", Value::Bool(n.is_difference())),
                        ("message", Value::from(n.message().as_str())),
                    ])
                })
                .collect();
            object(vec![
                ("ok", Value::Bool(true)),
                ("ast", query.to_ast()),
                ("verdicts", Value::Array(verdicts)),
                ("notes", Value::Array(notes)),
                ("segment", segment),
            ])
        }
    }
}

fn mapping_case(raw: &Value, events: &[Value]) -> Value {
    let mut notes = Vec::new();
    match Mapping::compile_transform(raw, "mapping", &mut notes) {
        Err(e) => object(vec![
            ("ok", Value::Bool(false)),
            ("error", Value::from(e.message().as_str())),
        ]),
        Ok(mapping) => {
            let results = events
                .iter()
                .map(|e| match mapping.resolve(e) {
                    Ok(Some(v)) => object(vec![("value", v)]),
                    Ok(None) => object(vec![("undefined", Value::Bool(true))]),
                    Err(m) => object(vec![("throws", Value::from(m.message().as_str()))]),
                })
                .collect();
            let notes = notes
                .iter()
                .map(|n| {
                    object(vec![
                        ("path", Value::from(n.path.as_str())),
                        ("reason", Value::from(n.reason)),
                    ])
                })
                .collect();
            object(vec![
                ("ok", Value::Bool(true)),
                ("results", Value::Array(results)),
                ("notes", Value::Array(notes)),
            ])
        }
    }
}

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match json::parse(&line) {
            Err(e) => object(vec![("bad_input", Value::from(e.as_str()))]),
            Ok(case) => {
                let events = case
                    .get("events")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                match (case.get("trigger"), case.get("mapping")) {
                    (Some(Value::String(t)), _) => trigger_case(t, &events),
                    (_, Some(m)) => mapping_case(m, &events),
                    _ => object(vec![("bad_input", Value::from("no trigger or mapping"))]),
                }
            }
        };
        let _ = writeln!(out, "{}", answer.to_json());
    }
    let _ = out.flush();
}
