//! A folder tree dropped or picked for upload: which folders it holds (from its
//! files' relative paths, plus the empty ones the drop names), and creating
//! them on the pod as every new folder is made (`folder::new_folder`): under a
//! random hex name, the user's name only in the keystores. Nothing of the
//! dropped paths reaches the pod in clear.
//!
//! All the tree's folder names go into the keystores in one batch
//! ([`Keyring::add_all`]) before any of the folders is created, so no folder
//! ever shows up nameless; a folder the pod then refuses takes its name (and
//! those of the folders below it) out again.

use std::collections::BTreeMap;

use url::Url;

use crate::crypto::RandomError;
use crate::keystore::master::random_suffix;
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// Creating a dropped tree's folders failed; the folders created before the
/// failure stay (with their names), the others are not on the pod.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError {
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot store the folder names: {0}")]
    Keystore(#[from] KeyringError),
    #[error("the pod did not create the folder {name}: {source}")]
    Write { name: String, source: WriteError },
}

/// The folder part of a relative path ("a/b/c.txt" is in "a/b"; "c.txt" in "").
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Every folder of a dropped tree, parents before children, each once: the
/// folders holding `files` (relative paths such as "photos/2024/a.jpg") and
/// their ancestors, plus `empty` folders (relative paths too). Empty path
/// components ("a//b", a trailing "/") are skipped, so a name is never blank.
pub fn folders(files: &[&str], empty: &[&str]) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    let dirs = files
        .iter()
        .map(|f| folder_of(f))
        .chain(empty.iter().copied());
    for dir in dirs {
        let mut path = String::new();
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            found.insert(path.clone());
        }
    }
    let mut out: Vec<String> = found.into_iter().collect();
    out.sort_by_key(|p| p.matches('/').count());
    out
}

/// Creates `folders` (from [`folders`]: parents first) inside `parent`; returns
/// the pod URL of each relative path, with "" for `parent` itself. All names
/// are written to the keystores first, in one write per keystore.
pub async fn create_folders<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    parent: &Url,
    folders: &[String],
) -> Result<BTreeMap<String, Url>, TreeError> {
    let mut urls = BTreeMap::new();
    urls.insert(String::new(), parent.clone());
    let mut entries = Vec::with_capacity(folders.len());
    for path in folders {
        let (up, name) = path.rsplit_once('/').unwrap_or(("", path));
        let url = urls[up]
            .join(&format!("{}/", random_suffix()?))
            .expect("a hex name joins a folder URL");
        entries.push((
            url.to_string(),
            Entry {
                key: None,
                name: name.to_owned(),
                media_type: None,
                size: None,
            },
        ));
        urls.insert(path.clone(), url);
    }
    keyring.add_all(pod, &entries).await?;
    for (done, path) in folders.iter().enumerate() {
        if let Err(source) = pod.create_container(&urls[path]).await {
            // The names of this folder and of those after it (never created).
            let unused: Vec<String> = entries[done..].iter().map(|(u, _)| u.clone()).collect();
            let _ = keyring.remove(pod, &unused).await;
            return Err(TreeError::Write {
                name: path.clone(),
                source,
            });
        }
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_come_parents_first_with_empty_ones() {
        let files = ["top.txt", "a/b/c/deep.txt", "a/one.txt", "x/y.txt"];
        let got = folders(&files, &["a/empty", "z//", ""]);
        assert_eq!(got, ["a", "x", "z", "a/b", "a/empty", "a/b/c"]);
        assert_eq!(folder_of("a/b/c.txt"), "a/b");
        assert_eq!(folder_of("c.txt"), "");
    }
}
