//! Managing named shares (issue 12 item 3, FORMAT.md §8.1–8.2): renaming a share
//! (its alias), deleting it — its grants for everyone it names, its keystores, and
//! if the user asks, the data it shares — and removing a share received that no
//! longer opens from my index and list.
//!
//! A share's alias names one resource; several people may hold it (`alias$webid`
//! each). Everything here is a read-modify-write of my own sealed shares list, so
//! it is idempotent: after a failure, the same call finishes it.

use url::Url;

use super::alias::{alias, share_id, AliasError};
use super::grant::own_acl_files;
use super::revoke::{revoke_person, RevokePersonError};
use super::shares::{shares, update_shares, CreatedShare, SharesError};
use crate::crypto::RandomError;
use crate::drive::DeleteError;
use crate::keystore::scope::within_url;
use crate::keystore::slots::slot_b;
use crate::keystore::{Keyring, KeyringError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;
use crate::share::grant::Grantee;
use crate::share::revoke::{delete_keystore, withdraw_from, RevokeError, RevokeProgress, Revoked};

/// Renaming a share failed; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenameShareError {
    #[error("there is no share named “{0}”")]
    NotFound(String),
    #[error(transparent)]
    Alias(#[from] AliasError),
    #[error("you already have a share named “{0}”")]
    Taken(String),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error(transparent)]
    Shares(#[from] SharesError),
}

/// Renames my share `old` (every person it is shared with) to `typed` (trimmed;
/// FORMAT.md §8.1's alias rules); the ids become `typed$webid`. Returns the new
/// alias. Nothing on anyone's pod but my list changes: the recipient's offer and
/// index do not name the alias.
pub async fn rename_share<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    old: &str,
    typed: &str,
) -> Result<String, RenameShareError> {
    let new = alias(Some(typed))??;
    let mut outcome = Ok(());
    update_shares(pod, keyring, |doc| {
        outcome = Ok(());
        if new == old {
            if !doc.created.iter().any(|s| s.alias == old) {
                outcome = Err(RenameShareError::NotFound(old.to_owned()));
            }
            return false;
        }
        if doc.created.iter().any(|s| s.alias == new) {
            outcome = Err(RenameShareError::Taken(new.clone()));
            return false;
        }
        let mut renamed = false;
        for share in doc.created.iter_mut().filter(|s| s.alias == old) {
            share.alias = new.clone();
            share.id = share_id(&new, &share.recipient);
            renamed = true;
        }
        if !renamed {
            outcome = Err(RenameShareError::NotFound(old.to_owned()));
        }
        renamed
    })
    .await?;
    outcome.map(|()| new)
}

/// What to do with the data a deleted share gave access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedData {
    /// Keep the file or folder; everyone the share named loses access and the
    /// keys are rotated (as revoking each of them does).
    Keep,
    /// Delete the file or folder with everything in it; every share of it or of
    /// something in it (whatever its alias) goes with it.
    Delete,
}

/// Deleting a share stopped part-way; calling [`delete_share`] again finishes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeleteShareError {
    #[error("there is no share named “{0}”")]
    NotFound(String),
    #[error("this share's addresses are damaged: {0}")]
    Damaged(&'static str),
    #[error(transparent)]
    Revoke(#[from] RevokePersonError),
    #[error("cannot take access away: {0}")]
    Withdraw(#[from] RevokeError),
    #[error("cannot take the share's keystore out of your keystores: {0}")]
    Keyring(#[from] KeyringError),
    #[error("cannot delete the shared data: {0}")]
    Data(#[from] DeleteError),
    #[error(transparent)]
    Shares(#[from] SharesError),
}

/// What [`delete_share`] did.
#[derive(Debug, Clone)]
pub struct DeletedShare {
    /// The WebIDs that lost access.
    pub recipients: Vec<String>,
    /// The share's name (what the offers called it).
    pub name: String,
    /// With [`SharedData::Keep`]: what each revocation re-encrypted.
    pub revoked: Vec<Revoked>,
    /// Whether the data was deleted.
    pub data_deleted: bool,
}

/// Deletes my share `alias`: for everyone it names, their rules and its keystore
/// go; with [`SharedData::Keep`] the files are re-encrypted under new keys (each
/// recipient is revoked, `revoke_person`), with [`SharedData::Delete`] the data is
/// deleted instead (no rotation: nothing is left to read), and so are the other
/// shares of it. The share leaves my list last. `progress` is told of each
/// revocation's steps.
pub async fn delete_share<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &str,
    alias: &str,
    data: SharedData,
    progress: &dyn Fn(RevokeProgress),
) -> Result<DeletedShare, DeleteShareError> {
    let doc = shares(pod, keyring).await?;
    let named: Vec<CreatedShare> = doc
        .created
        .iter()
        .filter(|s| s.alias == alias)
        .cloned()
        .collect();
    let first = named
        .first()
        .ok_or_else(|| DeleteShareError::NotFound(alias.to_owned()))?;
    let name = first.name.clone();
    let resource =
        Url::parse(&first.resource).map_err(|_| DeleteShareError::Damaged("resource"))?;
    let recipients = named.iter().map(|s| s.recipient.clone()).collect();
    if data == SharedData::Keep {
        let mut revoked = Vec::new();
        for share in &named {
            revoked.push(revoke_person(pod, keyring, me, share, progress).await?);
        }
        return Ok(DeletedShare {
            recipients,
            name,
            revoked,
            data_deleted: false,
        });
    }
    // Every share of the resource or of something under it loses its object.
    let going: Vec<&CreatedShare> = doc
        .created
        .iter()
        .filter(|s| {
            Url::parse(&s.resource).is_ok_and(|r| r == resource || within_url(&r, &resource))
        })
        .collect();
    let own_acl = if resource.path().ends_with('/') {
        own_acl_files(pod, keyring, &resource, &doc)
            .await
            .map_err(RevokeError::from)?
    } else {
        Vec::new()
    };
    for share in &going {
        let target =
            Url::parse(&share.resource).map_err(|_| DeleteShareError::Damaged("resource"))?;
        let keystore =
            Url::parse(&share.keystore).map_err(|_| DeleteShareError::Damaged("keystore"))?;
        // Access goes first, so a deletion cut off leaves nothing readable to them.
        let mut touched = vec![target, keystore.clone(), slot_b(&keystore)];
        touched.extend(own_acl.iter().cloned());
        let refs: Vec<&Url> = touched.iter().collect();
        withdraw_from(pod, me, &Grantee::Agent(&share.recipient), &refs).await?;
        keyring.remove_keystore(pod, keystore.as_str()).await?;
        delete_keystore(pod, &keystore).await?;
    }
    crate::drive::delete(pod, keyring, &resource).await?;
    let ids: Vec<String> = going.iter().map(|s| s.id.clone()).collect();
    update_shares(pod, keyring, |doc| {
        let before = doc.created.len();
        doc.created.retain(|s| !ids.contains(&s.id));
        doc.created.len() != before
    })
    .await?;
    Ok(DeletedShare {
        recipients,
        name,
        revoked: Vec::new(),
        data_deleted: true,
    })
}

/// Removing a share received failed; calling it again finishes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RemoveReceivedError {
    #[error("cannot remove it from your keystores: {0}")]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Shares(#[from] SharesError),
}

/// Removes what was shared with me at `resource` (typically revoked: its keystore
/// no longer opens): its entries leave my index (`Keyring::forget_received`, a
/// link's or a person's), and a person's share leaves `received` in my list, its
/// offer id kept in `declined` so a replay of the old offer is still refused.
/// Nothing changes on the owner's pod. Idempotent.
pub async fn remove_received<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    resource: &str,
) -> Result<(), RemoveReceivedError> {
    keyring.forget_received(pod, resource).await?;
    update_shares(pod, keyring, |doc| {
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut doc.received)
            .into_iter()
            .partition(|r| r.resource == resource);
        doc.received = kept;
        for share in &gone {
            if !doc.declined.contains(&share.offer) {
                doc.declined.push(share.offer.clone());
            }
        }
        !gone.is_empty()
    })
    .await?;
    Ok(())
}
