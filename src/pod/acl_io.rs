//! Reading and writing a resource's WAC ACL on the pod.

use url::Url;

use super::acl::Acl;
use super::acr::{from_acr, is_acr, to_acr, AcrError};
use super::client::Pod;
use super::error::{check_read, ReadError, WriteError};
use super::http::{HttpClient, Method, Request};
use super::links::{find_rel, parse_links, Link};
use super::rdf::RdfError;
use super::resource::Condition;
use super::vocab;

/// The most an ACL document may be: 4 MiB, tens of thousands of rules. The app
/// writes a handful per resource; a bigger one is refused, not buffered.
pub const MAX_ACL_BYTES: usize = 4 << 20;

/// A resource's own ACL document, as read (or empty, if it has none yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclDocument {
    /// Where the ACL lives (from the resource's `Link rel="acl"`).
    pub url: Url,
    /// The resource it protects.
    pub resource: Url,
    pub acl: Acl,
    /// `None` if the ACL did not exist: writing then creates it, and fails with a
    /// conflict if someone else created one meanwhile.
    pub etag: Option<String>,
}

/// Reading or writing an ACL failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AclError {
    #[error("the pod does not say where the access rules of {0} are (no Link rel=\"acl\")")]
    NoAclLink(Url),
    #[error("this pod uses Access Control Policies (ACP), which cannot give access to a group: sharing by link needs a pod with Web Access Control (WAC)")]
    Unsupported,
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Rdf(#[from] RdfError),
}

impl<H: HttpClient> Pod<'_, H> {
    /// Where `resource`'s ACL is, as the pod says; never guessed.
    ///
    /// An ACP pod's Access Control Resource is recognised by its name
    /// (`acr::is_acr`); one the pod marks as ACP but names otherwise is refused, as
    /// the app could not tell which language to write there.
    pub async fn acl_url(&self, resource: &Url) -> Result<Url, AclError> {
        let meta = self.head(resource).await?;
        let url = find_rel(&meta.links, "acl")
            .cloned()
            .ok_or_else(|| AclError::NoAclLink(resource.clone()))?;
        if says_acp(&meta.links) && !is_acr(&url) {
            return Err(AclError::Unsupported);
        }
        Ok(url)
    }

    /// Reads `resource`'s own ACL. A missing one reads as empty (the resource then
    /// inherits its container's rules; writing replaces them entirely).
    pub async fn read_acl(&self, resource: &Url) -> Result<AclDocument, AclError> {
        let url = self.acl_url(resource).await?;
        let request = Request::new(Method::Get, url.as_str())
            .header("Accept", "text/turtle")
            .max_body(MAX_ACL_BYTES);
        let response = self.send(request).await.map_err(ReadError::from)?;
        let acp = is_acr(&url);
        if says_acp(&parse_links(&response.header_joined("Link"), &url)) && !acp {
            return Err(AclError::Unsupported);
        }
        if response.status == 404 {
            return Ok(AclDocument {
                url,
                resource: resource.clone(),
                acl: Acl::default(),
                etag: None,
            });
        }
        let response = check_read(response)?;
        if response.body.len() > MAX_ACL_BYTES {
            return Err(ReadError::TooLarge {
                limit: MAX_ACL_BYTES,
            }
            .into());
        }
        let acl = if acp {
            from_acr(&response.body, &url, resource)?
        } else {
            Acl::parse(&response.body, &url)?
        };
        Ok(AclDocument {
            acl,
            etag: response.header("ETag").map(str::to_owned),
            url,
            resource: resource.clone(),
        })
    }

    /// Writes the ACL back, always keeping `owner`'s Read/Write/Control. Conditional on
    /// the ETag it was read with, so a concurrent change surfaces as
    /// [`WriteError::Conflict`] instead of being overwritten.
    ///
    /// On an ACP pod (the link names an Access Control Resource, `acr::is_acr`) the
    /// same rules are written as an ACR; rules ACP cannot say (groups) refuse the
    /// write before anything is sent.
    pub async fn write_acl(&self, document: &AclDocument, owner: &str) -> Result<(), AclError> {
        let mut acl = document.acl.clone();
        acl.keep_owner(&document.url, owner, &document.resource)?;
        let condition = match &document.etag {
            Some(etag) => Condition::IfMatch(etag.clone()),
            None => Condition::IfAbsent,
        };
        let body = if is_acr(&document.url) {
            to_acr(&acl, &document.url, &document.resource).map_err(|e| match e {
                AcrError::Groups => AclError::Unsupported,
                AcrError::Rdf(e) => AclError::Rdf(e),
            })?
        } else {
            acl.to_turtle()?
        };
        self.put(&document.url, "text/turtle", body, &condition)
            .await?;
        Ok(())
    }
}

/// Whether a response's links mark an ACP Access Control Resource.
fn says_acp(links: &[Link]) -> bool {
    links.iter().any(|l| {
        l.rels.iter().any(|r| r == "type")
            && l.target.as_str() == vocab::ACP_ACCESS_CONTROL_RESOURCE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acp_servers_are_recognised() {
        let base = Url::parse("https://storage.inrupt.com/x/file").unwrap();
        let links = parse_links(
            "<https://storage.inrupt.com/x/file?ext=acr>; rel=\"acl\", <http://www.w3.org/ns/solid/acp#AccessControlResource>; rel=\"type\"",
            &base,
        );
        assert!(says_acp(&links));
        assert!(!says_acp(&links[..1]));
    }
}
