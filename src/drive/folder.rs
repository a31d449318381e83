//! New folders and deleting files or whole folders (with their keys).

use url::Url;

use crate::crypto::envelope::join_all;
use crate::crypto::RandomError;
use crate::keystore::master::random_suffix;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::container::ListError as PodListError;
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Creating a folder failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NewFolderError {
    #[error("the folder needs a name")]
    EmptyName,
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot store the folder name: {0}")]
    Keystore(#[from] KeyringError),
    #[error("the pod did not create the folder: {0}")]
    Write(#[from] WriteError),
}

/// Deleting failed part way; what was deleted stays deleted, keys of files that
/// remain are kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeleteError {
    #[error("cannot list the folder to delete: {0}")]
    List(#[from] PodListError),
    #[error("the pod did not delete {url}: {source}")]
    Write { url: Url, source: WriteError },
    #[error("deleted, but the keys could not be removed: {0}")]
    Keystore(#[from] KeyringError),
}

/// Creates a folder named `name` in `parent`. Its name goes into the keystores
/// first, so the folder never shows up nameless.
pub async fn new_folder<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    parent: &Url,
    name: &str,
) -> Result<Url, NewFolderError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NewFolderError::EmptyName);
    }
    let url = parent
        .join(&format!("{}/", random_suffix()?))
        .expect("a hex name joins a folder URL");
    let entry = Entry {
        key: None,
        name: name.to_owned(),
        media_type: None,
        size: None,
    };
    keyring.add(pod, url.as_str(), entry).await?;
    if let Err(e) = pod.create_container(&url).await {
        let _ = keyring.remove(pod, &[url.to_string()]).await;
        return Err(e.into());
    }
    Ok(url)
}

/// Deletes a file, or a folder with everything in it, then removes their keys.
/// Ciphertext goes first: a key without a file is harmless, the reverse is not.
pub async fn delete<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
) -> Result<(), DeleteError> {
    let mut gone = Vec::new();
    delete_tree(pod, url, &mut gone).await?;
    if url.path().ends_with('/') {
        gone.extend(
            keyring
                .entries_under(url.as_str())
                .into_iter()
                .map(|(u, _)| u),
        );
    }
    keyring.remove(pod, &gone).await?;
    Ok(())
}

/// DELETEs of one folder's files sent side by side (as uploads go, four at a
/// time: app/drive/pool.rs).
const DELETES_IN_FLIGHT: usize = 4;

/// Depth-first delete; collects every URL deleted (or already gone). Stays inside
/// `url`: a listing yields only direct children (`pod::container::parse_listing`),
/// whatever else a hostile pod names in it.
pub(super) async fn delete_tree<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    gone: &mut Vec<String>,
) -> Result<(), DeleteError> {
    if url.path().ends_with('/') {
        let members = match pod.list(url).await {
            Ok(members) => members,
            Err(PodListError::Read(crate::pod::error::ReadError::NotFound)) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let (folders, files): (Vec<_>, Vec<_>) = members.iter().partition(|m| m.is_container);
        for folder in folders {
            Box::pin(delete_tree(pod, &folder.url, gone)).await?;
        }
        // Files a few at a time (folders one by one, so never more than that in
        // flight): one after another, a folder of 1,000 files took 244 s to delete
        // on CSS (`scripts/bench drive`, folder part), each DELETE waiting for the
        // one before. Every DELETE of a batch is let finish, so what was deleted is
        // known even when one fails.
        for batch in files.chunks(DELETES_IN_FLIGHT) {
            let deletes = batch
                .iter()
                .map(|file| delete_one(pod, &file.url))
                .collect();
            let mut failed = None;
            for (file, result) in batch.iter().zip(join_all(deletes).await) {
                match result {
                    Ok(()) => gone.push(file.url.to_string()),
                    Err(e) => failed = failed.or(Some(e)),
                }
            }
            if let Some(e) = failed {
                return Err(e);
            }
        }
    }
    delete_one(pod, url).await?;
    gone.push(url.to_string());
    Ok(())
}

/// One DELETE; a resource already gone counts as deleted.
async fn delete_one<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> Result<(), DeleteError> {
    match pod.delete(url, &Condition::Always).await {
        Ok(()) | Err(WriteError::NotFound) => Ok(()),
        Err(source) => Err(DeleteError::Write {
            url: url.clone(),
            source,
        }),
    }
}
