//! Listing a folder: the pod's container listing (random names, dates) joined with
//! the keystore entries in memory (real names, sizes, types) — no request per item.

use url::Url;

use crate::keystore::store::LoadError;
use crate::keystore::Keyring;
use crate::pod::container::ListError as PodListError;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// One file or folder as the user sees it. `Hash`: a listing keeps the row of
/// an item that did not change across re-reads (live updates).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Item {
    /// Where it is on the pod (random name).
    pub url: Url,
    /// The user's name for it, or the pod's name if no keystore knows it.
    pub name: String,
    pub is_folder: bool,
    /// Plaintext size in bytes (files in a keystore only).
    pub size: Option<u64>,
    /// Media type given at upload.
    pub media_type: Option<String>,
    /// Last change on the pod, as `xsd:dateTime` text (e.g. `2026-11-21T22:45:41.198Z`).
    pub modified: Option<String>,
    /// False when no keystore has an entry: not written by this app for this user, or
    /// its key was lost. Shown as such, never opened.
    pub known: bool,
}

/// Listing a folder failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    #[error("cannot read the folder: {0}")]
    Read(#[from] PodListError),
    #[error("cannot re-read the keystores: {0}")]
    Keystore(Box<LoadError>),
}

/// The items of `folder`, folders first, then by name. The top folder of the drive
/// does not exist until the first upload: a missing folder lists as empty.
pub async fn list_folder<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
) -> Result<Vec<Item>, ListError> {
    let members = match pod.list(folder).await {
        Ok(members) => members,
        Err(PodListError::Read(ReadError::NotFound)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    // Something the cache does not know was probably added by another tab or a
    // collaborator since unlock: re-read the keystores that may hold its key once
    // before calling it unknown.
    let unknown: Vec<&str> = members
        .iter()
        .map(|m| m.url.as_str())
        .filter(|url| keyring.lookup(url).is_none())
        .collect();
    if !unknown.is_empty() {
        keyring
            .refresh_for(pod, &unknown)
            .await
            .map_err(|e| ListError::Keystore(Box::new(e)))?;
    }
    let mut items: Vec<Item> = members
        .into_iter()
        .map(|entry| {
            let known = keyring.lookup(entry.url.as_str());
            Item {
                modified: entry.modified,
                // A container with a key is a file stored in parts.
                is_folder: entry.is_container && known.as_ref().is_none_or(|k| k.key.is_none()),
                name: known
                    .as_ref()
                    .map_or_else(|| entry.name.clone(), |k| k.name.clone()),
                size: known.as_ref().and_then(|k| k.size),
                media_type: known.as_ref().and_then(|k| k.media_type.clone()),
                known: known.is_some(),
                url: entry.url,
            }
        })
        .collect();
    items.sort_by(|a, b| {
        b.is_folder
            .cmp(&a.is_folder)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(items)
}
