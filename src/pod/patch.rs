//! PATCH with N3 Patch: adding triples to an RDF document without rewriting it, which
//! is all an agent with only Append permission may do (e.g. joining a group).

use oxrdf::Triple;
use url::Url;

use super::client::Pod;
use super::error::{check_write, WriteError};
use super::http::{HttpClient, Method, Request};
use super::rdf::{n3_insert_patch, RdfError};

/// Inserting triples failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Rdf(#[from] RdfError),
}

impl<H: HttpClient> Pod<'_, H> {
    /// Inserts `triples` into the RDF document at `url` (creating it if absent).
    pub async fn insert_triples(&self, url: &Url, triples: &[Triple]) -> Result<(), PatchError> {
        let patch = n3_insert_patch(triples)?;
        let request = Request::new(Method::Patch, url.as_str()).body("text/n3", patch);
        check_write(self.send(request).await.map_err(WriteError::from)?)?;
        Ok(())
    }
}
