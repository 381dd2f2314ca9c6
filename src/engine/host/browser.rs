//! The host functions in the browser: the JavaScript engine's, through `js/boundary.js`.

use crate::engine::json::Value;

/// `js/boundary.js`'s host functions, with wasm-bindgen's string and byte passing.
#[allow(non_snake_case)]
mod js {
    #[wasm_bindgen::prelude::wasm_bindgen(module = "/js/boundary.js")]
    extern "C" {
        pub fn toCase(text: &str, upper: bool) -> String;
        pub fn floatText(v: f64) -> String;
        /// The tape of `JSON.parse(text)`, or an error tape.
        pub fn parseJson(text: &str) -> Vec<u8>;
    }
}

pub fn parse_json(text: &str) -> Result<Value, String> {
    let tape = js::parseJson(text);
    let mut notes = Vec::new();
    let (value, _) = crate::engine::tape::decode(&tape, &mut notes).map_err(|e| e.message())?;
    // A note here is a limit (depth, number of values) that the text went past: an error.
    match notes.first() {
        None => Ok(value),
        Some(note) => Err(note.text()),
    }
}

pub fn float_text(v: f64) -> String {
    js::floatText(v)
}

pub fn to_case(s: &str, upper: bool) -> String {
    js::toCase(s, upper)
}

pub fn tape_text(bytes: &[u8]) -> Option<String> {
    // SAFETY: tapes come only from `js/boundary.js` (see `tape_text` in the module above).
    Some(unsafe { String::from_utf8_unchecked(bytes.to_vec()) })
}
