//! Loads the Intercom Messenger the way Intercom's snippet does: `intercomSettings`, the stub
//! queue, one async `<script>`, `boot`. This side decides what is loaded (the URL, the
//! settings, the boot call, the time limit and the messages); `startWidget` in
//! `js/boundary.js` does it, and tells when the real widget has replaced the stub.

use crate::json::{Map, Value};
use crate::text::{cat, int};
use crate::Destination;
use wasm_bindgen::prelude::*;

/// Marks the stub this crate installs, so that every instance (and every copy of the module)
/// recognises it and no second widget script is inserted.
const STUB_MARK: &str = "__intercomWebDestinationStub";

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    /// Starts (or joins) the load of one widget script URL; see `startWidget`.
    #[wasm_bindgen(js_name = startWidget)]
    fn start_widget(spec: &str, boot: &str) -> JsValue;
}

const FAILED: &str = "Intercom widget could not be loaded from ";
const WHY: &str = "(wrong App ID, blocked by a content blocker, or offline)";

/// Starts (or joins) the widget load for these settings: a promise that resolves when the real
/// widget has replaced the stub, and rejects with a message on a script error or time-out.
pub fn load(destination: &Destination) -> JsValue {
    let settings = destination.settings();
    let url = settings.widget_script_url();
    let timeout = settings.load_timeout_ms;
    let object = |pairs: Vec<(&str, Value)>| {
        let mut map = Map::new();
        for (k, v) in pairs {
            map.push_new(k.to_string(), v);
        }
        Value::Object(map)
    };
    let intercom_settings = object(vec![
        ("app_id", settings.app_id.as_str().into()),
        ("installation_type", "s".into()),
        ("api_base", settings.api_base.url().into()),
        (
            "custom_launcher_selector",
            settings.activator.as_str().into(),
        ),
    ]);
    let spec = object(vec![
        ("error", cat(&[FAILED, &url, " ", WHY]).into()),
        (
            "timedOut",
            cat(&[
                FAILED,
                &url,
                " within ",
                &int(i64::from(timeout)),
                " ms ",
                WHY,
            ])
            .into(),
        ),
        ("url", url.into()),
        ("settings", intercom_settings),
        ("nonce", settings.csp_nonce.as_deref().unwrap_or("").into()),
        ("timeoutMs", i64::from(timeout).into()),
        ("stubMark", STUB_MARK.into()),
        ("bootFailed", "Intercom('boot') failed: ".into()),
    ]);
    start_widget(&spec.to_json(), &destination.boot_call().to_json())
}
