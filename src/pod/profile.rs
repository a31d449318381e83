//! WebID profiles: where the user's storage, inbox and identity provider are.

use url::Url;

use super::client::Pod;
use super::error::ReadError;
use super::http::HttpClient;
use super::links::{find_rel, Link};
use super::rdf::{objects, parse_turtle, RdfError};
use super::vocab;

/// The most a profile document may be: 4 MiB (a typical one is a few KiB).
pub const MAX_PROFILE_BYTES: usize = 4 << 20;

/// What the app needs from a WebID profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub webid: Url,
    /// The storage root (`pim:storage`, or the nearest `pim:Storage` above the profile).
    pub storage: Url,
    /// `ldp:inbox`, if the profile names one.
    pub inbox: Option<Url>,
    /// `solid:oidcIssuer`: the identity providers allowed to log in as this WebID.
    pub issuers: Vec<Url>,
}

/// Reading a profile failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    #[error("“{0}” is not a WebID (a web address)")]
    BadWebId(String),
    #[error("could not read the profile of {webid}: {source}")]
    Read { webid: Url, source: ReadError },
    #[error(transparent)]
    Rdf(#[from] RdfError),
    #[error("{0} names no storage (pim:storage) and no folder above it is a storage root")]
    NoStorage(Url),
}

/// The statements about a WebID in its profile document (sans-IO).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileFacts {
    pub storages: Vec<Url>,
    pub inbox: Option<Url>,
    pub issuers: Vec<Url>,
}

/// Parses a profile document for what it says about `webid`.
pub fn parse_profile(body: &[u8], webid: &Url) -> Result<ProfileFacts, RdfError> {
    let mut document = webid.clone();
    document.set_fragment(None);
    let triples = parse_turtle(body, document.as_str())?;
    let urls = |predicate| {
        objects(&triples, webid.as_str(), predicate)
            .filter_map(|o| Url::parse(o).ok())
            .collect::<Vec<_>>()
    };
    Ok(ProfileFacts {
        storages: urls(vocab::PIM_STORAGE),
        inbox: urls(vocab::LDP_INBOX).into_iter().next(),
        issuers: urls(vocab::SOLID_OIDC_ISSUER),
    })
}

impl<H: HttpClient> Pod<'_, H> {
    /// Reads the WebID profile and finds the storage root.
    pub async fn profile(&self, webid: &Url) -> Result<Profile, ProfileError> {
        let facts = self.profile_facts(webid).await?;
        let storage = match facts.storages.into_iter().next() {
            Some(storage) => storage,
            None => self.storage_above(webid).await?,
        };
        Ok(Profile {
            webid: webid.clone(),
            storage,
            inbox: facts.inbox,
            issuers: facts.issuers,
        })
    }

    /// Only the profile statements (no storage search): enough to find the issuer.
    pub async fn profile_facts(&self, webid: &Url) -> Result<ProfileFacts, ProfileError> {
        let mut document = webid.clone();
        document.set_fragment(None);
        let resource = self
            .get_bounded(&document, "text/turtle", MAX_PROFILE_BYTES)
            .await
            .map_err(|source| ProfileError::Read {
                webid: webid.clone(),
                source,
            })?;
        Ok(parse_profile(&resource.body, webid)?)
    }

    /// Walks up from the profile to the first container typed `pim:Storage`, or
    /// stops early at the storage a `storageDescription` link names. A
    /// folder we may not see (401/403) or that is not there (404) is passed over;
    /// any other failure ends the walk with that error, so a pod that is down for a
    /// moment is not mistaken for one without a storage.
    pub(crate) async fn storage_above(&self, webid: &Url) -> Result<Url, ProfileError> {
        let mut candidate = webid
            .join("./")
            .map_err(|_| ProfileError::NoStorage(webid.clone()))?;
        loop {
            match self.head(&candidate).await {
                Ok(meta) if is_storage(&meta.links) => return Ok(candidate),
                Ok(meta) => {
                    if let Some(root) = described_storage(&meta.links, webid) {
                        return Ok(root);
                    }
                }
                Err(ReadError::Unauthorized | ReadError::Forbidden | ReadError::NotFound) => {}
                Err(source) => {
                    return Err(ProfileError::Read {
                        webid: webid.clone(),
                        source,
                    })
                }
            }
            if candidate.path() == "/" {
                return Err(ProfileError::NoStorage(webid.clone()));
            }
            candidate = candidate
                .join("../")
                .map_err(|_| ProfileError::NoStorage(webid.clone()))?;
        }
    }
}

/// The storage root a resource's `storageDescription` link names, when that
/// description sits at `<root>/.well-known/solid` and `webid` lies under the root
/// (a description elsewhere is not trusted to name our storage).
pub(super) fn described_storage(links: &[Link], webid: &Url) -> Option<Url> {
    let described = find_rel(links, vocab::SOLID_STORAGE_DESCRIPTION)?;
    if !described.path().ends_with("/.well-known/solid") {
        return None;
    }
    let root = described.join("../").ok()?;
    (root.origin() == webid.origin() && webid.path().starts_with(root.path())).then_some(root)
}

/// A container is a storage root if one of its `rel="type"` links says so (it has
/// several: `ldp:Container`, `ldp:BasicContainer`, …, so look at all of them).
pub(super) fn is_storage(links: &[Link]) -> bool {
    links
        .iter()
        .any(|l| l.rels.iter().any(|r| r == "type") && l.target.as_str() == vocab::PIM_STORAGE_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Native only: `pollster` is a native dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod walk_up {
        use super::*;
        use crate::pod::http::{Method, Request, Response, TransportError};

        /// A pod whose profile names no storage and whose storage root answers 503.
        struct RootDown;

        impl HttpClient for RootDown {
            async fn send(&self, request: Request) -> Result<Response, TransportError> {
                let (status, body) = match (request.method, request.url.as_str()) {
                    (Method::Get, "http://pod.example/alice/profile/card") => {
                        (200, "<#me> a <#Person>.")
                    }
                    (Method::Head, "http://pod.example/alice/profile/") => (200, ""),
                    (Method::Head, "http://pod.example/alice/") => (503, ""),
                    _ => (404, ""),
                };
                Ok(Response {
                    status,
                    headers: vec![("content-type".into(), "text/turtle".into())],
                    body: body.into(),
                })
            }
        }

        #[test]
        fn a_failing_folder_on_the_way_up_is_an_error_not_a_missing_storage() {
            let webid = Url::parse("http://pod.example/alice/profile/card#me").unwrap();
            let error = pollster::block_on(Pod::new(&RootDown, None).profile(&webid)).unwrap_err();
            assert_eq!(
                error,
                ProfileError::Read {
                    webid,
                    source: ReadError::Server(503)
                }
            );
        }
    }

    #[test]
    fn a_storage_description_names_the_root_above_the_webid_only() {
        let webid = Url::parse("http://localhost:3000/alice/x/card#me").unwrap();
        let base = Url::parse("http://localhost:3000/alice/x/").unwrap();
        let links = |target: &str| {
            crate::pod::links::parse_links(
                &format!("<{target}>; rel=\"{}\"", vocab::SOLID_STORAGE_DESCRIPTION),
                &base,
            )
        };
        assert_eq!(
            described_storage(&links("/alice/.well-known/solid"), &webid)
                .unwrap()
                .as_str(),
            "http://localhost:3000/alice/"
        );
        assert_eq!(
            described_storage(&links("/bob/.well-known/solid"), &webid),
            None
        );
        assert_eq!(
            described_storage(&links("http://elsewhere.example/.well-known/solid"), &webid),
            None
        );
        assert_eq!(
            described_storage(&links("/alice/description.ttl"), &webid),
            None
        );
    }

    #[test]
    fn reads_storage_inbox_and_issuer_of_the_webid_only() {
        let webid = Url::parse("http://localhost:3000/alice/profile/card#me").unwrap();
        let body = br#"@prefix solid: <http://www.w3.org/ns/solid/terms#>.
@prefix pim: <http://www.w3.org/ns/pim/space#>.
<#me> solid:oidcIssuer <http://localhost:3000/>; pim:storage <../>;
  <http://www.w3.org/ns/ldp#inbox> <../inbox/>.
<#other> pim:storage <http://elsewhere.example/>.
"#;
        let facts = parse_profile(body, &webid).unwrap();
        assert_eq!(
            facts.storages,
            [Url::parse("http://localhost:3000/alice/").unwrap()]
        );
        assert_eq!(
            facts.inbox.unwrap().as_str(),
            "http://localhost:3000/alice/inbox/"
        );
        assert_eq!(facts.issuers[0].as_str(), "http://localhost:3000/");
    }
}
