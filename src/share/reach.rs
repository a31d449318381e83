//! The first half of accepting a link, and all of opening one without keeping
//! it: join its group, read what it shares with the link's key, and check that
//! the key opens it. The one write is the join (an insert into the owner's group
//! document); keeping the key in my keystores is `accept`'s second half, and
//! `visit` holds it in memory instead.

use subtle::ConstantTimeEq;
use url::Url;

use super::accept::AcceptError;
use super::check::{check_file, CheckError, Checked};
use super::link::{ShareLink, Shared};
use super::open::{file_keystore, join, FileKeystoreError, JoinError};
use crate::crypto::SecretKey;
use crate::keystore::format::KeystoreDoc;
use crate::keystore::store::{load, LoadError};
use crate::keystore::{Keyring, KeyringError};
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// What a link opened, read and checked, kept nowhere yet (with the link's
/// addresses and keys it came with).
pub(crate) enum Reached {
    /// A file link naming its own keystore (FORMAT.md §5.1): that keystore as
    /// read, whose key for the file was checked against the file's header (see
    /// [`check_file`]), and what the check found.
    File {
        url: Url,
        keystore: Url,
        keystore_key: SecretKey,
        doc: KeystoreDoc,
        checked: Checked,
    },
    /// A key-in-link file link: the file checked against the link's key.
    FileKey {
        url: Url,
        key: SecretKey,
        checked: Checked,
    },
    /// A folder: its shared keystore as read, `None` when the keystores hold it
    /// already (not read again).
    Folder {
        url: Url,
        keystore: Url,
        keystore_key: SecretKey,
        doc: Option<KeystoreDoc>,
    },
}

/// Whether `keyring` holds `link` already (accepted before): its own keystore
/// with the link's key and scope, the same key for a key-in-link file, the
/// folder's keystore. Then a file is read before joining, and the group joined
/// only if the pod says no (one request instead of two on every later visit).
pub(crate) fn held(keyring: &Keyring, link: &ShareLink) -> bool {
    match &link.shared {
        Shared::File {
            url,
            keystore,
            keystore_key,
        } => keyring.keystores().iter().any(|e| {
            e.url == keystore.as_str()
                && e.scope == url.as_str()
                && bool::from(e.key.expose_bytes().ct_eq(keystore_key.expose_bytes()))
        }),
        Shared::FileKey { url, key } => {
            keyring.covers(url.as_str())
                && keyring
                    .lookup(url.as_str())
                    .and_then(|e| e.key)
                    .is_some_and(|k| bool::from(k.expose_bytes().ct_eq(key.expose_bytes())))
        }
        Shared::Folder { keystore, .. } => keyring
            .keystores()
            .iter()
            .any(|e| e.url == keystore.as_str()),
    }
}

/// Joins `link`'s group for `me` (my WebID) and reads what it shares: for a file,
/// its key (from the link's keystore, or the link itself) checked against the
/// file; for a folder, its shared keystore opened with the link's key. `held`
/// (see [`held`]): a file is read first and the group joined only on a refusal;
/// a folder's keystore is not read again. Requests: the join (PATCH), then for a
/// file link the keystore GET (two slots) and the file GET (a file in parts: a
/// listing of its container and the start of its first part); for a folder link
/// its keystore GET.
pub(crate) async fn reach<H: HttpClient>(
    pod: &Pod<'_, H>,
    link: &ShareLink,
    me: &str,
    held: bool,
) -> Result<Reached, AcceptError> {
    match &link.shared {
        Shared::File {
            url,
            keystore,
            keystore_key,
        } => {
            if !held {
                join(pod, link, me).await?;
            }
            let (doc, checked) = match read_file_keystore(pod, url, keystore, keystore_key).await {
                Err(AcceptError::NoAccess) if held => {
                    join(pod, link, me).await?;
                    read_file_keystore(pod, url, keystore, keystore_key).await
                }
                other => other,
            }?;
            Ok(Reached::File {
                url: url.clone(),
                keystore: keystore.clone(),
                keystore_key: keystore_key.clone(),
                doc,
                checked,
            })
        }
        Shared::FileKey { url, key } => {
            if !held {
                join(pod, link, me).await?;
            }
            let checked = match check_file(pod, url, key).await {
                Err(CheckError::Read(ReadError::Forbidden)) if held => {
                    join(pod, link, me).await?;
                    check_file(pod, url, key).await
                }
                other => other,
            }
            .map_err(|e| match e {
                CheckError::Read(e) => read_error(e),
                CheckError::Open(e) => AcceptError::StaleKey(e),
                CheckError::Parts(e) => AcceptError::Parts(e),
            })?;
            Ok(Reached::FileKey {
                url: url.clone(),
                key: key.clone(),
                checked,
            })
        }
        Shared::Folder {
            url,
            keystore,
            keystore_key,
        } => {
            join(pod, link, me).await?;
            let doc = if held {
                None
            } else {
                Some(folder_keystore(pod, keystore, keystore_key).await?)
            };
            Ok(Reached::Folder {
                url: url.clone(),
                keystore: keystore.clone(),
                keystore_key: keystore_key.clone(),
                doc,
            })
        }
    }
}

/// A folder link's shared keystore, opened with the link's key.
async fn folder_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    keystore: &Url,
    keystore_key: &SecretKey,
) -> Result<KeystoreDoc, AcceptError> {
    match load::<H, KeystoreDoc>(pod, keystore, keystore_key).await {
        Ok(Some(loaded)) => Ok(loaded.doc),
        // (`load` itself never says RootMissing; only unlock does.)
        Ok(None) | Err(LoadError::RootMissing { .. }) => Err(AcceptError::Gone),
        Err(LoadError::Read { source, .. }) => Err(read_error(source)),
        Err(LoadError::Decode { source, .. }) => Err(AcceptError::BadKeystore(source)),
        Err(LoadError::BadUrl(u)) => Err(KeyringError::BadKeystoreUrl(u).into()),
    }
}

/// Reads a file link's keystore and checks that the key it holds for `url` opens
/// the file (see [`check_file`]): the keystore, as read, and what the check
/// found.
async fn read_file_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    keystore: &Url,
    keystore_key: &SecretKey,
) -> Result<(KeystoreDoc, Checked), AcceptError> {
    let (doc, key) = file_keystore(pod, url, keystore, keystore_key)
        .await
        .map_err(|e| match e {
            FileKeystoreError::Read(e) => read_error(e),
            FileKeystoreError::Gone => AcceptError::Gone,
            FileKeystoreError::Decode(e) => AcceptError::BadKeystore(e),
            FileKeystoreError::NoEntry => AcceptError::NotInKeystore,
        })?;
    let checked = check_file(pod, url, &key).await.map_err(|e| match e {
        CheckError::Read(e) => read_error(e),
        CheckError::Open(e) => AcceptError::WrongKeyInKeystore(e),
        CheckError::Parts(e) => AcceptError::Parts(e),
    })?;
    Ok((doc, checked))
}

fn read_error(e: ReadError) -> AcceptError {
    match e {
        // Joining needs no login (the group is public Append); reading does.
        ReadError::Unauthorized => AcceptError::Join(JoinError::NotLoggedIn),
        ReadError::Forbidden => AcceptError::NoAccess,
        ReadError::NotFound => AcceptError::Gone,
        other => AcceptError::Read(other),
    }
}
