//! Looking at a link before accepting it (issue 11, items 1 and 2): what it
//! shares, on whose pod, and whether accepting it could hand its sender keys they
//! were not given. Only reads (HEAD requests up to each address's storage root):
//! nothing is joined or written until the user accepts [`Preview`].
//!
//! A link is input from its sender, who may have edited any of its addresses. It
//! is refused when
//!
//! - its resource, keystore (a folder's, or a file link's own, FORMAT.md §5.1) and
//!   group are not in one storage (pod root, found through `pim:Storage` or the
//!   storage description: one origin may hold many users' pods), so a keystore on
//!   the sender's pod can never be given a scope on someone else's;
//! - what it shares lies in my own storage, unless it is already mine (my own
//!   link, whose keystore is in my `keystores/` folder and in my index);
//! - it shares a folder that overlaps (lies in, around or at) a folder I already
//!   hold through a different keystore, so a second keystore can never be slipped
//!   in beside one I trust. (A file link's keystore is consulted for its one file
//!   alone, `keystore::scope`, so it cannot speak for a folder either way; a
//!   key-in-link link's key goes to my own.)
//!
//! [`look`] makes the same checks for someone whose keystores are not open (no
//! drive set up, or not unlocked): what needs the keystores (the last rule, and
//! whether a link into my own storage is one of my own) waits until they keep
//! the link, and such a link is only marked [`Preview::own`].

use subtle::ConstantTimeEq;
use url::Url;

use super::accept::SharedKind;
use super::link::{Access, ShareLink, Shared};
use crate::keystore::scope::{within, within_url};
use crate::keystore::{IndexEntry, Keyring, KeystoreKind, Layout};
use crate::pod::http::HttpClient;
use crate::pod::storage::{StorageError, StorageFinder};
use crate::pod::Pod;

/// A link looked at and found acceptable: what the consent screen shows.
/// Made only by [`preview`], so accepting always follows the checks.
#[derive(Debug, Clone)]
pub struct Preview {
    link: ShareLink,
    /// The storage (pod root) everything the link names is in.
    pub storage: Url,
    /// Who owns that pod, where the pod says so (`solid:owner`); often nobody.
    pub owners: Vec<Url>,
    /// The name, when already known (accepted before). Otherwise it is known only
    /// after accepting: reading the file or the folder's keystore takes the
    /// group membership that accepting adds.
    pub name: Option<String>,
    /// Accepted before: accepting again writes nothing new.
    pub known: bool,
    /// Looked at without the keystores ([`look`]): it points into my own storage,
    /// which only my keystores can tell one of my own links from an altered
    /// one; it is not opened before they are unlocked.
    pub own: bool,
}

impl Preview {
    /// The link, as vetted.
    pub fn link(&self) -> &ShareLink {
        &self.link
    }

    /// A file or a folder.
    pub fn kind(&self) -> SharedKind {
        match self.link.shared {
            Shared::File { .. } | Shared::FileKey { .. } => SharedKind::File,
            Shared::Folder { .. } => SharedKind::Folder,
        }
    }

    /// What the link lets me do.
    pub fn access(&self) -> Access {
        self.link.access
    }

    /// The shared file or folder.
    pub fn url(&self) -> &Url {
        self.link.shared.url()
    }
}

/// Why a link is refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VetError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the link's {field} ({url}) and what it shares ({shared}) are on different pods; the link was altered, ask for a new one")]
    SplitStorage {
        field: &'static str,
        url: String,
        shared: String,
    },
    #[error("the link points into your own pod ({0}); a link cannot give you what is already yours, it was altered")]
    OwnStorage(String),
    #[error("you already have {held} through another link; remove that one under “Shared with me” before accepting this one")]
    Overlaps { held: String },
}

/// Looks at `link` for the keyring's owner: finds my storage and the storage of
/// the link's group (public), checks that what it shares and its keystore lie in
/// the group's and not in mine, and the rest (see the module). Only HEAD
/// requests: on Community Solid Server three, none refused.
pub async fn preview<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    link: &ShareLink,
) -> Result<Preview, VetError> {
    vet(pod, keyring.layout(), Some(keyring), link).await
}

/// Looks at `link` for someone whose keystores are not open, the data folder
/// of whose storage is `layout` (set up or not): the checks of [`preview`]
/// that need no keystores, the same HEAD requests. A link into my own storage
/// is not refused but marked [`Preview::own`]; nothing is known or overlapping.
pub async fn look<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    link: &ShareLink,
) -> Result<Preview, VetError> {
    vet(pod, layout, None, link).await
}

/// [`preview`] (with the keyring) or [`look`] (without).
async fn vet<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    keyring: Option<&Keyring>,
    link: &ShareLink,
) -> Result<Preview, VetError> {
    let finder = StorageFinder::new(pod);
    let url = link.shared.url();
    let mut others = vec![("group", &link.group)];
    if let Some((keystore, _)) = link.shared.keystore() {
        others.push(("keystore", keystore));
    }
    // Another origin is another pod: refused without asking it anything.
    for (field, other) in &others {
        if other.origin() != url.origin() {
            return Err(split(field, other, url));
        }
    }
    let mine = finder.storage_of(layout.base()).await?;
    // The group document is public (the pod reads it to check membership), so its
    // storage can be asked without a 403; what it shares must lie in that storage.
    let theirs = finder.storage_of(&link.group).await?;
    let index = keyring.map(Keyring::keystores).unwrap_or_default();
    let known = keyring.is_some_and(|keyring| known(keyring, link, &index));
    let own = within_url(url, &mine)
        || within_url(url, layout.base())
        || within_url(layout.base(), &theirs);
    let mine_already = known
        && match link.shared.keystore() {
            Some((keystore, _)) => within_url(keystore, &layout.keystores()),
            None => true,
        };
    if own && !mine_already && keyring.is_some() {
        return Err(VetError::OwnStorage(mine.to_string()));
    }
    if !within_url(url, &theirs) {
        return Err(split("group", &link.group, url));
    }
    for (field, other) in others {
        if !within_url(other, &theirs) {
            return Err(split(field, other, url));
        }
    }
    if let (false, Shared::Folder { url, keystore, .. }) = (own, &link.shared) {
        if let Some(held) = overlapping(url, keystore, &index) {
            return Err(VetError::Overlaps { held });
        }
    }
    Ok(Preview {
        name: keyring
            .filter(|_| known)
            .and_then(|keyring| keyring.lookup(url.as_str()).map(|e| e.name)),
        link: link.clone(),
        owners: finder.owners(&theirs).await,
        storage: theirs,
        known,
        own: own && keyring.is_none(),
    })
}

/// The link's `field` at `url` is not in the storage of what it shares.
fn split(field: &'static str, url: &Url, shared: &Url) -> VetError {
    VetError::SplitStorage {
        field,
        url: url.to_string(),
        shared: shared.to_string(),
    }
}

/// Whether the link was accepted before (or is my own): its keystore is in my
/// index with the link's file or folder as scope; a key-in-link link's key is the
/// one I keep for the file.
fn known(keyring: &Keyring, link: &ShareLink, index: &[IndexEntry]) -> bool {
    match &link.shared {
        Shared::Folder { url, keystore, .. } | Shared::File { url, keystore, .. } => index
            .iter()
            .any(|e| e.url == keystore.as_str() && e.scope == url.as_str()),
        Shared::FileKey { url, key } => keyring
            .lookup(url.as_str())
            .and_then(|e| e.key)
            .is_some_and(|k| bool::from(k.expose_bytes().ct_eq(key.expose_bytes()))),
    }
}

/// For a shared folder `url` with its `keystore` (a folder link's, or a person's
/// offer's), the scope of another folder's keystore (or my root) that the folder
/// lies in or around, if any. Files received alone do not count either way: each
/// key is for its one address (a file link's goes to my own received-files
/// keystore), so they cannot speak for a folder.
pub(crate) fn overlapping(url: &Url, keystore: &Url, index: &[IndexEntry]) -> Option<String> {
    let scope = url.as_str();
    index
        .iter()
        .filter(|e| e.kind != KeystoreKind::SharedFile && e.url != keystore.as_str())
        .find(|e| e.scope == scope || within(scope, &e.scope) || within(&e.scope, scope))
        .map(|e| e.scope.clone())
}
