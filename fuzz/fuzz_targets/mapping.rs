//! Mapping compile + resolve: the input is `<mapping JSON>\n<event JSON>`.
#![no_main]
use intercom_web_destination::engine::mapping::Mapping;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (mapping, event) = text.split_once('\n').unwrap_or((text, "{}"));
    let Ok(raw) = intercom_web_destination::engine::json::parse(mapping) else { return };
    let event = intercom_web_destination::engine::json::parse(event).unwrap_or_default();
    if let Ok(compiled) = Mapping::compile(&raw, "mapping") {
        let _ = compiled.resolve(&event);
    }
});
