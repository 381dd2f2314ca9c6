//! Whole-event processing: `<settings JSON>\n<event JSON text>`, then every action, then a
//! reset. (The browser shell hands the core events as tapes: `tape` fuzzes reading those.)
#![no_main]
use intercom_web_destination::{ActionKind, Destination};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (settings, event) = text.split_once('\n').unwrap_or(("", text));
    let settings = intercom_web_destination::engine::json::parse(settings)
        .ok()
        .filter(|s| s.get("appId").is_some())
        .unwrap_or_else(|| intercom_web_destination::json!({"appId": "fuzz"}));
    let Ok(mut destination) = Destination::new(&settings) else { return };
    let Ok(event) = intercom_web_destination::engine::json::parse(event) else { return };
    for action in ActionKind::ALL {
        if destination.may_run(action, event.get("type").and_then(|t| t.as_str())) {
            for call in destination.process(action, &event, 1.7e12).calls {
                let _ = call.to_args().to_string();
            }
        }
    }
    let _ = destination.reset();
});
