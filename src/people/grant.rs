//! Granting a file or a folder to a person (issue 12 item 4, FORMAT.md §8.1):
//! a shared keystore of its own, `acl:agent` rules for their WebID, the share in my
//! list, and the offer in their inbox. No one needs to be online but me.

use crate::share::create::last_segment;
use url::Url;

use super::alias::{alias, share_id, AliasError};
use super::contacts::{status_in, ContactStatus};
use super::notification::{Activity, Notification};
use super::offer::{fingerprint_hex, Kind, Offer};
use super::payload::{seal_payload, SealPayloadError};
use super::shares::{
    shares, update_shares, Contact, CreatedShare, ProofStatus, SharesDoc, SharesError,
};
use crate::auth::clock::now_secs;
use crate::crypto::{RandomError, SecretKey};
use crate::identity::Person;
use crate::keystore::format::{encrypt, EncodeError, Entry, IndexEntry, KeystoreDoc, KeystoreKind};
use crate::keystore::master::random_suffix;
use crate::keystore::scope::within_url;
use crate::keystore::slots::slot_b;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::keystore::{Keyring, KeyringError};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::rdf::RdfError;
use crate::pod::resource::Condition;
use crate::pod::Pod;
use crate::share::create::{catch_up, files_shared_alone, folder_keys};
use crate::share::grant::{file_modes, folder_modes, grant, GrantError, Grantee};
use crate::share::list::mode_of;
use crate::share::revoke::withdraw_from;
use crate::share::{Access, LinksError};

/// Sharing with a person failed; nothing stays granted (what was created on the
/// way is removed again, as far as the pod lets us).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PersonShareError {
    #[error("this is not one of your files or folders")]
    NotMine,
    #[error("you cannot share with yourself")]
    WithYourself,
    #[error(
        "{webid}'s key changed since you last saw it (it was {old}, it is now {new}); \
         compare the new one with them and mark it verified before sharing"
    )]
    KeyChanged {
        webid: String,
        old: String,
        new: String,
    },
    #[error(transparent)]
    Alias(#[from] AliasError),
    #[error("you already have a share named “{0}”")]
    AliasTaken(String),
    #[error("this is already shared with {0}; revoke that share first to change it")]
    AlreadyShared(String),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot encrypt the share's keystore: {0}")]
    Encode(#[from] EncodeError),
    #[error("cannot write the share's keystore: {0}")]
    Write(WriteError),
    #[error("cannot list the share's keystore: {0}")]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Grant(#[from] GrantError),
    #[error(transparent)]
    Shares(#[from] SharesError),
    #[error(transparent)]
    Links(#[from] LinksError),
    #[error("cannot encrypt the offer: {0}")]
    Seal(#[from] SealPayloadError),
    #[error("cannot write the offer: {0}")]
    Rdf(#[from] RdfError),
    #[error("cannot deliver the offer to {inbox}: {source}")]
    Deliver { inbox: String, source: WriteError },
}

/// Shares `resource` (a file with its key in `keyring`, or a folder ending in `/`
/// in my drive) with `person` (from `identity::lookup_person`, shown to the user)
/// with `access`, under `alias` (or a random `share_<hex>`).
///
/// Refused before anything is written when the person's key differs from the one
/// my contacts hold for them ([`PersonShareError::KeyChanged`]: the user verifies
/// the new fingerprint first, `contacts::verify_contact`). A new contact is
/// remembered with the fingerprint shown (not verified).
///
/// Then: a new shared keystore with the keys under the folder (or the file's
/// entry), in my index so new keys reach it; `acl:agent` rules for the person on the
/// resource (with `acl:default` for a folder, and on files under it that have ACLs
/// of their own) and on both slots of the keystore; the share in my list with the
/// proof I expect; the offer posted to their inbox. Requests do not depend on the
/// number of files (their keys are in memory).
pub async fn share_with_person<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &str,
    person: &Person,
    resource: &Url,
    access: Access,
    typed_alias: Option<&str>,
) -> Result<CreatedShare, PersonShareError> {
    let recipient = person.webid.as_str();
    if recipient == me {
        return Err(PersonShareError::WithYourself);
    }
    let (kind, name, doc) = what(keyring, resource)?;
    let fingerprint = fingerprint_hex(&person.fingerprint);
    let known = shares(pod, keyring).await?;
    if let ContactStatus::KeyChanged { old, new } = status_in(&known, recipient, &fingerprint) {
        return Err(PersonShareError::KeyChanged {
            webid: recipient.to_owned(),
            old,
            new,
        });
    }
    let alias = alias(typed_alias)??;
    let id = share_id(&alias, recipient);
    // An alias names one resource (deleting the share deletes it for everyone).
    if known
        .created
        .iter()
        .any(|s| s.id == id || (s.alias == alias && s.resource != resource.as_str()))
    {
        return Err(PersonShareError::AliasTaken(alias));
    }
    if known
        .created
        .iter()
        .any(|s| s.recipient == recipient && s.resource == resource.as_str())
    {
        return Err(PersonShareError::AlreadyShared(recipient.to_owned()));
    }

    let keystore = keyring.layout().new_shared_keystore(&random_suffix()?);
    let keystore_key = SecretKey::generate()?;
    let keystore_b = slot_b(&keystore);
    let body = encrypt(&doc, &keystore_key)?;
    for slot in [&keystore, &keystore_b] {
        pod.put(slot, ENCRYPTED_TYPE, body.clone(), &Condition::IfAbsent)
            .await
            .map_err(PersonShareError::Write)?;
    }
    let entry = IndexEntry {
        url: keystore.to_string(),
        key: keystore_key.clone(),
        kind: match kind {
            Kind::Folder => KeystoreKind::SharedFolder,
            Kind::File => KeystoreKind::SharedFile,
        },
        scope: resource.to_string(),
        owner: me.to_owned(),
        mode: None,
    };
    let grantee = Grantee::Agent(recipient);
    let mut touched = vec![resource.clone(), keystore.clone(), keystore_b.clone()];
    let granted = async {
        keyring.add_keystore(pod, entry, Some(doc)).await?;
        if kind == Kind::Folder {
            catch_up(pod, keyring, resource, keystore.as_str()).await?;
            touched.extend(own_acl_files(pod, keyring, resource, &known).await?);
        }
        let resource_modes = match kind {
            Kind::Folder => folder_modes(access),
            Kind::File => file_modes(access),
        };
        grant(pod, me, resource, &grantee, resource_modes).await?;
        grant(pod, me, &keystore, &grantee, file_modes(access)).await?;
        grant(pod, me, &keystore_b, &grantee, file_modes(access)).await?;
        for file in &touched[3..] {
            // The folder's modes, as for folder links (`share::create`).
            grant(pod, me, file, &grantee, folder_modes(access)).await?;
        }
        let offer = Offer::new(
            me,
            recipient,
            &person.fingerprint,
            kind,
            mode_of(access),
            &name,
            resource,
            &keystore,
            &keystore_key,
            now_secs(),
        )?;
        let share = CreatedShare {
            alias: alias.clone(),
            id: id.clone(),
            recipient: recipient.to_owned(),
            fingerprint: fingerprint.clone(),
            kind,
            mode: offer.mode,
            resource: resource.to_string(),
            name: name.clone(),
            keystore: keystore.to_string(),
            keystore_key: keystore_key.clone(),
            created: offer.created,
            offer: offer.id.clone(),
            proof: offer.proof().to_text(),
            proof_status: ProofStatus::Pending,
        };
        let notification = Notification {
            activity: Activity::Offer,
            actor: Url::parse(me).map_err(|_| PersonShareError::NotMine)?,
            target: person.webid.clone(),
            payload: seal_payload(&person.public_key, &offer.to_json())?,
        }
        .to_turtle()?;
        record(pod, keyring, &share, &fingerprint, person.name.as_deref()).await?;
        pod.post_notification(&person.inbox, notification)
            .await
            .map_err(|source| PersonShareError::Deliver {
                inbox: person.inbox.to_string(),
                source,
            })?;
        Ok::<CreatedShare, PersonShareError>(share)
    }
    .await;
    match granted {
        Ok(share) => Ok(share),
        Err(error) => {
            // Best effort: a keystore nobody is granted is only clutter.
            let refs: Vec<&Url> = touched.iter().collect();
            let _ = withdraw_from(pod, me, &grantee, &refs).await;
            let _ = keyring.remove_keystore(pod, keystore.as_str()).await;
            let _ = update_shares(pod, keyring, |doc| {
                let before = doc.created.len();
                doc.created.retain(|s| s.id != id);
                doc.created.len() != before
            })
            .await;
            let _ = pod.delete(&keystore, &Condition::Always).await;
            let _ = pod.delete(&keystore_b, &Condition::Always).await;
            Err(error)
        }
    }
}

/// What `resource` is, its name, and the share keystore's first version: a
/// folder's entries (its own, with its name, and everything under it), or the
/// one entry of a file.
fn what(
    keyring: &Keyring,
    resource: &Url,
) -> Result<(Kind, String, KeystoreDoc), PersonShareError> {
    let files = keyring.layout().files();
    if !within_url(resource, &files) || *resource == files {
        return Err(PersonShareError::NotMine);
    }
    let own = keyring.lookup(resource.as_str());
    let folder = resource.path().ends_with('/') && own.as_ref().is_none_or(|e| e.key.is_none());
    if folder {
        let mut doc = folder_keys(keyring, resource);
        let name = own
            .map(|e| e.name)
            .unwrap_or_else(|| last_segment(resource));
        doc.entries
            .entry(resource.to_string())
            .or_insert_with(|| Entry {
                key: None,
                name: name.clone(),
                media_type: None,
                size: None,
            });
        return Ok((Kind::Folder, name, doc));
    }
    let entry = own
        .filter(|e| e.key.is_some())
        .ok_or(PersonShareError::NotMine)?;
    let name = entry.name.clone();
    let mut doc = KeystoreDoc::default();
    doc.entries.insert(resource.to_string(), entry);
    Ok((Kind::File, name, doc))
}

/// The share goes into my list, and its recipient into my contacts if new (with
/// the name their profile states now, which also updates a known contact's).
async fn record<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    share: &CreatedShare,
    fingerprint: &str,
    name: Option<&str>,
) -> Result<(), SharesError> {
    update_shares(pod, keyring, |doc| {
        if doc.created.iter().any(|s| s.id == share.id) {
            return false;
        }
        match doc.contacts.iter_mut().find(|c| c.webid == share.recipient) {
            Some(contact) => contact.name = name.map(str::to_owned),
            None => doc.contacts.push(Contact {
                webid: share.recipient.clone(),
                fingerprint: fingerprint.to_owned(),
                verified: false,
                first_seen: share.created,
                name: name.map(str::to_owned),
            }),
        }
        doc.created.push(share.clone());
        true
    })
    .await
    .map(|_| ())
}

/// Files under `folder` with an ACL of their own, which does not inherit the
/// folder's rules: those with a file link, and those shared alone with a person.
pub(crate) async fn own_acl_files<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    known: &SharesDoc,
) -> Result<Vec<Url>, LinksError> {
    let mut files = files_shared_alone(pod, keyring, folder).await?;
    for share in known.created.iter().filter(|s| s.kind == Kind::File) {
        if let Ok(url) = Url::parse(&share.resource) {
            if within_url(&url, folder) && !files.contains(&url) {
                files.push(url);
            }
        }
    }
    Ok(files)
}
