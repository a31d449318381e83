//! Importing a [`Plan`]: each file decrypted with its keys, checked to be a data
//! URL, and uploaded through the drive's own upload (key first) into one folder
//! of My files, keeping SolidCryptPad's folders and names. Nothing of the old data
//! is changed. A file that exists by name in its target folder is skipped, so a
//! second run imports only what the first did not.

use url::Url;

use super::crypto::decrypt;
use super::format::{parse_data_url, DataUrl};
use super::plan::{Found, Plan};
use crate::crypto::envelope::RustCryptoCipher;
use crate::drive::memory::{SliceSource, VecUpload};
use crate::drive::{list_folder, new_folder, upload, ListError, NewFile, NewFolderError};
use crate::keystore::Keyring;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// The folder of My files the import goes into.
pub const TARGET_FOLDER: &str = "Imported from SolidCryptPad";
/// The most ciphertext of one file read: SolidCryptPad held a file in memory
/// three times over (ciphertext, data URL, blob); files bigger than this are
/// reported, not read.
pub const MAX_FILE_BYTES: usize = 64 << 20;

/// The import could not go on (files imported so far stay imported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    #[error("cannot list a folder of the drive: {0}")]
    List(#[from] ListError),
    #[error("cannot create a folder in the drive: {0}")]
    Folder(#[from] NewFolderError),
}

/// How one file of the plan went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Uploaded into the drive at this URL, with this media type.
    Imported { url: Url, media_type: String },
    /// Not uploaded: a file of that name is already in its folder.
    Skipped,
    /// Not imported, and why.
    Failed(String),
}

/// What an import did, file by file (in the plan's order).
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: Vec<(String, Outcome)>,
}

impl Summary {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.files.iter().filter(|(_, o)| f(o)).count()
    }
    pub fn imported(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Imported { .. }))
    }
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped))
    }
    pub fn failed(&self) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .filter_map(|(path, o)| match o {
                Outcome::Failed(why) => Some((path.as_str(), why.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// Imports `plan` into `keyring`'s drive, calling `progress(done, total, path)`
/// before each file.
pub async fn import<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    plan: &Plan,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Summary, RunError> {
    let mut folders = Folders::default();
    let mut summary = Summary::default();
    for (done, found) in plan.files.iter().enumerate() {
        let path = found.path();
        progress(done, plan.files.len(), &path);
        let outcome = one(pod, keyring, &mut folders, found).await?;
        summary.files.push((path, outcome));
    }
    progress(plan.files.len(), plan.files.len(), "");
    Ok(summary)
}

/// Imports one file (see [`import`]).
async fn one<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folders: &mut Folders,
    found: &Found,
) -> Result<Outcome, RunError> {
    if !found.has_key() {
        return Ok(Outcome::Failed(
            "no SolidCryptPad keystore has its key".into(),
        ));
    }
    let mut path = vec![TARGET_FOLDER.to_owned()];
    path.extend(found.folders.iter().cloned());
    let at = folders.ensure(pod, keyring, &path).await?;
    let (_, folder, names) = &mut folders.known[at];
    if names.iter().any(|n| n == &found.name) {
        return Ok(Outcome::Skipped);
    }
    let content = match read(pod, found).await {
        Ok(content) => content,
        Err(why) => return Ok(Outcome::Failed(why)),
    };
    let file = NewFile {
        folder,
        name: &found.name,
        media_type: Some(&content.media_type),
        size: content.bytes.len() as u64,
        fingerprint: None,
    };
    let uploaded = upload::<_, RustCryptoCipher, _, _>(
        pod,
        keyring,
        &file,
        &mut SliceSource::new(&content.bytes, 256 * 1024),
        VecUpload::new(pod),
        &mut |_| {},
        &|| false,
    )
    .await;
    Ok(match uploaded {
        Ok(url) => {
            names.push(found.name.clone());
            Outcome::Imported {
                url,
                media_type: content.media_type,
            }
        }
        Err(e) => Outcome::Failed(format!("cannot upload it: {e}")),
    })
}

/// Reads and decrypts one file: the first of its keys that gives a data URL.
async fn read<H: HttpClient>(pod: &Pod<'_, H>, found: &Found) -> Result<DataUrl, String> {
    let body = match pod.get_bounded(&found.url, "*/*", MAX_FILE_BYTES).await {
        Ok(resource) => resource.body,
        Err(ReadError::TooLarge { limit }) => {
            return Err(format!("bigger than {} MiB", limit >> 20))
        }
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let mut why = String::new();
    for key in &found.keys {
        match decrypt(&body, key.as_bytes()) {
            Ok(text) => match parse_data_url(&text) {
                Ok(content) => return Ok(content),
                Err(e) => {
                    why = format!("it decrypts, but {e}: damaged or not a SolidCryptPad file")
                }
            },
            Err(e) => why = format!("it does not decrypt: {e}"),
        }
    }
    Err(why)
}

/// The drive folders of this import, created on first need and remembered with
/// the names already in them.
#[derive(Default)]
struct Folders {
    /// (path below My files, URL, names of its members).
    known: Vec<(Vec<String>, Url, Vec<String>)>,
}

impl Folders {
    /// The folder at `path` below My files, created (with its parents) if
    /// missing: its index in `known`.
    async fn ensure<H: HttpClient>(
        &mut self,
        pod: &Pod<'_, H>,
        keyring: &Keyring,
        path: &[String],
    ) -> Result<usize, RunError> {
        let mut url = keyring.layout().files();
        let mut at = None;
        for depth in 1..=path.len() {
            if let Some(i) = self.known.iter().position(|(p, _, _)| p == &path[..depth]) {
                url = self.known[i].1.clone();
                at = Some(i);
                continue;
            }
            let name = &path[depth - 1];
            let items = list_folder(pod, keyring, &url).await?;
            url = match items
                .iter()
                .find(|i| i.is_folder && i.known && &i.name == name)
            {
                Some(item) => item.url.clone(),
                None => new_folder(pod, keyring, &url, name).await?,
            };
            let names = list_folder(pod, keyring, &url).await?;
            let names = names.into_iter().map(|i| i.name).collect();
            self.known
                .push((path[..depth].to_vec(), url.clone(), names));
            at = Some(self.known.len() - 1);
        }
        Ok(at.expect("the path holds the target folder"))
    }
}
