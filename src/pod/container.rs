//! Containers (folders): creating them and listing what they contain.

use std::collections::HashMap;

use oxrdf::{NamedOrBlankNode, Term};
use percent_encoding::percent_decode_str;
use url::Url;

use super::client::Pod;
use super::error::{check_write, ReadError, WriteError};
use super::http::{HttpClient, Method, Request};
use super::rdf::{visit_turtle, Budget, RdfError};
use super::vocab;

/// The most Turtle one listing may be: 16 MiB. CSS describes a member in about
/// 250 bytes (its types, `dc:modified`, `stat:mtime`, `stat:size`), so this is some
/// 60 000 members; a folder holding more is split by the app long before.
pub const MAX_LISTING_BYTES: usize = 16 << 20;

/// What parsing one listing may cost (see [`Budget`]): the byte limit times the
/// expansion a relative IRI gets in CSS's own output, with room to spare.
pub const LISTING_BUDGET: Budget = Budget {
    triples: 1_000_000,
    term_bytes: 256 << 20,
};

/// One member of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Exactly as the pod names it: use this for requests, never the display name.
    pub url: Url,
    /// The last path segment, percent-decoded for display (no trailing `/`).
    pub name: String,
    /// Whether it is itself a container (its URL ends in `/`).
    pub is_container: bool,
    /// `dc:modified` as the listing states it (`xsd:dateTime` text), if it does.
    pub modified: Option<String>,
}

/// Listing a container failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    #[error("{0} is not a folder (folder addresses end in /)")]
    NotAContainer(Url),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Rdf(#[from] RdfError),
}

impl<H: HttpClient> Pod<'_, H> {
    /// Creates an empty container at `url` (which must end in `/`). It must not exist
    /// yet: an existing one answers [`WriteError::Rejected`] (CSS: 409) or
    /// [`WriteError::Conflict`] (412). Missing parents are created by the pod.
    pub async fn create_container(&self, url: &Url) -> Result<(), WriteError> {
        let request = Request::new(Method::Put, url.as_str())
            .body("text/turtle", Vec::new())
            .header(
                "Link",
                format!("<{}>; rel=\"type\"", vocab::LDP_BASIC_CONTAINER),
            )
            .header("If-None-Match", "*");
        check_write(self.send(request).await?)?;
        Ok(())
    }

    /// The direct children of a container (see [`parse_listing`]), sorted by name.
    /// A listing over [`MAX_LISTING_BYTES`] is [`ReadError::TooLarge`].
    pub async fn list(&self, url: &Url) -> Result<Vec<Entry>, ListError> {
        if !url.path().ends_with('/') {
            return Err(ListError::NotAContainer(url.clone()));
        }
        let resource = self
            .get_bounded(url, "text/turtle", MAX_LISTING_BYTES)
            .await?;
        Ok(parse_listing(&resource.body, url)?)
    }
}

/// Reads `ldp:contains` out of a container's Turtle description (sans-IO).
///
/// The listing is data from the pod, never a list of things to act on: only
/// members that are direct children of `container` are kept — on its origin, its
/// path plus exactly one segment, no query, fragment or user info. Anything else
/// a (hostile) pod names — another origin, another user's storage on this one,
/// the container itself, a parent, a grandchild — is dropped, so whatever walks a
/// listing (`drive::delete`, parts, setup) stays inside the folder it started in.
pub fn parse_listing(body: &[u8], container: &Url) -> Result<Vec<Entry>, RdfError> {
    let mut members = Vec::new();
    let mut modified: HashMap<String, String> = HashMap::new();
    visit_turtle(body, container.as_str(), LISTING_BUDGET, |t| {
        let NamedOrBlankNode::NamedNode(subject) = t.subject else {
            return;
        };
        match (t.predicate.as_str(), t.object) {
            (vocab::LDP_CONTAINS, Term::NamedNode(member))
                if subject.as_str() == container.as_str() =>
            {
                members.push(member.into_string());
            }
            (vocab::DC_MODIFIED, Term::Literal(value)) => {
                modified
                    .entry(subject.into_string())
                    .or_insert_with(|| value.value().to_owned());
            }
            _ => {}
        }
    })?;
    let mut entries: Vec<Entry> = members
        .into_iter()
        .filter_map(|member| Url::parse(&member).ok())
        .filter(|url| is_direct_child(container, url))
        .map(|url| {
            let is_container = url.path().ends_with('/');
            let segment = url
                .path_segments()
                .and_then(|mut s| s.rfind(|s| !s.is_empty()))
                .unwrap_or_default();
            let name = percent_decode_str(segment).decode_utf8_lossy().into_owned();
            Entry {
                modified: modified.get(url.as_str()).cloned(),
                url,
                name,
                is_container,
            }
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.url.cmp(&b.url)));
    entries.dedup_by(|a, b| a.url == b.url);
    Ok(entries)
}

/// Whether `url` is a direct child of `container`: same origin and no user info,
/// query or fragment; its path is the container's plus one non-empty segment
/// (ending in `/` for a sub-container). `url` is parsed, so `.`/`..` (also
/// percent-encoded) are already resolved and show up as the paths they reach.
pub fn is_direct_child(container: &Url, url: &Url) -> bool {
    if url.origin() != container.origin()
        || !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return false;
    }
    let Some(rest) = url.path().strip_prefix(container.path()) else {
        return false;
    };
    let name = rest.strip_suffix('/').unwrap_or(rest);
    container.path().ends_with('/') && !name.is_empty() && !name.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_members_with_decoded_names_and_exact_urls() {
        let container = Url::parse("http://localhost:3000/alice/docs/").unwrap();
        let body = br#"@prefix ldp: <http://www.w3.org/ns/ldp#>.
<> a ldp:Container; ldp:contains <my%20notes.txt>, <sub/>, <http://localhost:3000/alice/docs/%C3%A9t%C3%A9.pdf>.
<sub/> a ldp:Container.
"#;
        let entries = parse_listing(body, &container).unwrap();
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["my notes.txt", "sub", "été.pdf"]);
        assert_eq!(
            entries[0].url.as_str(),
            "http://localhost:3000/alice/docs/my%20notes.txt"
        );
        assert!(entries[1].is_container);
        assert!(!entries[2].is_container);
    }

    #[test]
    fn keeps_only_direct_children_on_the_containers_origin() {
        let container = Url::parse("http://localhost:3000/bob/shared/").unwrap();
        let body = br#"@prefix ldp: <http://www.w3.org/ns/ldp#>.
@prefix dc: <http://purl.org/dc/terms/>.
<> ldp:contains <kept.txt>, <sub/>, <sub/grandchild.txt>, <>, <./>, <..>, <../>,
  <../../alice/solidcrypt-data/>, <%2e%2e/x>, <.%2E/y/>, <https://victim.example/solidcrypt-data/>,
  <http://localhost:3001/bob/shared/other-port>, <http://localhost:3000/alice/solidcrypt-data/>,
  <http://eve@localhost:3000/bob/shared/userinfo>, <q?x=1>, <f#frag>, <http://localhost:3000/bob/sharedx/y>,
  <kept.txt>.
<kept.txt> dc:modified "2026-01-01T00:00:00Z".
<https://victim.example/solidcrypt-data/> dc:modified "2026-01-02T00:00:00Z".
"#;
        let entries = parse_listing(body, &container).unwrap();
        let urls: Vec<_> = entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "http://localhost:3000/bob/shared/kept.txt",
                "http://localhost:3000/bob/shared/sub/"
            ]
        );
        assert_eq!(entries[0].modified.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(entries[1].modified, None);
    }
}
