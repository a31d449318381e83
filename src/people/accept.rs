//! Answering an offer the user looked at (issue 12 item 6): accept — the proof to
//! the sender, the keystore into my index, the share into my list, the offer out
//! of my inbox — or decline.

use super::notification::{Activity, Notification};
use super::offer::{fingerprint_hex, Kind, Proof};
use super::payload::{seal_payload, SealPayloadError};
use super::receive::OfferPreview;
use super::shares::{shares, update_shares, ReceivedShare, SharesError};
use crate::auth::clock::now_secs;
use crate::keystore::format::{IndexEntry, KeystoreKind};
use crate::keystore::{Keyring, KeyringError};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::rdf::RdfError;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Accepting or declining failed. Accepting again is safe (every step is
/// idempotent, and the offer stays in the inbox until the last one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    #[error("this offer was answered already (a replay); it was removed from your inbox")]
    Replayed,
    #[error(transparent)]
    Shares(#[from] SharesError),
    #[error("cannot encrypt the answer: {0}")]
    Seal(#[from] SealPayloadError),
    #[error("cannot write the answer: {0}")]
    Rdf(#[from] RdfError),
    #[error("cannot deliver the answer to the sender's inbox ({inbox}): {source}")]
    Deliver { inbox: String, source: WriteError },
    #[error("cannot keep the share's keystore: {0}")]
    Keyring(#[from] KeyringError),
    #[error("the share is kept, but the offer could not be removed from your inbox: {0}")]
    Delete(WriteError),
}

/// Accepts `preview` (from `read_inbox`, shown to the user) as `me`: answers the
/// challenge to the sender's inbox (encrypted to their key as read now), adds the
/// share's keystore to my index (`shared-folder` or `shared-file`, scoped to what
/// is shared, with the mode), records it under "received", deletes the offer.
pub async fn accept_offer<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &str,
    preview: &OfferPreview,
) -> Result<ReceivedShare, AnswerError> {
    let offer = &preview.offer.offer;
    if shares(pod, keyring).await?.answered(&offer.id) {
        let _ = pod.delete(&preview.member, &Condition::Always).await;
        return Err(AnswerError::Replayed);
    }
    let answer = Notification {
        activity: Activity::Accept,
        actor: preview.offer.recipient.clone(),
        target: preview.sender.webid.clone(),
        payload: seal_payload(
            &preview.sender.public_key,
            &Proof::answering(offer).to_json(),
        )?,
    }
    .to_turtle()?;
    pod.post_notification(&preview.sender.inbox, answer)
        .await
        .map_err(|source| AnswerError::Deliver {
            inbox: preview.sender.inbox.to_string(),
            source,
        })?;
    let entry = IndexEntry {
        url: preview.offer.keystore.to_string(),
        key: offer.keystore_key.clone(),
        kind: match offer.kind {
            Kind::Folder => KeystoreKind::SharedFolder,
            Kind::File => KeystoreKind::SharedFile,
        },
        scope: preview.resource.to_string(),
        owner: me.to_owned(),
        mode: Some(offer.mode),
    };
    keyring
        .add_keystore(pod, entry, Some(preview.keystore.clone()))
        .await?;
    let received = ReceivedShare {
        offer: offer.id.clone(),
        sender: preview.sender.webid.to_string(),
        fingerprint: fingerprint_hex(&preview.sender.fingerprint),
        kind: offer.kind,
        mode: offer.mode,
        name: offer.name.clone(),
        resource: preview.resource.to_string(),
        keystore: preview.offer.keystore.to_string(),
        accepted: now_secs(),
    };
    update_shares(pod, keyring, |doc| {
        if doc.answered(&received.offer) {
            return false;
        }
        doc.received.push(received.clone());
        true
    })
    .await?;
    delete(pod, &preview.member).await?;
    Ok(received)
}

/// Declines `preview`: its id is remembered (a replay is refused) and the offer
/// deleted. Nothing on the sender's pod changes.
pub async fn decline_offer<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    preview: &OfferPreview,
) -> Result<(), AnswerError> {
    let id = &preview.offer.offer.id;
    update_shares(pod, keyring, |doc| {
        if doc.answered(id) {
            return false;
        }
        doc.declined.push(id.clone());
        true
    })
    .await?;
    delete(pod, &preview.member).await
}

async fn delete<H: HttpClient>(pod: &Pod<'_, H>, member: &url::Url) -> Result<(), AnswerError> {
    match pod.delete(member, &Condition::Always).await {
        Ok(()) | Err(WriteError::NotFound) => Ok(()),
        Err(e) => Err(AnswerError::Delete(e)),
    }
}
