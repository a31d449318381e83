//! Accepting a friend's link (DESIGN §1 step 4): join the group, check the key
//! really opens what was shared, keep it in my keystores, and list what others
//! shared with me.
//!
//! A link's own keystore (on the owner's pod) joins my index: a file link's as
//! `shared-file` scoped to exactly that file (FORMAT.md §5.1), so a rotation after
//! another link's revocation reaches me there; a folder's as `shared-folder`, so
//! [`Keyring::lookup`] finds the keys in it and a file I upload into the folder
//! gets its key written there for the owner to read. A key-in-link file link's key
//! goes into my "received files" keystore (one `shared-file` entry per file).

use super::create::last_segment;
use subtle::ConstantTimeEq;
use url::Url;
use zeroize::Zeroizing;

use super::check::{check_file, CheckError};
use super::link::{Access, ShareLink, Shared};
use super::list::mode_of;
use super::open::{file_keystore, join, FileKeystoreError, JoinError};
use super::vet::{preview, Preview, VetError};
use crate::crypto::envelope::{Metadata, OpenError};
use crate::drive::parts::PartsError;
use crate::keystore::format::{DecodeError, IndexEntry, KeystoreDoc, KeystoreKind, ShareMode};
use crate::keystore::store::{load, LoadError};
use crate::keystore::{Entry, Keyring, KeyringError, Unreadable};
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Accepting a link failed. Nothing was stored unless the link's key opened what
/// it shares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AcceptError {
    /// Refused before anything was written (see `share::vet`).
    #[error(transparent)]
    Vet(#[from] VetError),
    #[error(transparent)]
    Join(#[from] JoinError),
    #[error("the owner's pod does not let this link's group in (any more)")]
    NoAccess,
    #[error("what this link shares is not there any more")]
    Gone,
    #[error("cannot read what this link shares: {0}")]
    Read(ReadError),
    /// Key-in-link form: the file was re-encrypted after a revocation, or the link
    /// was altered.
    #[error("the link's key does not open the file (it was changed since the link was made; ask for a new link): {0}")]
    StaleKey(OpenError),
    /// The file link's keystore holds no key for the file it shares.
    #[error("the link's keystore holds no key for the file it shares (the link was altered; ask for a new one)")]
    NotInKeystore,
    /// The key in the file link's keystore does not open the file.
    #[error("the key in the link's keystore does not open the file (it is damaged, or the link was altered): {0}")]
    WrongKeyInKeystore(OpenError),
    #[error("the link's key does not open its keystore (ask for a new link): {0}")]
    BadKeystore(DecodeError),
    #[error("cannot keep the key in your keystores: {0}")]
    Keyring(#[from] KeyringError),
    #[error("the shared file cannot be read: {0}")]
    Parts(PartsError),
}

/// What an accepted link opened.
pub enum Accepted {
    /// A file, its key checked.
    File {
        url: Url,
        /// Name, media type and size, from the envelope.
        metadata: Metadata,
        /// The plaintext of a file stored as one resource (read whole to check
        /// the key anyway); `None` for a file stored in parts, whose content is
        /// streamed by the drive's download when wanted.
        content: Option<Zeroizing<Vec<u8>>>,
        access: Access,
    },
    /// A folder: list it with the drive code, its keys are in the keyring now.
    Folder {
        url: Url,
        name: String,
        access: Access,
    },
}

/// Looks at `link` ([`preview`]: refused unless its addresses are in one storage,
/// not mine, and overlap nothing I hold) and accepts it, as a user who clicked
/// Accept on that preview: see [`accept_preview`].
pub async fn accept<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    link: &ShareLink,
    me: &str,
) -> Result<Accepted, AcceptError> {
    let preview = preview(pod, keyring, link).await?;
    accept_preview(pod, keyring, &preview, me).await
}

/// Accepts a link the user saw and agreed to, for `me` (my WebID): joins its
/// group (N3 Patch insert into the existing group document), then for a file
/// reads the link's keystore, checks that the key it holds for the file opens it
/// (see [`check_file`]) and adds the keystore to my index, scoped to the file
/// (replacing what I held for the file before); for a folder loads its shared
/// keystore with the link's key and adds it to my index. A key-in-link file
/// link's key is checked the same way and stored in my received-files keystore.
/// Idempotent: accepting again rewrites nothing. Requests for a file link: join,
/// keystore GET (two slots), file GET (a file in parts: a listing of its container
/// and the start of its first part), index GET + PUT the first time; the keystore
/// and file GETs alone later, as long as the pod lets me in. A folder link: join,
/// keystore GET, index GET + PUT the first time; the join alone later. (Plus the
/// preview's HEAD requests.)
pub async fn accept_preview<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    preview: &Preview,
    me: &str,
) -> Result<Accepted, AcceptError> {
    let link = preview.link();
    let mode = mode_of(link.access);
    match &link.shared {
        Shared::File {
            url,
            keystore,
            keystore_key,
        } => {
            let known = keyring.keystores().iter().any(|e| {
                e.url == keystore.as_str()
                    && e.scope == url.as_str()
                    && bool::from(e.key.expose_bytes().ct_eq(keystore_key.expose_bytes()))
            });
            // Accepted before: already a member, so read first and join only if
            // the pod says no.
            if !known {
                join(pod, link, me).await?;
            }
            let (doc, checked) = match read_file_keystore(pod, url, keystore, keystore_key).await {
                Err(AcceptError::NoAccess) if known => {
                    join(pod, link, me).await?;
                    read_file_keystore(pod, url, keystore, keystore_key).await
                }
                other => other,
            }?;
            if !known {
                // What I held for the file before (a key kept from a key-in-link
                // link, stale at the next rotation; a revoked link's keystore,
                // still cached) would be found first: this link replaces it.
                let held = keyring
                    .keystores()
                    .iter()
                    .any(|e| e.scope == url.as_str() && e.mode.is_some());
                if held {
                    keyring.forget_received(pod, url.as_str()).await?;
                }
                let entry = IndexEntry {
                    url: keystore.to_string(),
                    key: keystore_key.clone(),
                    kind: KeystoreKind::SharedFile,
                    scope: url.to_string(),
                    owner: me.to_owned(),
                    mode: Some(mode),
                };
                keyring.add_keystore(pod, entry, Some(doc)).await?;
            } else {
                // A rotation since it was loaded: the key just checked is the one
                // to use from now on.
                keyring.recache(keystore.as_str(), doc);
            }
            Ok(Accepted::File {
                url: url.clone(),
                metadata: checked.metadata,
                content: checked.content,
                access: link.access,
            })
        }
        Shared::FileKey { url, key } => {
            let known = keyring.covers(url.as_str())
                && keyring
                    .lookup(url.as_str())
                    .and_then(|e| e.key)
                    .is_some_and(|k| bool::from(k.expose_bytes().ct_eq(key.expose_bytes())));
            // Accepted before: already a member, so read first and join only if
            // the pod says no (one request instead of two on every later visit).
            if !known {
                join(pod, link, me).await?;
            }
            let checked = match check_file(pod, url, key).await {
                Err(CheckError::Read(ReadError::Forbidden)) if known => {
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
            if !known {
                let metadata = checked.metadata.clone();
                let entry = Entry {
                    key: Some(key.clone()),
                    name: metadata.name.unwrap_or_else(|| last_segment(url)),
                    media_type: metadata.media_type,
                    size: metadata.size,
                };
                keyring
                    .add_received_file(pod, url.as_str(), entry, mode)
                    .await?;
            }
            Ok(Accepted::File {
                url: url.clone(),
                metadata: checked.metadata,
                content: checked.content,
                access: link.access,
            })
        }
        Shared::Folder {
            url,
            keystore,
            keystore_key,
        } => {
            join(pod, link, me).await?;
            let known = keyring
                .keystores()
                .iter()
                .any(|e| e.url == keystore.as_str());
            let doc = if known {
                None
            } else {
                let loaded = match load::<H, KeystoreDoc>(pod, keystore, keystore_key).await {
                    Ok(Some(loaded)) => loaded.doc,
                    // (`load` itself never says RootMissing; only unlock does.)
                    Ok(None) | Err(LoadError::RootMissing { .. }) => return Err(AcceptError::Gone),
                    Err(LoadError::Read { source, .. }) => return Err(read_error(source)),
                    Err(LoadError::Decode { source, .. }) => {
                        return Err(AcceptError::BadKeystore(source))
                    }
                    Err(LoadError::BadUrl(u)) => return Err(KeyringError::BadKeystoreUrl(u).into()),
                };
                Some(loaded)
            };
            let name = doc
                .as_ref()
                .and_then(|d| d.entries.get(url.as_str()).map(|e| e.name.clone()))
                .or_else(|| keyring.lookup(url.as_str()).map(|e| e.name))
                .unwrap_or_else(|| last_segment(url));
            if let Some(doc) = doc {
                let entry = IndexEntry {
                    url: keystore.to_string(),
                    key: keystore_key.clone(),
                    kind: KeystoreKind::SharedFolder,
                    scope: url.to_string(),
                    owner: me.to_owned(),
                    mode: Some(mode),
                };
                keyring.add_keystore(pod, entry, Some(doc)).await?;
            }
            Ok(Accepted::Folder {
                url: url.clone(),
                name,
                access: link.access,
            })
        }
    }
}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Accepted::File { url, access, .. } => f
                .debug_struct("File")
                .field("url", &url.as_str())
                .field("access", access)
                .finish_non_exhaustive(),
            Accepted::Folder { url, name, access } => f
                .debug_struct("Folder")
                .field("url", &url.as_str())
                .field("name", name)
                .field("access", access)
                .finish(),
        }
    }
}

/// Reads a file link's keystore and checks that the key it holds for `url` opens
/// the file (see [`check_file`]): the keystore, as read, and what the check found.
async fn read_file_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    keystore: &Url,
    keystore_key: &crate::crypto::SecretKey,
) -> Result<(KeystoreDoc, super::check::Checked), AcceptError> {
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

/// Is it a file or a folder that was shared with me.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedKind {
    File,
    Folder,
}

/// One item of the "Shared with me" view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWithMe {
    pub kind: SharedKind,
    /// The file or folder on its owner's pod.
    pub url: String,
    /// Its name, as the owner gave it.
    pub name: String,
    pub access: Access,
    /// Files: media type and plaintext size, if known.
    pub media_type: Option<String>,
    pub size: Option<u64>,
    /// Why the folder's keystore could not be read at unlock or the last refresh
    /// (`None` when it was): if revoked, offer to forget it with [`forget_shared`].
    pub unavailable: Option<Unreadable>,
}

/// What others shared with the keyring's owner, from memory: every `shared-file`
/// entry with a `mode`, and every `shared-folder` entry whose keystore is not in my own data
/// folder (those are folders I shared myself).
pub fn shared_with_me(keyring: &Keyring) -> Vec<SharedWithMe> {
    let mine = keyring.layout().base().clone();
    let unavailable = keyring.unavailable();
    keyring
        .keystores()
        .into_iter()
        .filter_map(|entry| {
            let kind = match entry.kind {
                // With a mode: received (my own shares of a file with a person
                // have none).
                KeystoreKind::SharedFile if entry.mode.is_some() => SharedKind::File,
                KeystoreKind::SharedFolder if !entry.url.starts_with(mine.as_str()) => {
                    SharedKind::Folder
                }
                _ => return None,
            };
            let known = keyring.lookup(&entry.scope);
            let name = known.as_ref().map(|e| e.name.clone()).unwrap_or_else(|| {
                Url::parse(&entry.scope)
                    .map(|u| last_segment(&u))
                    .unwrap_or_default()
            });
            Some(SharedWithMe {
                kind,
                name,
                access: match entry.mode {
                    Some(ShareMode::Write) => Access::ReadWrite,
                    _ => Access::Read,
                },
                media_type: known.as_ref().and_then(|e| e.media_type.clone()),
                size: known.and_then(|e| e.size),
                unavailable: unavailable
                    .iter()
                    .find(|u| u.keystore == entry.url)
                    .map(|u| u.reason),
                url: entry.scope,
            })
        })
        .collect()
}

/// Removes a share from "Shared with me" (and its key from my keystores). Nothing
/// changes on the owner's pod: to use it again, open the link again.
pub async fn forget_shared<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    item: &SharedWithMe,
) -> Result<(), KeyringError> {
    keyring.forget_received(pod, &item.url).await
}
