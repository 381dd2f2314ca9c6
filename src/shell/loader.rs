//! Loads the Intercom Messenger the way Intercom's snippet does: `intercomSettings`, the stub
//! queue, one async `<script>`, `boot`. This side decides what is loaded (the URL, the
//! settings, the boot call, the time limit and the messages); `startWidget` in
//! `js/boundary.js` does it, and tells when the real widget has replaced the stub.

use crate::engine::json::write_string;
use crate::engine::text::int;
use crate::Destination;

/// Appends the entry `[4, spec, boot]` that starts (or joins) the widget load for these
/// settings: `startWidget(spec, boot)` in `js/boundary.js`, which tells when the real widget has
/// replaced the stub, or why it could not load (it can see the page: the cause is its to name).
pub fn load(destination: &Destination, out: &mut String) {
    let settings = destination.settings();
    let url = settings.widget_script_url();
    let timeout = int(i64::from(settings.load_timeout_ms));
    out.push('[');
    out.push(char::from(b'0' + super::Entry::Load as u8));
    // The keys and fixed values need no escapes. `stubMark` marks the stub this crate
    // installs, so that every instance (and every copy of the module) recognises it and no
    // second widget script is inserted.
    fields(
        out,
        &[
            (",{\"url\":", &url),
            (",\"nonce\":", settings.csp_nonce.as_deref().unwrap_or("")),
        ],
    );
    out.push_str(concat!(
        ",\"stubMark\":\"__intercomWebDestinationStub\"",
        ",\"bootFailed\":\"Intercom('boot') failed: \",\"timeoutMs\":"
    ));
    out.push_str(&timeout);
    fields(
        out,
        &[
            (",\"settings\":{\"app_id\":", &settings.app_id),
            (
                ",\"installation_type\":\"s\",\"api_base\":",
                settings.api_base.url(),
            ),
            (",\"custom_launcher_selector\":", &settings.activator),
        ],
    );
    // The keys the page's scripts find as `window.Intercom.richLinkProperties`.
    out.push_str("},\"richLinkProperties\":[");
    for (i, key) in settings.rich_link_properties.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key, out);
    }
    out.push_str("]},");
    destination.boot_call().write_json(out);
    out.push(']');
}

/// Each field's text as it is, then its value as a JSON string.
fn fields(out: &mut String, fields: &[(&str, &str)]) {
    for (text, value) in fields {
        out.push_str(text);
        write_string(value, out);
    }
}
