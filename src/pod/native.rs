//! The native transport (blocking `ureq` behind the async [`HttpClient`] trait): for
//! the `solidcrypt` command-line tool and the integration tests, which talk to pods
//! outside a browser. Redirects are not followed and error statuses are returned as
//! responses, so callers see exactly what the pod answered, as in the browser.

use std::io::Read;

use super::http::{HttpClient, Method, Request, Response, TransportError};

/// Largest body read when a request sets no `max_body`: above the biggest part
/// solidcrypt writes (FORMAT §1.8: 32 MiB), so one hostile answer cannot fill memory.
const DEFAULT_BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// A blocking HTTP client: `http://` (local pods, tests) and `https://` (rustls,
/// with the Mozilla root certificates built in).
pub struct NativeHttp {
    agent: ureq::Agent,
}

impl Default for NativeHttp {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeHttp {
    pub fn new() -> NativeHttp {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .build()
            .into();
        NativeHttp { agent }
    }
}

impl HttpClient for NativeHttp {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let network = |e: &dyn std::fmt::Display| TransportError::Network(e.to_string());
        let response = if request.body.is_empty() {
            let built = builder.body(()).map_err(|e| network(&e))?;
            self.agent.run(built)
        } else {
            let built = builder.body(request.body).map_err(|e| network(&e))?;
            self.agent.run(built)
        }
        .map_err(|e| network(&e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = if request.method == Method::Head {
            Vec::new()
        } else {
            let mut body = response.into_body();
            match request.max_body {
                // Like the browser transport: no more than `max_body + 1` bytes are read.
                Some(limit) => {
                    let mut bytes = Vec::new();
                    body.as_reader()
                        .take(limit as u64 + 1)
                        .read_to_end(&mut bytes)
                        .map_err(|e| network(&e))?;
                    bytes
                }
                None => body
                    .with_config()
                    .limit(DEFAULT_BODY_LIMIT)
                    .read_to_vec()
                    .map_err(|e| network(&e))?,
            }
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}
