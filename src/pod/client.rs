//! The pod client: a transport plus (optionally) a session that signs each request.

use super::http::{HttpClient, Request, Response, Signer, TransportError};

/// Talks to Solid pods on behalf of one user (or anonymously, without a signer).
/// Operations live in the files named for them (`resource`, `container`, `acl_io`, …).
pub struct Pod<'a, H: HttpClient> {
    http: &'a H,
    signer: Option<&'a dyn Signer>,
}

impl<'a, H: HttpClient> Pod<'a, H> {
    /// A client that signs requests with `signer`, or sends them anonymously.
    pub fn new(http: &'a H, signer: Option<&'a dyn Signer>) -> Self {
        Pod { http, signer }
    }

    /// The same transport without credentials: what anyone may read, and nothing
    /// of the session sent to addresses a stranger's document names.
    pub fn anonymous(&self) -> Pod<'a, H> {
        Pod {
            http: self.http,
            signer: None,
        }
    }

    /// Sends a request, adding authentication headers if there is a session.
    pub async fn send(&self, mut request: Request) -> Result<Response, TransportError> {
        if let Some(signer) = self.signer {
            let headers = signer.sign(request.method, &request.url)?;
            request.headers.extend(headers);
        }
        self.http.send(request).await
    }
}
