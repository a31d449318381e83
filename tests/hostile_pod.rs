#![cfg(not(target_arch = "wasm32"))]
//! A hostile pod (docs/SECURITY.md §A hostile pod): its listings are data, never
//! a list of things to act on, and its oversized answers are refused. Runs against
//! an in-memory pod (no server needed) that is honest except where a test makes
//! it lie.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;

use common::{block_on, drive_password, FAST};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::parts::{part_urls, PartsError, MAX_PARTS};
use solidcrypt::drive::text::MAX_EDIT_BYTES;
use solidcrypt::drive::{delete, list_folder, new_folder, open_text, OpenTextError, TEXT_TYPE};
use solidcrypt::keystore::format::MAX_DOCUMENT_BYTES;
use solidcrypt::keystore::master::{set_up, unlock, UnlockError};
use solidcrypt::keystore::{Entry, Keyring, Layout};
use solidcrypt::pod::acl_io::{AclError, MAX_ACL_BYTES};
use solidcrypt::pod::container::{ListError, MAX_LISTING_BYTES};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::Pod;
use url::Url;

const POD: &str = "http://pod.test/";
const OWNER: &str = "http://pod.test/alice/profile/card#me";
/// Far more requests than any test here needs: a listing that names itself would
/// otherwise make a recursive walk go on for ever.
const MAX_REQUESTS: usize = 2_000;

/// An in-memory Solid pod for every origin: documents by URL, containers listed
/// from what is stored under them (direct children, as CSS does, without ACLs),
/// each resource's ACL linked as `<url>.acl`, ETags and conditional writes. `lie` replaces the answer to a GET (and HEAD) of one URL.
#[derive(Default)]
struct FakePod {
    docs: Mutex<BTreeMap<String, (Vec<u8>, u64)>>,
    lies: Mutex<BTreeMap<String, Response>>,
    /// `METHOD url` of every request, in order.
    seen: Mutex<Vec<String>>,
    version: Mutex<u64>,
}

impl FakePod {
    fn store(&self, url: &str, body: &[u8]) {
        let mut version = self.version.lock().unwrap();
        *version += 1;
        self.docs
            .lock()
            .unwrap()
            .insert(url.to_owned(), (body.to_vec(), *version));
    }

    fn exists(&self, url: &str) -> bool {
        self.docs.lock().unwrap().contains_key(url)
    }

    fn lie(&self, url: &Url, status: u16, headers: &[(&str, &str)], body: Vec<u8>) {
        let headers = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        self.lies.lock().unwrap().insert(
            url.to_string(),
            Response {
                status,
                headers,
                body,
            },
        );
    }

    fn deleted(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter_map(|r| r.strip_prefix("DELETE ").map(str::to_owned))
            .collect()
    }

    /// What CSS would list for `container`: its direct children, stored or implied.
    /// Every container exists (the storage's folders above a drive do on CSS).
    fn listing(&self, container: &str) -> Vec<u8> {
        let docs = self.docs.lock().unwrap();
        let mut children: Vec<String> = docs
            .keys()
            .filter_map(|url| url.strip_prefix(container))
            .filter(|rest| !rest.is_empty() && !rest.ends_with(".acl"))
            .map(|rest| match rest.find('/') {
                Some(i) => rest[..=i].to_owned(),
                None => rest.to_owned(),
            })
            .collect();
        children.dedup();
        let mut body =
            String::from("@prefix ldp: <http://www.w3.org/ns/ldp#>.\n<> a ldp:Container");
        for child in children {
            body.push_str(&format!("; ldp:contains <{child}>"));
        }
        body.push_str(".\n");
        body.into_bytes()
    }

    fn answer(&self, request: &Request) -> Response {
        let url = request.url.as_str();
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let status = |status| Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        };
        if matches!(request.method, Method::Get | Method::Head) {
            if let Some(lie) = self.lies.lock().unwrap().get(url) {
                let mut lie = lie.clone();
                if request.method == Method::Head {
                    lie.body.clear();
                }
                return lie;
            }
        }
        let current = self.docs.lock().unwrap().get(url).cloned();
        let etag = |version: u64| format!("\"{version}\"");
        match request.method {
            Method::Get | Method::Head => {
                let found = match (url.ends_with('/'), current) {
                    (true, _) => Some((self.listing(url), 0)),
                    (false, doc) => doc,
                };
                let Some((body, version)) = found else {
                    return status(404);
                };
                Response {
                    status: 200,
                    headers: vec![
                        ("ETag".into(), etag(version)),
                        ("Content-Length".into(), body.len().to_string()),
                        ("Link".into(), format!("<{url}.acl>; rel=\"acl\"")),
                    ],
                    body: if request.method == Method::Get {
                        body
                    } else {
                        Vec::new()
                    },
                }
            }
            Method::Put => {
                let blocked = match (header("If-None-Match"), header("If-Match"), &current) {
                    (Some("*"), _, Some(_)) => true,
                    (_, Some(wanted), Some((_, version))) => wanted != etag(*version),
                    (_, Some(_), None) => true,
                    _ => false,
                };
                if blocked {
                    return status(412);
                }
                self.store(url, &request.body);
                status(201)
            }
            Method::Delete => match self.docs.lock().unwrap().remove(url) {
                Some(_) => status(205),
                None if url.ends_with('/') => status(205),
                None => status(404),
            },
            Method::Post | Method::Patch => status(405),
        }
    }
}

impl HttpClient for FakePod {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut seen = self.seen.lock().unwrap();
        assert!(
            seen.len() < MAX_REQUESTS,
            "runaway: over {MAX_REQUESTS} requests, the last ones {:?}",
            &seen[seen.len() - 5..]
        );
        seen.push(format!("{} {}", request.method.as_str(), request.url));
        drop(seen);
        let mut response = self.answer(&request);
        if let Some(limit) = request.max_body {
            // As the real transports do: no more than `limit + 1` bytes are read.
            response.body.truncate(limit + 1);
        }
        Ok(response)
    }
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// Alice's drive on the fake pod, and a folder `Shared` in it.
fn drive(fake: &FakePod) -> (Pod<'_, FakePod>, Layout, Keyring, Url) {
    let pod = Pod::new(fake, None);
    let layout = Layout::at(url("http://pod.test/alice/solidcrypt-data/"));
    let keyring = block_on(set_up(&pod, &layout, OWNER, &drive_password(), &FAST)).unwrap();
    let folder = block_on(new_folder(&pod, &keyring, &layout.files(), "Shared")).unwrap();
    (pod, layout, keyring, folder)
}

/// Resources the hostile listing names that are not alice's folder's to delete.
const VICTIMS: [&str; 4] = [
    "https://victim.example/solidcrypt-data/keystores/root.enc",
    "http://pod.test/bob/solidcrypt-data/keystores/root.enc",
    "http://pod.test/alice/solidcrypt-data/keystores/index.enc",
    "http://pod.test:8080/alice/solidcrypt-data/files/x",
];

/// A listing of `folder` naming one real child and everything a hostile pod may
/// slip in: other origins, another user's storage on this origin, a parent, the
/// folder's own parent's files via `..` (also percent-encoded), a grandchild.
fn hostile_listing(folder: &Url) -> Vec<u8> {
    format!(
        "@prefix ldp: <http://www.w3.org/ns/ldp#>.
<> ldp:contains <real.txt>, <real/>,
  <https://victim.example/solidcrypt-data/>, <https://victim.example/solidcrypt-data/keystores/root.enc>,
  <http://pod.test/bob/solidcrypt-data/>, <http://pod.test/bob/solidcrypt-data/keystores/root.enc>,
  <../../keystores/>, <%2e%2e/%2e%2e/keystores/index.enc>, <http://pod.test:8080/alice/solidcrypt-data/files/x>,
  <real/grandchild.txt>, <{folder}real/nested/>.
"
    )
    .into_bytes()
}

fn plant_victims(fake: &FakePod) {
    for victim in VICTIMS {
        if !fake.exists(victim) {
            fake.store(victim, b"not yours");
        }
    }
    fake.store("http://pod.test/alice/solidcrypt-data/files/x", b"sibling");
}

#[test]
fn delete_tree_never_leaves_the_folder_a_hostile_listing_points_out_of() {
    let fake = FakePod::default();
    let (pod, _layout, keyring, folder) = drive(&fake);
    plant_victims(&fake);
    let real = folder.join("real.txt").unwrap();
    fake.store(real.as_str(), b"mine");
    let grandchild = folder.join("real/grandchild.txt").unwrap();
    fake.store(
        grandchild.as_str(),
        b"also mine, but found only through real/",
    );
    fake.lie(&folder, 200, &[], hostile_listing(&folder));

    block_on(delete(&pod, &keyring, &folder)).unwrap();

    for victim in VICTIMS
        .iter()
        .chain(&["http://pod.test/alice/solidcrypt-data/files/x"])
    {
        assert!(fake.exists(victim), "{victim} was deleted");
    }
    for deleted in fake.deleted() {
        assert!(
            deleted.starts_with(folder.as_str()),
            "DELETE {deleted} is outside {folder}"
        );
    }
    assert!(!fake.exists(real.as_str()), "the real child is deleted");
    assert!(!fake.exists(grandchild.as_str()), "and real/'s own child");
}

#[test]
fn a_listing_that_names_itself_or_its_parents_ends() {
    let fake = FakePod::default();
    let (pod, layout, keyring, folder) = drive(&fake);
    let body = format!(
        "@prefix ldp: <http://www.w3.org/ns/ldp#>.
<> ldp:contains <>, <./>, <{folder}>, <../>, <..>, <{}>, <{POD}>.
",
        layout.base()
    );
    fake.lie(&folder, 200, &[], body.into_bytes());

    block_on(delete(&pod, &keyring, &folder)).unwrap();

    assert_eq!(fake.deleted(), [folder.to_string()]);
    assert!(
        fake.exists(layout.index().as_str()),
        "the index is still there"
    );
}

#[test]
fn a_folder_lists_only_its_direct_children() {
    let fake = FakePod::default();
    let (pod, _layout, keyring, folder) = drive(&fake);
    plant_victims(&fake);
    fake.lie(&folder, 200, &[], hostile_listing(&folder));

    let items = block_on(list_folder(&pod, &keyring, &folder)).unwrap();

    let urls: Vec<_> = items.iter().map(|i| i.url.to_string()).collect();
    assert_eq!(
        urls,
        [
            folder.join("real/").unwrap(),
            folder.join("real.txt").unwrap()
        ]
        .map(String::from)
    );
}

#[test]
fn an_oversized_listing_is_refused_without_reading_it_all() {
    let fake = FakePod::default();
    let (pod, _layout, keyring, folder) = drive(&fake);
    let mut body = b"@prefix ldp: <http://www.w3.org/ns/ldp#>.\n<> ldp:contains <a>".to_vec();
    while body.len() <= MAX_LISTING_BYTES {
        body.extend_from_slice(b", <a>");
    }
    body.extend_from_slice(b".\n");
    fake.lie(&folder, 200, &[], body);

    let error = block_on(pod.list(&folder)).unwrap_err();
    assert_eq!(
        error,
        ListError::Read(ReadError::TooLarge {
            limit: MAX_LISTING_BYTES
        })
    );
    assert!(error.to_string().contains("larger than 16 MiB"), "{error}");
    let shown = block_on(list_folder(&pod, &keyring, &folder)).unwrap_err();
    assert!(shown.to_string().contains("larger than 16 MiB"), "{shown}");
}

#[test]
fn a_listing_announcing_more_than_the_limit_is_refused_on_its_header() {
    let fake = FakePod::default();
    let (pod, _layout, _keyring, folder) = drive(&fake);
    let huge = (MAX_LISTING_BYTES * 4).to_string();
    fake.lie(
        &folder,
        200,
        &[("Content-Length", &huge)],
        b"<> <a> <b>.".to_vec(),
    );

    let error = block_on(pod.list(&folder)).unwrap_err();
    assert!(matches!(error, ListError::Read(ReadError::TooLarge { .. })));
}

#[test]
fn an_oversized_keystore_index_is_a_clear_error_at_unlock() {
    let fake = FakePod::default();
    let (pod, layout, _keyring, _folder) = drive(&fake);
    fake.lie(
        &layout.index(),
        200,
        &[],
        vec![0; MAX_DOCUMENT_BYTES + 1024],
    );

    let error = block_on(unlock(&pod, &layout, &drive_password())).unwrap_err();
    assert!(
        matches!(error, UnlockError::Read(ReadError::TooLarge { limit }) if limit == MAX_DOCUMENT_BYTES),
        "{error:?}"
    );
    assert!(error.to_string().contains("larger than 16 MiB"), "{error}");
}

#[test]
fn an_oversized_keystore_is_a_clear_error_at_unlock() {
    let fake = FakePod::default();
    let (pod, layout, keyring, _folder) = drive(&fake);
    let root = Url::parse(&keyring.root().unwrap().url).unwrap();
    fake.lie(&root, 200, &[], vec![0; MAX_DOCUMENT_BYTES + 1]);

    let Err(error) = block_on(unlock(&pod, &layout, &drive_password())) else {
        panic!("one's own root keystore unread must be an error");
    };
    let error = error.to_string();
    assert!(error.contains("larger than 16 MiB"), "{error}");
}

#[test]
fn an_oversized_acl_is_a_clear_error() {
    let fake = FakePod::default();
    let (pod, _layout, _keyring, folder) = drive(&fake);
    let acl = folder.join(".acl").unwrap();
    let link = format!("<{acl}>; rel=\"acl\"");
    // HEAD of the folder says where its ACL is; the ACL itself is too big.
    fake.lie(&folder, 200, &[("Link", &link)], Vec::new());
    let mut body = b"<#r> <http://www.w3.org/ns/auth/acl#agent> ".to_vec();
    while body.len() <= MAX_ACL_BYTES {
        body.extend_from_slice(b"<http://a.example/>, ");
    }
    body.extend_from_slice(b"<http://a.example/>.");
    fake.lie(&acl, 200, &[], body);

    let error = block_on(pod.read_acl(&folder)).unwrap_err();
    assert_eq!(
        error,
        AclError::Read(ReadError::TooLarge {
            limit: MAX_ACL_BYTES
        })
    );
}

#[test]
fn a_file_listed_in_more_parts_than_the_limit_is_refused() {
    let fake = FakePod::default();
    let (pod, _layout, _keyring, folder) = drive(&fake);
    let file = folder.join("0123456789abcdef/").unwrap();
    let mut body = String::from("<> <http://www.w3.org/ns/ldp#contains> <0123456789abcdef-0>");
    for i in 1..=MAX_PARTS {
        body.push_str(&format!(", <0123456789abcdef-{i}>"));
    }
    body.push('.');
    fake.lie(&file, 200, &[], body.into_bytes());

    let key = SecretKey::generate().unwrap();
    match block_on(part_urls(&pod, &file, &key)) {
        Err(error) => assert_eq!(error, PartsError::TooManyParts(MAX_PARTS)),
        Ok(urls) => panic!("{} parts accepted", urls.len()),
    }
    assert!(fake.seen.lock().unwrap().len() < 20, "no request per part");
}

#[test]
fn a_text_file_answered_with_more_than_the_edit_limit_is_too_big_to_edit() {
    let fake = FakePod::default();
    let (pod, _layout, keyring, folder) = drive(&fake);
    let file = folder.join("notes.txt").unwrap();
    let entry = Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: "notes.txt".into(),
        media_type: Some(TEXT_TYPE.into()),
        size: Some(4),
    };
    block_on(keyring.add(&pod, file.as_str(), entry)).unwrap();
    fake.lie(&file, 200, &[], vec![0; MAX_EDIT_BYTES + 1]);

    let error = block_on(open_text(&pod, &keyring, &file)).unwrap_err();
    assert_eq!(error, OpenTextError::TooBig);
}
