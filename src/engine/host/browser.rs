//! The host functions in the browser: the JavaScript engine's, through `js/boundary.js`.

use crate::engine::json::Value;

/// `js/boundary.js`'s host functions, with numbers only: each reads its text from this module's
/// memory and holds its answer, whose length it returns; [`held`] copies the answer in.
#[allow(non_snake_case)]
mod js {
    #[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
    extern "C" {
        // i32 (not pointers or u32), which wasm-bindgen passes as they are: no glue.
        pub fn toCase(text: i32, len: i32, upper: i32) -> i32;
        pub fn floatText(v: f64) -> i32;
        pub fn parseJson(text: i32, len: i32) -> i32;
        pub fn takeHeld(to: i32);
    }
}

/// The `n` bytes the last host call holds.
fn held(n: i32) -> Vec<u8> {
    let mut bytes = vec![0; n.max(0) as usize];
    js::takeHeld(bytes.as_mut_ptr() as i32);
    bytes
}

/// Held text: `TextEncoder` output (or ASCII), valid UTF-8.
fn held_text(n: i32) -> String {
    // SAFETY: `js/boundary.js` holds only `TextEncoder` output or ASCII for these.
    unsafe { String::from_utf8_unchecked(held(n)) }
}

pub fn parse_json(text: &str) -> Result<Value, String> {
    let tape = held(js::parseJson(text.as_ptr() as i32, text.len() as i32));
    let mut notes = Vec::new();
    let (value, _) = crate::engine::tape::decode(&tape, &mut notes).map_err(|e| e.message())?;
    // A note here is a limit (depth, number of values) that the text went past: an error.
    match notes.first() {
        None => Ok(value),
        Some(note) => Err(note.text()),
    }
}

pub fn float_text(v: f64) -> String {
    held_text(js::floatText(v))
}

pub fn to_case(s: &str, upper: bool) -> String {
    held_text(js::toCase(
        s.as_ptr() as i32,
        s.len() as i32,
        i32::from(upper),
    ))
}

pub fn tape_text(bytes: &[u8]) -> Option<String> {
    // SAFETY: tapes come only from `js/boundary.js` (see `tape_text` in the module above).
    Some(unsafe { String::from_utf8_unchecked(bytes.to_vec()) })
}
