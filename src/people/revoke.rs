//! Revoking a person (issue 12 item 7): their `acl:agent` rules go, their share's
//! keystore goes, and the files are re-encrypted under new keys as a link
//! revocation does (`share::revoke`), so the keys they kept open no later version.
//! Everyone else — other people's shares, links — keeps access without a new
//! offer: their keystores get the new keys. Deleting a share is revoking it.

use url::Url;

use super::offer::Kind;
use super::shares::{update_shares, CreatedShare, SharesError};
use crate::keystore::slots::slot_b;
use crate::keystore::Keyring;
use crate::pod::http::HttpClient;
use crate::pod::Pod;
use crate::share::grant::Grantee;
use crate::share::revoke::{rotate_after, withdraw_from, RevokeError, RevokeProgress, Revoked};

/// Revoking failed part-way; calling [`revoke_person`] again with the same share
/// finishes it (the share stays in my list until every step is done).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevokePersonError {
    #[error("this share's addresses are damaged: {0}")]
    Damaged(&'static str),
    #[error(transparent)]
    Revoke(#[from] RevokeError),
    #[error(
        "access is revoked and keys rotated, but your list of shares could not be updated: {0}"
    )]
    Shares(#[from] SharesError),
}

/// Revokes `share` (one of mine, from `shares`): removes the recipient's rules
/// from the resource (and the files under a folder that have ACLs of their own)
/// and from both slots of the share's keystore, takes that keystore out of my index
/// (a folder's keys only it held, such as files the recipient added, are first
/// copied into my root keystore) and deletes it, re-encrypts every file under new
/// keys written to my keystores and those of the shares and links that remain,
/// and drops the share from my list. Idempotent. `progress` is told each step as
/// it starts.
pub async fn revoke_person<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    me: &str,
    share: &CreatedShare,
    progress: &dyn Fn(RevokeProgress),
) -> Result<Revoked, RevokePersonError> {
    progress(RevokeProgress::Withdrawing);
    let resource =
        Url::parse(&share.resource).map_err(|_| RevokePersonError::Damaged("resource"))?;
    let keystore =
        Url::parse(&share.keystore).map_err(|_| RevokePersonError::Damaged("keystore"))?;
    let keystore_b = slot_b(&keystore);
    let mut touched = vec![resource.clone(), keystore.clone(), keystore_b];
    if share.kind == Kind::Folder {
        let doc = super::shares::shares(pod, keyring).await?;
        touched.extend(
            super::grant::own_acl_files(pod, keyring, &resource, &doc)
                .await
                .map_err(RevokeError::from)?,
        );
    }
    let refs: Vec<&Url> = touched.iter().collect();
    withdraw_from(pod, me, &Grantee::Agent(&share.recipient), &refs).await?;
    let revoked = rotate_after(pod, keyring, &resource, Some(&keystore), progress).await?;
    update_shares(pod, keyring, |doc| {
        let before = doc.created.len();
        doc.created.retain(|s| s.id != share.id);
        doc.created.len() != before
    })
    .await?;
    Ok(revoked)
}
