#![cfg(not(target_arch = "wasm32"))]
//! The drive in the user's private Type Index (docs/FORMAT.md §11), on a real pod:
//! what is missing is made (preferences file, private index), linked and kept
//! private; a second run writes nothing and duplicates nothing; the registration
//! reads back with a plain Turtle parse; a profile naming a preferences file on
//! another pod is not followed, and nothing is written.

mod common;

use std::sync::Mutex;

use common::{block_on, scratch_container, NativeHttp, CAROL, PROFILES};
use solidcrypt::pod::error::WriteError;
use solidcrypt::pod::http::{HttpClient, Method, Request, Response, TransportError};
use solidcrypt::pod::rdf::{objects, parse_turtle};
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::type_index::{
    is_registered, register_drive, Registered, TypeIndexError, DRIVE_CLASS,
};
use solidcrypt::pod::Pod;
use url::Url;

const PREFERENCES: &str = "http://www.w3.org/ns/pim/space#preferencesFile";
const PRIVATE_INDEX: &str = "http://www.w3.org/ns/solid/terms#privateTypeIndex";

/// The triples of `url`, read with `pod` (a plain parse, not the app's code).
fn turtle(pod: &Pod<'_, NativeHttp>, url: &Url) -> Vec<oxrdf::Triple> {
    let body = block_on(pod.get_as(url, "text/turtle")).unwrap().body;
    parse_turtle(&body, url.as_str()).unwrap()
}

fn linked(triples: &[oxrdf::Triple], subject: &Url, predicate: &str) -> Url {
    let found: Vec<_> = objects(triples, subject.as_str(), predicate).collect();
    assert_eq!(found.len(), 1, "one {predicate}: {found:?}");
    Url::parse(found[0]).unwrap()
}

#[test]
fn the_drive_is_registered_once_in_a_private_index_linked_from_the_profile() {
    let _profiles = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let session = CAROL.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (webid, storage) = (CAROL.webid_url(), CAROL.storage());
    let drive = scratch_container(&pod, &storage);
    let mut profile = webid.clone();
    profile.set_fragment(None);
    forget_preferences(&pod, &webid, &profile);

    // From nothing: every request answered without an error (a failed request is
    // a red line in the browser's console).
    let watching = Watching {
        inner: &http,
        failed: Mutex::new(Vec::new()),
    };
    let watched = Pod::new(&watching, Some(&session));
    let owner = CAROL.webid();
    let register = || block_on(register_drive(&watched, &webid, &storage, &drive, &owner)).unwrap();
    let first = register();
    let Registered::Now { created } = &first else {
        panic!("{first:?}");
    };
    let names: Vec<_> = created.iter().map(|u| u.path().to_owned()).collect();
    assert_eq!(
        names,
        [
            "/carol/settings/prefs.ttl",
            "/carol/settings/privateTypeIndex.ttl"
        ]
    );
    assert_eq!(*watching.failed.lock().unwrap(), Vec::<String>::new());

    let preferences = linked(&turtle(&pod, &profile), &webid, PREFERENCES);
    let index = linked(&turtle(&pod, &preferences), &webid, PRIVATE_INDEX);
    let registered = turtle(&pod, &index);
    assert!(is_registered(&registered, &drive), "{registered:?}");
    assert!(
        registered
            .iter()
            .any(|t| matches!(&t.object, oxrdf::Term::NamedNode(n) if n.as_str() == DRIVE_CLASS)),
        "forClass {DRIVE_CLASS}"
    );

    // A run cut off after making the files, before linking them (the tab
    // closed): the next one links what is there, again without a failed request.
    let links: Vec<oxrdf::Triple> = turtle(&pod, &profile)
        .into_iter()
        .filter(|t| t.predicate.as_str() == PREFERENCES)
        .collect();
    block_on(pod.patch_triples(&profile, &[], &links, None)).unwrap();
    let resumed = register();
    assert_eq!(resumed, Registered::AlreadyThere);
    assert_eq!(*watching.failed.lock().unwrap(), Vec::<String>::new());
    assert_eq!(
        linked(&turtle(&pod, &profile), &webid, PREFERENCES),
        preferences
    );

    // Again: nothing written, nothing doubled.
    let again = register();
    assert_eq!(again, Registered::AlreadyThere);
    assert_eq!(turtle(&pod, &index).len(), registered.len());
    assert_eq!(
        objects(&turtle(&pod, &profile), webid.as_str(), PREFERENCES).count(),
        1
    );

    // Private: nobody else reads the preferences or the index.
    let anonymous = Pod::new(&http, None);
    for url in [&preferences, &index] {
        let read = block_on(anonymous.get(url));
        assert!(read.is_err(), "{url} is readable without a login");
    }
}

/// Carol as a new user: no preferences file linked from her profile, no
/// `settings/` folder (what an earlier run of this test made is removed).
fn forget_preferences(pod: &Pod<'_, NativeHttp>, webid: &Url, profile: &Url) {
    let triples = turtle(pod, profile);
    let links: Vec<oxrdf::Triple> = triples
        .iter()
        .filter(|t| t.predicate.as_str() == PREFERENCES)
        .cloned()
        .collect();
    if !links.is_empty() {
        block_on(pod.patch_triples(profile, &[], &links, None)).unwrap();
    }
    let settings = CAROL.storage().join("settings/").unwrap();
    for name in ["prefs.ttl", "privateTypeIndex.ttl", ""] {
        let url = settings.join(name).unwrap();
        match block_on(pod.delete(&url, &Condition::Always)) {
            Ok(()) | Err(WriteError::NotFound) => {}
            Err(e) => panic!("cannot delete {url}: {e}"),
        }
    }
    assert_eq!(
        objects(&turtle(pod, profile), webid.as_str(), PREFERENCES).count(),
        0
    );
}

/// Passes requests on and notes every answer of 400 or more.
struct Watching<'a> {
    inner: &'a NativeHttp,
    failed: Mutex<Vec<String>>,
}

impl HttpClient for Watching<'_> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let line = format!("{} {}", request.method.as_str(), request.url);
        let response = self.inner.send(request).await?;
        if response.status >= 400 {
            self.failed
                .lock()
                .unwrap()
                .push(format!("{} {line}", response.status));
        }
        Ok(response)
    }
}

/// A pod whose profile names a preferences file elsewhere; records requests.
struct ElsewherePod {
    seen: Mutex<Vec<String>>,
}

impl HttpClient for ElsewherePod {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("{} {}", request.method.as_str(), request.url));
        let body = if request.method == Method::Get {
            "<#me> <http://www.w3.org/ns/pim/space#preferencesFile> <https://evil.example/prefs.ttl>."
        } else {
            ""
        };
        Ok(Response {
            status: 200,
            headers: vec![("Content-Type".into(), "text/turtle".into())],
            body: body.as_bytes().to_vec(),
        })
    }
}

#[test]
fn preferences_on_another_pod_are_not_followed_and_nothing_is_written() {
    let http = ElsewherePod {
        seen: Mutex::new(Vec::new()),
    };
    let pod = Pod::new(&http, None);
    let webid = Url::parse("https://pod.example/alice/profile/card#me").unwrap();
    let storage = Url::parse("https://pod.example/alice/").unwrap();
    let drive = storage.join("solidcrypt-data/").unwrap();
    let found = block_on(register_drive(
        &pod,
        &webid,
        &storage,
        &drive,
        webid.as_str(),
    ));
    assert!(
        matches!(&found, Err(TypeIndexError::Outside(url)) if url.contains("evil.example")),
        "{found:?}"
    );
    let seen = http.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        ["GET https://pod.example/alice/profile/card"],
        "only the profile was read"
    );
}
