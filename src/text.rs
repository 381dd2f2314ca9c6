//! Small text helpers shared by the core, chosen for wasm size: quoting and number parsing reuse
//! serde_json (already linked), and case mapping uses the JS engine's Unicode tables in the
//! browser instead of linking Rust's (about 25 KB).

/// A string in double quotes with JSON escapes, for messages.
pub fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Parses a JSON-style number (`-1.5`, `2e3`); `None` for anything else, NaN and infinities.
pub fn parse_number(s: &str) -> Option<f64> {
    // Via `Value`: deserializing `f64` directly links serde's float `Display` for its errors.
    match serde_json::from_str::<serde_json::Value>(s.trim()) {
        Ok(serde_json::Value::Number(n)) => n.as_f64().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// A JSON number as text (`12`, `19.99`). Goes through the serializer, which is smaller than
/// core's float `Display`.
pub fn number_text(n: &serde_json::Number) -> String {
    serde_json::Value::Number(n.clone()).to_string()
}

/// Formats a float for messages (`1`, `1.5`, `1e+21`).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return (n as i64).to_string();
    }
    serde_json::Number::from_f64(n).map_or_else(|| "NaN".to_string(), |n| number_text(&n))
}

/// Lower- or upper-cases with full Unicode rules.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_case(s: &str, upper: bool) -> String {
    if upper {
        s.to_uppercase()
    } else {
        s.to_lowercase()
    }
}

/// Lower- or upper-cases with full Unicode rules (ASCII here; the rest through JavaScript).
#[cfg(target_arch = "wasm32")]
pub fn to_case(s: &str, upper: bool) -> String {
    if s.is_ascii() {
        return if upper {
            s.to_ascii_uppercase()
        } else {
            s.to_ascii_lowercase()
        };
    }
    let js = js_sys::JsString::from(s);
    String::from(if upper {
        js.to_upper_case()
    } else {
        js.to_lower_case()
    })
}
