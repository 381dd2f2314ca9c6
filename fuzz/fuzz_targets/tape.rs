//! Reading tapes (the browser shell's events and settings): any bytes give a value or an error,
//! never a panic, and a value read back is whole.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    if let Ok(v) = intercom_web_destination::engine::event::read_event(data, &mut warnings) {
        let _ = v.to_json();
    }
});
