//! Opening a link without keeping it (issue 17, item 6): a recipient with no
//! drive (or who does not want to keep the link) reads a shared file or folder
//! at once, read-only. The group is joined as accepting does (the one write, on
//! the owner's pod, made only once the user chose to open it) and the key is
//! checked against what it opens the same way; but it is held in an in-memory
//! keyring ([`Keyring::in_memory`]) only: nothing is written to the recipient's
//! own pod, and closing the tab forgets it. Keeping it later is `accept`.

use url::Url;

use super::accept::{folder_name, AcceptError, Accepted};
use super::create::last_segment;
use super::link::Access;
use super::reach::{reach, Reached};
use super::vet::{Preview, VetError};
use crate::keystore::format::{Entry, IndexEntry, KeystoreDoc, KeystoreKind, ShareMode};
use crate::keystore::{Keyring, Layout};
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// A link opened for this tab only.
pub struct Visit {
    /// What it opened, always [`Access::Read`]: a visit changes nothing.
    pub opened: Accepted,
    /// The link's key alone, in memory: it finds the file's key, or the keys of
    /// the folder's files, and writes nothing (see [`Keyring::in_memory`]).
    pub keyring: Keyring,
}

impl std::fmt::Debug for Visit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Visit")
            .field("opened", &self.opened)
            .finish_non_exhaustive()
    }
}

/// Opens the link of `preview` (looked at with `share::look` or `share::preview`)
/// for `me` (my WebID), whose data folder would be `layout` (the scope rules
/// need it; it need not exist), without keeping it: joins the group, reads what
/// it shares and checks the key against it (see `reach`; the same requests as
/// accepting it the first time, less the index's GET and PUT). A link into my
/// own storage ([`Preview::own`]) is refused: only my unlocked keystores can
/// tell whether it is one of my own.
pub async fn visit<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    preview: &Preview,
    me: &str,
) -> Result<Visit, AcceptError> {
    if preview.own {
        return Err(VetError::OwnStorage(preview.storage.to_string()).into());
    }
    let held = |url: &Url, keystore: &Url, key, kind| IndexEntry {
        url: keystore.to_string(),
        key,
        kind,
        scope: url.to_string(),
        owner: me.to_owned(),
        // Read-only, whatever the link allows: nothing is written to it.
        mode: Some(ShareMode::Read),
    };
    let (opened, entry, doc) = match reach(pod, preview.link(), me, false).await? {
        Reached::File {
            url,
            keystore,
            keystore_key,
            doc,
            checked,
        } => {
            let entry = held(&url, &keystore, keystore_key, KeystoreKind::SharedFile);
            let opened = Accepted::File {
                url,
                metadata: checked.metadata,
                content: checked.content,
                access: Access::Read,
            };
            (opened, entry, doc)
        }
        Reached::FileKey { url, key, checked } => {
            // No keystore: the key is held in a document of one entry, named by
            // the file itself (never read or written under that name; its key
            // opens nothing).
            let mut doc = KeystoreDoc::default();
            let metadata = checked.metadata.clone();
            doc.entries.insert(
                url.to_string(),
                Entry {
                    key: Some(key.clone()),
                    name: metadata.name.unwrap_or_else(|| last_segment(&url)),
                    media_type: metadata.media_type,
                    size: metadata.size,
                },
            );
            let entry = held(&url, &url, key, KeystoreKind::SharedFile);
            let opened = Accepted::File {
                url,
                metadata: checked.metadata,
                content: checked.content,
                access: Access::Read,
            };
            (opened, entry, doc)
        }
        Reached::Folder {
            url,
            keystore,
            keystore_key,
            doc,
        } => {
            let doc = doc.unwrap_or_default();
            let name = folder_name(&url, Some(&doc)).unwrap_or_else(|| last_segment(&url));
            let entry = held(&url, &keystore, keystore_key, KeystoreKind::SharedFolder);
            let opened = Accepted::Folder {
                url,
                name,
                access: Access::Read,
            };
            (opened, entry, doc)
        }
    };
    Ok(Visit {
        opened,
        keyring: Keyring::in_memory(layout.clone(), vec![entry], vec![doc]),
    })
}
