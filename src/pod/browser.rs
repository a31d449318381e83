//! The browser transport: `fetch` through gloo-net.

use gloo_net::http::RequestBuilder;
use web_sys::RequestCache;

use super::http::{HttpClient, Method, Request, Response, TransportError};

/// `fetch` with the HTTP cache bypassed: ETags must come from the pod, never from a
/// cached copy, or conditional writes would race against stale data.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserHttp;

impl HttpClient for BrowserHttp {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let method = match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Head => gloo_net::http::Method::HEAD,
            Method::Put => gloo_net::http::Method::PUT,
            Method::Post => gloo_net::http::Method::POST,
            Method::Patch => gloo_net::http::Method::PATCH,
            Method::Delete => gloo_net::http::Method::DELETE,
        };
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .cache(RequestCache::NoStore);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = if request.body.is_empty() {
            builder.build()
        } else {
            builder.body(js_sys::Uint8Array::from(request.body.as_slice()))
        }
        .map_err(network)?;
        let response = built.send().await.map_err(network)?;
        let status = response.status();
        let headers = response.headers().entries().collect();
        let body = if request.method == Method::Head {
            Vec::new()
        } else {
            response.binary().await.map_err(network)?
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

fn network(error: gloo_net::Error) -> TransportError {
    TransportError::Network(error.to_string())
}
