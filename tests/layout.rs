//! The architecture holds: shell -> intercom -> engine, never back.

use std::fs;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

fn assert_never_uses(place: &str, forbidden: &[&str]) {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(place),
        &mut files,
    );
    assert!(!files.is_empty(), "src/{place} has no sources");
    for (path, text) in files {
        for f in forbidden {
            assert!(
                !text.contains(f),
                "{path} uses {f}: src/{place} must not depend on it"
            );
        }
    }
}

#[test]
fn the_engine_depends_on_nothing_else_in_the_crate() {
    assert_never_uses(
        "engine",
        &["crate::intercom", "crate::shell", "crate::Destination"],
    );
}

#[test]
fn the_destination_knows_nothing_of_the_browser() {
    assert_never_uses("intercom", &["crate::shell", "wasm_bindgen"]);
}
