//! Containers (folders): creating them and listing what they contain.

use percent_encoding::percent_decode_str;
use url::Url;

use super::client::Pod;
use super::error::{check_write, ReadError, WriteError};
use super::http::{HttpClient, Method, Request};
use super::rdf::{objects, parse_turtle, RdfError};
use super::vocab;

/// One member of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Exactly as the pod names it: use this for requests, never the display name.
    pub url: Url,
    /// The last path segment, percent-decoded for display (no trailing `/`).
    pub name: String,
    /// Whether it is itself a container (its URL ends in `/`).
    pub is_container: bool,
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

    /// The members of a container (`ldp:contains`), sorted by name.
    pub async fn list(&self, url: &Url) -> Result<Vec<Entry>, ListError> {
        if !url.path().ends_with('/') {
            return Err(ListError::NotAContainer(url.clone()));
        }
        let resource = self.get_as(url, "text/turtle").await?;
        Ok(parse_listing(&resource.body, url)?)
    }
}

/// Reads `ldp:contains` out of a container's Turtle description (sans-IO).
pub fn parse_listing(body: &[u8], container: &Url) -> Result<Vec<Entry>, RdfError> {
    let triples = parse_turtle(body, container.as_str())?;
    let mut entries: Vec<Entry> = objects(&triples, container.as_str(), vocab::LDP_CONTAINS)
        .filter_map(|member| Url::parse(member).ok())
        .map(|url| {
            let is_container = url.path().ends_with('/');
            let segment = url
                .path_segments()
                .and_then(|mut s| s.rfind(|s| !s.is_empty()))
                .unwrap_or_default();
            let name = percent_decode_str(segment).decode_utf8_lossy().into_owned();
            Entry {
                url,
                name,
                is_container,
            }
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.url.cmp(&b.url)));
    Ok(entries)
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
}
