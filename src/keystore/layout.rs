//! Where solidcrypt keeps its data on a pod (DESIGN §4): one folder the app owns,
//! `<storage>/solidcrypt-data/`, with the keystores and the encrypted files in it.

use url::Url;

/// The app's folder on one pod and the fixed addresses inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    base: Url,
}

impl Layout {
    /// The standard layout under a storage root (which ends in `/`).
    pub fn for_storage(storage: &Url) -> Self {
        Self::at(
            storage
                .join("solidcrypt-data/")
                .expect("a relative folder joins any base URL"),
        )
    }

    /// A layout rooted at `base` (a folder URL ending in `/`): tests use a scratch
    /// folder so they never share state.
    pub fn at(base: Url) -> Self {
        debug_assert!(base.path().ends_with('/'));
        Self { base }
    }

    /// The app's folder.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The folder of the keystore index and the root keystore.
    pub fn keystores(&self) -> Url {
        self.join("keystores/")
    }

    /// `keystores/keystores.json.enc`: the password-protected list of keystores.
    pub fn index(&self) -> Url {
        self.join("keystores/keystores.json.enc")
    }

    /// A new root keystore's address. The name is random so a first run that
    /// failed halfway (keystore written, index not) never blocks the next one.
    pub fn new_root_keystore(&self, suffix: &str) -> Url {
        self.join(&format!("keystores/root-{suffix}.json.enc"))
    }

    /// A new shared-folder keystore's address (one per folder link, so revoking one
    /// link never touches another's keystore).
    pub fn new_shared_keystore(&self, suffix: &str) -> Url {
        self.join(&format!("keystores/shared-{suffix}.json.enc"))
    }

    /// A new "received files" keystore's address: the keys of files others shared
    /// with this user by file links.
    pub fn new_received_keystore(&self, suffix: &str) -> Url {
        self.join(&format!("keystores/received-{suffix}.json.enc"))
    }

    /// `keystores/links-created.json.enc`: the links this user created (FORMAT.md §6).
    pub fn links_created(&self) -> Url {
        self.join("keystores/links-created.json.enc")
    }

    /// `keystores/shares.json.enc`: this user's shares with people and contacts
    /// (FORMAT.md §8.2).
    pub fn shares(&self) -> Url {
        self.join("keystores/shares.json.enc")
    }

    /// `keystores/identity-key.enc`: the user's identity private key, sealed under
    /// the root keystore's key (FORMAT.md §7.1).
    pub fn identity_key(&self) -> Url {
        self.join("keystores/identity-key.enc")
    }

    /// The folder of the groups that share links name.
    pub fn groups(&self) -> Url {
        self.join("groups/")
    }

    /// The top folder of the user's encrypted files (what the root keystore covers).
    pub fn files(&self) -> Url {
        self.join("files/")
    }

    fn join(&self, path: &str) -> Url {
        self.base.join(path).expect("fixed relative paths join")
    }
}
