//! The trigger parser on arbitrary text, and evaluation of what parses on a fixed event.
#![no_main]
use intercom_web_destination::engine::trigger::TriggerQuery;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(query) = TriggerQuery::parse(text) {
        let event = intercom_web_destination::json!({"type": "track", "event": "E", "properties": {"a": 1, "b": "x", "c": [1, {"d": null}]}});
        let _ = query.matches(&event);
        let _ = query.possible_types();
    }
});
