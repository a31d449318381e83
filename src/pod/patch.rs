//! PATCH with N3 Patch: adding triples to an RDF document without rewriting it, which
//! is all an agent with only Append permission may do (e.g. joining a group).

use oxrdf::Triple;
use url::Url;

use super::client::Pod;
use super::error::{check_write, WriteError};
use super::http::{HttpClient, Method, Request};
use super::rdf::{n3_insert_patch, n3_patch, RdfError};

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
    /// Inserts `triples` into the existing RDF document at `url`. Never creates one
    /// (`If-Match: *`, a missing document is [`WriteError::Conflict`]): a PATCH to
    /// an address from someone else's link must not plant a document there.
    pub async fn insert_triples(&self, url: &Url, triples: &[Triple]) -> Result<(), PatchError> {
        let patch = n3_insert_patch(triples)?;
        let request = Request::new(Method::Patch, url.as_str())
            .header("If-Match", "*")
            .body("text/n3", patch);
        check_write(self.send(request).await.map_err(WriteError::from)?)?;
        Ok(())
    }

    /// Deletes `deletes` and inserts `inserts` in the existing RDF document at
    /// `url`, in one N3 Patch, only if it still has `etag` (any version if `None`,
    /// never creating one): everything else in the document stays as it is.
    pub async fn patch_triples(
        &self,
        url: &Url,
        inserts: &[Triple],
        deletes: &[Triple],
        etag: Option<&str>,
    ) -> Result<(), PatchError> {
        let patch = n3_patch(inserts, deletes)?;
        let request = Request::new(Method::Patch, url.as_str())
            .header("If-Match", etag.unwrap_or("*"))
            .body("text/n3", patch);
        check_write(self.send(request).await.map_err(WriteError::from)?)?;
        Ok(())
    }
}
