//! The settings are declared once (`SETTINGS` in src/intercom/settings.rs): the README's settings
//! table and the settings interface of `js/index.d.ts` must say the same, or this fails (and
//! prints what they should say).
#![cfg(not(target_arch = "wasm32"))]

use intercom_web_destination::intercom::settings::SETTINGS;
use std::fs;
use std::path::Path;

fn read(file: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap()
}

#[test]
fn the_readme_settings_table_is_the_declared_one() {
    let mut want = String::from("| setting | meaning | default |\n|---|---|---|\n");
    for s in SETTINGS {
        let required = if s.required { " (required)" } else { "" };
        want.push_str(&format!(
            "| `{}`{required} | {} | {} |\n",
            s.key, s.docs.doc, s.docs.default
        ));
    }
    let readme = read("README.md");
    assert!(
        readme.contains(&want),
        "README.md's settings table differs from SETTINGS; it should be:\n\n{want}"
    );
}

#[test]
fn the_typescript_settings_are_the_declared_ones() {
    let dts = read("js/index.d.ts");
    let start = dts
        .find("export interface IntercomDestinationSettings {")
        .expect("js/index.d.ts declares IntercomDestinationSettings");
    let body = &dts[start..start + dts[start..].find("\n}").unwrap()];
    let declared: Vec<(String, bool, String)> = body
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("/**") && !l.starts_with('*') && !l.is_empty())
        .map(|l| {
            let (name, ty) = l
                .split_once(':')
                .unwrap_or_else(|| panic!("not a property: {l}"));
            let ty = ty.trim().trim_end_matches(';');
            let optional = name.ends_with('?');
            let ty = ty.strip_suffix(" | undefined").unwrap_or(ty);
            (
                name.trim_end_matches('?').to_string(),
                !optional,
                ty.to_string(),
            )
        })
        .collect();
    let want: Vec<(String, bool, String)> = SETTINGS
        .iter()
        .map(|s| (s.key.to_string(), s.required, s.docs.ts_type.to_string()))
        .collect();
    assert_eq!(
        declared, want,
        "js/index.d.ts vs SETTINGS (key, required, type)"
    );
}
