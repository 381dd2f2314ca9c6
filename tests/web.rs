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
    emit(name, ...args) { for (const fn of listeners[name] || []) fn(...args); },
  };
}
// The stub of Intercom's own snippet (a `q` array), holding the page's own `boot`.
export function pageSnippetBooting(settings) {
  const i = function () { i.c(arguments); };
  i.q = [];
  i.c = (args) => i.q.push(args);
  window.Intercom = i;
  window.Intercom('boot', settings);
}
// Records the URLs the page fetches from now on.
export function recordFetches() {
  const urls = [];
  const original = window.fetch;
  window.fetch = function (input, init) {
    urls.push(String(input));
    return original.call(this, input, init);
  };
  return urls;
}
export function fireError(url) {
  for (const s of scriptsFor(url)) s.dispatchEvent(new Event('error'));
}
// What Segment's plugin leaves on `window.Intercom` for the page's scripts.
export function widgetDescription() {
  const w = window.Intercom;
  return { appId: w.appId, activator: w.activator, richLinkProperties: w.richLinkProperties };
}
// The console warning that names `url` (a widget that cannot load says why, once): resolves
// with every warning that names it, when the first comes. No clock: it waits for the event.
export function warningAbout(url) {
  const seen = [];
  const original = console.warn;
  return new Promise((resolve) => {
    console.warn = function (...args) {
      original.apply(this, args);
      const text = String(args[0]);
      if (!text.includes(url)) return;
      seen.push(text);
      // Later warnings about the same URL (there must be none) still land in `seen`.
      if (seen.length === 1) Promise.resolve().then(() => resolve(seen));
    };
  });
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
    #[wasm_bindgen(js_name = pageSnippetBooting)]
    fn page_snippet_booting(settings: &JsValue);
    #[wasm_bindgen(js_name = recordFetches)]
    fn record_fetches() -> Array;
    #[wasm_bindgen(js_name = fireError)]
    fn fire_error(url: &str);
    #[wasm_bindgen(js_name = widgetDescription)]
    fn widget_description() -> JsValue;
    #[wasm_bindgen(js_name = warningAbout)]
    fn warning_about(url: &str) -> Promise;
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
    // One plugin per factory call, under the destination's name, running every action: the
    // order of the events across actions is the order Intercom gets.
    let ps = plugins(r#"{"appId": "contract1"}"#);
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert_eq!(get(p, "name"), JsValue::from("Intercom Web (Actions)"));
    assert_eq!(get(p, "type"), JsValue::from("destination"));
    assert_eq!(get(p, "version"), JsValue::from(env!("CARGO_PKG_VERSION")));
    assert_eq!(call(p, "isLoaded", &[]), JsValue::FALSE);
    for m in [
        "load", "ready", "track", "identify", "page", "group", "alias", "screen",
    ] {
        assert!(get(p, m).is_function(), "{m}");
    }
    // With only some actions subscribed, the plugin still takes every event type.
    let only_track = plugins(
        r#"{"appId": "contract1", "subscriptions": [{"partnerAction": "trackEvent", "subscribe": "type = \"track\""},
            {"partnerAction": "identifyUser", "subscribe": "type = \"identify\"", "enabled": false}]}"#,
    );
    assert_eq!(only_track.len(), 1);
}

#[wasm_bindgen(module = "/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = Entry)]
    static ENTRY_KINDS: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = Tag)]
    static TAPE_TAGS: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = Flag)]
    static TAPE_FLAGS: JsValue;
}

/// `js` (a frozen object of name -> number) has exactly these names and numbers.
fn same_constants(what: &str, js: JsValue, rust: &[(&str, u8)]) {
    let names: Vec<String> = Object::keys(js.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    let want: Vec<&str> = rust.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, want, "{what}: the names");
    for (name, value) in rust {
        assert_eq!(
            get(&js, name).as_f64(),
            Some(f64::from(*value)),
            "{what}.{name}"
        );
    }
}

/// The wire protocol is declared once in Rust (the answer kinds `shell::Entry`, the tape's `Tag`
/// and `Flag`); `js/boundary.js` has the same numbers under the same names.
#[wasm_bindgen_test]
fn the_protocol_constants_of_javascript_are_the_rust_ones() {
    use intercom_web_destination::engine::tape::{Flag, Tag};
    use intercom_web_destination::shell::Entry;
    let entries: Vec<(&str, u8)> = Entry::ALL.iter().map(|(n, k)| (*n, *k as u8)).collect();
    let tags: Vec<(&str, u8)> = Tag::ALL.iter().map(|(n, k)| (*n, *k as u8)).collect();
    let flags: Vec<(&str, u8)> = Flag::ALL.iter().map(|(n, k)| (*n, *k as u8)).collect();
    same_constants("Entry", ENTRY_KINDS.with(JsValue::clone), &entries);
    same_constants("Tag", TAPE_TAGS.with(JsValue::clone), &tags);
    same_constants("Flag", TAPE_FLAGS.with(JsValue::clone), &flags);
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
    // As Intercom's snippet writes it (and Segment's plugin, whose tests check both).
    assert!(script.has_attribute("async") || get(&script, "async") == JsValue::TRUE);
    assert_eq!(
        script.get_attribute("type").as_deref(),
        Some("text/javascript")
    );
    assert_eq!(
        json_of(&get(&js_sys::global(), "intercomSettings")),
        r##"{"app_id":"load1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#chat"}"##
    );
    assert_eq!(
        json_of(&stub_queue()),
        r##"[["boot",{"app_id":"load1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#chat"}]]"##
    );
    // `load` resolves once the stub queue holds the boot call, as Intercom's snippet works.
    for l in loads {
        settle(l).await.unwrap();
    }
    for p in first.iter().chain(second.iter()) {
        assert_eq!(call(p, "isLoaded", &[]), JsValue::TRUE);
    }
    let widget = simulate_widget(&url);
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
    let identify = &ps[0];
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
    for l in loads {
        settle(l).await.unwrap();
    }
    let widget = simulate_widget(&format!("{}/queue1", widget_base()));
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
            0,
            "identify",
            r#"{"type": "identify", "userId": "u1", "traits": {"email": "a@b.example", "name": "Ada", "company": {"id": "c1", "name": "C"}}, "integrations": {"Intercom": {"user_hash": "h"}}}"#,
        ),
        (
            0,
            "page",
            r#"{"type": "page", "userId": "u1", "timestamp": "2023-11-14T22:13:20.000Z", "properties": {"path": "/"}}"#,
        ),
        (
            0,
            "group",
            r#"{"type": "group", "groupId": "g1", "traits": {"name": "Acme", "plan": "pro"}}"#,
        ),
        // Events no subscription matches change nothing.
        (0, "screen", r#"{"type": "screen", "name": "Home"}"#),
        (
            0,
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
        assert_eq!(json_of(&get(&ctx, "logs")), "[]", "{method}");
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
        r#"[["warn","Intercom Web (Actions): event_metadata.list: dropped: Intercom metadata must be flat, got an array (list the key in richLinkProperties if it is a rich link)"]]"#
    );
    // A cyclic event: the cycle is cut with a warning, no throw, and the next event works.
    let ctx = make_ctx(&cyclic_event());
    let returned = settle(call(&ps[0], "track", std::slice::from_ref(&ctx))).await;
    assert!(returned.is_ok());
    let logs = json_of(&get(&ctx, "logs"));
    assert!(
        logs.starts_with(
            r#"[["warn","Intercom Web (Actions): event.properties.self: left out: circular reference"]"#
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
    // Joined as Intercom's snippet joins it when it runs a second time. No `boot` (Segment's
    // plugin boots here): a second boot would end the page's Messenger session, turning its
    // signed-in user into an anonymous visitor (tests/e2e/real-sites.test.mjs shows it with the
    // stand-in widget).
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r##"[["reattach_activator"],["update",{"app_id":"existing1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}]]"##
    );
    assert_eq!(
        json_of(&widget_description()),
        r##"{"appId":"existing1","activator":"#IntercomDefaultWidget","richLinkProperties":[]}"##
    );
}

/// An error event of the widget's script after the widget has loaded (the server failing a
/// second copy of it, say) changes nothing: no diagnosis, no warning, the script stays.
#[wasm_bindgen_test]
async fn a_script_error_after_the_widget_loaded_changes_nothing() {
    resetPage();
    let url = format!("{}/late1", widget_base());
    let p = &plugins(&settings_for("late1", ""))[0];
    let load = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
    let widget = simulate_widget(&url);
    settle(load).await.unwrap();
    let fetched = record_fetches();
    fire_error(&url);
    // Diagnosing a failure starts with a request for the URL, at once.
    assert_eq!(json_of(&fetched), "[]");
    assert_eq!(scripts_for(&url).length(), 1);
    track(p, "After");
    assert_eq!(
        json_of(&get(&widget, "calls")),
        r#"[["boot",{"app_id":"late1","installation_type":"s","api_base":"https://api-iam.intercom.io"}],["trackEvent","After",{}]]"#
    );
}

/// Segment's plugin sets `window.Intercom.appId`, `.activator` and `.richLinkProperties` once
/// the widget has replaced the stub; page scripts written for it read them.
#[wasm_bindgen_test]
async fn the_widget_is_described_as_segments_plugin_describes_it() {
    resetPage();
    let settings = settings_for(
        "described1",
        r##", "activator": "#chat", "richLinkProperties": ["article", "video"]"##,
    );
    let p = &plugins(&settings)[0];
    let load = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
    // The stub is not described: the widget replaces it, and the description with it.
    assert_eq!(json_of(&widget_description()), "{}", "nothing on the stub");
    simulate_widget(&format!("{}/described1", widget_base()));
    settle(load).await.unwrap();
    assert_eq!(
        json_of(&widget_description()),
        r##"{"appId":"described1","activator":"#chat","richLinkProperties":["article","video"]}"##
    );
}

/// The stub of the page's own Intercom snippet, with the page's `boot` (its signed-in user)
/// waiting for the widget: no second `boot` goes after it, which would make that user an
/// anonymous visitor; the events queue behind it in order.
#[wasm_bindgen_test]
async fn a_boot_the_page_queued_is_not_followed_by_a_second_one() {
    resetPage();
    page_snippet_booting(&js(
        r#"{"app_id": "pagesnippet1", "user_id": "u1", "user_hash": "h1"}"#,
    ));
    let p = &plugins(&settings_for("pagesnippet1", ""))[0];
    let load = call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]);
    track(p, "Clicked");
    let widget = simulate_widget(&format!("{}/pagesnippet1", widget_base()));
    settle(load).await.unwrap();
    assert_eq!(call(p, "isLoaded", &[]), JsValue::TRUE);
    assert_eq!(
        json_of(&get(&widget, "calls")),
        concat!(
            r#"[["boot",{"app_id":"pagesnippet1","user_id":"u1","user_hash":"h1"}],"#,
            r##"["reattach_activator"],["update",{"app_id":"pagesnippet1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}],"##,
            r#"["trackEvent","Clicked",{}]]"#
        )
    );
    assert_eq!(
        json_of(&widget_description()),
        r##"{"appId":"pagesnippet1","activator":"#IntercomDefaultWidget","richLinkProperties":[]}"##
    );
}

/// The console warnings that name `url`, once the first has come (a widget that cannot load
/// says why in one warning). Waits for the warning itself, however long the browser takes to
/// fail the request: no time limit of its own to lose a race against.
async fn warnings_about(url: &str, pending: Promise) -> Vec<String> {
    let seen: Array = JsFuture::from(pending).await.unwrap().dyn_into().unwrap();
    let texts: Vec<String> = seen.iter().filter_map(|t| t.as_string()).collect();
    assert!(texts.iter().all(|t| t.contains(url)), "{texts:?}");
    texts
}

#[wasm_bindgen_test]
async fn a_widget_that_cannot_load_is_one_warning_and_later_events_are_dropped() {
    resetPage();
    // The test server answers 404 for this URL: the script's error event fires.
    let p = &plugins(&settings_for("missing1", ""))[0];
    let url = format!("{}/missing1", widget_base());
    let warned = warning_about(&url);
    // `load` resolves (analytics.js must not see a rejection for a blocked widget).
    settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .await
        .unwrap();
    // (Still in the task that inserted the script: its error event cannot have come yet.)
    track(p, "Waiting");
    assert_eq!(json_of(&stub_queue()).matches("trackEvent").count(), 1);
    let warnings = warnings_about(&url, warned).await;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(&format!(
            "Intercom Web (Actions): the Intercom widget could not be loaded from {url}"
        )),
        "{warnings:?}"
    );
    // The warning comes last: by then the script is gone and nothing waits in the queue.
    assert_eq!(scripts_for(&url).length(), 0, "failed script removed");
    assert_eq!(
        json_of(&stub_queue()),
        "[]",
        "the waiting calls are dropped"
    );
    let ctx = make_ctx(&js(r#"{"type": "track", "event": "Later"}"#));
    settle(call(p, "track", std::slice::from_ref(&ctx)))
        .await
        .unwrap();
    let logs = json_of(&get(&ctx, "logs"));
    assert!(
        logs.starts_with(&format!(
            r#"[["debug","Intercom Web (Actions): not sent: the Intercom widget could not be loaded from {url}"#
        )),
        "{logs}"
    );
    assert_eq!(json_of(&stub_queue()), "[]");
    // The next factory call tries again.
    let retry = &plugins(&settings_for("missing1", ""))[0];
    settle(call(
        retry,
        "load",
        &[JsValue::UNDEFINED, JsValue::UNDEFINED],
    ))
    .await
    .unwrap();
    assert_eq!(scripts_for(&url).length(), 1);
    let widget = simulate_widget(&url);
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
    let warned = warning_about(&url);
    let p = &plugins(&settings_for("slow1", r#", "loadTimeoutMs": 50"#))[0];
    settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
        .await
        .unwrap();
    let reason = format!(
        "the Intercom widget did not load from {url} within 50 ms (a slow or blocked network; loadTimeoutMs sets the limit)"
    );
    assert_eq!(
        warnings_about(&url, warned).await,
        [format!("Intercom Web (Actions): {reason}")]
    );
    assert_eq!(scripts_for(&url).length(), 0, "the script is removed");
    let ctx = make_ctx(&js(r#"{"type": "track", "event": "Late"}"#));
    settle(call(p, "track", std::slice::from_ref(&ctx)))
        .await
        .unwrap();
    assert_eq!(
        json_of(&get(&ctx, "logs")),
        format!(r#"[["debug","Intercom Web (Actions): not sent: {reason}"]]"#)
    );
}

#[wasm_bindgen_test]
async fn invalid_settings_make_no_plugin() {
    resetPage();
    assert_eq!(plugins(r#"{"appId": "bad id!"}"#).len(), 0);
    assert_eq!(
        plugins(r#"{"appId": "ok1", "widgetUrl": "ftp://x"}"#).len(),
        0
    );
}

#[wasm_bindgen_test]
async fn analytics_reset_shuts_down_and_boots_an_anonymous_visitor() {
    resetPage();
    let widget = install_widget();
    let analytics = fake_analytics();
    let ps = plugins(r#"{"appId": "reset1"}"#);
    for _ in 0..2 {
        settle(call(
            &ps[0],
            "load",
            &[JsValue::UNDEFINED, analytics.clone()],
        ))
        .await
        .unwrap();
    }
    // Loaded twice, one listener: one shutdown per reset.
    let listeners: Array = get(&get(&analytics, "listeners"), "reset")
        .dyn_into()
        .unwrap();
    assert_eq!(listeners.length(), 1);
    call(
        &ps[0],
        "identify",
        &[make_ctx(&js(
            r#"{"type": "identify", "userId": "u1", "traits": {"name": "Ada"}, "integrations": {"Intercom": {"user_hash": "h1"}}}"#,
        ))],
    );
    call(&analytics, "emit", &["reset".into()]);
    // The next person's page view never carries the previous user's hash.
    call(
        &ps[0],
        "page",
        &[make_ctx(&js(
            r#"{"type": "page", "userId": null, "properties": {}, "timestamp": "2023-11-14T22:13:20Z"}"#,
        ))],
    );
    call(
        &ps[0],
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

/// The session fence: an event analytics.js created before `reset()` but delivers after it is
/// dropped with a warning; one created after it goes to the new session.
#[wasm_bindgen_test]
async fn events_created_before_a_reset_never_reach_the_next_session() {
    resetPage();
    let widget = install_widget();
    let analytics = fake_analytics();
    let p = &plugins(r#"{"appId": "fence1"}"#)[0];
    settle(call(p, "load", &[JsValue::UNDEFINED, analytics.clone()]))
        .await
        .unwrap();
    let old = make_ctx(&js(
        r#"{"type": "identify", "messageId": "m1", "userId": "u1", "traits": {"name": "Ada"}}"#,
    ));
    let new = make_ctx(&js(
        r#"{"type": "track", "messageId": "m2", "userId": null, "event": "After"}"#,
    ));
    // created: m1, reset, m2; delivered: m1 and m2 after the reset
    call(&analytics, "emit", &["dispatch_start".into(), old.clone()]);
    call(&analytics, "emit", &["reset".into()]);
    call(&analytics, "emit", &["dispatch_start".into(), new.clone()]);
    call(p, "identify", std::slice::from_ref(&old));
    call(p, "track", std::slice::from_ref(&new));
    assert_eq!(
        json_of(&get(&old, "logs")),
        r#"[["warn","Intercom Web (Actions): not sent: the event was created before analytics.reset(), and its session has ended"]]"#
    );
    assert_eq!(json_of(&get(&new, "logs")), "[]");
    assert_eq!(
        json_of(&get(&widget, "calls")),
        concat!(
            r##"[["reattach_activator"],["update",{"app_id":"fence1","installation_type":"s","api_base":"https://api-iam.intercom.io","custom_launcher_selector":"#IntercomDefaultWidget"}],"##,
            r#"["shutdown"],["boot",{"app_id":"fence1","installation_type":"s","api_base":"https://api-iam.intercom.io"}],"#,
            r#"["trackEvent","After",{}]]"#
        )
    );
}

/// The host seam, browser side: the browser's `JSON.parse` (read as events are), `String(v)`
/// and case mapping give, on the corpus of `tests/host_seam.rs`, the answers the native
/// implementations recorded there. Run in each engine of the test command.
#[wasm_bindgen_test]
fn the_host_functions_of_each_browser_match_the_native_ones() {
    use intercom_web_destination::engine::host;
    resetPage();
    // The host functions read this module's memory through the plugin's boundary.
    plugins(r#"{"appId": "seam1"}"#);
    let recorded = js(include_str!("fixtures/host-seam.json"));
    let list = |name: &str| get(&recorded, name).unchecked_into::<Array>().to_vec();
    let text = |v: JsValue| v.as_string().unwrap();
    let mut differences = Vec::new();
    for case in list("floats") {
        let case: Vec<JsValue> = case.unchecked_into::<Array>().to_vec();
        let bits = u64::from_str_radix(&text(case[0].clone()), 16).unwrap();
        let (want, got) = (
            text(case[1].clone()),
            host::float_text(f64::from_bits(bits)),
        );
        if got != want {
            differences.push(format!("String({bits:016x}): native {want}, browser {got}"));
        }
    }
    for case in list("parses") {
        let case: Vec<JsValue> = case.unchecked_into::<Array>().to_vec();
        let input = text(case[0].clone());
        let want = case[1].as_string();
        let got = host::parse_json(&input).ok().map(|v| v.to_json());
        if got != want {
            differences.push(format!(
                "JSON.parse({input:?}): native {want:?}, browser {got:?}"
            ));
        }
    }
    for case in list("cases") {
        let case: Vec<JsValue> = case.unchecked_into::<Array>().to_vec();
        let input = text(case[2].clone());
        for (upper, want) in [
            (true, text(case[0].clone())),
            (false, text(case[1].clone())),
        ] {
            let got = host::to_case(&input, upper);
            if got != want {
                differences.push(format!(
                    "{input:?} upper={upper}: native {want:?}, browser {got:?}"
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
