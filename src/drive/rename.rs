//! Renaming a file or folder (issue 17 item 2). The pod only knows random names;
//! the user's name lives in the keystore entries (FORMAT.md §4.3), so a rename
//! rewrites the entry in every keystore this user may write that covers the item:
//! the root keystore, their own shared folders' keystores, and the keystores of
//! folders shared with them read-write. Nothing on the pod moves, and no
//! ciphertext is touched.
//!
//! Names shown in a folder can come from collaborators' keystores, so they are
//! hostile input; [`check_name`] and [`check_free`] are the rules every name
//! written here (and by a move, `relocate`) passes.

use url::Url;

use super::listing::{list_folder, ListError};
use crate::keystore::{Entry, Keyring, KeyringError};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// A name that may not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    /// A `/` would read as a path wherever the name is shown or saved.
    #[error("a name cannot contain \"/\"")]
    Slash,
    #[error("this folder already holds something named \"{0}\"")]
    Taken(String),
    #[error("cannot list the folder to check the name: {0}")]
    List(#[from] ListError),
}

/// Renaming failed; nothing was written, or (a keystore failing after another
/// one was written) the listing shows the old name until the rename is repeated
/// (FORMAT.md §4.3 "Names").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenameError {
    #[error("no keystore knows this item, so it has no name to change")]
    Unknown,
    #[error(transparent)]
    Name(#[from] NameError),
    /// Shared with me read-only (or outside every keystore I may write).
    #[error("you may not rename this: it is shared with you read-only")]
    ReadOnly,
    #[error("cannot store the new name: {0}")]
    Keystore(KeyringError),
}

/// The name as it will be written (trimmed), if it may be: not empty, no `/`.
pub fn check_name(name: &str) -> Result<&str, NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.contains('/') {
        return Err(NameError::Slash);
    }
    Ok(name)
}

/// Fails if an item of `folder` other than `except` is already called `name`,
/// as the listing shows it (names from every keystore, a collaborator's too).
pub async fn check_free<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    name: &str,
    except: &Url,
) -> Result<(), NameError> {
    let items = list_folder(pod, keyring, folder).await?;
    if items.iter().any(|i| i.url != *except && i.name == name) {
        return Err(NameError::Taken(name.to_owned()));
    }
    Ok(())
}

/// The folder holding `url` (a file `…/x` or a folder `…/x/`).
pub fn parent_of(url: &Url) -> Url {
    let up = if url.path().ends_with('/') { ".." } else { "." };
    url.join(up).expect("a parent joins an http URL")
}

/// Gives the file or folder at `url` the name `name` in every keystore this user
/// may write that covers it. Renaming to the name it has is a no-op.
pub async fn rename<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    url: &Url,
    name: &str,
) -> Result<(), RenameError> {
    let name = check_name(name)?;
    let entry = keyring.lookup(url.as_str()).ok_or(RenameError::Unknown)?;
    if entry.name == name {
        return Ok(());
    }
    if !keyring.writable(url.as_str()) {
        return Err(RenameError::ReadOnly);
    }
    check_free(pod, keyring, &parent_of(url), name, url).await?;
    let renamed = Entry {
        name: name.to_owned(),
        ..entry
    };
    match keyring.add(pod, url.as_str(), renamed).await {
        Ok(()) => Ok(()),
        Err(KeyringError::NotCovered(_)) => Err(RenameError::ReadOnly),
        Err(e) => Err(RenameError::Keystore(e)),
    }
}

/// `name` with ` (n)` before its extension: "film.mp4" → "film (2).mp4", what
/// a second file of the same name is called (a file picked to resume an upload
/// that turned out to be another one, uploaded next to it).
pub fn numbered(name: &str, n: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn numbered_names_keep_the_extension() {
        assert_eq!(numbered("film.mp4", 2), "film (2).mp4");
        assert_eq!(numbered("a.tar.gz", 3), "a.tar (3).gz");
        assert_eq!(numbered("README", 2), "README (2)");
        assert_eq!(numbered(".bashrc", 2), ".bashrc (2)");
    }
}
