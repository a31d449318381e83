//! Moving a file or folder into another folder (issue 17 item 2), within my drive
//! and within folders shared with me read-write.
//!
//! A Solid pod has no move: a file is written anew at a random address in the
//! target folder, then the old copy is deleted. The new copy is always encrypted
//! under a **fresh key**, so moving a file out of a shared folder leaves its
//! members (who could keep the old key) nothing they can open, and moving it in
//! gives them only the new one; the key goes into every keystore covering the
//! new address (so into a shared folder's keystore when moved into one).
//!
//! Order, so an interruption leaves the file readable at the old address, the
//! new one, or both, never neither (FORMAT.md §4.3 "Moving"):
//!
//! 1. the fresh key in every keystore covering the new address;
//! 2. the new copy: one resource, or a parts container of one new generation
//!    (`reseal`); if that fails, what was written is deleted and the fresh key
//!    dropped once the pod shows no copy there;
//! 3. only then the old copy deleted, then its entries removed.
//!
//! A folder is moved as a new folder of the same name in the target, then every
//! member (recursively), then the old, now empty folder and its entry. If that
//! is interrupted, each file is in one of the two folders (or both) and the
//! error ([`MoveError::Partly`]) names both folders: [`move_members`] finishes
//! it (moving the old folder again would be refused, its name being taken).
//!
//! Limit: something shared by itself (a file link, a share with a person, a
//! folder link on the folder or anything in it) is not moved — the share names
//! its address ([`MoveError::Shared`]); revoke it first.

use url::Url;

use super::folder::{delete_tree, DeleteError};
use super::listing::list_folder;
use super::parts::{new_generation, part_urls, put_new, PartWriter, PartsError};
use super::rename::{check_free, check_name, parent_of, NameError};
use super::reseal::{reseal_parts, ResealError};
use crate::crypto::envelope::{self, OpenError, SealError, SealOptions};
use crate::crypto::{RandomError, SecretKey};
use crate::keystore::master::random_suffix;
use crate::keystore::scope::within;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::container::ListError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Moving failed. Unless it says otherwise (`OldKept`, `OldKeysKept`), the item is
/// where it was and still opens there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoveError {
    #[error("no keystore has a key for {0}, so it cannot be written anew")]
    Unknown(Url),
    #[error("a folder cannot be moved into itself")]
    IntoItself,
    #[error("{0} is not a folder")]
    NotAFolder(Url),
    #[error("{0} is shared by itself (or holds something that is); revoke that share first")]
    Shared(Url),
    /// The item is shared with me read-only.
    #[error("you may not move {0} away: it is shared with you read-only")]
    CannotRemove(Url),
    /// The target is shared with me read-only, or outside every keystore I may write.
    #[error("you may not add files to {0}")]
    ReadOnly(Url),
    /// The item's name (perhaps a collaborator's) may not be written, or the
    /// target holds one of that name.
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot store the new key: {0}")]
    Keystore(KeyringError),
    #[error("cannot read the file: {0}")]
    Read(#[from] ReadError),
    #[error("cannot read the file's parts: {0}")]
    Parts(#[from] PartsError),
    #[error("the file does not open with its key: {0}")]
    Open(#[from] OpenError),
    #[error("cannot encrypt the file again: {0}")]
    Seal(#[from] SealError),
    #[error("cannot write the new copy: {0}")]
    Write(#[from] WriteError),
    #[error("cannot list the folder: {0}")]
    List(#[from] ListError),
    /// The new copy is complete and opens at `moved`; the old one could not be
    /// deleted (all or part of it), so the file is at both places.
    #[error("moved to {moved}, but the old copy could not be deleted: {source}")]
    OldKept { moved: Url, source: DeleteError },
    /// The file is at `moved` only; the old address's entries stayed (unused).
    #[error("moved to {moved}, but the old key could not be removed: {source}")]
    OldKeysKept { moved: Url, source: KeyringError },
    /// A folder move stopped part way: the folder exists at both places, each
    /// file in one of them (or both, see `source`). [`move_members`] of `from`
    /// into `into` finishes it.
    #[error("the folder was moved only in part ({source}); moving the rest finishes it")]
    Partly {
        from: Url,
        into: Url,
        source: Box<MoveError>,
    },
}

impl From<ResealError> for MoveError {
    fn from(e: ResealError) -> Self {
        match e {
            ResealError::Read(e) => Self::Read(e),
            ResealError::Open(e) => Self::Open(e),
            ResealError::Seal(e) => Self::Seal(e),
            ResealError::Write(e) => Self::Write(e),
        }
    }
}

/// Moves the file or folder at `url` into the folder `target` and returns its new
/// address (`url` itself if it is already there).
pub async fn move_to<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    target: &Url,
) -> Result<Url, MoveError> {
    let entry = keyring
        .lookup(url.as_str())
        .ok_or_else(|| MoveError::Unknown(url.clone()))?;
    if parent_of(url) == *target {
        return Ok(url.clone());
    }
    // Shared with me read-only: the old copy could not be deleted, so a "move"
    // would only copy it.
    if !keyring.writable(url.as_str()) {
        return Err(MoveError::CannotRemove(url.clone()));
    }
    let is_folder = url.path().ends_with('/') && entry.key.is_none();
    if is_folder && within(target.as_str(), url.as_str()) {
        return Err(MoveError::IntoItself);
    }
    let shared = |scope: &str| scope == url.as_str() || (is_folder && within(scope, url.as_str()));
    if keyring.keystores().iter().any(|e| shared(&e.scope)) {
        return Err(MoveError::Shared(url.clone()));
    }
    // A file's address (or a file in parts: a container with a key) would have
    // the new copy land beside it, or among its parts.
    let keyed = keyring
        .lookup(target.as_str())
        .is_some_and(|e| e.key.is_some());
    if !target.path().ends_with('/') || keyed {
        return Err(MoveError::NotAFolder(target.clone()));
    }
    // Before the target is listed: a hostile address is not even asked.
    if !keyring.writable(target.as_str()) {
        return Err(MoveError::ReadOnly(target.clone()));
    }
    check_name(&entry.name)?;
    check_free(pod, keyring, target, &entry.name, url).await?;
    if is_folder {
        move_folder(pod, keyring, url, entry, target).await
    } else {
        move_file(pod, keyring, url, entry, target).await
    }
}

/// A new folder named as `entry` in `target`, every member moved into it, then
/// the old folder deleted.
async fn move_folder<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    entry: Entry,
    target: &Url,
) -> Result<Url, MoveError> {
    let moved = target
        .join(&format!("{}/", random_suffix()?))
        .expect("a hex name joins a folder URL");
    add_key(keyring, pod, &moved, entry, target).await?;
    if let Err(e) = pod.create_container(&moved).await {
        let _ = keyring.remove(pod, &[moved.to_string()]).await;
        return Err(e.into());
    }
    move_members(pod, keyring, url, &moved).await?;
    Ok(moved)
}

/// Moves every member of the folder `from` into the folder `into` (subfolders
/// recursively), then deletes `from` and its entry: the second half of a folder
/// move, and how one interrupted ([`MoveError::Partly`]) is finished. A subfolder
/// whose name `into` already has as a folder is merged into that one (the copy
/// an interrupted move began); a file is not checked so (after
/// [`MoveError::OldKept`] it would be moved a second time, under its name).
pub async fn move_members<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    from: &Url,
    into: &Url,
) -> Result<(), MoveError> {
    members_into(pod, keyring, from, into)
        .await
        .map_err(|source| MoveError::Partly {
            from: from.clone(),
            into: into.clone(),
            source: match source {
                MoveError::Partly { source, .. } => source,
                other => Box::new(other),
            },
        })
}

async fn members_into<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    from: &Url,
    into: &Url,
) -> Result<(), MoveError> {
    let begun = list_folder(pod, keyring, into)
        .await
        .map_err(NameError::from)?;
    for member in pod.list(from).await? {
        let known = keyring
            .lookup(member.url.as_str())
            .ok_or_else(|| MoveError::Unknown(member.url.clone()))?;
        check_name(&known.name)?;
        if member.is_container && known.key.is_none() {
            let same = begun.iter().find(|i| i.is_folder && i.name == known.name);
            match same {
                Some(copy) => Box::pin(move_members(pod, keyring, &member.url, &copy.url)).await?,
                None => {
                    Box::pin(move_folder(pod, keyring, &member.url, known, into)).await?;
                }
            }
        } else {
            move_file(pod, keyring, &member.url, known, into).await?;
        }
    }
    forget_old(pod, keyring, from, into).await
}

/// The file written anew under a fresh key in `target`, then the old one deleted.
async fn move_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    entry: Entry,
    target: &Url,
) -> Result<Url, MoveError> {
    let old_key = entry
        .key
        .clone()
        .ok_or_else(|| MoveError::Unknown(url.clone()))?;
    let in_parts = url.path().ends_with('/');
    let name = random_suffix()?;
    let moved = target
        .join(&if in_parts { format!("{name}/") } else { name })
        .expect("a hex name joins a folder URL");
    let new_key = SecretKey::generate()?;
    let renewed = Entry {
        key: Some(new_key.clone()),
        ..entry.clone()
    };
    add_key(keyring, pod, &moved, renewed, target).await?;
    let copied = if in_parts {
        copy_parts(pod, url, &moved, &old_key, &new_key, &entry.name).await
    } else {
        copy_one(pod, url, &moved, &old_key, &new_key, &entry.name).await
    };
    if let Err(error) = copied {
        // Best effort: a part left behind keeps the container, and so the key.
        let _ = delete_tree(pod, &moved, &mut Vec::new()).await;
        if let Err(ReadError::NotFound) = pod.head(&moved).await {
            let _ = keyring.remove(pod, &[moved.to_string()]).await;
        }
        return Err(error);
    }
    forget_old(pod, keyring, url, &moved).await?;
    Ok(moved)
}

/// Writes `entry` for `moved` into the keystores covering it.
async fn add_key<H: HttpClient>(
    keyring: &Keyring,
    pod: &Pod<'_, H>,
    moved: &Url,
    entry: Entry,
    target: &Url,
) -> Result<(), MoveError> {
    match keyring.add(pod, moved.as_str(), entry).await {
        Ok(()) => Ok(()),
        Err(KeyringError::NotCovered(_)) => Err(MoveError::ReadOnly(target.clone())),
        Err(e) => Err(MoveError::Keystore(e)),
    }
}

/// A file in one resource (a few MiB at most, `parts::PartPolicy`): decrypted and
/// encrypted again in memory, then PUT as a new resource.
async fn copy_one<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    moved: &Url,
    old_key: &SecretKey,
    new_key: &SecretKey,
    name: &str,
) -> Result<(), MoveError> {
    let body = pod.get(url).await?.body;
    let opened = envelope::open(old_key, &body)?;
    let mut metadata = opened.metadata.clone().unwrap_or_default();
    metadata.name = Some(name.to_owned());
    let options = SealOptions {
        metadata,
        ..SealOptions::default()
    };
    let sealed = envelope::seal(new_key, &opened.plaintext, &options)?;
    Ok(put_new(pod, moved, sealed).await?)
}

/// A file in parts: one new generation in the new container, part by part.
async fn copy_parts<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    moved: &Url,
    old_key: &SecretKey,
    new_key: &SecretKey,
    name: &str,
) -> Result<(), MoveError> {
    let parts = part_urls(pod, url, old_key).await?;
    let mut writer = PartWriter::new(pod, moved.clone(), new_generation()?, 1);
    Ok(reseal_parts(pod, &mut writer, &parts, old_key, new_key, Some(name)).await?)
}

/// Once the copy at `moved` is complete and keyed: the old copy (an emptied
/// folder, one resource or a parts container) is deleted, then its entries go.
async fn forget_old<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    moved: &Url,
) -> Result<(), MoveError> {
    delete_tree(pod, url, &mut Vec::new())
        .await
        .map_err(|source| MoveError::OldKept {
            moved: moved.clone(),
            source,
        })?;
    keyring
        .remove(pod, &[url.to_string()])
        .await
        .map_err(|source| MoveError::OldKeysKept {
            moved: moved.clone(),
            source,
        })
}
