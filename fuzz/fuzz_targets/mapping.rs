//! Mapping compile + resolve: the input is `<mapping JSON>\n<event JSON>`.
#![no_main]
use intercom_web_destination::mapping::Mapping;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (mapping, event) = text.split_once('\n').unwrap_or((text, "{}"));
    let Ok(raw) = serde_json::from_str::<serde_json::Value>(mapping) else { return };
    let event = serde_json::from_str(event).unwrap_or(serde_json::Value::Null);
    if let Ok(compiled) = Mapping::compile(&raw, "mapping") {
        let _ = compiled.resolve(&event);
    }
});
