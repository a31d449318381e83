//! The one small HTTP abstraction the pod client talks through.
//!
//! Everything above this trait builds requests and parses responses; only the two
//! implementations (gloo-net in the browser, a native client in the integration tests)
//! do I/O. Keeping the trait tiny keeps both implementations trivial to audit.

use std::future::Future;

/// HTTP methods the Solid protocol needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Put,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method as it appears on the wire (and in DPoP's `htm` claim).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request, fully built before it reaches the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The most body bytes the caller will use. A transport may stop reading the
    /// answer after its first `max_body + 1` bytes (and return just those), so a
    /// hostile pod cannot make it buffer gigabytes; the caller tells "too big" from
    /// the length (`Pod::get_bounded`) or keeps a prefix (`Pod::get_start`).
    pub max_body: Option<usize>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            max_body: None,
        }
    }

    /// Reads at most `limit` (+ 1) bytes of the answer's body (builder style).
    pub fn max_body(mut self, limit: usize) -> Self {
        self.max_body = Some(limit);
        self
    }

    /// Adds a header (builder style).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sets the body and its content type.
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = body;
        self.header("Content-Type", content_type)
    }
}

/// What came back, whatever the status: interpreting the status is the caller's job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of a header joined the way HTTP allows (`Link` may repeat, and the
    /// browser's fetch already joins repeats with ", ").
    pub fn header_joined(&self, name: &str) -> String {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The request never got an HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    #[error("no answer from the pod (the connection failed or was dropped): {0}")]
    Network(String),
    #[error("could not sign the request: {0}")]
    Signing(String),
}

/// Sends one request. Futures are not `Send`: the browser is single-threaded and the
/// native tests block on each call.
pub trait HttpClient {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, TransportError>>;
}

/// Adds authentication headers (`Authorization` + `DPoP`) to a request. Lives here,
/// not in `auth`, so the pod layer does not depend on how a session was obtained.
pub trait Signer {
    /// Headers proving who sends `method` to `url`.
    fn sign(&self, method: Method, url: &str) -> Result<Vec<(String, String)>, TransportError>;
}
