//! Where one user's identity lives (docs/FORMAT.md §7): whose profile, which
//! public resource, which inbox to create. The standard places follow from the
//! WebID and the storage; tests point them at scratch resources.

use url::Url;

/// The addresses [`super::ensure_identity`] reads and writes besides the drive's
/// own folder (where the sealed key is: [`crate::keystore::Layout::identity_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The WebID whose profile gets `cert:key` and `ldp:inbox`.
    pub webid: Url,
    /// Who keeps Read/Write/Control in every ACL written (the logged-in WebID).
    pub owner: String,
    /// The public key resource (SPKI PEM, public Read).
    pub public_key: Url,
    /// The inbox created when the profile names none.
    pub inbox: Url,
}

impl Site {
    /// The standard places: `<storage>/solidcrypt-public/identity.pem` and
    /// `<storage>/inbox/`; the WebID is also the owner.
    pub fn new(webid: &Url, storage: &Url) -> Self {
        let join = |path| storage.join(path).expect("fixed relative paths join");
        Self {
            webid: webid.clone(),
            owner: webid.to_string(),
            public_key: join("solidcrypt-public/identity.pem"),
            inbox: join("inbox/"),
        }
    }

    /// The profile document: the WebID without its fragment.
    pub fn profile_document(&self) -> Url {
        let mut document = self.webid.clone();
        document.set_fragment(None);
        document
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_places_are_under_the_storage_not_the_data_folder() {
        let webid = Url::parse("https://pod.example/alice/profile/card#me").unwrap();
        let site = Site::new(&webid, &Url::parse("https://pod.example/alice/").unwrap());
        assert_eq!(
            site.public_key.as_str(),
            "https://pod.example/alice/solidcrypt-public/identity.pem"
        );
        assert_eq!(site.inbox.as_str(), "https://pod.example/alice/inbox/");
        assert_eq!(
            site.profile_document().as_str(),
            "https://pod.example/alice/profile/card"
        );
        assert_eq!(site.owner, webid.as_str());
    }
}
