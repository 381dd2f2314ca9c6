//! The Segment actions engine, with nothing Intercom-specific: the JSON value, paths, the
//! trigger language of subscriptions, mapping directives, the parts of an event they read, and
//! the tape in which the browser hands events over. Depends on nothing else in this crate.

pub mod event;
pub mod host;
pub mod js;
pub mod json;
pub mod mapping;
pub mod path;
pub mod reads;
pub mod tape;
pub mod text;
pub mod trigger;
pub mod warning;

pub use warning::Warning;
