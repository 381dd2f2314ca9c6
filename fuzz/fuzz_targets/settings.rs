//! Settings parsing and subscription compilation on arbitrary JSON.
#![no_main]
use intercom_web_destination::Destination;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(raw) = intercom_web_destination::engine::json::parse(text) else { return };
    if let Ok(d) = Destination::new(&raw) {
        let _ = d.actions();
        let _ = d.boot_call().to_args();
    }
});
