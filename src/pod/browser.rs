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
        if request.method != Method::Get && request.method != Method::Head {
            own_writes::record(&request.url, response.headers().get("Location").as_deref());
        }
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

/// What this tab itself wrote lately, so a notification about it is not news
/// (the live listing shows no "added" toast for this tab's own upload). Only
/// addresses, in memory, for a minute; never sent anywhere.
pub mod own_writes {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use url::Url;

    /// How long a write is remembered, and how many.
    const KEPT_MS: f64 = 60_000.0;
    const KEPT: usize = 512;

    thread_local! {
        static WRITES: RefCell<VecDeque<(String, f64)>> = const { RefCell::new(VecDeque::new()) };
    }

    /// Notes a write to `url` (and the member a POST created, from `Location`).
    pub(super) fn record(url: &str, location: Option<&str>) {
        let now = js_sys::Date::now();
        let created = location.and_then(|l| Url::parse(url).ok()?.join(l).ok());
        WRITES.with_borrow_mut(|writes| {
            writes.retain(|(_, at)| now - at < KEPT_MS);
            for url in std::iter::once(url.to_owned()).chain(created.map(String::from)) {
                if writes.len() == KEPT {
                    writes.pop_front();
                }
                writes.push_back((url, now));
            }
        });
    }

    /// Whether this tab wrote `url`, or (for a container, e.g. a file stored in
    /// parts) anything in it, in the last minute.
    pub fn wrote_recently(url: &Url) -> bool {
        let now = js_sys::Date::now();
        let url = url.as_str();
        WRITES.with_borrow(|writes| {
            writes.iter().any(|(written, at)| {
                now - at < KEPT_MS
                    && (written == url || (url.ends_with('/') && written.starts_with(url)))
            })
        })
    }
}

fn js_network(error: JsValue) -> TransportError {
    TransportError::Network(format!("{error:?}"))
}

fn network(error: gloo_net::Error) -> TransportError {
    TransportError::Network(error.to_string())
}
