//! The key in the user's own WebID profile (docs/FORMAT.md §7.3): which of the
//! statements are missing, which are about an older key, and one N3 Patch that
//! fixes both while keeping every other statement.

use oxrdf::{NamedNode, Triple};
use url::Url;

use super::site::Site;
use crate::crypto::rsa_keys::MasterPublicKey;
use crate::pod::cert::{about, key_node, key_triples};
use crate::pod::rdf::RdfError;

/// What the profile needs for `key`.
#[derive(Debug, Default)]
pub(super) struct ProfileFix {
    pub insert: Vec<Triple>,
    pub delete: Vec<Triple>,
}

impl ProfileFix {
    pub fn is_empty(&self) -> bool {
        self.insert.is_empty() && self.delete.is_empty()
    }
}

/// Compares the profile's statements with the ones that publish `key`.
pub(super) fn fix_for(
    triples: &[Triple],
    site: &Site,
    key: &MasterPublicKey,
) -> Result<ProfileFix, RdfError> {
    let wanted = key_triples(&site.webid, &key.modulus_be(), &site.public_key)?;
    let node = NamedNode::new(key_node(&site.webid).as_str())
        .map_err(|e| RdfError::Serialize(e.to_string()))?;
    let insert = wanted
        .iter()
        .filter(|t| !triples.contains(t))
        .cloned()
        .collect();
    let delete = about(triples, &node)
        .filter(|t| !wanted.contains(t))
        .cloned()
        .collect();
    Ok(ProfileFix { insert, delete })
}

/// The inbox statement for `inbox`.
pub(super) fn inbox_triple(webid: &Url, inbox: &Url) -> Result<Triple, RdfError> {
    use crate::pod::rdf::{iri, url_node};
    use crate::pod::vocab;
    Ok(Triple::new(
        url_node(webid.as_str())?,
        iri(vocab::LDP_INBOX),
        url_node(inbox.as_str())?,
    ))
}
