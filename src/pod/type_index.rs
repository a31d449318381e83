//! Discoverable by other Solid apps: the drive registered in the user's *private*
//! Type Index (the Solid Type Indexes spec; docs/FORMAT.md §11).
//!
//! Why: an app that wants to know where a user keeps what reads the WebID
//! profile's `pim:preferencesFile`, that file's `solid:privateTypeIndex`, and the
//! `solid:TypeRegistration`s in it. Without one for solidcrypt, no other app of
//! the user's can find the drive (to back it up, to show it exists). Only the
//! private index: the public one would tell the world the user keeps an
//! encrypted drive and where.
//!
//! What is missing is made, as SolidOS does: `<storage>settings/prefs.ttl` and
//! `<storage>settings/privateTypeIndex.ttl`, each with an owner-only ACL of its
//! own before anything is written into it, then linked (profile → preferences →
//! index) with N3 Patch inserts, which leave every other statement alone and are
//! idempotent (inserting a triple twice keeps one), so two tabs racing cannot
//! duplicate anything. Addresses the profile or preferences name outside the
//! user's own storage are not followed: nothing is written to another pod.

use oxrdf::{NamedOrBlankNode, Term, Triple};
use url::Url;

use super::acl::Acl;
use super::acl_io::{AclDocument, AclError};
use super::container::ListError;
use super::error::{ReadError, WriteError};
use super::http::HttpClient;
use super::patch::PatchError;
use super::rdf::{iri, objects, parse_turtle, url_node, RdfError};
use super::resource::Condition;
use super::vocab;
use super::Pod;

/// The class solidcrypt registers its drive under: a URN, since solidcrypt has
/// no vocabulary document of its own to point an `https:` IRI at.
pub const DRIVE_CLASS: &str = "urn:solidcrypt:Drive";

/// The fragment of the registration in the index (one per index: a second
/// drive's container is one more `solid:instanceContainer` of it).
pub const REGISTRATION_FRAGMENT: &str = "solidcrypt-drive";

/// Preferences files and type indexes are small; a bigger one is not read.
const MAX_DOCUMENT_BYTES: usize = 1 << 20;

const PIM_PREFERENCES_FILE: &str = "http://www.w3.org/ns/pim/space#preferencesFile";
const PIM_CONFIGURATION_FILE: &str = "http://www.w3.org/ns/pim/space#ConfigurationFile";
const SOLID_PRIVATE_TYPE_INDEX: &str = "http://www.w3.org/ns/solid/terms#privateTypeIndex";
const SOLID_TYPE_INDEX: &str = "http://www.w3.org/ns/solid/terms#TypeIndex";
const SOLID_UNLISTED_DOCUMENT: &str = "http://www.w3.org/ns/solid/terms#UnlistedDocument";
const SOLID_TYPE_REGISTRATION: &str = "http://www.w3.org/ns/solid/terms#TypeRegistration";
const SOLID_FOR_CLASS: &str = "http://www.w3.org/ns/solid/terms#forClass";
const SOLID_INSTANCE_CONTAINER: &str = "http://www.w3.org/ns/solid/terms#instanceContainer";

/// Registering the drive failed; what was made before stays (it is all valid,
/// and the next attempt goes on from there).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypeIndexError {
    #[error("cannot read {0}: {1}")]
    Read(Url, ReadError),
    #[error("cannot list {0}: {1}")]
    List(Url, ListError),
    #[error("{0} is not readable Turtle: {1}")]
    Syntax(Url, RdfError),
    #[error("your profile or preferences name {0}, outside your storage: not followed")]
    Outside(String),
    #[error("cannot create {0}: {1}")]
    Create(Url, WriteError),
    #[error("cannot make {0} private: {1}")]
    Acl(Url, AclError),
    #[error("cannot add to {0}: {1}")]
    Patch(Url, PatchError),
    #[error("bad address: {0}")]
    Address(String),
}

/// What [`register_drive`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// The private index already lists the drive: nothing written.
    AlreadyThere,
    /// Written now; `created` lists the documents made for it, in order.
    Now { created: Vec<Url> },
}

/// Registers `container` (the drive's folder) as a [`DRIVE_CLASS`] in the private
/// Type Index of `webid`, whose storage is `storage`; `owner` keeps
/// Read/Write/Control in every ACL written (the logged-in WebID).
pub async fn register_drive<H: HttpClient>(
    pod: &Pod<'_, H>,
    webid: &Url,
    storage: &Url,
    container: &Url,
    owner: &str,
) -> Result<Registered, TypeIndexError> {
    let mut created = Vec::new();
    let mut profile = webid.clone();
    profile.set_fragment(None);
    let profile_triples = read_turtle(pod, &profile).await?;
    let preferences = linked(
        pod,
        &profile_triples,
        (webid, PIM_PREFERENCES_FILE),
        storage,
        ("settings/prefs.ttl", PIM_CONFIGURATION_FILE, None),
        &profile,
        owner,
        &mut created,
    )
    .await?;
    let preferences_triples = read_turtle(pod, &preferences).await?;
    let index = linked(
        pod,
        &preferences_triples,
        (webid, SOLID_PRIVATE_TYPE_INDEX),
        storage,
        (
            "settings/privateTypeIndex.ttl",
            SOLID_TYPE_INDEX,
            Some(SOLID_UNLISTED_DOCUMENT),
        ),
        &preferences,
        owner,
        &mut created,
    )
    .await?;
    let index_triples = read_turtle(pod, &index).await?;
    if is_registered(&index_triples, container) {
        return Ok(Registered::AlreadyThere);
    }
    let triples = registration_triples(&index, container)
        .map_err(|e| TypeIndexError::Address(e.to_string()))?;
    pod.insert_triples(&index, &triples)
        .await
        .map_err(|e| TypeIndexError::Patch(index.clone(), e))?;
    Ok(Registered::Now { created })
}

/// The triples registering `container` in the index at `index`.
pub fn registration_triples(index: &Url, container: &Url) -> Result<Vec<Triple>, RdfError> {
    let mut subject = index.clone();
    subject.set_fragment(Some(REGISTRATION_FRAGMENT));
    let subject = url_node(subject.as_str())?;
    Ok(vec![
        Triple::new(
            subject.clone(),
            iri(vocab::RDF_TYPE),
            iri(SOLID_TYPE_REGISTRATION),
        ),
        Triple::new(subject.clone(), iri(SOLID_FOR_CLASS), iri(DRIVE_CLASS)),
        Triple::new(
            subject,
            iri(SOLID_INSTANCE_CONTAINER),
            url_node(container.as_str())?,
        ),
    ])
}

/// Whether some `solid:TypeRegistration` in `triples` is for [`DRIVE_CLASS`] with
/// `container` as its instance container.
pub fn is_registered(triples: &[Triple], container: &Url) -> bool {
    let has = |subject: &NamedOrBlankNode, predicate: &str, object: &str| {
        triples.iter().any(|t| {
            &t.subject == subject
                && t.predicate.as_str() == predicate
                && matches!(&t.object, Term::NamedNode(o) if o.as_str() == object)
        })
    };
    triples.iter().any(|t| {
        t.predicate.as_str() == SOLID_INSTANCE_CONTAINER
            && matches!(&t.object, Term::NamedNode(o) if o.as_str() == container.as_str())
            && has(&t.subject, vocab::RDF_TYPE, SOLID_TYPE_REGISTRATION)
            && has(&t.subject, SOLID_FOR_CLASS, DRIVE_CLASS)
    })
}

/// Whether `url` is inside `storage` (same origin, below its path), so that
/// following it cannot write to someone else's pod.
pub fn within(url: &Url, storage: &Url) -> bool {
    url.origin() == storage.origin()
        && url.path().starts_with(storage.path())
        && url.query().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

/// The document `from` links to by `(subject, predicate)` in `triples`; made at
/// `<storage><path>` as a `class` (and `also`), private, and linked from the
/// document `from`, if none is linked yet.
#[allow(clippy::too_many_arguments)]
async fn linked<H: HttpClient>(
    pod: &Pod<'_, H>,
    triples: &[Triple],
    (subject, predicate): (&Url, &str),
    storage: &Url,
    (path, class, also): (&str, &str, Option<&str>),
    from: &Url,
    owner: &str,
    created: &mut Vec<Url>,
) -> Result<Url, TypeIndexError> {
    if let Some(found) = objects(triples, subject.as_str(), predicate).next() {
        let url = Url::parse(found).map_err(|_| TypeIndexError::Outside(found.to_owned()))?;
        if !within(&url, storage) {
            return Err(TypeIndexError::Outside(found.to_owned()));
        }
        return Ok(url);
    }
    let url = storage
        .join(path)
        .map_err(|e| TypeIndexError::Address(e.to_string()))?;
    if create_private(pod, &url, (class, also), owner).await? {
        created.push(url.clone());
    }
    let link = Triple::new(
        url_node(subject.as_str()).map_err(|e| TypeIndexError::Address(e.to_string()))?,
        iri(predicate),
        url_node(url.as_str()).map_err(|e| TypeIndexError::Address(e.to_string()))?,
    );
    pod.insert_triples(from, &[link])
        .await
        .map_err(|e| TypeIndexError::Patch(from.clone(), e))?;
    Ok(url)
}

/// Creates the Turtle document `url` (`<> a class[, also].`) unless it exists,
/// with an owner-only ACL of its own (and its folder, if that is new too); true
/// if it was made now. What exists is learnt from the listings (a GET each, and
/// only when the profile or preferences link nothing yet), not from a create that
/// fails: a run cut off half-way (the tab closed) is picked up without a failed
/// request, which the browser's console shows as an error.
async fn create_private<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    (class, also): (&str, Option<&str>),
    owner: &str,
) -> Result<bool, TypeIndexError> {
    let address = |e: url::ParseError| TypeIndexError::Address(e.to_string());
    let folder = url.join("./").map_err(address)?;
    let parent = folder.join("../").map_err(address)?;
    let listed = |container: &Url, member: &Url| {
        let (container, member) = (container.clone(), member.clone());
        async move {
            pod.list(&container)
                .await
                .map(|members| members.iter().any(|m| m.url == member))
                .map_err(|e| TypeIndexError::List(container.clone(), e))
        }
    };
    if !listed(&parent, &folder).await? {
        match pod.create_container(&folder).await {
            Ok(()) => owner_only(pod, &folder, owner).await?,
            Err(WriteError::Conflict | WriteError::Rejected) => {}
            Err(e) => return Err(TypeIndexError::Create(folder, e)),
        }
    } else if listed(&folder, url).await? {
        return Ok(false);
    }
    let types = std::iter::once(class)
        .chain(also)
        .map(|c| format!("<{c}>"))
        .collect::<Vec<_>>()
        .join(", ");
    let body = format!("<> a {types}.\n").into_bytes();
    match pod
        .put(url, "text/turtle", body, &Condition::IfAbsent)
        .await
    {
        Ok(()) => {}
        // Made meanwhile (another tab): theirs is as good.
        Err(WriteError::Conflict) => return Ok(false),
        Err(e) => return Err(TypeIndexError::Create(url.clone(), e)),
    }
    owner_only(pod, url, owner).await?;
    Ok(true)
}

/// Gives `resource` an ACL of its own with only the owner's rule (which
/// `write_acl` always adds); one that exists is left alone.
async fn owner_only<H: HttpClient>(
    pod: &Pod<'_, H>,
    resource: &Url,
    owner: &str,
) -> Result<(), TypeIndexError> {
    let acl_error = |e| TypeIndexError::Acl(resource.clone(), e);
    let document = AclDocument {
        url: pod.acl_url(resource).await.map_err(acl_error)?,
        resource: resource.clone(),
        acl: Acl::default(),
        etag: None,
    };
    match pod.write_acl(&document, owner).await {
        Ok(()) | Err(AclError::Write(WriteError::Conflict)) => Ok(()),
        Err(e) => Err(acl_error(e)),
    }
}

/// The triples of the Turtle document at `url`.
async fn read_turtle<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
) -> Result<Vec<Triple>, TypeIndexError> {
    let resource = pod
        .get_bounded(url, "text/turtle", MAX_DOCUMENT_BYTES)
        .await
        .map_err(|e| TypeIndexError::Read(url.clone(), e))?;
    parse_turtle(&resource.body, url.as_str()).map_err(|e| TypeIndexError::Syntax(url.clone(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "https://pod.example/alice/settings/privateTypeIndex.ttl";
    const DRIVE: &str = "https://pod.example/alice/solidcrypt-data/";

    fn parse(turtle: &str) -> Vec<Triple> {
        parse_turtle(turtle.as_bytes(), INDEX).unwrap()
    }

    #[test]
    fn a_registration_is_found_only_with_its_type_class_and_container() {
        let index = Url::parse(INDEX).unwrap();
        let drive = Url::parse(DRIVE).unwrap();
        let written = registration_triples(&index, &drive).unwrap();
        assert!(is_registered(&written, &drive));
        let other = Url::parse("https://pod.example/alice/other/").unwrap();
        assert!(!is_registered(&written, &other));

        // Another app's registration for the same folder, or one without the type.
        let foreign = parse(&format!(
            "@prefix solid: <http://www.w3.org/ns/solid/terms#>.
             <#a> a solid:TypeRegistration; solid:forClass <https://schema.org/Thing>;
                 solid:instanceContainer <{DRIVE}>.
             <#b> solid:forClass <{DRIVE_CLASS}>; solid:instanceContainer <{DRIVE}>."
        ));
        assert!(!is_registered(&foreign, &drive));
        // SolidOS-style Turtle with a blank-free named registration.
        let ours = parse(&format!(
            "@prefix solid: <http://www.w3.org/ns/solid/terms#>.
             <#x> a solid:TypeRegistration; solid:forClass <{DRIVE_CLASS}>;
                 solid:instanceContainer <{DRIVE}>."
        ));
        assert!(is_registered(&ours, &drive));
    }

    #[test]
    fn only_addresses_inside_the_storage_are_followed() {
        let storage = Url::parse("https://pod.example/alice/").unwrap();
        let inside = |u: &str| within(&Url::parse(u).unwrap(), &storage);
        assert!(inside("https://pod.example/alice/settings/prefs.ttl"));
        assert!(!inside("https://pod.example/bob/settings/prefs.ttl"));
        assert!(!inside("https://evil.example/alice/settings/prefs.ttl"));
        assert!(!inside("http://pod.example/alice/settings/prefs.ttl"));
        assert!(!inside("https://pod.example/alice/prefs.ttl?x=1"));
        assert!(!inside("https://eve@pod.example/alice/prefs.ttl"));
    }
}
