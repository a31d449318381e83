//! Opening a friend's link (DESIGN §1 step 4): join the link's group, which is what
//! the owner's ACL lets in, then fetch and decrypt with the key the link gives: the
//! file's key from the link's own keystore (FORMAT.md §5.1), or from the link
//! itself (key-in-link form).

use url::Url;

use super::link::{ShareLink, Shared};
use crate::crypto::envelope::{self, Opened};
use crate::crypto::SecretKey;
use crate::keystore::format::{DecodeError, KeystoreDoc};
use crate::keystore::store::{load, LoadError};
use crate::pod::error::{ReadError, WriteError};
use crate::pod::group::{Group, GroupError};
use crate::pod::http::HttpClient;
use crate::pod::patch::PatchError;
use crate::pod::Pod;

/// Joining a link's group failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JoinError {
    #[error("log in to open this link")]
    NotLoggedIn,
    /// The group document is gone (or never existed): CSS answers 403 or 404
    /// depending on who may see the folder it was in.
    #[error("this link does not work any more: it was revoked, or it was never valid")]
    Revoked,
    /// The group is on another origin than what it grants: whoever made the link
    /// would learn who opened it, and no pod's ACL could name it anyway.
    #[error("the link's group is not on the pod of what it shares; the link was altered")]
    GroupElsewhere,
    #[error("cannot join the link's group: {0}")]
    Pod(GroupError),
}

/// Opening a shared file failed; nothing of it may be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenLinkError {
    #[error("this link shares a folder, not a file")]
    NotAFile,
    #[error(transparent)]
    Join(#[from] JoinError),
    #[error("the owner's pod does not let this link's group read the file (any more)")]
    NoAccess,
    #[error("the shared file is not there any more")]
    Gone,
    #[error("cannot read the shared file: {0}")]
    Read(ReadError),
    #[error("the shared file is damaged, or the link's key does not open it: {0}")]
    Decrypt(#[from] envelope::OpenError),
    #[error(transparent)]
    Keystore(FileKeystoreError),
}

/// A file link's keystore (FORMAT.md §5.1, on the owner's pod) did not give the
/// file's key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileKeystoreError {
    #[error("cannot read the link's keystore: {0}")]
    Read(ReadError),
    #[error("the link's keystore is not there any more")]
    Gone,
    #[error("the link's key does not open its keystore (ask for a new link): {0}")]
    Decode(DecodeError),
    #[error("the link's keystore holds no key for the file it shares; the link was altered")]
    NoEntry,
}

/// Reads the keystore of a file link (`keystore`, opened with `keystore_key`) and
/// the key it holds for `file`. Only the entry for exactly `file` counts: the
/// keystore comes from someone else's pod, and whatever else it lists is theirs
/// to claim, never the reader's to use (the document is returned as read; a
/// keyring consults it only for `file`, `keystore::scope`).
pub(crate) async fn file_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    file: &Url,
    keystore: &Url,
    keystore_key: &SecretKey,
) -> Result<(KeystoreDoc, SecretKey), FileKeystoreError> {
    let doc = match load::<H, KeystoreDoc>(pod, keystore, keystore_key).await {
        Ok(Some(loaded)) => loaded.doc,
        // (`load` itself never says RootMissing; only unlock does.)
        Ok(None) | Err(LoadError::RootMissing { .. }) => return Err(FileKeystoreError::Gone),
        Err(LoadError::Read { source, .. }) => return Err(FileKeystoreError::Read(source)),
        Err(LoadError::Decode { source, .. }) => return Err(FileKeystoreError::Decode(source)),
        Err(LoadError::BadUrl(_)) => return Err(FileKeystoreError::NoEntry),
    };
    let key = doc
        .entries
        .get(file.as_str())
        .and_then(|e| e.key.clone())
        .ok_or(FileKeystoreError::NoEntry)?;
    Ok((doc, key))
}

/// The group a link names (`<group document>#group`).
pub fn link_group(link: &ShareLink) -> Group {
    Group::in_document(&link.group)
}

/// Adds `me` (a WebID) to the link's group with an N3 Patch insert (the group
/// grants everyone Append, nothing more) into the existing group document only,
/// which must be on the shared resource's origin. Joining twice is harmless: the
/// membership triple is simply there once.
pub async fn join<H: HttpClient>(
    pod: &Pod<'_, H>,
    link: &ShareLink,
    me: &str,
) -> Result<(), JoinError> {
    if link.group.origin() != link.shared.url().origin() {
        return Err(JoinError::GroupElsewhere);
    }
    match pod.join_group(&link_group(link), me).await {
        Ok(()) => Ok(()),
        Err(GroupError::Patch(PatchError::Write(write))) => Err(match write {
            WriteError::Unauthorized => JoinError::NotLoggedIn,
            // 412: `If-Match: *` found no group document (it is never created).
            WriteError::Forbidden | WriteError::NotFound | WriteError::Conflict => {
                JoinError::Revoked
            }
            other => JoinError::Pod(GroupError::Patch(PatchError::Write(other))),
        }),
        Err(other) => Err(JoinError::Pod(other)),
    }
}

/// Opens a file link for `me`: joins its group, reads the file's key from the
/// link's keystore (or takes the one in a key-in-link link), fetches the
/// ciphertext and decrypts it. For files small enough to hold in memory; the
/// browser streams big ones with the same key (see `drive::download`).
pub async fn open_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    link: &ShareLink,
    me: &str,
) -> Result<Opened, OpenLinkError> {
    if matches!(link.shared, Shared::Folder { .. }) {
        return Err(OpenLinkError::NotAFile);
    }
    join(pod, link, me).await?;
    let url = link.shared.url();
    let key = match &link.shared {
        Shared::File {
            keystore,
            keystore_key,
            ..
        } => match file_keystore(pod, url, keystore, keystore_key).await {
            Ok((_, key)) => key,
            Err(FileKeystoreError::Read(ReadError::Forbidden)) => {
                return Err(OpenLinkError::NoAccess)
            }
            Err(FileKeystoreError::Gone) => return Err(OpenLinkError::Gone),
            Err(FileKeystoreError::Read(e)) => return Err(OpenLinkError::Read(e)),
            Err(e) => return Err(OpenLinkError::Keystore(e)),
        },
        Shared::FileKey { key, .. } => key.clone(),
        Shared::Folder { .. } => return Err(OpenLinkError::NotAFile),
    };
    let body = fetch(pod, url).await?;
    Ok(envelope::open(&key, &body)?)
}

async fn fetch<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> Result<Vec<u8>, OpenLinkError> {
    match pod.get(url).await {
        Ok(resource) => Ok(resource.body),
        Err(ReadError::Forbidden) => Err(OpenLinkError::NoAccess),
        Err(ReadError::NotFound) => Err(OpenLinkError::Gone),
        Err(other) => Err(OpenLinkError::Read(other)),
    }
}
