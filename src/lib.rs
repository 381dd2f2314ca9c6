//! Intercom Web (Actions) for analytics.js, in Rust compiled to WebAssembly. Three places, with
//! dependencies pointing one way (shell -> intercom -> engine):
//! - [`engine`]: Segment's actions model, nothing Intercom-specific: the JSON value, paths, the
//!   trigger language, mapping directives, the parts of an event they read, the tape;
//! - [`intercom`]: the destination: settings, subscriptions of its three actions, the actions,
//!   the Messenger call model, Intercom's value rules and session rules; [`Destination`] is all
//!   of it together;
//! - `shell` (wasm32 only): the browser side: the wasm exports that `js/boundary.js` drives, the
//!   widget loader's decisions, and the allocator.

// The nightly release build (scripts/build.sh) builds this crate for size, except the
// allocator's functions, marked `optimize(speed)`.
#![cfg_attr(intercom_speed, feature(optimize_attribute))]

pub mod engine;
pub mod intercom;

#[cfg(target_arch = "wasm32")]
pub mod shell;

/// The wasm build's allocator: small and fast (see `shell::alloc`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: shell::alloc::SizeClasses = shell::alloc::SizeClasses::new();

pub use intercom::actions::ActionKind;
pub use intercom::destination::{Clock, Destination, Outcome, DESTINATION_NAME};
pub use intercom::settings::{Settings, SettingsError};
pub use intercom::IntercomCall;
