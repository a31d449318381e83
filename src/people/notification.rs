//! The Linked Data Notifications solidcrypt puts in inboxes (FORMAT.md §8.3, §8.5):
//! an ActivityStreams `as:Offer` (a share) or `as:Accept` (its proof) in Turtle,
//! saying who sends to whom in the clear and everything else as an encrypted
//! payload literal. Sans-IO: building and reading the Turtle only.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use oxrdf::{BlankNode, Literal, NamedOrBlankNode, Term, Triple};
use url::Url;

use super::payload::MAX_PAYLOAD_BYTES;
use crate::pod::rdf::{iri, parse_turtle, to_turtle, url_node, RdfError};
use crate::pod::vocab;

/// The most an inbox member is read: 64 KiB (an offer is about 2.5 KiB of Turtle).
pub const MAX_NOTIFICATION_BYTES: usize = 64 * 1024;

/// Which notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A share offered to the target (FORMAT.md §8.3).
    Offer,
    /// The proof answering an offer (FORMAT.md §8.5).
    Accept,
}

impl Activity {
    fn type_iri(self) -> &'static str {
        match self {
            Activity::Offer => vocab::AS_OFFER,
            Activity::Accept => vocab::AS_ACCEPT,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Activity::Offer => "application/vnd.solidcrypt.offer",
            Activity::Accept => "application/vnd.solidcrypt.proof",
        }
    }

    fn summary(self) -> &'static str {
        match self {
            Activity::Offer => "An encrypted solidcrypt share",
            Activity::Accept => "An encrypted solidcrypt share answer",
        }
    }
}

/// One notification: the public part and the payload bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub activity: Activity,
    pub actor: Url,
    pub target: Url,
    pub payload: Vec<u8>,
}

/// An inbox member is not a well-formed solidcrypt notification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    #[error("it is not RDF")]
    NotRdf,
    #[error("it is not Turtle: {0}")]
    NotTurtle(RdfError),
    #[error("it has {0} solidcrypt notifications, not one")]
    NotOne(usize),
    #[error("its {0} is missing, repeated or not what it must be")]
    Field(&'static str),
    #[error("its payload is not base64 of at most {MAX_PAYLOAD_BYTES} bytes")]
    Payload,
}

impl Notification {
    /// The Turtle to POST.
    pub fn to_turtle(&self) -> Result<Vec<u8>, RdfError> {
        let node: NamedOrBlankNode = BlankNode::default().into();
        let triple = |p: &str, o: Term| Triple::new(node.clone(), iri(p), o);
        let text = |value: &str| Term::Literal(Literal::new_simple_literal(value));
        let payload =
            Literal::new_typed_literal(STANDARD.encode(&self.payload), iri(vocab::XSD_BASE64));
        to_turtle(&[
            triple(vocab::RDF_TYPE, iri(self.activity.type_iri()).into()),
            triple(vocab::AS_ACTOR, url_node(self.actor.as_str())?.into()),
            triple(vocab::AS_TARGET, url_node(self.target.as_str())?.into()),
            triple(vocab::AS_SUMMARY, text(self.activity.summary())),
            triple(vocab::AS_MEDIA_TYPE, text(self.activity.media_type())),
            triple(vocab::AS_CONTENT, Term::Literal(payload)),
        ])
    }

    /// Reads the solidcrypt notification in `body` (fetched from `url`): `Ok(None)`
    /// for Turtle that holds none (another app's notification, left alone).
    pub fn parse(body: &[u8], url: &Url) -> Result<Option<Notification>, NotificationError> {
        let triples = parse_turtle(body, url.as_str()).map_err(NotificationError::NotTurtle)?;
        let ours: Vec<(NamedOrBlankNode, Activity)> = triples
            .iter()
            .filter(|t| t.predicate.as_str() == vocab::RDF_TYPE)
            .filter_map(|t| {
                let activity = match &t.object {
                    Term::NamedNode(o) if o.as_str() == vocab::AS_OFFER => Activity::Offer,
                    Term::NamedNode(o) if o.as_str() == vocab::AS_ACCEPT => Activity::Accept,
                    _ => return None,
                };
                let typed = values(&triples, &t.subject, vocab::AS_MEDIA_TYPE)
                    .any(|v| matches!(v, Term::Literal(l) if l.value() == activity.media_type()));
                typed.then(|| (t.subject.clone(), activity))
            })
            .collect();
        let (node, activity) = match ours.as_slice() {
            [] => return Ok(None),
            [one] => one.clone(),
            many => return Err(NotificationError::NotOne(many.len())),
        };
        let one = |predicate: &str, field| {
            let mut found = values(&triples, &node, predicate);
            match (found.next(), found.next()) {
                (Some(term), None) => Ok(term.clone()),
                _ => Err(NotificationError::Field(field)),
            }
        };
        let webid = |term: Term, field| match term {
            Term::NamedNode(n) => Url::parse(n.as_str())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or(NotificationError::Field(field)),
            _ => Err(NotificationError::Field(field)),
        };
        let actor = webid(one(vocab::AS_ACTOR, "actor")?, "actor")?;
        let target = webid(one(vocab::AS_TARGET, "target")?, "target")?;
        let Term::Literal(content) = one(vocab::AS_CONTENT, "content")? else {
            return Err(NotificationError::Field("content"));
        };
        if content.value().len() > MAX_PAYLOAD_BYTES / 3 * 4 + 4 {
            return Err(NotificationError::Payload);
        }
        let payload = STANDARD
            .decode(content.value())
            .map_err(|_| NotificationError::Payload)?;
        Ok(Some(Notification {
            activity,
            actor,
            target,
            payload,
        }))
    }
}

fn values<'t>(
    triples: &'t [Triple],
    subject: &'t NamedOrBlankNode,
    predicate: &'t str,
) -> impl Iterator<Item = &'t Term> + 't {
    triples
        .iter()
        .filter(move |t| &t.subject == subject && t.predicate.as_str() == predicate)
        .map(|t| &t.object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbox_member() -> Url {
        Url::parse("http://pod/bob/inbox/abc").unwrap()
    }

    fn offer() -> Notification {
        Notification {
            activity: Activity::Offer,
            actor: Url::parse("http://pod/alice/profile/card#me").unwrap(),
            target: Url::parse("http://pod/bob/profile/card#me").unwrap(),
            payload: vec![1, 2, 3, 250],
        }
    }

    #[test]
    fn round_trips_and_says_only_who_to_whom() {
        let turtle = offer().to_turtle().unwrap();
        let text = String::from_utf8(turtle.clone()).unwrap();
        assert!(text.contains("activitystreams#Offer"), "{text}");
        let back = Notification::parse(&turtle, &inbox_member())
            .unwrap()
            .unwrap();
        assert_eq!(back, offer());
    }

    #[test]
    fn other_apps_notifications_are_not_ours_and_broken_ones_are_refused() {
        let other = b"<#n> a <https://www.w3.org/ns/activitystreams#Offer>; \
            <https://www.w3.org/ns/activitystreams#actor> <http://x/#me>.";
        assert_eq!(Notification::parse(other, &inbox_member()), Ok(None));
        assert!(matches!(
            Notification::parse(b"\x00\xffjunk", &inbox_member()),
            Err(NotificationError::NotTurtle(_))
        ));
        let text = String::from_utf8(offer().to_turtle().unwrap()).unwrap();
        let twice = format!("{text}\n{text}");
        assert_eq!(
            Notification::parse(twice.as_bytes(), &inbox_member()),
            Err(NotificationError::NotOne(2))
        );
        let two_actors = text.replacen(
            "<http://pod/alice/profile/card#me>",
            "<http://pod/alice/profile/card#me>, <http://pod/eve/profile/card#me>",
            1,
        );
        assert_eq!(
            Notification::parse(two_actors.as_bytes(), &inbox_member()),
            Err(NotificationError::Field("actor"))
        );
        let bad_payload = text.replace("AQID+g==", "!!!");
        assert_eq!(
            Notification::parse(bad_payload.as_bytes(), &inbox_member()),
            Err(NotificationError::Payload)
        );
    }
}
