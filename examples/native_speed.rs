//! Rough native timing of the core's per-event path (parse + process + serialise), to tell the
//! core's cost from the browser boundary's. `cargo run --release --example native_speed`
use intercom_web_destination::{ActionKind, Destination};
use std::time::Instant;

fn main() {
    let mut d =
        Destination::new(&intercom_web_destination::json!({"appId": "a", "updateQuota": false}))
            .unwrap();
    let cases = [
        (
            ActionKind::TrackEvent,
            r#"{"type":"track","event":"Order Completed","userId":"u1","timestamp":"2023-11-14T22:13:20.000Z","properties":{"revenue":19.99,"currency":"EUR","order_id":"o1","coupon":"X","items":3,"total":25.5},"integrations":{}}"#,
        ),
        (
            ActionKind::IdentifyUser,
            r#"{"type":"identify","userId":"u1","timestamp":"2023-11-14T22:13:20.000Z","traits":{"email":"u1@example.com","name":"User 1","phone":"+1 555 0100","createdAt":"2021-03-04T05:06:07Z","avatar":"https://img.example/a.png","company":{"id":"c1","name":"Company","plan":"pro","size":12,"created_at":1614834367}},"integrations":{"Intercom":{"user_hash":"h1"}}}"#,
        ),
    ];
    for (action, text) in cases {
        let n: u32 = std::env::var("N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200_000);
        let t = Instant::now();
        let mut bytes = 0;
        for _ in 0..n {
            // (The browser shell hands the core a tape, which reads faster than this text.)
            let event = intercom_web_destination::engine::json::parse(text).unwrap();
            for call in d.process(action, &event, 1.7e12).calls {
                bytes += call.to_json().len();
            }
        }
        println!(
            "{action:?}: {:.2} µs/event ({bytes} bytes)",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        );
    }
}
