//! Private by default (docs/SECURITY.md, "Private by default"): the app's folder
//! gets an ACL of its own that lets only the owner in, whatever the storage above it
//! grants. A storage that is readable by everyone would otherwise hand out the
//! password wrap (`keystores/keystores.json.enc`) for offline guessing, and the
//! listing of every encrypted file.
//!
//! What is shared by link is not affected: sharing gives each shared file, folder,
//! keystore and group an ACL of its own (`share::grant`, `pod::group`), and an own
//! ACL replaces the inherited one.

use super::layout::Layout;
use crate::pod::acl::Acl;
use crate::pod::acl_io::{AclDocument, AclError};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// The app's folder could not be made private. Nothing else was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrivateError {
    #[error("cannot create the app's folder: {0}")]
    Create(WriteError),
    #[error("cannot make the app's folder private: {0}")]
    Acl(#[from] AclError),
}

/// Whether [`make_private`] or [`keep_private`] wrote the ACL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// The folder had no ACL of its own; now only `owner` may use it.
    MadePrivate,
    /// The folder already has an ACL of its own (written by an earlier run, or by
    /// the user with another app): left exactly as it is.
    AlreadyOwn,
}

/// At setup: gives [`Layout::base`] (created first if need be) an ACL of its own
/// in which `owner` gets Read, Write and Control on it and (by `acl:default`) on
/// everything in it, and nobody else gets anything. Written without reading first
/// (a fresh folder has none, and a browser logs every 404), with
/// `If-None-Match: *`, so an ACL that exists already is never overwritten. The
/// ACL's address comes from the folder's `Link rel="acl"`, never guessed.
pub async fn make_private<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    owner: &str,
) -> Result<Privacy, PrivateError> {
    match pod.create_container(layout.base()).await {
        Ok(()) | Err(WriteError::Conflict | WriteError::Rejected) => {}
        Err(e) => return Err(PrivateError::Create(e)),
    }
    let document = AclDocument {
        url: pod.acl_url(layout.base()).await?,
        resource: layout.base().clone(),
        acl: Acl::default(),
        etag: None,
    };
    write_owner_only(pod, &document, owner).await
}

/// At unlock: the same for a drive set up before its folder was made private, if
/// the folder still has no ACL of its own; one that has is left exactly as it is
/// (written by an earlier run, or by the user with another app). Idempotent.
pub async fn keep_private<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    owner: &str,
) -> Result<Privacy, PrivateError> {
    let document = pod.read_acl(layout.base()).await?;
    if document.etag.is_some() {
        return Ok(Privacy::AlreadyOwn);
    }
    write_owner_only(pod, &document, owner).await
}

/// Writes `document` (an ACL that does not exist yet) with no rule but the one
/// `write_acl` always adds: the owner's, which can never lock the owner out. None
/// of the inherited rules is copied.
async fn write_owner_only<H: HttpClient>(
    pod: &Pod<'_, H>,
    document: &AclDocument,
    owner: &str,
) -> Result<Privacy, PrivateError> {
    let empty = AclDocument {
        acl: Acl::default(),
        etag: None,
        ..document.clone()
    };
    match pod.write_acl(&empty, owner).await {
        Ok(()) => Ok(Privacy::MadePrivate),
        Err(AclError::Write(WriteError::Conflict)) => Ok(Privacy::AlreadyOwn),
        Err(e) => Err(e.into()),
    }
}
