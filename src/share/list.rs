//! "Links I created" (DESIGN §1 step 5): an encrypted, versioned list on the owner's
//! pod of every link they made, so they can copy it again or revoke it later, from
//! any device (docs/FORMAT.md §6).
//!
//! The list holds the links' keys, so it is sealed like a keystore, under the root
//! keystore's key (listed in the password-protected index; the envelope's fresh salt
//! per write makes sharing that key safe, and the `format` member tells the two
//! documents apart). Written read-modify-write with `If-Match` and re-apply on 412,
//! so two tabs sharing at once both keep their link.

use serde::{Deserialize, Serialize};
use url::Url;

use zeroize::Zeroizing;

use super::link::{Access, ShareLink, Shared};
use super::link_password::{read_wrap, LockedLink};
use crate::crypto::SecretKey;
use crate::keystore::format::{impl_versioned, is_zero, opt_key_text, VERSION};
use crate::keystore::store::{create, load, update, LoadError, UpdateError};
use crate::keystore::{Keyring, ShareMode};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// `format` value of the links-created document.
pub const LINKS_FORMAT: &str = "solidcrypt-links-created";

/// What a link shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    File,
    Folder,
}

/// One link the user created. `Debug` shows no key ([`SecretKey`] hides itself).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatedLink {
    pub kind: LinkKind,
    pub mode: ShareMode,
    /// The shared file or folder.
    pub resource: String,
    /// The user's name for it when it was shared.
    pub name: String,
    /// The group document; unique per link, so it also identifies the link.
    pub group: String,
    /// When it was created, in seconds since the Unix epoch.
    pub created: u64,
    /// Key-in-link file links (FORMAT.md §5.3, made before file links had
    /// keystores): the file key the link carries (the current one: it is updated
    /// when a revocation rotates the file's key, which makes the link as sent
    /// before stale — see [`super::Revoked::updated_links`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_key_text"
    )]
    pub key: Option<SecretKey>,
    /// Every other link: its own keystore (a folder's, or a file link's holding
    /// the file's current key, FORMAT.md §5.1) and that keystore's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keystore: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_key_text"
    )]
    pub keystore_key: Option<SecretKey>,
    /// Password links (FORMAT.md §5.4): the link's `pw` field, the keystore's key
    /// wrapped under the password — never the password itself — so the link as
    /// sent can be copied again, and the list can say it needs a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_wrap: Option<String>,
}

/// Why a stored link could not be turned back into a [`ShareLink`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoredLinkError {
    #[error("the stored link is incomplete or damaged ({0})")]
    Damaged(&'static str),
}

impl CreatedLink {
    /// The entry for a link just created.
    pub fn new(link: &ShareLink, name: &str, created: u64) -> Self {
        let (kind, key) = match &link.shared {
            Shared::FileKey { key, .. } => (LinkKind::File, Some(key.clone())),
            Shared::File { .. } => (LinkKind::File, None),
            Shared::Folder { .. } => (LinkKind::Folder, None),
        };
        let (keystore, keystore_key) = match link.shared.keystore() {
            Some((keystore, keystore_key)) => {
                (Some(keystore.to_string()), Some(keystore_key.clone()))
            }
            None => (None, None),
        };
        Self {
            kind,
            mode: mode_of(link.access),
            resource: link.shared.url().to_string(),
            name: name.to_owned(),
            group: link.group.to_string(),
            created,
            key,
            keystore,
            keystore_key,
            password_wrap: None,
        }
    }

    /// Whether opening the link takes a password (FORMAT.md §5.4).
    pub fn needs_password(&self) -> bool {
        self.password_wrap.is_some()
    }

    /// The link as it was sent, under the app at `app`: with its password wrap
    /// (`pw`) if it has one, else with its key.
    pub fn link_text(&self, app: &Url) -> Result<Zeroizing<String>, StoredLinkError> {
        let link = self.link()?;
        let Some(pw) = &self.password_wrap else {
            return Ok(link.to_url(app));
        };
        let wrap = read_wrap(pw).map_err(|_| StoredLinkError::Damaged("password wrap"))?;
        let locked = LockedLink::locking(&link, wrap).ok_or(StoredLinkError::Damaged(
            "password wrap of a key-in-link link",
        ))?;
        Ok(locked.to_url(app))
    }

    /// What the link lets its holder do.
    pub fn access(&self) -> Access {
        match self.mode {
            ShareMode::Read => Access::Read,
            ShareMode::Write => Access::ReadWrite,
        }
    }

    /// The link itself (turn it into text with [`ShareLink::to_url`]).
    pub fn link(&self) -> Result<ShareLink, StoredLinkError> {
        let url = |text: &str, what| Url::parse(text).map_err(|_| StoredLinkError::Damaged(what));
        let resource = url(&self.resource, "resource")?;
        let own_keystore = || {
            Ok::<_, StoredLinkError>((
                url(
                    self.keystore
                        .as_deref()
                        .ok_or(StoredLinkError::Damaged("keystore"))?,
                    "keystore",
                )?,
                self.keystore_key
                    .clone()
                    .ok_or(StoredLinkError::Damaged("keystore key"))?,
            ))
        };
        let shared = match (self.kind, &self.key) {
            (LinkKind::File, Some(_)) if self.keystore.is_some() => {
                return Err(StoredLinkError::Damaged("key and keystore"))
            }
            (LinkKind::File, Some(key)) => Shared::FileKey {
                url: resource,
                key: key.clone(),
            },
            (LinkKind::File, None) => {
                let (keystore, keystore_key) = own_keystore()?;
                Shared::File {
                    url: resource,
                    keystore,
                    keystore_key,
                }
            }
            (LinkKind::Folder, _) => {
                let (keystore, keystore_key) = own_keystore()?;
                Shared::Folder {
                    url: resource,
                    keystore,
                    keystore_key,
                }
            }
        };
        Ok(ShareLink {
            shared,
            access: self.access(),
            group: url(&self.group, "group")?,
        })
    }
}

/// A link's access as stored in keystore documents.
pub(crate) fn mode_of(access: Access) -> ShareMode {
    match access {
        Access::Read => ShareMode::Read,
        Access::ReadWrite => ShareMode::Write,
    }
}

/// The links-created document (FORMAT.md §6).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinksDoc {
    pub format: String,
    pub version: u32,
    /// Writes so far, like a keystore's (FORMAT.md §4.2).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counter: u64,
    pub links: Vec<CreatedLink>,
}

impl Default for LinksDoc {
    fn default() -> Self {
        Self {
            format: LINKS_FORMAT.to_owned(),
            version: VERSION,
            counter: 0,
            links: Vec::new(),
        }
    }
}

impl_versioned!(LinksDoc, LINKS_FORMAT);

/// The list of created links could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinksError {
    #[error("the keyring has no root keystore; unlock first")]
    NotUnlocked,
    #[error("cannot read the list of links you created: {0}")]
    Load(Box<LoadError>),
    #[error("cannot save the list of links you created: {0}")]
    Update(Box<UpdateError>),
}

/// Writes an empty list unless one exists (one PUT with `If-None-Match: *`; an
/// existing list is left as it is). Meant for right after the master password is
/// set: later visits then read a list instead of asking for a missing document,
/// which the browser reports as a failed request on every visit.
pub async fn start_links_list<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
) -> Result<(), LinksError> {
    let root = keyring.root().ok_or(LinksError::NotUnlocked)?;
    create(
        pod,
        &keyring.layout().links_created(),
        &root.key,
        &LinksDoc::default(),
    )
    .await
    .map(|_| ())
    .map_err(|e| LinksError::Update(Box::new(e)))
}

/// The links the keyring's owner created, oldest first (one GET).
pub async fn links_created<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
) -> Result<Vec<CreatedLink>, LinksError> {
    let root = keyring.root().ok_or(LinksError::NotUnlocked)?;
    let loaded = load::<H, LinksDoc>(pod, &keyring.layout().links_created(), &root.key)
        .await
        .map_err(|e| LinksError::Load(Box::new(e)))?;
    Ok(loaded.map(|l| l.doc.links).unwrap_or_default())
}

/// Read-modify-write of the links-created document; `change` may run several times.
pub(crate) async fn update_links<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    change: impl FnMut(&mut LinksDoc) -> bool,
) -> Result<LinksDoc, LinksError> {
    let root = keyring.root().ok_or(LinksError::NotUnlocked)?;
    update(
        pod,
        &keyring.layout().links_created(),
        &root.key,
        LinksDoc::default,
        change,
    )
    .await
    .map_err(|e| LinksError::Update(Box::new(e)))
}
