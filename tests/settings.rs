//! Settings validation: every error message, defaults, and subscription problems.

use intercom_web_destination::engine::json::Value;
use intercom_web_destination::intercom::settings::ApiBase;
use intercom_web_destination::json;
use intercom_web_destination::{ActionKind, Destination, Settings};

fn error(raw: Value) -> String {
    Destination::new(&raw).unwrap_err().message()
}

#[test]
fn defaults_with_only_app_id() {
    let s = Settings::parse(&json!({"appId": "abc12345"})).unwrap();
    assert_eq!(s.app_id, "abc12345");
    assert_eq!(s.activator, "#IntercomDefaultWidget");
    assert_eq!(s.custom_activator(), None);
    assert_eq!(s.api_base, ApiBase::Us);
    assert_eq!(s.rich_link_properties, Vec::<String>::new());
    assert_eq!(
        s.widget_script_url(),
        "https://widget.intercom.io/widget/abc12345"
    );
    assert_eq!(s.load_timeout_ms, 10_000);
    assert_eq!(s.csp_nonce, None);
    assert!(!s.debug);
    assert!(s.ensure_ping);
    let d = Destination::new(&json!({"appId": "abc12345"})).unwrap();
    assert_eq!(
        d.actions(),
        vec![
            ActionKind::TrackEvent,
            ActionKind::IdentifyUser,
            ActionKind::IdentifyCompany
        ]
    );
    assert!(d.setup_warnings().is_empty());
}

#[test]
fn api_base_accepts_urls_and_region_codes() {
    for (raw, want) in [
        ("https://api-iam.intercom.io", ApiBase::Us),
        ("https://api-iam.eu.intercom.io/", ApiBase::Eu),
        ("https://api-iam.au.intercom.io", ApiBase::Au),
        ("us", ApiBase::Us),
        ("EU", ApiBase::Eu),
        (" au ", ApiBase::Au),
        ("", ApiBase::Us),
    ] {
        let s = Settings::parse(&json!({"appId": "a", "apiBase": raw})).unwrap();
        assert_eq!(s.api_base, want, "{raw}");
    }
}

#[test]
fn widget_url_and_nonce() {
    let s = Settings::parse(&json!({"appId": "a1", "widgetUrl": "http://127.0.0.1:8080/widget/", "cspNonce": "r4nd0m+/="})).unwrap();
    assert_eq!(s.widget_script_url(), "http://127.0.0.1:8080/widget/a1");
    assert_eq!(s.csp_nonce.as_deref(), Some("r4nd0m+/="));
    let longest = format!("https://cdn.example/{}", "w".repeat(2028));
    assert_eq!(longest.len(), 2048);
    for ok in [
        longest.as_str(),
        "https://cdn.example.com/intercom",
        "http://localhost:3000",
        "http://[::1]:9000/w",
    ] {
        assert!(
            Settings::parse(&json!({"appId": "a", "widgetUrl": ok})).is_ok(),
            "{ok}"
        );
    }
}

#[test]
fn every_error_message() {
    let url_error = |got: &str| {
        format!("widgetUrl must be an https: URL, or an http: URL on a loopback host (localhost, 127.0.0.1, [::1]), of at most 2048 characters, got {got}")
    };
    let cases: Vec<(Value, String)> = vec![
        (json!([]), "settings must be an object, got an array".into()),
        (json!({}), "appId is required".into()),
        (json!({"appId": ""}), "appId is required".into()),
        (json!({"appId": null}), "appId is required".into()),
        (json!({"appId": 12345}), "appId must be a string, got a number".into()),
        (json!({"appId": "abc/../x"}), "appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got \"abc/../x\"".into()),
        (json!({"appId": "a".repeat(65)}), format!("appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got \"{}\"", "a".repeat(65))),
        (json!({"appId": "\"><script>"}), "appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got \"\\\"><script>\"".into()),
        (json!({"appId": "a", "apiBase": "https://evil.example"}), "apiBase must be one of https://api-iam.intercom.io, https://api-iam.eu.intercom.io, https://api-iam.au.intercom.io (or us, eu, au), got \"https://evil.example\"".into()),
        (json!({"appId": "a", "apiBase": 1}), "apiBase must be a string, got a number".into()),
        (json!({"appId": "a", "activator": true}), "activator must be a string, got a boolean".into()),
        (json!({"appId": "a", "richLinkProperties": "article"}), "richLinkProperties must be an array of strings, got a string".into()),
        (json!({"appId": "a", "richLinkProperties": ["a", 2]}), "richLinkProperties[1] must be a string, got a number".into()),
        (json!({"appId": "a", "richLinkProperties": vec!["k"; 101]}), "richLinkProperties must be an array of at most 100 strings, got an array of 101".into()),
        (json!({"appId": "a", "richLinkProperties": ["a", "k".repeat(257)]}), "richLinkProperties[1] must be a string of at most 256 characters, got a longer one".into()),
        (json!({"appId": "a", "widgetUrl": "javascript:alert(1)"}), url_error("\"javascript:alert(1)\"")),
        (json!({"appId": "a", "widgetUrl": "http://evil.example/w"}), url_error("\"http://evil.example/w\"")),
        (json!({"appId": "a", "widgetUrl": "http://127.0.0.1.evil.example/w"}), url_error("\"http://127.0.0.1.evil.example/w\"")),
        (json!({"appId": "a", "widgetUrl": "https://user@evil.example"}), url_error("\"https://user@evil.example\"")),
        (json!({"appId": "a", "widgetUrl": "https://x.example/w\"onload=\""}), url_error("\"https://x.example/w\\\"onload=\\\"\"")),
        (json!({"appId": "a", "widgetUrl": "//cdn.example"}), url_error("\"//cdn.example\"")),
        // Longer than 2,048 characters: the message shows the first 80.
        (json!({"appId": "a", "widgetUrl": format!("https://cdn.example/{}", "w".repeat(2029))}), url_error(&format!("\"https://cdn.example/{}…\"", "w".repeat(60)))),
        (json!({"appId": "a", "activator": "#a".repeat(513)}), format!("activator must be a CSS selector of at most 1024 characters, got \"{}…\"", "#a".repeat(40))),
        (json!({"appId": "a", "cspNonce": "a b"}), "cspNonce must be a base64 value of at most 256 characters, got \"a b\"".into()),
        (json!({"appId": "a", "loadTimeoutMs": 0}), "loadTimeoutMs must be between 1 and 600000, got 0".into()),
        (json!({"appId": "a", "loadTimeoutMs": "10"}), "loadTimeoutMs must be a number of milliseconds, got a string".into()),
        (json!({"appId": "a", "debug": "yes"}), "debug must be true or false, got a string".into()),
        (json!({"appId": "a", "ensurePing": 1}), "ensurePing must be true or false, got a number".into()),
        (json!({"appId": "a", "subscriptions": 5}), "subscriptions must be an array (or a JSON string of one), got a number".into()),
        (json!({"appId": "a", "subscriptions": "[{"}), "subscriptions is not valid JSON: expected a key at offset 2".into()),
        (json!({"appId": "a", "subscriptions": "{}"}), "subscriptions must be an array, got an object".into()),
    ];
    for (raw, message) in cases {
        assert_eq!(error(raw.clone()), message, "{}", raw.to_json());
    }
}
