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
use url::Url;
use zeroize::Zeroizing;

use super::link::{Access, ShareLink};
use super::list::mode_of;
use super::open::JoinError;
use super::reach::{held, reach, Reached};
use super::vet::{preview, Preview, VetError};
use crate::crypto::envelope::{Metadata, OpenError};
use crate::drive::parts::PartsError;
use crate::keystore::format::{DecodeError, IndexEntry, KeystoreDoc, KeystoreKind, ShareMode};
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
/// group and reads what it shares, checked against the link's key (see
/// `reach`), then keeps it: a file link's keystore goes into my index, scoped
/// to the file (replacing what I held for the file before); a folder's shared
/// keystore too; a key-in-link file link's key goes into my received-files
/// keystore. Idempotent: accepting again rewrites nothing. Requests for a file
/// link: join, keystore GET (two slots), file GET (a file in parts: a listing of
/// its container and the start of its first part), index GET + PUT the first
/// time; the keystore and file GETs alone later, as long as the pod lets me in.
/// A folder link: join, keystore GET, index GET + PUT the first time; the join
/// alone later. (Plus the preview's HEAD requests.)
pub async fn accept_preview<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    preview: &Preview,
    me: &str,
) -> Result<Accepted, AcceptError> {
    let link = preview.link();
    let held = held(keyring, link);
    let reached = reach(pod, link, me, held).await?;
    keep(pod, keyring, link, reached, held, me).await
}

/// The second half of accepting: keeps what [`reach`] found for `link` in my
/// keystores (nothing new if `held`).
async fn keep<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    link: &ShareLink,
    reached: Reached,
    held: bool,
    me: &str,
) -> Result<Accepted, AcceptError> {
    let (mode, access) = (mode_of(link.access), link.access);
    match reached {
        Reached::File {
            url,
            keystore,
            keystore_key,
            doc,
            checked,
        } => {
            if !held {
                // What I held for the file before (a key kept from a key-in-link
                // link, stale at the next rotation; a revoked link's keystore,
                // still cached) would be found first: this link replaces it.
                let before = keyring
                    .keystores()
                    .iter()
                    .any(|e| e.scope == url.as_str() && e.mode.is_some());
                if before {
                    keyring.forget_received(pod, url.as_str()).await?;
                }
                let entry = IndexEntry {
                    url: keystore.to_string(),
                    key: keystore_key,
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
                url,
                metadata: checked.metadata,
                content: checked.content,
                access,
            })
        }
        Reached::FileKey { url, key, checked } => {
            if !held {
                let metadata = checked.metadata.clone();
                let entry = Entry {
                    key: Some(key),
                    name: metadata.name.unwrap_or_else(|| last_segment(&url)),
                    media_type: metadata.media_type,
                    size: metadata.size,
                };
                keyring
                    .add_received_file(pod, url.as_str(), entry, mode)
                    .await?;
            }
            Ok(Accepted::File {
                url,
                metadata: checked.metadata,
                content: checked.content,
                access,
            })
        }
        Reached::Folder {
            url,
            keystore,
            keystore_key,
            doc,
        } => {
            let name = folder_name(&url, doc.as_ref())
                .or_else(|| keyring.lookup(url.as_str()).map(|e| e.name))
                .unwrap_or_else(|| last_segment(&url));
            if let Some(doc) = doc {
                let entry = IndexEntry {
                    url: keystore.to_string(),
                    key: keystore_key,
                    kind: KeystoreKind::SharedFolder,
                    scope: url.to_string(),
                    owner: me.to_owned(),
                    mode: Some(mode),
                };
                keyring.add_keystore(pod, entry, Some(doc)).await?;
            }
            Ok(Accepted::Folder { url, name, access })
        }
    }
}

/// The folder's name as its shared keystore gives it (the owner's entry for the
/// folder itself), if it does.
pub(crate) fn folder_name(url: &Url, doc: Option<&KeystoreDoc>) -> Option<String> {
    doc.and_then(|d| d.entries.get(url.as_str()).map(|e| e.name.clone()))
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
