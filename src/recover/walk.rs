//! The whole drive into a folder: `My files/` holds the user's own tree (the root
//! keystore's folder), `Shared with me/` one entry per file or folder others shared
//! (FORMAT §8.8: the index names their keystores and keys; reading them takes the
//! user's own login while the owner has not revoked the share). Every file is
//! decrypted through [`FileSink`]; what cannot be recovered is reported with why,
//! and the walk goes on.

use std::path::{Path, PathBuf};

use url::Url;

use super::file_sink::FileSink;
use crate::crypto::envelope::RustCryptoCipher;
use crate::drive::download::open_on_pod;
use crate::drive::names::Names;
use crate::drive::{decrypt, list_folder, Item};
use crate::keystore::Keyring;
use crate::pod::http::HttpClient;
use crate::pod::Pod;
use crate::share::{shared_with_me, SharedKind};

/// Deepest folder nesting followed: a pod could answer with endless folders.
const MAX_DEPTH: usize = 64;

/// Folder (under the output folder) of the user's own files.
pub const MY_FILES: &str = "My files";
/// Folder (under the output folder) of what others shared.
pub const SHARED_WITH_ME: &str = "Shared with me";

/// One item that was not recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where it would have gone, relative to the output folder.
    pub path: PathBuf,
    /// Why not, for the user.
    pub why: String,
}

/// What a recovery did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files written, with their decrypted size.
    pub files: u64,
    pub bytes: u64,
    pub folders: u64,
    pub failures: Vec<Failure>,
}

/// Told about each file as it starts and as its ciphertext arrives.
pub trait Progress {
    /// A file starts: its path under the output folder and plaintext size, if known.
    fn file(&mut self, path: &Path, size: Option<u64>);
    /// Ciphertext bytes of the current file read so far.
    fn bytes(&mut self, done: u64);
}

/// A [`Progress`] that shows nothing.
impl Progress for () {
    fn file(&mut self, _: &Path, _: Option<u64>) {}
    fn bytes(&mut self, _: u64) {}
}

/// Decrypts every file the unlocked `keyring` can open into `out` (created if
/// missing; existing files are never overwritten: a name taken on disk is reported).
pub async fn recover_drive<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    out: &Path,
    progress: &mut dyn Progress,
) -> Report {
    let mut walk = Walk {
        pod,
        keyring,
        out,
        progress,
        report: Report::default(),
    };
    let files = keyring.layout().files();
    walk.folder(&files, Path::new(MY_FILES), 0).await;
    let mut names = Names::default();
    for shared in shared_with_me(keyring) {
        let relative = Path::new(SHARED_WITH_ME).join(names.claim(&shared.name));
        if let Some(reason) = shared.unavailable {
            walk.fail(&relative, format!("it cannot be read: {reason}"));
            continue;
        }
        // A keystore that is gone reads as empty (FORMAT §4.4): nothing opens it.
        if keyring.lookup(&shared.url).is_none() {
            walk.fail(
                &relative,
                "it cannot be read: its keystore is gone or empty (its owner deleted it or withdrew the share)",
            );
            continue;
        }
        let Ok(url) = Url::parse(&shared.url) else {
            walk.fail(&relative, "the index names no valid address for it");
            continue;
        };
        match shared.kind {
            SharedKind::Folder => walk.folder(&url, &relative, 0).await,
            SharedKind::File => walk.file(&url, shared.size, &relative).await,
        }
    }
    walk.report
}

struct Walk<'w, 'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    keyring: &'w Keyring,
    out: &'w Path,
    progress: &'w mut dyn Progress,
    report: Report,
}

impl<H: HttpClient> Walk<'_, '_, '_, H> {
    fn fail(&mut self, path: &Path, why: impl Into<String>) {
        self.report.failures.push(Failure {
            path: path.to_owned(),
            why: why.into(),
        });
    }

    /// `folder` and everything under it into `relative`.
    async fn folder(&mut self, folder: &Url, relative: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            return self.fail(relative, format!("folders nested deeper than {MAX_DEPTH}"));
        }
        if let Err(e) = std::fs::create_dir_all(self.out.join(relative)) {
            return self.fail(relative, format!("cannot create the folder: {e}"));
        }
        self.report.folders += 1;
        let items = match list_folder(self.pod, self.keyring, folder).await {
            Ok(items) => items,
            Err(e) => return self.fail(relative, e.to_string()),
        };
        let mut names = Names::default();
        for Item {
            url,
            name,
            is_folder,
            size,
            known,
            ..
        } in items
        {
            let path = relative.join(names.claim(&name));
            if !known {
                self.fail(&path, "no keystore has a key for it (not written by solidcrypt for you, or its key was lost)");
            } else if is_folder {
                Box::pin(self.folder(&url, &path, depth + 1)).await;
            } else {
                self.file(&url, size, &path).await;
            }
        }
    }

    /// The file at `url` decrypted into `relative`.
    async fn file(&mut self, url: &Url, size: Option<u64>, relative: &Path) {
        self.progress.file(relative, size);
        match self.download(url, &self.out.join(relative)).await {
            Ok(written) => {
                self.report.files += 1;
                self.report.bytes += written;
            }
            Err(why) => self.fail(relative, why),
        }
    }

    async fn download(&mut self, url: &Url, target: &Path) -> Result<u64, String> {
        let (key, mut source) = open_on_pod(self.pod, self.keyring, url)
            .await
            .map_err(|e| e.to_string())?;
        let mut sink = FileSink::create(target).map_err(|e| format!("cannot write it: {e}"))?;
        let progress = &mut *self.progress;
        decrypt::<RustCryptoCipher, _, _>(&key, &mut source, &mut sink, &mut |done| {
            progress.bytes(done)
        })
        .await
        .map_err(|e| e.to_string())?;
        Ok(sink.written())
    }
}
