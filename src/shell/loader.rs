//! Loads the Intercom Messenger the way Intercom's snippet does: `intercomSettings`, the stub
//! queue, one async `<script>`, `boot`. This side decides what is loaded (the URL, the
//! settings, the boot call, the time limit and the messages); `startWidget` in
//! `js/boundary.js` does it, and tells when the real widget has replaced the stub.

use crate::engine::json::JsonWriter;
use crate::Destination;

/// Writes the entry `[4, spec, boot]` that starts (or joins) the widget load for these
/// settings: `startWidget(spec, boot)` in `js/boundary.js`, which tells when the real widget has
/// replaced the stub, or why it could not load (it can see the page: the cause is its to name).
pub fn load(destination: &Destination, w: &mut JsonWriter) {
    let settings = destination.settings();
    w.begin_array().int(super::Entry::Load as i64);
    w.begin_object()
        .key("url")
        .string(&settings.widget_script_url())
        .key("nonce")
        .string(settings.csp_nonce.as_deref().unwrap_or(""))
        // Marks the stub this crate installs, so that every instance (and every copy of the
        // module) recognises it and no second widget script is inserted.
        .key("stubMark")
        .string("__intercomWebDestinationStub")
        .key("bootFailed")
        .string("Intercom('boot') failed: ")
        .key("timeoutMs")
        .int(i64::from(settings.load_timeout_ms));
    // `window.intercomSettings`, as Intercom's snippet sets it.
    w.key("settings")
        .begin_object()
        .key("app_id")
        .string(&settings.app_id)
        .key("installation_type")
        .string("s")
        .key("api_base")
        .string(settings.api_base.url())
        .key("custom_launcher_selector")
        .string(&settings.activator)
        .end_object();
    // The keys the page's scripts find as `window.Intercom.richLinkProperties`.
    w.key("richLinkProperties").begin_array();
    for key in &settings.rich_link_properties {
        w.string(key);
    }
    w.end_array();
    w.end_object();
    destination.boot_call().write_json(w);
    w.end_array();
}
