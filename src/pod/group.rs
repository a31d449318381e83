//! Groups (`vcard:Group`) that people join themselves, the basis of sharing links.
//!
//! A group lives in its own document `group-<128-bit random hex>.ttl`; knowing its
//! unguessable name is what lets someone join. Its ACL gives the owner full control
//! and everyone Read + Append: Append so a link holder can add themselves (N3 Patch
//! insert), Read because CSS fetches group documents anonymously when checking
//! `acl:agentGroup`, so without public Read membership would grant nothing.

use oxrdf::Triple;
use url::Url;

use super::acl::{Authorization, Mode};
use super::acl_io::AclError;
use super::client::Pod;
use super::error::{ReadError, WriteError};
use super::http::HttpClient;
use super::patch::PatchError;
use super::rdf::{iri, objects, parse_turtle, to_turtle, url_node, RdfError};
use super::resource::Condition;
use super::vocab;

/// Fragment of the group node inside its document.
const GROUP_FRAGMENT: &str = "group";

/// A group: its document and the IRI that ACLs name in `acl:agentGroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub document: Url,
    pub iri: Url,
}

impl Group {
    /// The group declared in `document` (`…/group-….ttl`), as
    /// [`Pod::create_group`] names it: `<document>#group`.
    pub fn in_document(document: &Url) -> Group {
        let mut iri = document.clone();
        iri.set_fragment(Some(GROUP_FRAGMENT));
        Group {
            document: document.clone(),
            iri,
        }
    }

    /// The group whose IRI is `iri` (`…/group-….ttl#group`).
    pub fn from_iri(iri: Url) -> Group {
        let mut document = iri.clone();
        document.set_fragment(None);
        Group { document, iri }
    }
}

/// A group operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    #[error("no secure random numbers available: {0}")]
    Random(String),
    #[error("{0} is not a usable folder address")]
    BadContainer(Url),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Acl(#[from] AclError),
    #[error(transparent)]
    Patch(#[from] PatchError),
    #[error(transparent)]
    Rdf(#[from] RdfError),
}

/// The most a group document may be: 4 MiB, some 50 000 members.
pub const MAX_GROUP_BYTES: usize = 4 << 20;

impl<H: HttpClient> Pod<'_, H> {
    /// Creates a new, empty group in `container`, owned by `owner` (a WebID).
    pub async fn create_group(&self, container: &Url, owner: &str) -> Result<Group, GroupError> {
        let mut secret = [0u8; 16];
        getrandom::getrandom(&mut secret).map_err(|e| GroupError::Random(e.to_string()))?;
        let name: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let document = container
            .join(&format!("group-{name}.ttl"))
            .map_err(|_| GroupError::BadContainer(container.clone()))?;
        let group = Group::in_document(&document);

        let declaration = Triple::new(
            url_node(group.iri.as_str())?,
            iri(vocab::RDF_TYPE),
            iri(vocab::VCARD_GROUP),
        );
        self.put(
            &group.document,
            "text/turtle",
            to_turtle(&[declaration])?,
            &Condition::IfAbsent,
        )
        .await?;

        let mut acl = self.read_acl(&group.document).await?;
        let mut public = Authorization::new(&acl.url, &acl.acl.free_fragment("public"))?;
        public.agent_classes.push(vocab::FOAF_AGENT.to_owned());
        public.access_to.push(group.document.to_string());
        public.modes.extend([Mode::Read, Mode::Append]);
        acl.acl.authorizations.push(public);
        self.write_acl(&acl, owner).await?;
        Ok(group)
    }

    /// Adds `member` (a WebID) to the group. Needs only Append, so anyone holding the
    /// group's address can join; nobody can remove others this way.
    pub async fn join_group(&self, group: &Group, member: &str) -> Result<(), GroupError> {
        let membership = Triple::new(
            url_node(group.iri.as_str())?,
            iri(vocab::VCARD_HAS_MEMBER),
            url_node(member)?,
        );
        self.insert_triples(&group.document, &[membership]).await?;
        Ok(())
    }

    /// The WebIDs in the group.
    pub async fn group_members(&self, group: &Group) -> Result<Vec<String>, GroupError> {
        let resource = self
            .get_bounded(&group.document, "text/turtle", MAX_GROUP_BYTES)
            .await?;
        let triples = parse_turtle(&resource.body, group.document.as_str())?;
        Ok(
            objects(&triples, group.iri.as_str(), vocab::VCARD_HAS_MEMBER)
                .map(str::to_owned)
                .collect(),
        )
    }
}
