//! Browser tests (headless Chromium, `wasm-pack test --headless --chrome`): the widget loader and
//! the analytics.js plugin objects, with a recording stand-in for the Intercom widget.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod browser;
use browser::{call, create_plugins, get, js, json_of};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function resetPage() {
  delete window.Intercom;
  delete window.intercomSettings;
  for (const s of [...document.querySelectorAll('script[src*="/widget-under-test/"]')]) s.remove();
}
export function widgetBase() { return location.origin + '/widget-under-test'; }
export function scriptsFor(url) {
  return [...document.getElementsByTagName('script')].filter((s) => s.getAttribute('src') === url);
}
// What the real widget does when its script runs: replace the stub, replay its queue in order.
export function simulateWidget(url) {
  const stub = window.Intercom;
  const calls = [];
  const widget = function (...args) { calls.push(JSON.parse(JSON.stringify(args))); };
  widget.calls = calls;
  window.Intercom = widget;
  for (const args of (stub && stub.q) || []) widget(...Array.from(args));
  for (const s of scriptsFor(url)) s.dispatchEvent(new Event('load'));
  return widget;
}
export function installWidget() {
  const calls = [];
  const widget = function (...args) { calls.push(JSON.parse(JSON.stringify(args))); };
  widget.calls = calls;
  window.Intercom = widget;
  return widget;
}
export function stubQueue() {
  return JSON.parse(JSON.stringify((window.Intercom.q || []).map((a) => Array.from(a))));
}
export function makeCtx(event) {
  const logs = [];
  return { event, logs, log(level, message) { logs.push([level, message]); } };
}
export function cyclicEvent() { const e = { type: 'track', event: 'Loop', properties: {} }; e.properties.self = e; return e; }
export function inertScript(url) {
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.setAttribute('src', url);
  document.head.appendChild(s);
}
export function fakeAnalytics() {
  const listeners = {};
  return {
    listeners,
    on(name, fn) { (listeners[name] ||= []).push(fn); },
    emit(name) { for (const fn of listeners[name] || []) fn(); },
  };
}
export function nextTick() { return new Promise((r) => setTimeout(r, 0)); }
// The page's own intercomSettings, as a read-only global.
export function readOnlySettings() {
  Object.defineProperty(window, 'intercomSettings', { value: { alignment: 'left' }, writable: false, configurable: true });
}
// A widget whose first trackEvent sends another event to `plugin` while it runs.
export function installReentrantWidget(plugin, inner) {
  const calls = [];
  let entered = false;
  const widget = function (...args) {
    calls.push(JSON.parse(JSON.stringify(args)));
    if (args[0] === 'trackEvent' && !entered) {
      entered = true;
      plugin.track(inner);
    }
  };
  widget.calls = calls;
  window.Intercom = widget;
  return widget;
}
"#)]
extern "C" {
    fn resetPage();
    #[wasm_bindgen(js_name = widgetBase)]
    fn widget_base() -> String;
    #[wasm_bindgen(js_name = scriptsFor)]
    fn scripts_for(url: &str) -> Array;
    #[wasm_bindgen(js_name = simulateWidget)]
    fn simulate_widget(url: &str) -> JsValue;
    #[wasm_bindgen(js_name = installWidget)]
    fn install_widget() -> JsValue;
    #[wasm_bindgen(js_name = stubQueue)]
    fn stub_queue() -> JsValue;
    #[wasm_bindgen(js_name = makeCtx)]
    fn make_ctx(event: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = cyclicEvent)]
    fn cyclic_event() -> JsValue;
    #[wasm_bindgen(js_name = inertScript)]
    fn inert_script(url: &str);
    #[wasm_bindgen(js_name = fakeAnalytics)]
    fn fake_analytics() -> JsValue;
    #[wasm_bindgen(js_name = nextTick)]
    fn next_tick() -> Promise;
    #[wasm_bindgen(js_name = readOnlySettings)]
    fn read_only_settings();
    #[wasm_bindgen(js_name = installReentrantWidget)]
    fn install_reentrant_widget(plugin: &JsValue, inner: &JsValue) -> JsValue;
}

fn plugins(settings: &str) -> Vec<JsValue> {
    create_plugins(js(settings))
        .unchecked_into::<Array>()
        .iter()
        .collect()
}

/// The plugins for these settings, loaded (with a widget already on the page).
async fn loaded_plugins(settings: &str) -> Vec<JsValue> {
    let ps = plugins(settings);
    settle(call(
        &ps[0],
        "load",
        &[JsValue::UNDEFINED, JsValue::UNDEFINED],
    ))
    .await
    .unwrap();
    ps
}

/// A track event named `name` through `plugin`.
fn track(plugin: &JsValue, name: &str) {
    let event = js(&format!(r#"{{"type": "track", "event": "{name}"}}"#));
    call(plugin, "track", &[make_ctx(&event)]);
}

async fn settle(p: JsValue) -> Result<JsValue, String> {
    JsFuture::from(p.dyn_into::<Promise>().unwrap())
        .await
        .map_err(|e| String::from(e.dyn_into::<js_sys::Error>().unwrap().message()))
}

fn settings_for(app_id: &str, extra: &str) -> String {
    format!(
        r#"{{"appId": "{app_id}", "widgetUrl": "{}"{extra}}}"#,
        widget_base()
    )
}

#[wasm_bindgen_test]
fn plugin_objects_follow_the_analytics_js_contract() {
    resetPage();
    let ps = plugins(r#"{"appId": "contract1"}"#);
    let names: Vec<String> = ps
        .iter()
        .map(|p| get(p, "name").as_string().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Intercom Web (Actions) trackEvent",
            "Intercom Web (Actions) identifyUser",
            "Intercom Web (Actions) identifyCompany"
        ]
    );
    for p in &ps {
        assert_eq!(get(p, "type"), JsValue::from("destination"));
        assert_eq!(get(p, "version"), JsValue::from(env!("CARGO_PKG_VERSION")));
        assert_eq!(call(p, "isLoaded", &[]), JsValue::FALSE);
        for m in [
            "load", "ready", "track", "identify", "page", "group", "alias",
        ] {
            assert!(get(p, m).is_function(), "{m}");
        }
    }
    // Only actions with an enabled subscription get a plugin.
    let only_track = plugins(
        r#"{"appId": "contract1", "subscriptions": [{"partnerAction": "trackEvent", "subscribe": "type = \"track\""},
            {"partnerAction": "identifyUser", "subscribe": "type = \"identify\"", "enabled": false}]}"#,
    );
    assert_eq!(only_track.len(), 1);
    assert_eq!(
        get(&only_track[0], "name"),
        JsValue::from("Intercom Web (Actions) trackEvent")
    );
}

#[wasm_bindgen_test]
async fn load_inserts_one_script_sets_settings_and_boots() {
    resetPage();
    let settings = settings_for("load1", r##", "cspNonce": "n0nce", "activator": "#chat""##);
    let url = format!("{}/load1", widget_base());
    let first = plugins(&settings);
    let second = plugins(&settings);
    // Every plugin of both factories loads; all share one script and one load.
    let loads: Vec<JsValue> = first
        .iter()
        .chain(second.iter())
        .map(|p| call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .collect();
    let scripts = scripts_for(&url);
    assert_eq!(scripts.length(), 1);
    let script: web_sys::Element = scripts.get(0).dyn_into().unwrap();
    assert_eq!(script.get_attribute("nonce").as_deref(), Some("n0nce"));
    assert!(script.has_attribute("async") || get(&script, "async") == JsValue::TRUE);
    assert_eq!(
        json_of(&get(&js_sys::global(), "intercomSettings")),
        r##"{"app_id":"load1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#chat"}"##
    );
    assert_eq!(
        json_of(&stub_queue()),
        r##"[["boot",{"app_id":"load1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#chat"}]]"##
    );
    let widget = simulate_widget(&url);
    for l in loads {
        settle(l).await.unwrap();
    }
    for p in first.iter().chain(second.iter()) {
        assert_eq!(call(p, "isLoaded", &[]), JsValue::TRUE);
    }
    assert_eq!(
        get(&widget, "calls").dyn_into::<Array>().unwrap().length(),
        1
    );
}

/// Loads with App ID `app_id` over the page's own `intercomSettings` (`{"alignment": "left",
/// ...}`): the settings are merged into that object, and the load completes.
async fn load_merges_settings_into_the_pages_object(app_id: &str) {
    let p = &plugins(&settings_for(app_id, ""))[0];
    let load = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
    assert_eq!(
        json_of(&get(&js_sys::global(), "intercomSettings")),
        format!(
            r##"{{"alignment":"left","app_id":"{app_id}","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}}"##
        )
    );
    simulate_widget(&format!("{}/{app_id}", widget_base()));
    settle(load).await.unwrap();
}

#[wasm_bindgen_test]
async fn intercom_settings_are_merged_into_an_existing_object() {
    resetPage();
    let _ = Reflect::set(
        &js_sys::global(),
        &"intercomSettings".into(),
        &js(r#"{"alignment": "left", "app_id": "old"}"#),
    );
    load_merges_settings_into_the_pages_object("merge1").await;
}

#[wasm_bindgen_test]
async fn a_read_only_intercom_settings_global_gets_the_settings_and_the_load_goes_on() {
    resetPage();
    read_only_settings();
    load_merges_settings_into_the_pages_object("readonly1").await;
}

#[wasm_bindgen_test]
async fn boot_arguments_per_region() {
    for (app, region, api) in [
        ("regionus", "us", "https://api-iam.intercom.io"),
        (
            "regioneu",
            "https://api-iam.eu.intercom.io",
            "https://api-iam.eu.intercom.io",
        ),
        ("regionau", "au", "https://api-iam.au.intercom.io"),
    ] {
        resetPage();
        let p = &plugins(&settings_for(app, &format!(r#", "apiBase": "{region}""#)))[0];
        let load = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
        let widget = simulate_widget(&format!("{}/{app}", widget_base()));
        settle(load).await.unwrap();
        assert_eq!(
            json_of(&get(&widget, "calls")),
            format!(
                r#"[["boot",{{"app_id":"{app}","installation_type":"s","api_base":"{api}"}}]]"#
            )
        );
    }
}

#[wasm_bindgen_test]
async fn events_before_the_widget_are_replayed_in_order() {
    resetPage();
    let ps = plugins(&settings_for("queue1", ""));
    let loads: Vec<JsValue> = ps
        .iter()
        .map(|p| call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .collect();
    let track = &ps[0];
    let identify = &ps[1];
    for i in 0..3 {
        let ctx = make_ctx(&js(&format!(
            r#"{{"type": "track", "event": "E{i}", "properties": {{"i": {i}}}}}"#
        )));
        call(track, "track", &[ctx]);
    }
    call(
        identify,
        "identify",
        &[make_ctx(&js(
            r#"{"type": "identify", "userId": "u1", "traits": {"name": "Ada"}}"#,
        ))],
    );
    let widget = simulate_widget(&format!("{}/queue1", widget_base()));
    for l in loads {
        settle(l).await.unwrap();
    }
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r#"[["boot",{"app_id":"queue1","installation_type":"s","api_base":"https://api-iam.intercom.io"}],["trackEvent","E0",{"i":0}],["trackEvent","E1",{"i":1}],["trackEvent","E2",{"i":2}],["update",{"user_id":"u1","name":"Ada"}]]"#
    );
}

#[wasm_bindgen_test]
async fn each_action_end_to_end_through_the_plugin_objects() {
    resetPage();
    let ps = plugins(&settings_for("actions1", ""));
    let loads: Vec<JsValue> = ps
        .iter()
        .map(|p| call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .collect();
    let widget = simulate_widget(&format!("{}/actions1", widget_base()));
    for l in loads {
        settle(l).await.unwrap();
    }
    let cases = [
        (
            0,
            "track",
            r#"{"type": "track", "event": "Order Completed", "properties": {"revenue": 19.99, "currency": "EUR", "sku": "x"}}"#,
        ),
        (
            1,
            "identify",
            r#"{"type": "identify", "userId": "u1", "traits": {"email": "a@b.example", "name": "Ada", "company": {"id": "c1", "name": "C"}}, "integrations": {"Intercom": {"user_hash": "h"}}}"#,
        ),
        (
            1,
            "page",
            r#"{"type": "page", "userId": "u1", "timestamp": "2023-11-14T22:13:20.000Z", "properties": {"path": "/"}}"#,
        ),
        (
            2,
            "group",
            r#"{"type": "group", "groupId": "g1", "traits": {"name": "Acme", "plan": "pro"}}"#,
        ),
        // Plugins ignore events their subscriptions do not match.
        (0, "identify", r#"{"type": "identify", "userId": "u1"}"#),
        (
            2,
            "alias",
            r#"{"type": "alias", "userId": "u1", "previousId": "a"}"#,
        ),
    ];
    for (index, method, event) in cases {
        let ctx = make_ctx(&js(event));
        let returned = settle(call(&ps[index], method, std::slice::from_ref(&ctx)))
            .await
            .unwrap();
        assert!(
            Object::is(&returned, &ctx),
            "{method} resolves with its context"
        );
        assert_eq!(
            get(&ctx, "logs").dyn_into::<Array>().unwrap().length(),
            0,
            "{method}"
        );
    }
    assert_eq!(
        json_of(&get(&widget, "calls")),
        concat!(
            r#"[["boot",{"app_id":"actions1","installation_type":"s","api_base":"https://api-iam.intercom.io"}],"#,
            r#"["trackEvent","Order Completed",{"price":{"amount":1999,"currency":"EUR"},"sku":"x"}],"#,
            r#"["update",{"user_id":"u1","email":"a@b.example","name":"Ada","user_hash":"h","company":{"company_id":"c1","name":"C"}}],"#,
            r#"["update",{"user_id":"u1","last_request_at":1700000000,"user_hash":"h"}],"#,
            r#"["update",{"company":{"company_id":"g1","name":"Acme","plan":"pro"}}]]"#
        )
    );
}

#[wasm_bindgen_test]
async fn warnings_and_unreadable_events_go_to_the_context_log() {
    resetPage();
    let widget = install_widget();
    let ps = loaded_plugins(r#"{"appId": "warn1"}"#).await;
    let ctx = make_ctx(&js(
        r#"{"type": "track", "event": "Nested", "properties": {"list": [1]}}"#,
    ));
    call(&ps[0], "track", std::slice::from_ref(&ctx));
    assert_eq!(
        json_of(&get(&ctx, "logs")),
        r#"[["warn","Intercom Web (Actions) trackEvent: event_metadata.list: dropped: Intercom metadata must be flat, got an array (list the key in richLinkProperties if it is a rich link)"]]"#
    );
    // A cyclic event: the cycle is cut with a warning, no throw, and the next event works.
    let ctx = make_ctx(&cyclic_event());
    let returned = settle(call(&ps[0], "track", std::slice::from_ref(&ctx))).await;
    assert!(returned.is_ok());
    let logs = json_of(&get(&ctx, "logs"));
    assert!(
        logs.starts_with(
            r#"[["warn","Intercom Web (Actions) trackEvent: event.properties.self: left out: circular reference"]"#
        ),
        "{logs}"
    );
    track(&ps[0], "After");
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r##"[["reattach_activator"],["update",{"app_id":"warn1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}],["trackEvent","Nested",{}],["trackEvent","Loop",{}],["trackEvent","After",{}]]"##
    );
}

#[wasm_bindgen_test]
async fn an_event_sent_from_an_intercom_callback_is_processed_in_turn() {
    resetPage();
    install_widget();
    let ps = loaded_plugins(r#"{"appId": "reenter1"}"#).await;
    let inner = make_ctx(&js(r#"{"type": "track", "event": "Inner"}"#));
    let widget = install_reentrant_widget(&ps[0], &inner);
    let outer = make_ctx(&js(r#"{"type": "track", "event": "Outer"}"#));
    assert!(settle(call(&ps[0], "track", std::slice::from_ref(&outer)))
        .await
        .is_ok());
    // The core has answered for the outer event before Intercom is called: the inner one is
    // handled like any other.
    assert_eq!(json_of(&get(&outer, "logs")), "[]");
    assert_eq!(json_of(&get(&inner, "logs")), "[]");
    track(&ps[0], "After");
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r#"[["trackEvent","Outer",{}],["trackEvent","Inner",{}],["trackEvent","After",{}]]"#
    );
}

#[wasm_bindgen_test]
async fn a_widget_already_on_the_page_is_reused() {
    resetPage();
    let widget = install_widget();
    let p = &plugins(&settings_for("existing1", ""))[0];
    settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .await
        .unwrap();
    assert_eq!(
        scripts_for(&format!("{}/existing1", widget_base())).length(),
        0
    );
    assert_eq!(call(p, "isLoaded", &[]), JsValue::TRUE);
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r##"[["reattach_activator"],["update",{"app_id":"existing1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}]]"##
    );
}

#[wasm_bindgen_test]
async fn script_error_rejects_load_and_leaves_a_clean_state() {
    resetPage();
    // The test server answers 404 for this URL: the script's error event fires.
    let p = &plugins(&settings_for("missing1", ""))[0];
    let url = format!("{}/missing1", widget_base());
    let err = settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!("Intercom widget could not be loaded from {url} (wrong App ID, blocked by a content blocker, or offline)")
    );
    assert_eq!(scripts_for(&url).length(), 0, "failed script removed");
    assert_eq!(call(p, "isLoaded", &[]), JsValue::FALSE);
    // A later load tries again and can succeed; calls queued meanwhile are kept.
    let retry = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
    assert_eq!(scripts_for(&url).length(), 1);
    let widget = simulate_widget(&url);
    settle(retry).await.unwrap();
    assert_eq!(call(p, "isLoaded", &[]), JsValue::TRUE);
    let calls = json_of(&get(&widget, "calls"));
    assert!(
        calls.starts_with(r#"[["boot",{"app_id":"missing1""#),
        "{calls}"
    );
}

#[wasm_bindgen_test]
async fn load_times_out() {
    resetPage();
    let url = format!("{}/slow1", widget_base());
    inert_script(&url); // a script tag that never loads nor fails
    let p = &plugins(&settings_for("slow1", r#", "loadTimeoutMs": 50"#))[0];
    let err = settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!("Intercom widget could not be loaded from {url} within 50 ms (wrong App ID, blocked by a content blocker, or offline)")
    );
}

#[wasm_bindgen_test]
async fn invalid_settings_reject_load_with_the_message() {
    resetPage();
    let ps = plugins(r#"{"appId": "bad id!"}"#);
    assert_eq!(ps.len(), 1);
    assert_eq!(get(&ps[0], "name"), JsValue::from("Intercom Web (Actions)"));
    let err = settle(call(
        &ps[0],
        "load",
        &[JsValue::UNDEFINED, JsValue::UNDEFINED],
    ))
    .await
    .unwrap_err();
    assert_eq!(
        err,
        "Intercom Web (Actions): appId must be 1-64 characters of A-Z, a-z, 0-9, _ or -, got \"bad id!\""
    );
    // Events reaching it anyway are a no-op, never a throw.
    let ctx = make_ctx(&js(r#"{"type": "track", "event": "x"}"#));
    assert!(settle(call(&ps[0], "track", &[ctx])).await.is_ok());
    let _ = next_tick();
}

#[wasm_bindgen_test]
async fn analytics_reset_shuts_down_and_boots_an_anonymous_visitor() {
    resetPage();
    let widget = install_widget();
    let analytics = fake_analytics();
    let ps = plugins(r#"{"appId": "reset1"}"#);
    for p in &ps {
        settle(call(p, "load", &[JsValue::UNDEFINED, analytics.clone()]))
            .await
            .unwrap();
    }
    // Three plugins, one listener: one shutdown per reset.
    let listeners: Array = get(&get(&analytics, "listeners"), "reset")
        .dyn_into()
        .unwrap();
    assert_eq!(listeners.length(), 1);
    call(
        &ps[1],
        "identify",
        &[make_ctx(&js(
            r#"{"type": "identify", "userId": "u1", "traits": {"name": "Ada"}, "integrations": {"Intercom": {"user_hash": "h1"}}}"#,
        ))],
    );
    call(&analytics, "emit", &["reset".into()]);
    // The next person's page view never carries the previous user's hash.
    call(
        &ps[1],
        "page",
        &[make_ctx(&js(
            r#"{"type": "page", "userId": null, "properties": {}, "timestamp": "2023-11-14T22:13:20Z"}"#,
        ))],
    );
    call(
        &ps[1],
        "identify",
        &[make_ctx(&js(
            r#"{"type": "identify", "userId": "u2", "traits": {"name": "Bob"}}"#,
        ))],
    );
    assert_eq!(
        json_of(&get(&widget, "calls")),
        concat!(
            r##"[["reattach_activator"],["update",{"app_id":"reset1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}],"##,
            r#"["update",{"user_id":"u1","name":"Ada","user_hash":"h1"}],"#,
            r#"["shutdown"],["boot",{"app_id":"reset1","installation_type":"s","api_base":"https://api-iam.intercom.io"}],"#,
            r#"["update",{"last_request_at":1700000000}],["update",{"user_id":"u2","name":"Bob"}]]"#
        )
    );
}
