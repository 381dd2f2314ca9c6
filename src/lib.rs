//! Intercom Web (Actions) for analytics.js, in Rust compiled to WebAssembly.
//!
//! The pure core turns settings and analytics.js events (JSON) into Intercom Messenger calls:
//! - [`settings`]: settings and their validation;
//! - [`subscription`]: which action runs on which events (the trigger language);
//! - [`mapping`]: Segment's mapping directives;
//! - [`actions`]: trackEvent, identifyUser, identifyCompany and their presets;
//! - [`intercom`]: the call model and Intercom's value rules;
//! - [`Destination`]: all of it together.
//!
//! `browser` (wasm32 only) is the thin shell that loads the widget and speaks the
//! analytics.js plugin contract; `alloc` (wasm32 only) is its memory allocator.

// The nightly release build (scripts/build.sh) builds this crate for size, except the
// allocator's functions, marked `optimize(speed)`.
#![cfg_attr(intercom_speed, feature(optimize_attribute))]

pub mod actions;
mod destination;
pub mod event;
pub mod intercom;
pub mod json;
pub mod mapping;
pub mod path;
pub mod reads;
pub mod settings;
pub mod subscription;
pub mod tape;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod browser;

#[cfg(target_arch = "wasm32")]
pub mod alloc;

/// The wasm build's allocator: small and fast (see [`alloc`]).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::SizeClasses = alloc::SizeClasses::new();

pub use actions::ActionKind;
pub use destination::{Clock, Destination, Outcome, DESTINATION_NAME};
pub use intercom::{IntercomCall, Warning};
pub use settings::{Settings, SettingsError};

#[cfg(test)]
mod tests {
    /// The browser shell writes these into JSON without escaping them.
    #[test]
    fn names_need_no_escapes() {
        for a in crate::ActionKind::ALL {
            let s = crate::text::cat(&[
                crate::DESTINATION_NAME,
                " ",
                a.key(),
                env!("CARGO_PKG_VERSION"),
            ]);
            assert_eq!(crate::text::quoted(&s), crate::text::cat(&["\"", &s, "\""]));
        }
    }
}
