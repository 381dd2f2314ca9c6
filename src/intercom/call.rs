//! The Intercom call model: what the core asks the browser shell to send to `window.Intercom`.

use crate::engine::json::{JsonWriter, Map, Value};

/// One call to the Messenger API, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum IntercomCall {
    /// `Intercom('boot', settings)`.
    Boot(Map<String, Value>),
    /// `Intercom('update', payload)`.
    Update(Map<String, Value>),
    /// `Intercom('trackEvent', name, metadata)`.
    TrackEvent {
        name: String,
        metadata: Map<String, Value>,
    },
    /// `Intercom('shutdown')`.
    Shutdown,
}

impl IntercomCall {
    /// The Messenger method name.
    pub fn method(&self) -> &'static str {
        match self {
            IntercomCall::Boot(_) => "boot",
            IntercomCall::Update(_) => "update",
            IntercomCall::TrackEvent { .. } => "trackEvent",
            IntercomCall::Shutdown => "shutdown",
        }
    }

    /// The arguments of `Intercom(...)` as JSON text (`["update",{...}]`).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_json(&mut JsonWriter::new(&mut out));
        out
    }

    /// [`IntercomCall::to_json`], written by `w` (as an entry of what it is writing), without
    /// copying the payload.
    pub fn write_json(&self, w: &mut JsonWriter) {
        w.begin_array().string(self.method());
        match self {
            IntercomCall::Boot(m) | IntercomCall::Update(m) => {
                w.object(m);
            }
            IntercomCall::TrackEvent { name, metadata } => {
                w.string(name).object(metadata);
            }
            IntercomCall::Shutdown => {}
        }
        w.end_array();
    }

    /// The arguments of `Intercom(...)` as a JSON array, method first.
    pub fn to_args(&self) -> Value {
        let method = Value::String(self.method().to_string());
        Value::Array(match self {
            IntercomCall::Boot(m) | IntercomCall::Update(m) => {
                vec![method, Value::Object(m.clone())]
            }
            IntercomCall::TrackEvent { name, metadata } => vec![
                method,
                Value::String(name.clone()),
                Value::Object(metadata.clone()),
            ],
            IntercomCall::Shutdown => vec![method],
        })
    }
}
