//! Hostile input and failure in the browser (headless Chromium): every odd event either gives
//! the right calls or a warning on its context, never a throw, never a poisoned instance, never
//! a polluted prototype.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod browser;
use browser::{call, create_plugins, get, js, json_of};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function installWidget() {
  delete window.intercomSettings;
  const calls = [];
  const widget = function (...args) { calls.push(JSON.parse(JSON.stringify(args))); };
  widget.calls = calls;
  window.Intercom = widget;
  return widget;
}
export function makeCtx(event) {
  const logs = [];
  return { event, logs, log(level, message) { logs.push([level, message]); } };
}
// Each case: [name, event factory]. Built in JS because most cannot be expressed as JSON.
export function hostileEvents() {
  const deep = {}; let cur = deep;
  for (let i = 0; i < 10000; i++) { cur.x = {}; cur = cur.x; }
  const many = {}; for (let i = 0; i < 50000; i++) many['p' + i] = i;
  const cyclic = { type: 'track', event: 'Cyclic', properties: { a: 1 } }; cyclic.properties.self = cyclic;
  const getter = { type: 'identify', userId: 'g', traits: { name: 'Getter' } };
  Object.defineProperty(getter.traits, 'boom', { enumerable: true, get() { throw new Error('getter exploded'); } });
  const getterMapped = { type: 'identify', userId: 'g2', traits: { email: 'g2@example.com' } };
  Object.defineProperty(getterMapped.traits, 'name', { enumerable: true, get() { throw new Error('name getter exploded'); } });
  const throwingToJson = { type: 'track', event: 'ToJSON', properties: { bad: { toJSON() { throw new Error('nope'); } }, ok: 2 } };
  return [
    ['deep', { type: 'track', event: 'Deep', properties: { ok: 1, deep } }],
    ['5 MB string', { type: 'identify', userId: 'big', traits: { name: 'x'.repeat(5 * 1024 * 1024), email: 'big@example.com' } }],
    ['50,000 properties', { type: 'track', event: 'Many', properties: many }],
    ['cyclic', cyclic],
    ['throwing getter', getter],
    ['throwing getter on a mapped trait', getterMapped],
    ['throwing toJSON', throwingToJson],
    ['symbol and bigint', { type: 'track', event: 'Odd', properties: { s: Symbol('s'), b: 10n ** 30n, n: 1 } }],
    ['NaN Infinity -0', { type: 'track', event: 'Numbers', properties: { nan: NaN, inf: Infinity, neg0: -0, revenue: NaN } }],
    ['dates', { type: 'identify', userId: 'd', traits: { createdAt: new Date(1614834367000), company: { id: 'c', createdAt: new Date('invalid') } } }],
    ['arrays for objects', { type: 'identify', userId: ['u'], traits: [1, 2], context: [] }],
    ['objects for arrays', { type: 'identify', userId: 'o', traits: { name: 'O', companies: { id: 'c1', name: 'One' } } }],
    ['traits string', { type: 'identify', userId: 's', traits: 'just a string' }],
    ['null fields', { type: 'track', event: null, properties: null, context: null, integrations: null }],
    ['lone surrogates', { type: 'track', event: 'Sur\ud800rogate', properties: { ['k\udc00']: 'v\ud800' } }],
    ['long event name', { type: 'track', event: 'E'.repeat(100000) }],
    ['undefined event', undefined],
    ['not an object', 'track'],
  ];
}
export function prototypeClean() {
  return ({}).polluted === undefined && Object.prototype.polluted === undefined
    && !Object.prototype.hasOwnProperty('polluted') && typeof Object.prototype.toString === 'function';
}
export function pollutingEvent() {
  return JSON.parse('{"type":"identify","userId":"p","traits":{"name":"P","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"properties":{},"integrations":{"Intercom":{"__proto__":{"polluted":true}}}}');
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = installWidget)]
    fn install_widget() -> JsValue;
    #[wasm_bindgen(js_name = makeCtx)]
    fn make_ctx(event: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = hostileEvents)]
    fn hostile_events() -> Array;
    #[wasm_bindgen(js_name = prototypeClean)]
    fn prototype_clean() -> bool;
    #[wasm_bindgen(js_name = pollutingEvent)]
    fn polluting_event() -> JsValue;
}

async fn settle(p: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(p.dyn_into::<Promise>().unwrap()).await
}

fn calls_of(widget: &JsValue) -> Vec<String> {
    get(widget, "calls")
        .dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|c| json_of(&c))
        .collect()
}

fn logs_of(ctx: &JsValue) -> Vec<String> {
    get(ctx, "logs")
        .dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|l| json_of(&l))
        .collect()
}

/// Expected outcome per hostile case: the calls it must produce (after the load calls) and a
/// fragment every case's first log line must contain (empty: no log expected).
fn expected(name: &str) -> (Vec<&'static str>, &'static str) {
    match name {
        "deep" => (
            vec![r#"["trackEvent","Deep",{"ok":1}]"#],
            "event_metadata.deep: dropped: Intercom metadata must be flat",
        ),
        "5 MB string" => (
            vec![r#"["update",{"user_id":"big","email":"big@example.com","last_request_at":"#],
            "name: dropped: a string longer than 64 KB",
        ),
        "50,000 properties" => (
            vec![
                r#"["trackEvent","Many",{"p0":0,"p1":1,"p2":2,"p3":3,"p4":4,"p5":5,"p6":6,"p7":7,"p8":8,"p9":9}]"#,
            ],
            "Intercom keeps at most 10 metadata keys; not sent: p10, p11,",
        ),
        "cyclic" => (
            vec![r#"["trackEvent","Cyclic",{"a":1}]"#],
            "event.properties.self: left out: circular reference",
        ),
        // No mapping reads traits.boom, so its getter is never called.
        "throwing getter" => (vec![r#"["update",{"user_id":"g","name":"Getter"}]"#], ""),
        "throwing getter on a mapped trait" => (
            vec![r#"["update",{"user_id":"g2","email":"g2@example.com","last_request_at":"#],
            "event.traits.name: left out: reading it threw: name getter exploded",
        ),
        "throwing toJSON" => (
            vec![r#"["trackEvent","ToJSON",{"ok":2}]"#],
            "event.properties.bad: left out: its toJSON threw: nope",
        ),
        "symbol and bigint" => (
            vec![r#"["trackEvent","Odd",{"b":"1000000000000000000000000000000","n":1}]"#],
            "event.properties.b: a BigInt, sent as a string",
        ),
        "NaN Infinity -0" => (
            vec![r#"["trackEvent","Numbers",{"nan":null,"inf":null,"neg0":0,"revenue":null}]"#],
            "",
        ),
        "dates" => (
            // A valid Date is an ISO string (toJSON); an invalid one is null, so left out.
            vec![
                r#"["update",{"user_id":"d","created_at":1614834367,"company":{"company_id":"c"}}]"#,
            ],
            "",
        ),
        "arrays for objects" => (
            vec![r#"["update",{"last_request_at":"#],
            "user_id: dropped: must be a string, got an array",
        ),
        "objects for arrays" => (
            vec![
                r#"["update",{"user_id":"o","name":"O","companies":[{"company_id":"c1","name":"One"}]}]"#,
            ],
            "",
        ),
        "traits string" => (vec![r#"["update",{"user_id":"s","last_request_at":"#], ""),
        "null fields" => (
            vec![],
            "event_name: no trackEvent: the event name is required",
        ),
        "lone surrogates" => (
            vec!["[\"trackEvent\",\"Sur\u{fffd}rogate\",{\"k\u{fffd}\":\"v\u{fffd}\"}]"],
            "event: invalid UTF-16 (lone surrogates) replaced by U+FFFD",
        ),
        "long event name" => (
            vec![],
            "event_name: no trackEvent: the event name is longer than 64 KB",
        ),
        "undefined event" => (vec![], ""),
        "not an object" => (vec![], ""),
        _ => (vec![], "?"),
    }
}

#[wasm_bindgen_test]
async fn every_hostile_event_gives_calls_or_a_warning_and_the_next_event_works() {
    let widget = install_widget();
    let plugins: Vec<JsValue> = create_plugins(js(
        r#"{"appId": "hostile1", "shutdownOnUserSwitch": false, "updateQuota": false}"#,
    ))
    .unchecked_into::<Array>()
    .iter()
    .collect();
    for p in &plugins {
        settle(call(p, "load", &[JsValue::UNDEFINED, JsValue::UNDEFINED]))
            .await
            .unwrap();
    }
    let method_for = |event: &JsValue| match get(event, "type").as_string().as_deref() {
        Some("identify") => ("identify", 1),
        Some("group") => ("group", 2),
        _ => ("track", 0),
    };
    for case in hostile_events().iter() {
        let case: Array = case.dyn_into().unwrap();
        let name = case.get(0).as_string().unwrap();
        let event = case.get(1);
        let before = calls_of(&widget).len();
        let (method, index) = if event.is_object() {
            method_for(&event)
        } else {
            ("track", 0)
        };
        let ctx = make_ctx(&event);
        // Every plugin method resolves with its context: nothing throws into analytics.js.
        for (i, p) in plugins.iter().enumerate() {
            let m = if i == index { method } else { "track" };
            let back = settle(call(p, m, std::slice::from_ref(&ctx))).await;
            assert!(back.is_ok(), "{name}: plugin {i} rejected");
        }
        let (want_calls, want_log) = expected(&name);
        let got: Vec<String> = calls_of(&widget)[before..].to_vec();
        assert_eq!(got.len(), want_calls.len(), "{name}: {got:?}");
        for (g, w) in got.iter().zip(&want_calls) {
            assert!(g.starts_with(w), "{name}: got {g}, want {w}");
        }
        let logs = logs_of(&ctx);
        if !want_log.is_empty() {
            assert!(
                logs.iter().any(|l| l.contains(want_log)),
                "{name}: logs {logs:?}"
            );
        }
        assert!(prototype_clean(), "{name}: Object.prototype polluted");
        // The instance is not poisoned: a normal event right after is processed.
        let normal = make_ctx(&js(
            r#"{"type": "track", "event": "After", "properties": {"n": 1}}"#,
        ));
        settle(call(&plugins[0], "track", &[normal])).await.unwrap();
        assert_eq!(
            calls_of(&widget).last().map(String::as_str),
            Some(r#"["trackEvent","After",{"n":1}]"#),
            "{name}: next event"
        );
    }
}

#[wasm_bindgen_test]
async fn prototype_keys_never_pollute() {
    let widget = install_widget();
    let subs = r#"{"appId": "proto1", "subscriptions": [{"partnerAction": "identifyUser", "subscribe": "type = \"identify\"",
        "mapping": {"user_id": {"@path": "$.userId"}, "custom_traits": {"@path": "$.traits"},
                    "__proto__": {"polluted": true}}}], "richLinkProperties": ["__proto__"]}"#;
    let plugins: Vec<JsValue> = create_plugins(js(subs))
        .unchecked_into::<Array>()
        .iter()
        .collect();
    settle(call(
        &plugins[0],
        "load",
        &[JsValue::UNDEFINED, JsValue::UNDEFINED],
    ))
    .await
    .unwrap();
    let ctx = make_ctx(&polluting_event());
    settle(call(&plugins[0], "identify", &[ctx])).await.unwrap();
    assert!(prototype_clean());
    let calls = get(&widget, "calls").dyn_into::<Array>().unwrap();
    let last = calls.get(calls.length() - 1);
    assert_eq!(json_of(&last), r#"["update",{"user_id":"p","name":"P"}]"#);
}

#[wasm_bindgen_test]
async fn twenty_thousand_calls_wait_for_the_widget_in_order_and_no_more() {
    delete_intercom();
    let plugins: Vec<JsValue> = create_plugins(js(&format!(
        r#"{{"appId": "queue10k", "widgetUrl": "{}/never-loaded"}}"#,
        origin()
    )))
    .unchecked_into::<Array>()
    .iter()
    .collect();
    let load = call(
        &plugins[0],
        "load",
        &[JsValue::UNDEFINED, JsValue::UNDEFINED],
    );
    let mut last = JsValue::UNDEFINED;
    for i in 0..20_000 {
        last = make_ctx(&js(&format!(r#"{{"type": "track", "event": "E{i}"}}"#)));
        call(&plugins[0], "track", std::slice::from_ref(&last));
    }
    // The boot call and 19,999 events wait; the 20,000th is dropped with a note.
    let queue: Array = get(&get(&js_sys::global(), "Intercom"), "q")
        .dyn_into()
        .unwrap();
    assert_eq!(queue.length(), 20_000);
    assert_eq!(
        json_of(&get(&last, "logs")),
        r#"[["debug","Intercom Web (Actions): not sent: 20000 Intercom calls already wait for the widget to load"]]"#
    );
    // The widget arrives: it replays the stub queue in order.
    let widget = install_widget();
    for args in queue.iter() {
        let args: Array = Array::from(&args);
        let f: Function = widget.clone().unchecked_into();
        f.apply(&JsValue::NULL, &args).unwrap();
    }
    let calls = calls_of(&widget);
    assert_eq!(calls.len(), 20_000);
    assert!(calls[0].starts_with(r#"["boot""#));
    for (i, c) in calls[1..].iter().enumerate() {
        assert_eq!(c, &format!(r#"["trackEvent","E{i}",{{}}]"#));
    }
    let _ = load; // the script itself 404s here; its rejection is checked in web.rs
}

fn origin() -> String {
    get(&get(&js_sys::global(), "location"), "origin")
        .as_string()
        .unwrap()
}

fn delete_intercom() {
    let global: js_sys::Object = js_sys::global().unchecked_into();
    let _ = Reflect::delete_property(&global, &"Intercom".into());
}

/// The wasm build's allocator (src/shell/alloc.rs): blocks of every class keep their contents and
/// alignment while others come and go, vectors grow through many classes, and repeating the
/// same work does not grow the memory.
#[wasm_bindgen_test]
fn the_allocator_keeps_blocks_apart_and_memory_flat() {
    fn round(seed: usize) -> usize {
        // Live blocks of many sizes, each filled with its own byte, some freed on the way.
        let mut live: Vec<Vec<u8>> = Vec::new();
        let mut checked = 0;
        for i in 0..600 {
            let size = [1, 7, 16, 17, 100, 1000, 4096, 5000, 70_000, 300_000][(i * 7 + seed) % 10];
            let fill = (i % 251) as u8;
            live.push(vec![fill; size]);
            if i % 3 == 0 {
                let gone = live.swap_remove((i * 13) % live.len());
                assert!(gone.iter().all(|b| *b == gone[0]));
            }
        }
        for block in &live {
            assert!(
                block.iter().all(|b| *b == block[0]),
                "a block was overwritten"
            );
            checked += block.len();
        }
        // Growth in place and across classes; over-aligned values.
        let mut s = String::new();
        for i in 0..200_000 {
            s.push(char::from(b'a' + (i % 26) as u8));
        }
        assert!(s
            .bytes()
            .enumerate()
            .all(|(i, b)| b == b'a' + (i % 26) as u8));
        #[repr(align(64))]
        struct Wide([u8; 64]);
        let wide: Vec<Box<Wide>> = (0..50).map(|i| Box::new(Wide([i; 64]))).collect();
        for (i, w) in wide.iter().enumerate() {
            assert_eq!(&**w as *const Wide as usize % 64, 0);
            assert!(w.0.iter().all(|b| usize::from(*b) == i));
        }
        checked + s.len()
    }
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    for seed in 0..10 {
        round(seed);
    }
    let after_once = memory();
    for _ in 0..3 {
        for seed in 0..10 {
            assert!(round(seed) > 0);
        }
    }
    assert_eq!(
        memory(),
        after_once,
        "memory grew while repeating the same work"
    );
}
