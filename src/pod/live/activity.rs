//! The activities a Solid Notifications channel delivers (Notifications Protocol
//! §"Notification Message", ActivityStreams 2.0 in JSON-LD), read into a typed
//! [`Event`] — strictly, because whoever runs the pod writes them.
//!
//! What the worst pod could send, and what happens to it:
//! - a huge message, or deeply nested JSON: refused by size before parsing
//!   ([`MAX_MESSAGE`]); serde's own recursion limit catches the rest;
//! - an object on another origin, or outside the folder we watch: refused
//!   ([`ActivityError::Foreign`]). An event only ever makes the app re-read what it
//!   already watches, but an address the app later fetched *with the user's
//!   credentials* must never come from here;
//! - `type`s we do not know (`Create`, `Move`, made-up ones): ignored, not errors,
//!   so a newer server does not break an older client;
//! - duplicate keys (`"type":"Add","type":"Delete"`): refused, so no two readers
//!   of the same bytes can disagree about what they say;
//! - long or odd `state`/`published` strings: refused past [`MAX_TOKEN`] bytes or
//!   outside printable ASCII; they are only ever compared, never shown.
//!
//! The format is recorded in docs/FORMAT.md §9 with real payloads from Community
//! Solid Server 7.2 in tests/vectors/notifications_v1.json.

use serde::Deserialize;
use url::Url;

use crate::pod::container::is_direct_child;

/// The largest notification read, in bytes. CSS's are ~300 bytes; a URL of a
/// few hundred bytes more still fits many times.
pub const MAX_MESSAGE: usize = 8 * 1024;

/// The longest `state` or `published` kept, in bytes.
pub const MAX_TOKEN: usize = 256;

/// ActivityStreams' namespace: JSON-LD lets a server write `Add`, `as:Add` or
/// the full IRI, and all three mean the same.
const AS: &str = "https://www.w3.org/ns/activitystreams#";

/// What happened to the watched resource (or, in a container, to a member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `as:Add`: `object` became a member of the watched container.
    Added,
    /// `as:Remove`: `object` is no longer a member of the watched container.
    Removed,
    /// `as:Update`: the watched resource itself changed.
    Updated,
    /// `as:Delete`: the watched resource itself is gone.
    Deleted,
}

/// One notification, checked against the topic it came for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub change: Change,
    /// The member (for [`Change::Added`]/[`Change::Removed`]) or the topic itself.
    pub object: Url,
    /// The container for `Added`/`Removed` (always the topic), else none.
    pub target: Option<Url>,
    /// The resource's new state (an ETag on CSS), when the server says.
    pub state: Option<String>,
    /// When the server says it happened (`xsd:dateTime` text, uninterpreted).
    pub published: Option<String>,
}

/// A message that is not a notification solidcrypt accepts. Callers drop the
/// message (and may re-read the topic, which is always safe).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    #[error("a notification larger than {MAX_MESSAGE} bytes")]
    TooLarge,
    #[error("a notification that is not the JSON solidcrypt reads: {0}")]
    Malformed(String),
    /// The object or target lies outside the watched topic (another origin,
    /// another folder, a grandchild, …).
    #[error("a notification about something outside the folder being watched")]
    Foreign,
}

/// The members of a notification solidcrypt reads; everything else (`@context`,
/// `id`, extensions) is skipped. Duplicate members fail (serde's derive).
#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    object: Option<Node>,
    target: Option<Node>,
    state: Option<String>,
    published: Option<String>,
}

/// A JSON-LD node reference: the IRI as a string, or `{"id": …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Node {
    Iri(String),
    Object { id: String },
}

impl Node {
    fn iri(&self) -> &str {
        match self {
            Node::Iri(iri) | Node::Object { id: iri } => iri,
        }
    }
}

/// Reads one message of a channel subscribed to `topic`. `Ok(None)` is a
/// well-formed activity of a type solidcrypt does not act on.
pub fn parse_activity(message: &[u8], topic: &Url) -> Result<Option<Event>, ActivityError> {
    if message.len() > MAX_MESSAGE {
        return Err(ActivityError::TooLarge);
    }
    let wire: Wire =
        serde_json::from_slice(message).map_err(|e| ActivityError::Malformed(e.to_string()))?;
    let Some(change) = change_of(&wire.kind) else {
        return Ok(None);
    };
    let object = wire
        .object
        .as_ref()
        .ok_or_else(|| ActivityError::Malformed("no object".into()))?;
    let object = Url::parse(object.iri()).map_err(|_| ActivityError::Foreign)?;
    let target = match &wire.target {
        Some(node) => Some(Url::parse(node.iri()).map_err(|_| ActivityError::Foreign)?),
        None => None,
    };
    let about_topic = match change {
        // A member of the watched container: exactly one segment below it.
        Change::Added | Change::Removed => {
            target.as_ref() == Some(topic) && is_direct_child(topic, &object)
        }
        // The topic itself; a target, if any, means nothing here and is dropped.
        Change::Updated | Change::Deleted => &object == topic,
    };
    if !about_topic {
        return Err(ActivityError::Foreign);
    }
    let target = matches!(change, Change::Added | Change::Removed)
        .then_some(target)
        .flatten();
    Ok(Some(Event {
        change,
        object,
        target,
        state: token(wire.state, "state")?,
        published: token(wire.published, "published")?,
    }))
}

/// The change an activity `type` names, in any of JSON-LD's spellings.
fn change_of(kind: &str) -> Option<Change> {
    let local = kind
        .strip_prefix(AS)
        .or_else(|| kind.strip_prefix("as:"))
        .unwrap_or(kind);
    match local {
        "Add" => Some(Change::Added),
        "Remove" => Some(Change::Removed),
        "Update" => Some(Change::Updated),
        "Delete" => Some(Change::Deleted),
        _ => None,
    }
}

/// A short printable token, or an error naming the member.
fn token(value: Option<String>, member: &str) -> Result<Option<String>, ActivityError> {
    match value {
        Some(v) if v.len() > MAX_TOKEN || !v.bytes().all(|b| (0x20..0x7f).contains(&b)) => Err(
            ActivityError::Malformed(format!("{member} is too long or not printable")),
        ),
        v => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic() -> Url {
        Url::parse("http://pod.example/alice/trip/").unwrap()
    }

    fn parse(json: &str) -> Result<Option<Event>, ActivityError> {
        parse_activity(json.as_bytes(), &topic())
    }

    fn add(object: &str, target: &str) -> String {
        format!(r#"{{"type":"Add","object":"{object}","target":"{target}"}}"#)
    }

    #[test]
    fn reads_the_four_changes_in_every_spelling() {
        let event = parse(&add(
            "http://pod.example/alice/trip/a.bin",
            "http://pod.example/alice/trip/",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(event.change, Change::Added);
        assert_eq!(event.object.as_str(), "http://pod.example/alice/trip/a.bin");
        assert_eq!(event.target, Some(topic()));
        let remove = r#"{"type":"as:Remove","object":{"id":"http://pod.example/alice/trip/sub/"},"target":"http://pod.example/alice/trip/"}"#;
        assert_eq!(parse(remove).unwrap().unwrap().change, Change::Removed);
        let update = r#"{"type":"https://www.w3.org/ns/activitystreams#Update","object":"http://pod.example/alice/trip/","state":"\"1-abc\"","published":"2026-12-04T18:00:00.000Z"}"#;
        let update = parse(update).unwrap().unwrap();
        assert_eq!(
            (
                update.change,
                update.state.as_deref(),
                update.published.as_deref()
            ),
            (
                Change::Updated,
                Some("\"1-abc\""),
                Some("2026-12-04T18:00:00.000Z")
            )
        );
        let delete = r#"{"type":"Delete","object":"http://pod.example/alice/trip/","target":"http://elsewhere.example/"}"#;
        let delete = parse(delete).unwrap().unwrap();
        assert_eq!((delete.change, delete.target), (Change::Deleted, None));
    }

    #[test]
    fn unknown_types_are_ignored_not_errors() {
        for kind in [
            "Create",
            "Move",
            "as:Like",
            "https://evil.example/#Add",
            "add",
            "",
        ] {
            let json = format!(r#"{{"type":"{kind}","object":"http://pod.example/alice/trip/"}}"#);
            assert_eq!(parse(&json), Ok(None), "{kind}");
        }
    }

    #[test]
    fn objects_outside_the_watched_folder_are_refused() {
        let t = "http://pod.example/alice/trip/";
        let foreign = [
            add("https://evil.example/alice/trip/a.bin", t),
            add("http://pod.example:8080/alice/trip/a.bin", t),
            add("http://pod.example/bob/a.bin", t),
            add("http://pod.example/alice/trip/sub/deeper.bin", t),
            add("http://pod.example/alice/trip/", t),
            add("http://pod.example/alice/", t),
            add("http://pod.example/alice/trip/../x", t),
            add("http://pod.example/alice/trip/a.bin?token=1", t),
            add("http://pod.example/alice/trip/a.bin#frag", t),
            add("http://eve@pod.example/alice/trip/a.bin", t),
            add("javascript:alert(1)", t),
            add("not a url", t),
            // The member is fine, the target is not the topic.
            add(
                "http://pod.example/alice/trip/a.bin",
                "http://pod.example/alice/",
            ),
            r#"{"type":"Add","object":"http://pod.example/alice/trip/a.bin"}"#.into(),
            r#"{"type":"Update","object":"http://pod.example/alice/other/"}"#.into(),
            r#"{"type":"Delete","object":"http://pod.example/alice/trip/a.bin"}"#.into(),
        ];
        for json in &foreign {
            assert_eq!(parse(json), Err(ActivityError::Foreign), "{json}");
        }
    }

    #[test]
    fn malformed_and_oversized_messages_are_refused() {
        let malformed = [
            "",
            "null",
            "[]",
            r#""Add""#,
            "{",
            r#"{"object":"http://pod.example/alice/trip/"}"#,
            r#"{"type":["Add"],"object":"http://pod.example/alice/trip/x"}"#,
            r#"{"type":"Update"}"#,
            r#"{"type":"Update","object":7}"#,
            r#"{"type":"Update","type":"Delete","object":"http://pod.example/alice/trip/"}"#,
            r#"{"type":"Update","object":"http://pod.example/alice/trip/","state":"a\nb"}"#,
            r#"{"type":"Update","object":"http://pod.example/alice/trip/","published":"\u00e9"}"#,
        ];
        for json in malformed {
            assert!(
                matches!(parse(json), Err(ActivityError::Malformed(_))),
                "{json}: {:?}",
                parse(json)
            );
        }
        let long_state = format!(
            r#"{{"type":"Update","object":"http://pod.example/alice/trip/","state":"{}"}}"#,
            "x".repeat(MAX_TOKEN + 1)
        );
        assert!(matches!(
            parse(&long_state),
            Err(ActivityError::Malformed(_))
        ));
        let mut huge = add(
            "http://pod.example/alice/trip/a.bin",
            "http://pod.example/alice/trip/",
        );
        huge.insert_str(1, &format!(r#""pad":"{}","#, "x".repeat(MAX_MESSAGE)));
        assert_eq!(parse(&huge), Err(ActivityError::TooLarge));
        let deep = format!(
            r#"{{"type":"Add","x":{}{}}}"#,
            "[".repeat(2000),
            "]".repeat(2000)
        );
        assert!(matches!(parse(&deep), Err(ActivityError::Malformed(_))));
    }
}
