//! What the engine asks of its host: the one seam between the browser build and the native
//! build. In the browser these are the JavaScript engine's own functions, called through
//! `js/boundary.js`: `JSON.parse` (its result read as events are, into a
//! [`crate::engine::tape`]), `String(v)` of a number, `toUpperCase` / `toLowerCase`, and the
//! UTF-8 that `TextEncoder` writes into tapes. Natively (`cargo test`, the fuzzer, the tools)
//! they are Rust implementations that give the same results, so the native tests run the
//! model that ships; `tests/e2e/host-seam.test.mjs` compares the two on generated inputs in
//! headless Chromium.
//!
//! Nothing else in the crate depends on which build it is in.

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
use browser as host;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
use native as host;

use crate::engine::json::Value;

/// `JSON.parse(text)`, read as the browser reads a value for the core: object keys in
/// JavaScript's order (array indices first, ascending; a repeated key keeps its first place and
/// its last value), numbers as floats (`-0` as `0`, beyond the float range null), lone UTF-16
/// surrogates as U+FFFD. A value nested deeper than [`crate::engine::event::MAX_DEPTH`] or with
/// 200,000 values or more is an error, as is text that is not JSON. The messages of errors differ
/// between the builds (each browser engine words its own).
pub fn parse_json(text: &str) -> Result<Value, String> {
    host::parse_json(text)
}

/// JavaScript's `String(v)` of a finite float: the shortest digits that read back as `v`, placed
/// as ECMAScript's `Number::toString` places them (`0.1`, `1e+21`, `1.5e-7`).
pub fn float_text(v: f64) -> String {
    host::float_text(v)
}

/// JavaScript's `toUpperCase()` / `toLowerCase()`: full Unicode case mapping.
pub fn to_case(s: &str, upper: bool) -> String {
    host::to_case(s, upper)
}

/// The text of a tape's string bytes. In the browser they are `TextEncoder` output written by
/// `js/boundary.js` only, valid UTF-8, trusted as wasm-bindgen trusts its own strings; natively,
/// where tests and the fuzzer write tapes by hand, they are checked (`None`: not UTF-8).
pub fn tape_text(bytes: &[u8]) -> Option<String> {
    host::tape_text(bytes)
}
