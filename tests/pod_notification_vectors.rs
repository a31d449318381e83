#![cfg(not(target_arch = "wasm32"))]
//! The notification vectors (tests/vectors/notifications_v1.json, real payloads of
//! Community Solid Server 7.2 plus hostile variants) read as docs/FORMAT.md §9
//! says: the storage description names the WebSocket service, the subscription
//! answer names the socket, and each activity reads into exactly the recorded
//! event, or is refused, or is ignored. No pod needed.

use serde_json::Value;
use solidcrypt::pod::live::subscribe::{parse_channel, websocket_service};
use solidcrypt::pod::live::{parse_activity, ActivityError, Change};
use url::Url;

const VECTORS: &str = include_str!("vectors/notifications_v1.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn url(value: &Value) -> Url {
    Url::parse(value.as_str().unwrap()).unwrap()
}

#[test]
fn the_description_names_the_websocket_service() {
    let v = &vectors()["description"];
    let service = websocket_service(
        v["turtle"].as_str().unwrap().as_bytes(),
        &url(&v["url"]),
        &url(&v["topic"]),
    )
    .unwrap();
    assert_eq!(service, Some(url(&v["websocket_service"])));
}

#[test]
fn the_subscription_answer_names_the_socket() {
    let v = &vectors()["subscription"];
    let channel = parse_channel(v["answer"].as_str().unwrap().as_bytes(), &url(&v["topic"]));
    assert_eq!(channel.unwrap().receive_from, url(&v["receive_from"]));
}

#[test]
fn each_activity_reads_as_recorded() {
    let vectors = vectors();
    let cases = vectors["activities"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let parsed = parse_activity(
            case["message"].as_str().unwrap().as_bytes(),
            &url(&case["topic"]),
        );
        let expect = &case["expect"];
        if expect.is_null() {
            match (case["refused"].as_str(), &parsed) {
                (None, Ok(None)) => {}
                (Some("Foreign"), Err(ActivityError::Foreign)) => {}
                (Some("Malformed"), Err(ActivityError::Malformed(_))) => {}
                (want, got) => panic!("{name}: wanted {want:?}, got {got:?}"),
            }
            continue;
        }
        let event = parsed
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .expect(name);
        let change = match event.change {
            Change::Added => "Added",
            Change::Removed => "Removed",
            Change::Updated => "Updated",
            Change::Deleted => "Deleted",
        };
        assert_eq!(change, expect["change"], "{name}");
        assert_eq!(event.object, url(&expect["object"]), "{name}");
        assert_eq!(
            event.target.map(String::from),
            expect["target"].as_str().map(String::from),
            "{name}"
        );
        assert_eq!(event.state.as_deref(), expect["state"].as_str(), "{name}");
        assert_eq!(
            event.published.as_deref(),
            expect["published"].as_str(),
            "{name}"
        );
    }
}
