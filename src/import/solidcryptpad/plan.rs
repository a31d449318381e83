//! Finding what there is to import, before anything is written (docs/FORMAT.md
//! §10.5): the keystore index opened with the old password, the owner's own
//! keystores read, and the files under `solidcryptpad/` listed and matched to
//! their keys. Nothing is decrypted here but keystores, so the user sees the
//! names and counts first.

use std::collections::HashMap;

use url::Url;
use zeroize::Zeroizing;

use super::crypto::{decrypt, master_passphrase};
use super::format::{normalise, parse_index, parse_keystore, FormatError, Kind};
use crate::keystore::scope::within_url;
use crate::pod::container::ListError;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// The keystore index, where SolidCryptPad looked for it below the storage root.
pub const INDEX_PATH: &str = "solidcryptpad-data/keystores/keystores.json.enc";
/// The owner's keystores are here; a keystore anywhere else is not read.
pub const KEYSTORES_PATH: &str = "solidcryptpad-data/keystores/";
/// The owner's encrypted files.
pub const FILES_PATH: &str = "solidcryptpad/";
/// The most bytes of the index or of one keystore that are read.
pub const MAX_KEYSTORE_BYTES: usize = 16 << 20;
/// The most files one import looks at.
pub const MAX_FILES: usize = 20_000;
/// The deepest folder nesting followed.
pub const MAX_DEPTH: usize = 32;

/// Finding the SolidCryptPad data failed; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    #[error("no SolidCryptPad data on this pod (no {INDEX_PATH})")]
    NothingThere,
    #[error("wrong SolidCryptPad password")]
    WrongPassword,
    #[error("cannot read the SolidCryptPad keystores: {0}")]
    Read(ReadError),
    #[error("the SolidCryptPad keystore index is damaged: {0}")]
    Index(FormatError),
    #[error("cannot list the SolidCryptPad files: {0}")]
    List(ListError),
    #[error("more than {MAX_FILES} files or folders nested deeper than {MAX_DEPTH}")]
    TooBig,
}

/// One encrypted file on the pod.
#[derive(Clone)]
pub struct Found {
    /// Where it is (as the pod lists it).
    pub url: Url,
    /// Its folders below `solidcryptpad/`, outermost first (decoded names).
    pub folders: Vec<String>,
    /// Its name (decoded); SolidCryptPad removed spaces from names.
    pub name: String,
    /// Every key a keystore holds for it (usually one, found in several).
    pub(super) keys: Vec<Zeroizing<String>>,
}

impl Found {
    /// Whether any keystore has a key for it.
    pub fn has_key(&self) -> bool {
        !self.keys.is_empty()
    }

    /// `folder/…/name`, for messages.
    pub fn path(&self) -> String {
        let mut path = self.folders.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(&self.name);
        path
    }
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found")
            .field("url", &self.url.as_str())
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

/// What an import would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every file found, in listing order (folders depth first).
    pub files: Vec<Found>,
    /// Things not imported and why, e.g. folders others shared (on their pods), a
    /// keystore that could not be read.
    pub notes: Vec<String>,
}

/// Finds the SolidCryptPad data of the storage at `root` (a storage root, with
/// `/`) and opens its keystores with `password`. Reads only.
pub async fn plan<H: HttpClient>(
    pod: &Pod<'_, H>,
    root: &Url,
    password: &str,
) -> Result<Plan, PlanError> {
    let at = |path: &str| root.join(path).expect("a relative path joins");
    let index = match pod
        .get_bounded(&at(INDEX_PATH), "*/*", MAX_KEYSTORE_BYTES)
        .await
    {
        Ok(resource) => resource.body,
        Err(ReadError::NotFound) => return Err(PlanError::NothingThere),
        Err(e) => return Err(PlanError::Read(e)),
    };
    let text = decrypt(&index, master_passphrase(password).as_bytes())
        .map_err(|_| PlanError::WrongPassword)?;
    let entries = parse_index(&text).map_err(PlanError::Index)?;

    let own_keystores = at(KEYSTORES_PATH);
    let own_files = normalise(at(FILES_PATH).as_str());
    let mut keys: HashMap<String, Vec<Zeroizing<String>>> = HashMap::new();
    let mut plan = Plan::default();
    let mut others = 0;
    for entry in entries {
        // Only keystores directly in the user's own keystores folder are fetched:
        // the index is trusted no further than the pod it is on.
        let own = Url::parse(&entry.url).ok().filter(|url| {
            within_url(url, &own_keystores)
                && url.query().is_none()
                && url
                    .path()
                    .strip_prefix(own_keystores.path())
                    .is_some_and(|name| !name.is_empty() && !name.contains('/'))
        });
        let keystore_url = match (entry.kind, own) {
            (Kind::Folder | Kind::SharedFile, Some(url)) => url,
            (Kind::SharedFolder | Kind::SharedFile | Kind::Folder, _) => {
                others += 1;
                continue;
            }
            (Kind::Unknown, _) => {
                plan.notes.push(format!(
                    "a keystore of an unknown kind ({}) was skipped",
                    entry.url
                ));
                continue;
            }
        };
        let body = match pod
            .get_bounded(&keystore_url, "*/*", MAX_KEYSTORE_BYTES)
            .await
        {
            Ok(resource) => resource.body,
            // SolidCryptPad wrote a keystore only with its first key: absent is empty.
            Err(ReadError::NotFound) => continue,
            Err(e) => {
                plan.notes
                    .push(format!("the keystore {} could not be read: {e}", entry.url));
                continue;
            }
        };
        let pairs = decrypt(&body, entry.passphrase.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|text| parse_keystore(&text).map_err(|e| e.to_string()));
        match pairs {
            Ok(pairs) => {
                for (file, key) in pairs {
                    let file = normalise(&file);
                    // Shared-file keystores point into other pods: only own files.
                    if !file.starts_with(&own_files) {
                        continue;
                    }
                    let known = keys.entry(file).or_default();
                    if !known.iter().any(|k| k.as_str() == key.as_str()) {
                        known.push(key);
                    }
                }
            }
            Err(e) => plan.notes.push(format!(
                "the keystore {} could not be opened: {e}",
                entry.url
            )),
        }
    }
    if others > 0 {
        plan.notes.push(format!(
            "{others} folder(s) or file(s) others shared with you are on their pods: not imported"
        ));
    }
    walk(pod, &at(FILES_PATH), &mut Vec::new(), &mut keys, &mut plan).await?;
    Ok(plan)
}

/// Lists `folder` and its subfolders depth first into `plan.files`.
async fn walk<H: HttpClient>(
    pod: &Pod<'_, H>,
    folder: &Url,
    folders: &mut Vec<String>,
    keys: &mut HashMap<String, Vec<Zeroizing<String>>>,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    if folders.len() > MAX_DEPTH {
        return Err(PlanError::TooBig);
    }
    let mut members = match pod.list(folder).await {
        Ok(members) => members,
        Err(ListError::Read(ReadError::NotFound)) if folders.is_empty() => return Ok(()),
        Err(e) => return Err(PlanError::List(e)),
    };
    members.sort_by(|a, b| (b.is_container, &a.name).cmp(&(a.is_container, &b.name)));
    for member in members {
        if plan.files.len() >= MAX_FILES {
            return Err(PlanError::TooBig);
        }
        if member.is_container {
            folders.push(member.name.clone());
            Box::pin(walk(pod, &member.url, folders, keys, plan)).await?;
            folders.pop();
        } else {
            plan.files.push(Found {
                keys: keys
                    .remove(&normalise(member.url.as_str()))
                    .unwrap_or_default(),
                url: member.url,
                folders: folders.clone(),
                name: member.name,
            });
        }
    }
    Ok(())
}
