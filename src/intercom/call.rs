//! The Intercom call model: what the core asks the browser shell to send to `window.Intercom`.

use crate::engine::json::{Map, Value};

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

    /// The arguments of `Intercom(...)` as JSON text (`["update",{...}]`), written without
    /// copying the payload.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_json(&mut out);
        out
    }

    /// [`IntercomCall::to_json`], appended to `out`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("[\"");
        out.push_str(self.method());
        out.push('"');
        match self {
            IntercomCall::Boot(m) | IntercomCall::Update(m) => {
                out.push(',');
                crate::engine::json::write_object(m, out);
            }
            IntercomCall::TrackEvent { name, metadata } => {
                out.push(',');
                crate::engine::json::write_string(name, out);
                out.push(',');
                crate::engine::json::write_object(metadata, out);
            }
            IntercomCall::Shutdown => {}
        }
        out.push(']');
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
