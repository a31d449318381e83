//! A copy of a pod's files on disk, answering as a read-only pod, so a drive can be
//! recovered from a backup of the server's data folder without the server (`recover
//! --from-dir`). The layout is Community Solid Server's file backend (its
//! `--rootFilePath`): the server's base URL is the folder, a container is a
//! directory, a resource is a file whose name may carry a `$.<ext>` suffix naming
//! its media type (`keystores.json.enc$.bin`), and `*.meta` files hold the server's
//! own metadata (not resources; never listed).
//!
//! Only `GET` and `HEAD` are answered (with `Range: bytes=a-b` for the envelope
//! header reads of parts); anything else is `405`, so recovery can never change the
//! copy. A URL is mapped to a path segment by segment after percent-decoding, and a
//! segment that is empty, `.`, `..` or holds a separator is `404`: no URL reaches
//! outside the folder.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use url::Url;

use crate::pod::http::{HttpClient, Method, Request, Response, TransportError};

/// Characters percent-encoded in a listed member's name (path segment rules).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// A server's data folder served as that server's base URL.
pub struct LocalCopy {
    base: Url,
    root: PathBuf,
}

/// What a URL names in the copy.
enum Found {
    Folder(PathBuf),
    File(PathBuf),
}

impl LocalCopy {
    /// `root` (the server's data folder) answering for `base` (its base URL, e.g.
    /// `http://localhost:3000/`; only its origin and path are used).
    pub fn new(base: &Url, root: &Path) -> Self {
        let mut base = base.clone();
        base.set_query(None);
        base.set_fragment(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Self {
            base,
            root: root.to_owned(),
        }
    }

    /// The file or directory `url` names, if it is under the base URL and exists.
    fn find(&self, url: &str) -> Option<Found> {
        let url = Url::parse(url).ok()?;
        if url.origin() != self.base.origin() || url.query().is_some() {
            return None;
        }
        let relative = url.path().strip_prefix(self.base.path())?;
        let (segments, folder) = match relative.strip_suffix('/') {
            Some(folder) => (folder, true),
            None => (relative, false),
        };
        let mut path = self.root.clone();
        if !segments.is_empty() {
            for segment in segments.split('/') {
                let decoded = percent_decode_str(segment).decode_utf8().ok()?;
                if decoded.is_empty()
                    || decoded == "."
                    || decoded == ".."
                    || decoded.contains(['/', '\\', '\0'])
                {
                    return None;
                }
                path.push(decoded.as_ref());
            }
        }
        if folder {
            return path.is_dir().then_some(Found::Folder(path));
        }
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_none_or(is_internal)
        {
            return None;
        }
        if path.is_file() {
            return Some(Found::File(path));
        }
        // `name$.ext`: the server appended the extension of the media type.
        let name = path.file_name()?.to_str()?.to_owned();
        let prefix = format!("{name}$.");
        let parent = path.parent()?;
        let mut found: Vec<PathBuf> = std::fs::read_dir(parent)
            .ok()?
            .filter_map(|entry| entry.ok())
            .filter(|entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(&prefix) && !is_internal(n))
            })
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect();
        found.sort();
        found.into_iter().next().map(Found::File)
    }

    /// A container's Turtle listing: its subdirectories and resources, by the URL
    /// the server gave them.
    fn listing(&self, url: &str, dir: &Path) -> std::io::Result<Vec<u8>> {
        let mut members = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if is_internal(&name) {
                continue;
            }
            let kind = entry.file_type()?;
            let resource = match name.split_once("$.") {
                Some((stem, _)) => stem.to_owned(),
                None => name,
            };
            let encoded = utf8_percent_encode(&resource, SEGMENT).to_string();
            if kind.is_dir() {
                members.push(format!("{encoded}/"));
            } else if kind.is_file() {
                members.push(encoded);
            }
        }
        members.sort();
        members.dedup();
        let mut turtle = format!("@prefix ldp: <http://www.w3.org/ns/ldp#>.\n<{url}> a ldp:Container, ldp:BasicContainer");
        for member in &members {
            turtle.push_str(&format!(";\n  ldp:contains <{member}>"));
        }
        turtle.push_str(".\n");
        Ok(turtle.into_bytes())
    }
}

/// The server's own files (metadata, access control, dotfiles): not the user's data.
fn is_internal(name: &str) -> bool {
    name.starts_with('.') || name.ends_with(".meta") || name.ends_with(".acl")
}

/// `Range: bytes=a-b` (or `a-`) as a start and an inclusive end within `len`.
fn range(request: &Request, len: u64) -> Option<(u64, u64)> {
    let value = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("range"))?
        .1
        .strip_prefix("bytes=")?;
    let (start, end) = value.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => len.checked_sub(1)?,
        end => end.parse::<u64>().ok()?.min(len.checked_sub(1)?),
    };
    (start <= end).then_some((start, end))
}

fn answer(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
    Response {
        status,
        headers,
        body,
    }
}

impl HttpClient for LocalCopy {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        if !matches!(request.method, Method::Get | Method::Head) {
            return Ok(answer(
                405,
                vec![("Allow".into(), "GET, HEAD".into())],
                Vec::new(),
            ));
        }
        let io = |e: std::io::Error| TransportError::Network(format!("cannot read the copy: {e}"));
        let (mut body, content_type, modified) = match self.find(&request.url) {
            None => return Ok(answer(404, Vec::new(), Vec::new())),
            Some(Found::Folder(dir)) => {
                let modified = std::fs::metadata(&dir)
                    .and_then(|m| m.modified())
                    .map_err(io)?;
                (
                    self.listing(&request.url, &dir).map_err(io)?,
                    "text/turtle",
                    modified,
                )
            }
            Some(Found::File(file)) => {
                let metadata = std::fs::metadata(&file).map_err(io)?;
                let limit = request.max_body.map_or(u64::MAX, |l| l as u64 + 1);
                if metadata.len() > 64 * 1024 * 1024 && limit > 64 * 1024 * 1024 {
                    return Ok(answer(413, Vec::new(), Vec::new()));
                }
                let content_type = if file.to_string_lossy().ends_with("$.ttl") {
                    "text/turtle"
                } else {
                    "application/octet-stream"
                };
                (
                    std::fs::read(&file).map_err(io)?,
                    content_type,
                    metadata.modified().map_err(io)?,
                )
            }
        };
        let nanos = modified
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut headers = vec![
            ("Content-Type".to_owned(), content_type.to_owned()),
            ("ETag".to_owned(), format!("\"{nanos:x}-{:x}\"", body.len())),
        ];
        let mut status = 200;
        if let Some((start, end)) = range(&request, body.len() as u64) {
            headers.push((
                "Content-Range".into(),
                format!("bytes {start}-{end}/{}", body.len()),
            ));
            body = body[start as usize..=end as usize].to_vec();
            status = 206;
        }
        headers.push(("Content-Length".into(), body.len().to_string()));
        if let Some(limit) = request.max_body {
            body.truncate(limit + 1);
        }
        if request.method == Method::Head {
            body.clear();
        }
        Ok(answer(status, headers, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy() -> (tempdir::Dir, LocalCopy) {
        let dir = tempdir::Dir::new();
        let root = dir.0.join("copy");
        std::fs::create_dir_all(root.join("alice/files")).unwrap();
        std::fs::write(root.join("alice/files/a b.enc$.bin"), b"0123456789").unwrap();
        std::fs::write(root.join("alice/files/a b.enc$.bin.meta"), b"meta").unwrap();
        std::fs::write(root.join("alice/files/.meta"), b"meta").unwrap();
        // Beside the copy, not in it.
        std::fs::write(dir.0.join("secret"), b"outside").unwrap();
        let copy = LocalCopy::new(&Url::parse("http://localhost:3000/").unwrap(), &root);
        (dir, copy)
    }

    mod tempdir {
        /// A fresh folder under the system's temporary folder, removed on drop.
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                let path = std::env::temp_dir().join(format!(
                    "solidcrypt-local-copy-{}-{:?}",
                    std::process::id(),
                    std::thread::current().id()
                ));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn get(copy: &LocalCopy, url: &str) -> Response {
        pollster::block_on(copy.send(Request::new(Method::Get, url))).unwrap()
    }

    #[test]
    fn a_resource_is_found_by_its_url_with_or_without_the_media_type_suffix() {
        let (_dir, copy) = copy();
        let found = get(&copy, "http://localhost:3000/alice/files/a%20b.enc");
        assert_eq!(
            (found.status, found.body.as_slice()),
            (200, &b"0123456789"[..])
        );
        let ranged = pollster::block_on(
            copy.send(
                Request::new(Method::Get, "http://localhost:3000/alice/files/a%20b.enc")
                    .header("Range", "bytes=2-4"),
            ),
        )
        .unwrap();
        assert_eq!((ranged.status, ranged.body.as_slice()), (206, &b"234"[..]));
    }

    #[test]
    fn a_folder_lists_its_members_without_the_servers_metadata() {
        let (_dir, copy) = copy();
        let listing = get(&copy, "http://localhost:3000/alice/files/");
        assert_eq!(listing.status, 200);
        let members = crate::pod::container::parse_listing(
            &listing.body,
            &Url::parse("http://localhost:3000/alice/files/").unwrap(),
        )
        .unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.url.as_str()).collect();
        assert_eq!(names, ["http://localhost:3000/alice/files/a%20b.enc"]);
    }

    #[test]
    fn no_url_reaches_outside_the_copy_and_nothing_is_written() {
        let (_dir, copy) = copy();
        for url in [
            "http://localhost:3000/alice/files/..%2F..%2Fsecret",
            "http://localhost:3000/alice/files/%2e%2e/%2e%2e/secret",
            "http://localhost:3000/alice//secret",
            "http://localhost:3000/..%2Fsecret",
            "http://localhost:3000/%2e%2e/secret",
            "http://localhost:3001/alice/files/a%20b.enc",
            "http://evil.example/secret",
            "http://localhost:3000/alice/files/a%20b.enc?x",
            "http://localhost:3000/alice/files/a%20b.enc$.bin.meta",
        ] {
            assert_eq!(get(&copy, url).status, 404, "{url}");
        }
        let put = pollster::block_on(
            copy.send(
                Request::new(Method::Put, "http://localhost:3000/alice/files/new")
                    .body("text/plain", b"x".to_vec()),
            ),
        )
        .unwrap();
        assert_eq!(put.status, 405);
        assert!(!_dir.0.join("copy/alice/files/new").exists());
    }
}
