//! Reading my inbox (issue 12 item 6, FORMAT.md §8.6): offers become previews the
//! user accepts or declines, proofs answering my own offers update their status,
//! and anything hostile is refused with its reason and deleted before anything
//! else is written.
//!
//! Everything in an inbox is input from whoever posted it (public Append): it is
//! read bounded (64 KiB a member, direct children only, at most
//! [`MAX_MEMBERS`] a read), opened only with my key, and vetted as a link is
//! (`share::vet`): the addresses must be in the sender's own storage — the one
//! their profile names and the one the addresses' storage description names — not
//! in mine, not overlapping a folder I hold, and the keystore must open with the
//! key and cover what is shared.

use url::Url;

use super::notification::{Activity, Notification, NotificationError, MAX_NOTIFICATION_BYTES};
use super::offer::{Kind, Offer, OfferJsonError, ParsedOffer, Proof, ProofValue};
use super::payload::{open_payload, OpenPayloadError};
use super::shares::{shares, update_shares, ProofStatus, SharesDoc, SharesError};
use crate::crypto::identity_key::IdentityKey;
use crate::crypto::rsa_keys::Fingerprint;
use crate::identity::{lookup_person, LookupError, Person};
use crate::keystore::format::KeystoreDoc;
use crate::keystore::scope::within_url;
use crate::keystore::store::{load, LoadError};
use crate::keystore::{Keyring, ShareMode};
use crate::pod::container::ListError;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::storage::{StorageError, StorageFinder};
use crate::pod::Pod;
use crate::share::check::{check_file, CheckError};
use crate::share::vet::overlapping;

/// The most inbox members one read looks at; the rest wait for the next read.
pub const MAX_MEMBERS: usize = 100;

/// Turtle (CSS converts other RDF, such as JSON-LD notifications, into it), and
/// anything that is not RDF as it is, to be refused.
const NOTIFICATION_ACCEPT: &str = "text/turtle, */*;q=0.1";

fn is_turtle(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/turtle"))
}

/// An offer that passed every check: what the consent screen shows. Made only by
/// [`read_inbox`], so accepting always follows the checks.
#[derive(Debug, Clone)]
pub struct OfferPreview {
    /// The inbox member it came in.
    pub member: Url,
    /// The sender, as their profile says now (their key's fingerprint is what to
    /// show and compare).
    pub sender: Person,
    pub kind: Kind,
    pub mode: ShareMode,
    /// The name the sender gave it (shown as text).
    pub name: String,
    pub resource: Url,
    pub(crate) offer: ParsedOffer,
    pub(crate) keystore: KeystoreDoc,
}

impl OfferPreview {
    /// The sender's key fingerprint as read now.
    pub fn sender_fingerprint(&self) -> Fingerprint {
        self.sender.fingerprint
    }
}

/// A proof that answered one of my offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofChecked {
    /// The share's id (`alias$recipient`).
    pub share: String,
    pub recipient: String,
}

/// Why an inbox member was refused (and deleted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    #[error("it is larger than {MAX_NOTIFICATION_BYTES} bytes")]
    TooLarge,
    #[error("it is not a readable solidcrypt notification: {0}")]
    Junk(NotificationError),
    #[error("it was not sent to you: {0}")]
    NotForMe(OpenPayloadError),
    #[error("its content is damaged: {0}")]
    Damaged(OfferJsonError),
    #[error("it names someone else as its recipient or sender than its envelope does")]
    WrongRecipient,
    #[error("it was answered before (a replay)")]
    Replayed,
    #[error("its sender's profile could not be read: {0}")]
    Sender(LookupError),
    #[error("its {field} ({url}) is not in the sender's storage ({storage})")]
    OutsideSenderStorage {
        field: &'static str,
        url: String,
        storage: String,
    },
    #[error("it points into your own pod ({0})")]
    OwnStorage(String),
    #[error("you already have {held} through another share")]
    Overlaps { held: String },
    #[error("cannot tell which pod it points to: {0}")]
    Storage(StorageError),
    #[error("its sender's pod does not let you open it (the share was withdrawn?)")]
    NoAccess,
    #[error("what it shares is not there")]
    Gone,
    #[error("its key does not open the keystore it names, or that keystore does not cover what it shares")]
    BadKeystore,
    #[error("it answers no offer of yours to its sender")]
    UnknownOffer,
    #[error("its proof does not match the offer")]
    BadProof,
}

/// One member that was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub member: Url,
    pub reason: Refusal,
}

/// What one read of the inbox found.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub offers: Vec<OfferPreview>,
    pub proofs: Vec<ProofChecked>,
    /// Refused and deleted (a delete that failed is tried again next read).
    pub refused: Vec<Refused>,
}

/// Reading the inbox failed as a whole (nothing was refused or changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InboxError {
    #[error("cannot list your inbox: {0}")]
    List(#[from] ListError),
    #[error(transparent)]
    Shares(#[from] SharesError),
    #[error("cannot tell which pod is yours: {0}")]
    Storage(#[from] StorageError),
}

/// Reads my inbox `inbox` as `me` (WebID) holding `identity`: see the module.
/// Members that are not solidcrypt notifications (other apps') are left alone;
/// members that cannot be read now (a failing pod) are left for the next read.
pub async fn read_inbox<H: HttpClient, K: IdentityKey>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &Url,
    identity: &K,
    inbox: &Url,
) -> Result<Inbox, InboxError> {
    let members: Vec<_> = pod
        .list(inbox)
        .await?
        .into_iter()
        .filter(|m| !m.is_container)
        .take(MAX_MEMBERS)
        .collect();
    let mut found = Inbox::default();
    // An empty inbox (the usual case, read at every unlock and every minute) costs
    // its listing alone: the shares list may not exist yet, and each read of it
    // would be two 404s.
    if members.is_empty() {
        return Ok(found);
    }
    let mut doc = shares(pod, keyring).await?;
    let finder = StorageFinder::new(pod);
    let mine = finder.storage_of(keyring.layout().base()).await?;
    for member in members {
        let url = member.url;
        // Anything else too, as it is: CSS answers 501 to `text/turtle` alone
        // for a member it cannot convert (bytes posted as octets).
        let outcome = match pod
            .get_bounded(&url, NOTIFICATION_ACCEPT, MAX_NOTIFICATION_BYTES)
            .await
        {
            Ok(resource) if !is_turtle(resource.meta.content_type.as_deref()) => {
                Err(Refusal::Junk(NotificationError::NotRdf))
            }
            Ok(resource) => match Notification::parse(&resource.body, &url) {
                Ok(None) => continue,
                Ok(Some(n)) => Ok(n),
                Err(e) => Err(Refusal::Junk(e)),
            },
            Err(ReadError::TooLarge { .. }) => Err(Refusal::TooLarge),
            // Gone meanwhile, or the pod failing: nothing to do now.
            Err(_) => continue,
        };
        let outcome = match outcome {
            Ok(n) if n.activity == Activity::Offer => {
                match vet(
                    pod, keyring, me, identity, &mine, &finder, &doc, &found, &url, n,
                )
                .await
                {
                    Ok(preview) => {
                        found.offers.push(preview);
                        continue;
                    }
                    Err(reason) => Err(reason),
                }
            }
            Ok(n) => match proof(pod, keyring, me, identity, &mut doc, n).await {
                Ok(Some(checked)) => Ok(checked),
                // The status could not be saved: the member stays for the next read.
                Ok(None) => continue,
                Err(reason) => Err(reason),
            },
            Err(reason) => Err(reason),
        };
        // Answered or refused: either way the member has done its job.
        let _ = pod.delete(&url, &Condition::Always).await;
        match outcome {
            Ok(checked) => found.proofs.push(checked),
            Err(reason) => found.refused.push(Refused {
                member: url,
                reason,
            }),
        }
    }
    Ok(found)
}

/// The checks of FORMAT.md §8.6 on one offer; only reads.
#[allow(clippy::too_many_arguments)]
async fn vet<H: HttpClient, K: IdentityKey>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &Url,
    identity: &K,
    mine: &Url,
    finder: &StorageFinder<'_, '_, H>,
    doc: &SharesDoc,
    found: &Inbox,
    member: &Url,
    notification: Notification,
) -> Result<OfferPreview, Refusal> {
    let json = open_payload(identity, &notification.payload)
        .await
        .map_err(Refusal::NotForMe)?;
    let parsed = Offer::parse(&json).map_err(Refusal::Damaged)?;
    let my_fingerprint = identity.public_key().fingerprint();
    if parsed.recipient != *me
        || parsed.recipient_fingerprint != my_fingerprint
        || notification.target != *me
        || notification.actor != parsed.sender
        || parsed.sender == *me
    {
        return Err(Refusal::WrongRecipient);
    }
    let id = &parsed.offer.id;
    if doc.answered(id) || found.offers.iter().any(|o| &o.offer.offer.id == id) {
        return Err(Refusal::Replayed);
    }
    let sender = lookup_person(pod, &parsed.sender)
        .await
        .map_err(Refusal::Sender)?;
    let layout = keyring.layout();
    for (field, url) in [
        ("resource", &parsed.resource),
        ("keystore", &parsed.keystore),
    ] {
        if within_url(url, mine) || within_url(url, layout.base()) {
            return Err(Refusal::OwnStorage(mine.to_string()));
        }
        let outside = || Refusal::OutsideSenderStorage {
            field,
            url: url.to_string(),
            storage: sender.storage.to_string(),
        };
        if !within_url(url, &sender.storage) {
            return Err(outside());
        }
        let storage = finder.storage_of(url).await.map_err(Refusal::Storage)?;
        if storage != sender.storage {
            return Err(outside());
        }
    }
    if parsed.offer.kind == Kind::Folder {
        if let Some(held) = overlapping(&parsed.resource, &parsed.keystore, &keyring.keystores()) {
            return Err(Refusal::Overlaps { held });
        }
    }
    let keystore =
        match load::<H, KeystoreDoc>(pod, &parsed.keystore, &parsed.offer.keystore_key).await {
            Ok(Some(loaded)) => loaded.doc,
            Ok(None) => return Err(Refusal::Gone),
            Err(LoadError::Read { source, .. }) => return Err(read_refusal(source)),
            // Does not open, is not a keystore, is too big, or names no URL.
            Err(_) => return Err(Refusal::BadKeystore),
        };
    let entry = keystore
        .entries
        .get(parsed.resource.as_str())
        .ok_or(Refusal::BadKeystore)?;
    if parsed.offer.kind == Kind::File {
        let key = entry.key.as_ref().ok_or(Refusal::BadKeystore)?;
        check_file(pod, &parsed.resource, key)
            .await
            .map_err(|e| match e {
                CheckError::Read(e) => read_refusal(e),
                CheckError::Open(_) | CheckError::Parts(_) => Refusal::BadKeystore,
            })?;
    } else if entry.key.is_some() {
        return Err(Refusal::BadKeystore);
    }
    Ok(OfferPreview {
        member: member.clone(),
        kind: parsed.offer.kind,
        mode: parsed.offer.mode,
        name: parsed.offer.name.clone(),
        resource: parsed.resource.clone(),
        sender,
        offer: parsed,
        keystore,
    })
}

fn read_refusal(e: ReadError) -> Refusal {
    match e {
        ReadError::NotFound => Refusal::Gone,
        _ => Refusal::NoAccess,
    }
}

/// A proof answering one of my offers (FORMAT.md §8.5): checked against the
/// share with that offer id and recipient, in constant time; a match marks the
/// share "holds the key". `Ok(None)`: valid, but the status could not be saved.
async fn proof<H: HttpClient, K: IdentityKey>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &Url,
    identity: &K,
    doc: &mut SharesDoc,
    notification: Notification,
) -> Result<Option<ProofChecked>, Refusal> {
    let json = open_payload(identity, &notification.payload)
        .await
        .map_err(Refusal::NotForMe)?;
    let (proof, value) = Proof::parse(&json).map_err(Refusal::Damaged)?;
    if notification.target != *me || notification.actor.as_str() != proof.from {
        return Err(Refusal::WrongRecipient);
    }
    let share = doc
        .created
        .iter()
        .find(|s| s.offer == proof.offer && s.recipient == proof.from)
        .ok_or(Refusal::UnknownOffer)?;
    let expected = ProofValue::from_text(&share.proof).ok_or(Refusal::BadProof)?;
    if !expected.matches(&value) {
        return Err(Refusal::BadProof);
    }
    let checked = ProofChecked {
        share: share.id.clone(),
        recipient: share.recipient.clone(),
    };
    if share.proof_status != ProofStatus::HoldsKey {
        let id = checked.share.clone();
        let written = update_shares(pod, keyring, |d| {
            match d.created.iter_mut().find(|s| s.id == id) {
                Some(s) if s.proof_status != ProofStatus::HoldsKey => {
                    s.proof_status = ProofStatus::HoldsKey;
                    true
                }
                _ => false,
            }
        })
        .await;
        match written {
            Ok(written) => *doc = written,
            Err(_) => return Ok(None),
        }
    }
    Ok(Some(checked))
}
