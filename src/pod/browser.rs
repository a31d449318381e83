//! The browser transport: `fetch` through gloo-net.

use gloo_net::http::RequestBuilder;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, RequestCache};

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
        } else if let Some(limit) = request.max_body {
            read_at_most(&response, limit.saturating_add(1)).await?
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

/// The body's first `want` bytes, read chunk by chunk; the rest is cancelled
/// unread, so an oversized answer never sits in memory whole.
async fn read_at_most(
    response: &gloo_net::http::Response,
    want: usize,
) -> Result<Vec<u8>, TransportError> {
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader = stream
        .get_reader()
        .dyn_into::<ReadableStreamDefaultReader>()
        .map_err(|object| js_network(object.into()))?;
    let mut body = Vec::new();
    while body.len() < want {
        let chunk = JsFuture::from(reader.read()).await.map_err(js_network)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done")).map_err(js_network)?;
        if done.as_bool().unwrap_or(true) {
            return Ok(body);
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value"))
            .map_err(js_network)?
            .dyn_into::<Uint8Array>()
            .map_err(js_network)?;
        let take = (want - body.len()).min(value.length() as usize);
        body.extend(value.subarray(0, take as u32).to_vec());
    }
    // Dropping the rest; a failed cancel only means the browser finishes the download.
    let _ = reader.cancel();
    Ok(body)
}

fn js_network(error: JsValue) -> TransportError {
    TransportError::Network(format!("{error:?}"))
}

fn network(error: gloo_net::Error) -> TransportError {
    TransportError::Network(error.to_string())
}
