//! The host seam, native side: the native implementations of what the engine asks of its host
//! (`engine::host`: `JSON.parse` as the browser reads its result, `String(v)` of a float,
//! case mapping) on a generated corpus, recorded in `tests/fixtures/host-seam.json`. The browser
//! tests (`tests/web.rs`, `the_host_functions_of_each_browser_match_the_native_ones`) run the
//! same corpus through the browser's functions in Chromium, Firefox and WebKit and expect the
//! recorded answers: the native build, which `cargo test` runs, is the model that ships.
//!
//! After a deliberate change, `UPDATE_FIXTURES=1 cargo test --test host_seam` writes the file
//! again (then the browser tests say whether the browsers agree).

use intercom_web_destination::engine::host;
use serde_json::{json, Value as Json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/host-seam.json");

/// xorshift64*: a small seeded generator, so the corpus is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

fn floats(r: &mut Rng) -> Vec<f64> {
    let mut out = vec![
        0.5,
        -1.5,
        0.1,
        0.1 + 0.2,
        1e21,
        1e21 - 65536.0,
        999_999_999_999_999_900_000.0,
        1e-6,
        1e-7,
        1.5e-7,
        123e-20,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        2f64.powi(53) + 2.0,
        2f64.powi(60),
        -2f64.powi(70),
        1.0 / 3.0,
        19.99,
        1.005,
        4.35,
        0.000_001_234_5,
        123_456.789,
    ];
    for _ in 0..600 {
        // Any finite bit pattern.
        let v = f64::from_bits(r.next());
        if v.is_finite() {
            out.push(v);
        }
    }
    for _ in 0..400 {
        // Decimals as people write them: digits over a power of ten.
        let digits = (r.next() % 10_000_000) as f64;
        let scale = 10f64.powi(r.below(30) as i32 - 12);
        out.push(if r.below(2) == 0 {
            digits * scale
        } else {
            -digits / scale
        });
    }
    out.retain(|v| v.fract() != 0.0 || v.abs() > 9_007_199_254_740_992.0);
    out
}

const KEYS: &[&str] = &[
    "a",
    "b",
    "plan",
    "0",
    "1",
    "10",
    "2",
    "01",
    "-1",
    "4294967294",
    "4294967295",
    "1.5",
    " 1",
    "__proto__",
    "constructor",
    "",
    "é",
    "😀",
    "length",
];

const NUMBER_TEXTS: &[&str] = &[
    "0",
    "-0",
    "1.10",
    "1e400",
    "-1e400",
    "1E2",
    "0.1e1",
    "1e-400",
    "123456789012345678901234567890",
    "9007199254740993",
    "2.5e-7",
    "19.99",
    "-0.0",
    "1e21",
    "0.000001",
];

const STRING_TEXTS: &[&str] = &[
    r#""""#,
    r#""x""#,
    r#""\u00e9""#,
    r#""\ud83d\ude00""#,
    r#""\ud800""#,
    r#""\udc00x""#,
    r#""\ud800\ud800""#,
    r#""\ud83d\u0041""#,
    r#""a\nb\t\"\\\/""#,
    r#""\u0000\u001f""#,
    "\"é😀\"",
];

/// JSON text for a value, with some of what text can hold and JavaScript reads its own way.
fn json_text(r: &mut Rng, depth: usize) -> String {
    match r.below(if depth > 3 { 4 } else { 7 }) {
        0 => r.pick(NUMBER_TEXTS).to_string(),
        1 => r.pick(STRING_TEXTS).to_string(),
        2 => r.pick(&["true", "false", "null"]).to_string(),
        3 => r.pick(&["1", "2.5", "\"s\""]).to_string(),
        4 | 5 => {
            let n = r.below(5);
            let entries: Vec<String> = (0..n)
                .map(|_| {
                    let key = serde_json::to_string(r.pick(KEYS)).unwrap();
                    let ws = r.pick(&["", " ", "\n\t"]);
                    format!("{ws}{key}{ws}:{ws}{}", json_text(r, depth + 1))
                })
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        _ => {
            let n = r.below(4);
            let items: Vec<String> = (0..n).map(|_| json_text(r, depth + 1)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn json_texts(r: &mut Rng) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "'a'",
        "01",
        "+1",
        ".5",
        "1.",
        "NaN",
        "Infinity",
        "\u{feff}1",
        "[1] x",
        "\"\t\"",
        "{\"a\" 1}",
        "tru",
        "nul",
        "\"\\x\"",
        "\"\\u12\"",
        " [ ] ",
        "{\"b\":1,\"a\":2,\"b\":3}",
        "{\"1\":1,\"0\":0,\"x\":2,\"01\":3}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for depth in [63, 64, 65] {
        out.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        out.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)));
    }
    for _ in 0..400 {
        out.push(json_text(r, 0));
    }
    out
}

const CASE_TEXTS: &[&str] = &[
    "Pro Plan",
    "straße",
    "ﬁnance",
    "İstanbul",
    "ıi",
    "ΌΣΟΣ",
    "ΣΑΣ Σ",
    "Σ",
    "aΣ b",
    "ǅ",
    "ǆ",
    "ŉ",
    "ǰ",
    "ΐ",
    "և",
    "Ꭰꭰ",
    "ᏸ",
    "ა",
    "Ა",
    "ẞ",
    "ﬀ",
    "ᾳ",
    "ᾼ",
    "Å",
    "ﬆ",
    "Ⓐ",
    "ǈ",
    "𐐀𐐨",
    "𞤀",
    "ꞵ",
    "Ɦ",
    "ꮿ",
    "a\u{300}",
    "I\u{307}",
    "ΑΣ\u{301}",
    "😀",
];

fn case_texts(r: &mut Rng) -> Vec<String> {
    let mut out: Vec<String> = CASE_TEXTS.iter().map(|s| s.to_string()).collect();
    // Letters of many scripts, including the planes beyond the first. Letters assigned in
    // Unicode 16 and later (U+1C89, U+1C8A, U+A7CB to U+A7DC) are left out: each browser maps
    // them by its own Unicode version (WebKitGTK's does not know them yet), which no host
    // implementation can match in all browsers at once.
    let ranges: &[(u32, u32)] = &[
        (0x41, 0x24f),
        (0x370, 0x58f),
        (0x10a0, 0x10ff),
        (0x13a0, 0x13ff),
        (0x1c80, 0x1c88),
        (0x1c90, 0x1cbf),
        (0x1e00, 0x1fff),
        (0x2c00, 0x2c7f),
        (0xa640, 0xa7ca),
        (0xa7f2, 0xa7ff),
        (0xab70, 0xabbf),
        (0xff21, 0xff5a),
        (0x10400, 0x1044f),
        (0x10c80, 0x10cff),
        (0x1e900, 0x1e943),
    ];
    for _ in 0..300 {
        let text: String = (0..1 + r.below(4))
            .filter_map(|_| {
                let (lo, hi) = ranges[r.below(ranges.len())];
                char::from_u32(lo + (r.next() % u64::from(hi - lo + 1)) as u32)
            })
            .collect();
        out.push(text);
    }
    out
}

/// The corpus with the native answers.
fn recorded() -> Json {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let floats: Vec<Json> = floats(&mut r)
        .into_iter()
        .map(|v| json!([format!("{:016x}", v.to_bits()), host::float_text(v)]))
        .collect();
    let parses: Vec<Json> = json_texts(&mut r)
        .into_iter()
        .map(|text| {
            let answer = host::parse_json(&text).ok().map(|v| v.to_json());
            json!([text, answer])
        })
        .collect();
    let cases: Vec<Json> = case_texts(&mut r)
        .into_iter()
        .map(|text| {
            json!([
                host::to_case(&text, true),
                host::to_case(&text, false),
                text
            ])
        })
        .collect();
    json!({
        "about": "Written by tests/host_seam.rs (native answers); read by tests/web.rs in each browser. floats: [bits, String(v)]; parses: [text, JSON of the value read, or null for an error]; cases: [upper, lower, text].",
        "floats": floats,
        "parses": parses,
        "cases": cases,
    })
}

#[test]
fn the_native_host_functions_give_the_recorded_answers() {
    let now = serde_json::to_string_pretty(&recorded()).unwrap() + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(FIXTURE, &now).unwrap();
    }
    let before = std::fs::read_to_string(FIXTURE).unwrap_or_default();
    assert!(
        before == now,
        "tests/fixtures/host-seam.json differs from the native answers: after a deliberate \
         change, run UPDATE_FIXTURES=1 cargo test --test host_seam (the browser tests then \
         check the browsers agree)"
    );
}
