//! Opening a friend's link (DESIGN §1 step 4): join the link's group, which is what
//! the owner's ACL lets in, then fetch and decrypt with the key from the link.

use url::Url;

use super::link::{ShareLink, Shared};
use crate::crypto::envelope::{self, Opened};
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

/// Opens a file link for `me`: joins its group, fetches the ciphertext and
/// decrypts it with the link's key. For files small enough to hold in memory;
/// the browser streams big ones with the same key (see `drive::download`).
pub async fn open_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    link: &ShareLink,
    me: &str,
) -> Result<Opened, OpenLinkError> {
    let Shared::File { url, key } = &link.shared else {
        return Err(OpenLinkError::NotAFile);
    };
    join(pod, link, me).await?;
    let body = fetch(pod, url).await?;
    Ok(envelope::open(key, &body)?)
}

async fn fetch<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> Result<Vec<u8>, OpenLinkError> {
    match pod.get(url).await {
        Ok(resource) => Ok(resource.body),
        Err(ReadError::Forbidden) => Err(OpenLinkError::NoAccess),
        Err(ReadError::NotFound) => Err(OpenLinkError::Gone),
        Err(other) => Err(OpenLinkError::Read(other)),
    }
}
