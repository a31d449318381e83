//! Reading and writing single resources, with ETags for conditional writes.

use url::Url;

use super::client::Pod;
use super::error::{check_read, check_write, ReadError, WriteError};
use super::http::{HttpClient, Method, Request, Response};
use super::links::{parse_links, Link};

/// What HEAD tells about a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Pass back in [`Condition::IfMatch`] to write only if nobody changed it since.
    pub etag: Option<String>,
    pub content_type: Option<String>,
    /// The body's length, when the pod says (tells a PUT whose answer was lost
    /// whether its bytes arrived).
    pub content_length: Option<u64>,
    pub links: Vec<Link>,
}

/// A resource's body with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub meta: Meta,
    pub body: Vec<u8>,
}

/// When a write may happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Unconditionally (last writer wins).
    Always,
    /// Only if the resource still has this ETag (read-modify-write).
    IfMatch(String),
    /// Only if the resource does not exist yet (create, never overwrite).
    IfAbsent,
}

impl Condition {
    fn apply(&self, request: Request) -> Request {
        match self {
            Condition::Always => request,
            Condition::IfMatch(etag) => request.header("If-Match", etag.clone()),
            Condition::IfAbsent => request.header("If-None-Match", "*"),
        }
    }
}

impl<H: HttpClient> Pod<'_, H> {
    /// GET a resource.
    pub async fn get(&self, url: &Url) -> Result<Resource, ReadError> {
        self.get_as(url, "*/*").await
    }

    /// GET a resource asking for a media type (e.g. `text/turtle` for RDF sources).
    pub async fn get_as(&self, url: &Url, accept: &str) -> Result<Resource, ReadError> {
        let request = Request::new(Method::Get, url.as_str()).header("Accept", accept);
        let response = check_read(self.send(request).await?)?;
        Ok(Resource {
            meta: meta(url, &response),
            body: response.body,
        })
    }

    /// GET a resource of at most `limit` bytes: a bigger one (by `Content-Length` or
    /// by what arrived) is [`ReadError::TooLarge`], and the transport stops reading
    /// past the limit instead of buffering it all.
    pub async fn get_bounded(
        &self,
        url: &Url,
        accept: &str,
        limit: usize,
    ) -> Result<Resource, ReadError> {
        let request = Request::new(Method::Get, url.as_str())
            .header("Accept", accept)
            .max_body(limit);
        let response = check_read(self.send(request).await?)?;
        let meta = meta(url, &response);
        let announced = meta.content_length.unwrap_or(0);
        if response.body.len() > limit || announced > limit as u64 {
            return Err(ReadError::TooLarge { limit });
        }
        Ok(Resource {
            meta,
            body: response.body,
        })
    }

    /// GET only the first `length` bytes of a resource (`Range: bytes=0-…`; CSS 7
    /// answers 206), e.g. an envelope's header and metadata without the rest. A
    /// server that ignores `Range` sends everything, which is cut to `length`; CSS
    /// refuses a range reaching past the end (416), then the whole (short) resource
    /// is read. Either way the transport reads no more than `length` (+ 1) bytes.
    pub async fn get_start(&self, url: &Url, length: u64) -> Result<Resource, ReadError> {
        let last = length.saturating_sub(1);
        let keep = usize::try_from(length).unwrap_or(usize::MAX);
        let request = Request::new(Method::Get, url.as_str())
            .header("Accept", "*/*")
            .header("Range", format!("bytes=0-{last}"))
            .max_body(keep);
        let response = self.send(request).await?;
        let mut resource = if response.status == 416 {
            let request = Request::new(Method::Get, url.as_str())
                .header("Accept", "*/*")
                .max_body(keep);
            let response = check_read(self.send(request).await?)?;
            Resource {
                meta: meta(url, &response),
                body: response.body,
            }
        } else {
            let response = check_read(response)?;
            Resource {
                meta: meta(url, &response),
                body: response.body,
            }
        };
        resource.body.truncate(keep);
        Ok(resource)
    }

    /// HEAD a resource: its ETag, type and links without the body.
    pub async fn head(&self, url: &Url) -> Result<Meta, ReadError> {
        let response = check_read(self.send(Request::new(Method::Head, url.as_str())).await?)?;
        Ok(meta(url, &response))
    }

    /// PUT a whole resource. With [`Condition::IfMatch`] or [`Condition::IfAbsent`] a
    /// concurrent change surfaces as [`WriteError::Conflict`] (412), to re-read and retry.
    /// CSS sends no ETag on PUT responses, so HEAD afterwards for the new one.
    pub async fn put(
        &self,
        url: &Url,
        content_type: &str,
        body: Vec<u8>,
        condition: &Condition,
    ) -> Result<(), WriteError> {
        let request =
            condition.apply(Request::new(Method::Put, url.as_str()).body(content_type, body));
        check_write(self.send(request).await?)?;
        Ok(())
    }

    /// DELETE a resource (an empty container, or a document).
    pub async fn delete(&self, url: &Url, condition: &Condition) -> Result<(), WriteError> {
        let request = condition.apply(Request::new(Method::Delete, url.as_str()));
        check_write(self.send(request).await?)?;
        Ok(())
    }
}

fn meta(url: &Url, response: &Response) -> Meta {
    Meta {
        etag: response.header("ETag").map(str::to_owned),
        content_type: response.header("Content-Type").map(str::to_owned),
        content_length: response
            .header("Content-Length")
            .and_then(|v| v.trim().parse().ok()),
        links: parse_links(&response.header_joined("Link"), url),
    }
}
