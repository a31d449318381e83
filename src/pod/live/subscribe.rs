//! Finding a pod's WebSocketChannel2023 subscription service and subscribing to
//! a topic (Solid Notifications Protocol §"Discovery" and §"Subscription").
//!
//! Discovery: the topic's `Link: rel="…solid/terms#storageDescription"` names the
//! storage description (CSS: `/.well-known/solid`), whose Turtle lists
//! subscription services with their `notify:channelType`. Subscribing is an
//! authenticated POST of `{"type", "topic"}` that needs Read on the topic; the
//! answer's `receiveFrom` is the socket to open.
//!
//! Everything the pod answers is checked: the description, the service and the
//! socket must be on the topic's own origin (a socket elsewhere would learn which
//! folders we watch, and a service elsewhere would get our signed POST), and
//! each document is read with a small size limit. Only the topic's URL — what the
//! pod already sees on every read — goes into a subscription: never a name or key.

use std::fmt;

use oxrdf::{NamedOrBlankNode, Term};
use url::Url;

use crate::pod::client::Pod;
use crate::pod::error::{check_read, ReadError};
use crate::pod::http::{HttpClient, Method, Request, TransportError};
use crate::pod::links::find_rel;
use crate::pod::rdf::{visit_turtle, Budget, RdfError};
use crate::pod::vocab;

/// The Notifications Protocol vocabulary and JSON-LD context.
const NOTIFY: &str = "http://www.w3.org/ns/solid/notifications#";
pub const NOTIFY_CONTEXT: &str = "https://www.w3.org/ns/solid/notification/v1";
pub const WEBSOCKET_CHANNEL: &str = "http://www.w3.org/ns/solid/notifications#WebSocketChannel2023";

/// The largest storage description read (CSS's is ~1 KiB).
const MAX_DESCRIPTION: usize = 64 * 1024;
/// Its parse budget: a description is a handful of statements.
const DESCRIPTION_BUDGET: Budget = Budget {
    triples: 1_000,
    term_bytes: 256 * 1024,
};
/// The largest subscription answer read (CSS's is ~400 bytes).
const MAX_ANSWER: usize = 16 * 1024;
/// The longest `receiveFrom` accepted.
const MAX_SOCKET_URL: usize = 2048;

/// An open subscription: where to connect to hear about `topic`.
#[derive(Clone, PartialEq, Eq)]
pub struct Channel {
    pub topic: Url,
    /// The socket's address. Its query is a capability (CSS puts the channel's
    /// secret there), so `Debug` never shows it.
    pub receive_from: Url,
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.receive_from.clone();
        if shown.query().is_some() {
            shown.set_query(Some("…"));
        }
        f.debug_struct("Channel")
            .field("topic", &self.topic.as_str())
            .field("receive_from", &shown.as_str())
            .finish()
    }
}

/// Subscribing failed. [`SubscribeError::is_final`] tells the caller whether to
/// retry later or to poll instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SubscribeError {
    /// The pod names no WebSocketChannel2023 service for this topic.
    #[error("the pod offers no live notifications here")]
    NoService,
    /// The service refused this subscription (403, 404, 405, 415, …).
    #[error("the pod refused live notifications here")]
    Refused(u16),
    /// The description or the answer is not what the protocol says.
    #[error("the pod's notification service answered something solidcrypt does not understand")]
    Unexpected(String),
    /// 401 or 5xx: worth another try later.
    #[error("the pod's notification service is not available right now")]
    Unavailable(u16),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

impl SubscribeError {
    /// Whether trying again would meet the same answer: then poll instead.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            SubscribeError::NoService | SubscribeError::Refused(_) | SubscribeError::Unexpected(_)
        )
    }
}

impl From<ReadError> for SubscribeError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Unauthorized => SubscribeError::Unavailable(401),
            ReadError::Server(status) => SubscribeError::Unavailable(status),
            ReadError::Transport(e) => SubscribeError::Transport(e),
            ReadError::Forbidden => SubscribeError::Refused(403),
            ReadError::NotFound => SubscribeError::NoService,
            other => SubscribeError::Unexpected(other.to_string()),
        }
    }
}

/// The storage description a topic's links name, if it is on the topic's origin.
pub fn description_of(links: &[crate::pod::links::Link], topic: &Url) -> Option<Url> {
    find_rel(links, vocab::SOLID_STORAGE_DESCRIPTION)
        .filter(|d| same_origin(d, topic))
        .cloned()
}

/// The WebSocketChannel2023 subscription service a storage description lists
/// (`?s notify:channelType notify:WebSocketChannel2023`), on the topic's origin.
pub fn websocket_service(
    description: &[u8],
    description_url: &Url,
    topic: &Url,
) -> Result<Option<Url>, RdfError> {
    let mut found = None;
    let channel_type = format!("{NOTIFY}channelType");
    visit_turtle(
        description,
        description_url.as_str(),
        DESCRIPTION_BUDGET,
        |t| {
            let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&t.subject, &t.object)
            else {
                return;
            };
            if found.is_none()
                && t.predicate.as_str() == channel_type
                && o.as_str() == WEBSOCKET_CHANNEL
            {
                found = Url::parse(s.as_str())
                    .ok()
                    .filter(|s| same_origin(s, topic));
            }
        },
    )?;
    Ok(found)
}

/// The subscription request's body: the channel type and the topic, nothing more.
pub fn subscription_body(topic: &Url) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "@context": [NOTIFY_CONTEXT],
        "type": WEBSOCKET_CHANNEL,
        "topic": topic.as_str(),
    }))
    .unwrap_or_default()
}

/// The subscription answer's members solidcrypt reads.
#[derive(serde::Deserialize)]
struct Answer {
    topic: Option<String>,
    #[serde(rename = "receiveFrom")]
    receive_from: String,
}

/// Reads the service's answer: `receiveFrom` must be a `ws:`/`wss:` URL on the
/// topic's host and port (`wss:` only for an `https:` topic), and a `topic`, if
/// stated, must be ours.
pub fn parse_channel(answer: &[u8], topic: &Url) -> Result<Channel, SubscribeError> {
    if answer.len() > MAX_ANSWER {
        return Err(SubscribeError::Unexpected("the answer is too large".into()));
    }
    let unexpected = |what: &str| SubscribeError::Unexpected(what.into());
    let answer: Answer =
        serde_json::from_slice(answer).map_err(|_| unexpected("the answer is not its JSON"))?;
    if answer.topic.as_deref().is_some_and(|t| t != topic.as_str()) {
        return Err(unexpected("the answer is about another topic"));
    }
    if answer.receive_from.len() > MAX_SOCKET_URL {
        return Err(unexpected("the socket address is too long"));
    }
    let socket = Url::parse(&answer.receive_from).map_err(|_| unexpected("no socket address"))?;
    let scheme_fits = match topic.scheme() {
        "https" => socket.scheme() == "wss",
        "http" => matches!(socket.scheme(), "ws" | "wss"),
        _ => false,
    };
    let same_host = socket.host() == topic.host()
        && socket.port_or_known_default() == topic.port_or_known_default()
        && socket.username().is_empty()
        && socket.password().is_none();
    if !scheme_fits || !same_host {
        return Err(unexpected("the socket is not on the pod's own address"));
    }
    Ok(Channel {
        topic: topic.clone(),
        receive_from: socket,
    })
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin() && a.username().is_empty() && a.password().is_none()
}

impl<H: HttpClient> Pod<'_, H> {
    /// Subscribes to `topic` over WebSocketChannel2023 (see the module): HEAD the
    /// topic, read its storage description, POST the subscription.
    pub async fn subscribe_websocket(&self, topic: &Url) -> Result<Channel, SubscribeError> {
        let meta = self.head(topic).await?;
        let description = description_of(&meta.links, topic).ok_or(SubscribeError::NoService)?;
        let read = self
            .get_bounded(&description, "text/turtle", MAX_DESCRIPTION)
            .await;
        let document = match read {
            Err(ReadError::TooLarge { .. }) => {
                return Err(SubscribeError::Unexpected(
                    "the description is too large".into(),
                ))
            }
            other => other?,
        };
        let service = websocket_service(&document.body, &description, topic)
            .map_err(|e| SubscribeError::Unexpected(e.to_string()))?
            .ok_or(SubscribeError::NoService)?;
        let request = Request::new(Method::Post, service.as_str())
            .header("Accept", "application/ld+json")
            .body("application/ld+json", subscription_body(topic))
            .max_body(MAX_ANSWER);
        let response = self.send(request).await?;
        match response.status {
            200..=299 => parse_channel(&response.body, topic),
            401 => Err(SubscribeError::Unavailable(401)),
            500..=599 => Err(SubscribeError::Unavailable(response.status)),
            status => Err(SubscribeError::Refused(status)),
        }
    }
}

/// Whether `url` changed since `etag` (the last one seen): the polling fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Polled {
    /// 304: nothing new.
    Unchanged,
    /// It changed (or this was the first look); its new ETag, if the pod sent one.
    Changed(Option<String>),
}

impl<H: HttpClient> Pod<'_, H> {
    /// One poll: a GET with `If-None-Match` whose body is not read (a change
    /// means the caller re-reads the folder the way it always does).
    pub async fn poll(&self, url: &Url, etag: Option<&str>) -> Result<Polled, ReadError> {
        let mut request = Request::new(Method::Get, url.as_str()).max_body(0);
        // A folder as the app lists it; a document (a keystore slot) as stored:
        // asking a binary document for Turtle is refused (CSS: 501).
        if url.path().ends_with('/') {
            request = request.header("Accept", "text/turtle");
        }
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let response = self.send(request).await?;
        if response.status == 304 {
            return Ok(Polled::Unchanged);
        }
        let response = check_read(response)?;
        let new = response.header("ETag").filter(|e| e.len() <= 256);
        // A pod that ignores `If-None-Match` answers 200 with the same ETag.
        if new.is_some() && new == etag {
            return Ok(Polled::Unchanged);
        }
        Ok(Polled::Changed(new.map(str::to_owned)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::links::parse_links;

    fn topic() -> Url {
        Url::parse("http://pod.example/alice/trip/").unwrap()
    }

    #[test]
    fn the_description_must_be_on_the_topics_origin() {
        let header = |d: &str| {
            format!(r#"<{d}>; rel="http://www.w3.org/ns/solid/terms#storageDescription""#)
        };
        let links = parse_links(&header("/.well-known/solid"), &topic());
        assert_eq!(
            description_of(&links, &topic()).unwrap().as_str(),
            "http://pod.example/.well-known/solid"
        );
        for foreign in [
            "https://pod.example/.well-known/solid",
            "http://evil.example/d",
            "http://eve@pod.example/d",
        ] {
            let links = parse_links(&header(foreign), &topic());
            assert_eq!(description_of(&links, &topic()), None, "{foreign}");
        }
    }

    #[test]
    fn finds_the_websocket_service_and_only_on_the_origin() {
        let base = Url::parse("http://pod.example/.well-known/solid").unwrap();
        let description = br#"@prefix notify: <http://www.w3.org/ns/solid/notifications#>.
<http://evil.example/subscribe/> notify:channelType notify:WebSocketChannel2023.
<http://pod.example/.notifications/StreamingHTTPChannel2023/> notify:channelType notify:StreamingHTTPChannel2023.
</.notifications/WebSocketChannel2023/> notify:channelType notify:WebSocketChannel2023; notify:feature notify:state.
"#;
        let service = websocket_service(description, &base, &topic()).unwrap();
        assert_eq!(
            service.unwrap().as_str(),
            "http://pod.example/.notifications/WebSocketChannel2023/"
        );
        let none = br#"<http://pod.example/x> <http://www.w3.org/ns/solid/notifications#channelType> <http://www.w3.org/ns/solid/notifications#WebhookChannel2023>."#;
        assert_eq!(websocket_service(none, &base, &topic()).unwrap(), None);
        let huge = "<a> <b> <c>.\n".repeat(DESCRIPTION_BUDGET.triples + 1);
        assert!(websocket_service(huge.as_bytes(), &base, &topic()).is_err());
    }

    #[test]
    fn the_subscription_names_only_the_topic() {
        let body: serde_json::Value = serde_json::from_slice(&subscription_body(&topic())).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "@context": ["https://www.w3.org/ns/solid/notification/v1"],
                "type": "http://www.w3.org/ns/solid/notifications#WebSocketChannel2023",
                "topic": "http://pod.example/alice/trip/",
            })
        );
    }

    #[test]
    fn the_socket_must_be_the_pods_own() {
        let answer = |socket: &str, topic: &str| {
            format!(
                r#"{{"id":"x","type":"{WEBSOCKET_CHANNEL}","topic":"{topic}","receiveFrom":"{socket}"}}"#
            )
        };
        let t = "http://pod.example/alice/trip/";
        let ok = parse_channel(
            answer("ws://pod.example/.notifications/ws/1?auth=secret", t).as_bytes(),
            &topic(),
        )
        .unwrap();
        assert_eq!(
            ok.receive_from.as_str(),
            "ws://pod.example/.notifications/ws/1?auth=secret"
        );
        assert!(!format!("{ok:?}").contains("secret"), "{ok:?}");
        let refused = [
            answer("ws://evil.example/ws", t),
            answer("ws://pod.example:81/ws", t),
            answer("http://pod.example/ws", t),
            answer("ws://eve@pod.example/ws", t),
            answer("ws://pod.example/ws", "http://pod.example/alice/"),
            answer(
                &format!("ws://pod.example/{}", "x".repeat(MAX_SOCKET_URL)),
                t,
            ),
            r#"{"receiveFrom":7}"#.into(),
            "[]".into(),
            format!(
                r#"{{"receiveFrom":"ws://pod.example/","pad":"{}"}}"#,
                "x".repeat(MAX_ANSWER)
            ),
        ];
        for json in &refused {
            let error = parse_channel(json.as_bytes(), &topic()).unwrap_err();
            assert!(error.is_final(), "{error:?}");
        }
        let https = Url::parse("https://pod.example/alice/").unwrap();
        let plain = r#"{"receiveFrom":"ws://pod.example/ws"}"#;
        assert!(
            parse_channel(plain.as_bytes(), &https).is_err(),
            "no ws: for an https pod"
        );
        let secure = r#"{"receiveFrom":"wss://pod.example/ws"}"#;
        assert!(parse_channel(secure.as_bytes(), &https).is_ok());
    }

    #[test]
    fn only_lasting_refusals_are_final() {
        assert!(SubscribeError::NoService.is_final());
        assert!(SubscribeError::Refused(403).is_final());
        assert!(!SubscribeError::Unavailable(401).is_final());
        assert!(!SubscribeError::Unavailable(503).is_final());
        assert!(!SubscribeError::Transport(TransportError::Network("x".into())).is_final());
        assert!(!SubscribeError::from(ReadError::Server(500)).is_final());
        assert!(SubscribeError::from(ReadError::Forbidden).is_final());
    }
}
