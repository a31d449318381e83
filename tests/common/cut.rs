//! A loopback TCP proxy in front of the test pod that can drop one upload half-way,
//! as a flaky network does: the pod gets the first N bytes of a PUT's body, then
//! the connection closes (Community Solid Server then leaves the resource
//! truncated, CommunitySolidServer#2080). Plain `std::net` threads, one
//! connection per request (`Connection: close`), so no HTTP framing beyond the
//! request head and `Content-Length` is needed.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use solidcrypt::pod::http::{HttpClient, Request, Response, TransportError};
use url::Url;

/// How much of the body gets through: computed from the body's length.
pub type Keep = fn(usize) -> usize;

/// The cut waiting for its PUT.
struct Armed {
    /// Cut the next PUT whose path contains this.
    path: String,
    keep: Keep,
}

/// The proxy; it runs until the test process ends.
pub struct CutProxy {
    port: u16,
    pod: Url,
    armed: Arc<Mutex<Option<Armed>>>,
    /// (path, body length, bytes let through) of each cut made.
    cuts: Arc<Mutex<Vec<(String, usize, usize)>>>,
}

impl CutProxy {
    /// Starts a proxy for the pod at `pod`.
    pub fn start(pod: &Url) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let armed: Arc<Mutex<Option<Armed>>> = Arc::default();
        let cuts: Arc<Mutex<Vec<(String, usize, usize)>>> = Arc::default();
        let upstream = format!(
            "{}:{}",
            pod.host_str().unwrap(),
            pod.port_or_known_default().unwrap()
        );
        let host = upstream.clone();
        let (armed_in, cuts_in) = (armed.clone(), cuts.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (upstream, host) = (upstream.clone(), host.clone());
                let (armed, cuts) = (armed_in.clone(), cuts_in.clone());
                std::thread::spawn(move || {
                    let _ = relay(client, &upstream, &host, &armed, &cuts);
                });
            }
        });
        CutProxy {
            port,
            pod: pod.clone(),
            armed,
            cuts,
        }
    }

    /// Cuts the next PUT whose path contains `path` after `keep(body length)` bytes.
    pub fn cut_next_put(&self, path: &str, keep: Keep) {
        *self.armed.lock().unwrap() = Some(Armed {
            path: path.to_owned(),
            keep,
        });
    }

    /// The cuts made since the last call: (path, body length, bytes let through).
    pub fn cuts(&self) -> Vec<(String, usize, usize)> {
        std::mem::take(&mut *self.cuts.lock().unwrap())
    }

    /// A transport that sends everything through this proxy.
    pub fn transport<'a, H: HttpClient>(&'a self, inner: &'a H) -> Through<'a, H> {
        Through { proxy: self, inner }
    }
}

/// Sends requests for the pod to the proxy instead. Requests are signed (DPoP)
/// for the pod's own URL before they get here; the proxy puts the pod's `Host`
/// back, so the pod sees the URL the proof names.
pub struct Through<'a, H> {
    proxy: &'a CutProxy,
    inner: &'a H,
}

impl<H: HttpClient> HttpClient for Through<'_, H> {
    async fn send(&self, mut request: Request) -> Result<Response, TransportError> {
        let origin = self.proxy.pod.origin().ascii_serialization();
        if let Some(rest) = request.url.strip_prefix(&origin) {
            request.url = format!("http://127.0.0.1:{}{rest}", self.proxy.port);
        }
        self.inner.send(request).await
    }
}

/// Forwards one request and its response; cuts the request's body if armed for it.
fn relay(
    mut client: TcpStream,
    upstream: &str,
    host: &str,
    armed: &Mutex<Option<Armed>>,
    cuts: &Mutex<Vec<(String, usize, usize)>>,
) -> std::io::Result<()> {
    let (head, mut body) = read_head(&mut client)?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut parts = request_line.split(' ');
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut length = 0usize;
    let mut out = format!("{request_line}\r\nHost: {host}\r\nConnection: close\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if name == "content-length" {
            length = line[line.find(':').unwrap() + 1..]
                .trim()
                .parse()
                .unwrap_or(0);
        }
        if name != "host" && name != "connection" {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    while body.len() < length {
        let mut buf = [0u8; 64 * 1024];
        let n = client.read(&mut buf)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    let cut = {
        let mut armed = armed.lock().unwrap();
        match armed.as_ref() {
            Some(a) if method == "PUT" && path.contains(&a.path) => {
                let keep = (a.keep)(length).min(length);
                *armed = None;
                Some(keep)
            }
            _ => None,
        }
    };
    let mut pod = TcpStream::connect(upstream)?;
    pod.write_all(out.as_bytes())?;
    if let Some(keep) = cut {
        pod.write_all(&body[..keep])?;
        pod.flush()?;
        // Let the pod take in what it got before the line goes dead.
        std::thread::sleep(Duration::from_millis(300));
        cuts.lock().unwrap().push((path.to_owned(), length, keep));
        let _ = pod.shutdown(Shutdown::Both);
        let _ = client.shutdown(Shutdown::Both);
        // The pod notices the abort asynchronously; give it time to settle.
        std::thread::sleep(Duration::from_millis(300));
        return Ok(());
    }
    pod.write_all(&body[..length.min(body.len())])?;
    std::io::copy(&mut pod, &mut client)?;
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

/// Reads up to the end of the request head; returns it and the body bytes read
/// with it.
fn read_head(client: &mut TcpStream) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut got = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let body = got.split_off(end + 4);
            return Ok((got, body));
        }
        let n = client.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        got.extend_from_slice(&buf[..n]);
    }
}
