//! Shared helpers for the native integration tests against a real Community Solid
//! Server: the native transport (ureq), the pod URL, logins, unique names.
#![allow(dead_code)] // each test binary uses a different subset of these helpers

pub mod cut;
pub mod socket;
pub mod vectors;

use solidcrypt::auth::client_credentials::login_with_password;
use solidcrypt::auth::random;
use solidcrypt::auth::session::Session;
use solidcrypt::pod::http::{HttpClient, Request, Response, TransportError};
pub use solidcrypt::pod::native::NativeHttp;
use std::sync::Mutex;

use url::Url;

/// A transport that counts (and lists) the requests it forwards to `inner`: the
/// sharing tests and `scripts/bench share` check how many round trips an action
/// costs.
pub struct Counting<'a, H> {
    inner: &'a H,
    seen: Mutex<Vec<String>>,
}

impl<'a, H: HttpClient> Counting<'a, H> {
    pub fn new(inner: &'a H) -> Self {
        Counting {
            inner,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The requests since the last call, as `METHOD path`, and forgets them.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl<H: HttpClient> HttpClient for Counting<'_, H> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let path = Url::parse(&request.url)
            .map(|u| u.path().to_owned())
            .unwrap_or_else(|_| request.url.clone());
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{} {path}", request.method.as_str()));
        self.inner.send(request).await
    }
}

/// The requests of an `accept` after its preview's HEADs (my storage, the link's
/// group and its pod root: at most three, checked here).
pub fn after_preview(requests: Vec<String>) -> Vec<String> {
    let heads = requests
        .iter()
        .take_while(|r| r.starts_with("HEAD "))
        .count();
    assert!(heads <= 3, "the preview took {requests:?}");
    requests.into_iter().skip(heads).collect()
}

/// The base URL of the pod `scripts/test` started.
pub fn pod_url() -> Url {
    let url = std::env::var("SOLIDCRYPT_TEST_POD").unwrap_or_else(|_| {
        panic!(
            "SOLIDCRYPT_TEST_POD is not set: run the integration tests with scripts/test, \
             which starts a Community Solid Server and points the tests at it"
        )
    });
    Url::parse(&url).expect("SOLIDCRYPT_TEST_POD is a URL")
}

/// A seeded account (see scripts/seed.json).
pub struct Account {
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const ALICE: Account = Account {
    name: "alice",
    email: "alice@example.com",
    password: "alice-password",
};
pub const BOB: Account = Account {
    name: "bob",
    email: "bob@example.com",
    password: "bob-password",
};
/// The third seeded account: in the sharing tests, someone who never got a link.
pub const CAROL: Account = Account {
    name: "carol",
    email: "carol@example.com",
    password: "carol-password",
};

impl Account {
    /// The account's WebID on the test pod.
    pub fn webid(&self) -> String {
        format!("{}{}/profile/card#me", pod_url(), self.name)
    }

    /// The account's WebID on the test pod, as a URL.
    pub fn webid_url(&self) -> Url {
        Url::parse(&self.webid()).unwrap()
    }

    /// The account's storage root on the test pod.
    pub fn storage(&self) -> Url {
        pod_url().join(&format!("{}/", self.name)).unwrap()
    }

    /// Logs in with client credentials, once per account and test binary: CSS keeps
    /// an account's client credentials in one record that it rewrites without locking,
    /// so parallel logins to one account can lose each other's credentials.
    pub fn login(&self, http: &NativeHttp) -> Session {
        self.login_at(http, &pod_url())
    }

    /// [`Account::login`] on the server at `server` (the same seeded accounts,
    /// e.g. the ACP pod of tests/pod_acp.rs), cached per server and account.
    pub fn login_at(&self, http: &NativeHttp, server: &Url) -> Session {
        static SESSIONS: Mutex<Vec<(String, &str, Session)>> = Mutex::new(Vec::new());
        let mut sessions = SESSIONS.lock().unwrap_or_else(|e| e.into_inner());
        let at = server.as_str();
        if let Some((_, _, session)) = sessions
            .iter()
            .find(|(s, n, session)| s == at && *n == self.name && !session.is_expired())
        {
            return session.clone();
        }
        let session = block_on(login_with_password(http, server, self.email, self.password))
            .unwrap_or_else(|e| panic!("{} cannot log in at {server}: {e}", self.name));
        sessions.retain(|(s, n, _)| !(s == at && *n == self.name));
        sessions.push((at.to_owned(), self.name, session.clone()));
        session
    }
}

/// Logs each of `accounts` in (see [`Account::login`]), in order.
pub fn log_in<const N: usize>(http: &NativeHttp, accounts: [&Account; N]) -> [Session; N] {
    accounts.map(|account| account.login(http))
}

/// A pod client over `http` for each of `sessions`, in order.
pub fn pods<'a, H: HttpClient, const N: usize>(
    http: &'a H,
    sessions: &'a [Session; N],
) -> [solidcrypt::pod::Pod<'a, H>; N] {
    sessions
        .each_ref()
        .map(|session| solidcrypt::pod::Pod::new(http, Some(session)))
}

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        random::token(9).unwrap().replace(['-', '_'], "x")
    )
}

/// `<storage>/scratch/`, created once per test binary, where the tests' own folders
/// and drives go. Not in the storage root itself: Community Solid Server 7.2
/// rewrites a container's metadata (read, then truncate and write, unlocked) each
/// time a child is created, and parallel tests creating children of the root could
/// lose its `pim:Storage` type for good: its storage description then answers 501
/// (seen once in a clean-clone run, failing every later e2e test that opens a
/// folder, since the live listing reads it).
pub fn scratch_parent<H: HttpClient>(pod: &solidcrypt::pod::Pod<'_, H>, storage: &Url) -> Url {
    static MADE: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let parent = storage.join("scratch/").unwrap();
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if !made.contains(&parent.to_string()) {
        match block_on(pod.create_container(&parent)) {
            Ok(())
            | Err(
                solidcrypt::pod::error::WriteError::Conflict
                | solidcrypt::pod::error::WriteError::Rejected,
            ) => {}
            Err(e) => panic!("cannot create {parent}: {e}"),
        }
        made.push(parent.to_string());
    }
    parent
}

/// A fresh, empty container under `storage` (in its [`scratch_parent`]) for one test.
pub fn scratch_container(pod: &solidcrypt::pod::Pod<'_, NativeHttp>, storage: &Url) -> Url {
    let url = scratch_parent(pod, storage)
        .join(&format!("{}/", unique("test")))
        .unwrap();
    block_on(pod.create_container(&url)).expect("create a scratch container");
    url
}

/// Cheap Argon2id so the debug-build tests stay fast; real wraps use the defaults.
pub const FAST: solidcrypt::crypto::password::PasswordParams =
    solidcrypt::crypto::password::PasswordParams {
        m_cost_kib: 1024,
        t_cost: 1,
        p_cost: 1,
    };

/// The master password of the test drives.
pub fn drive_password() -> solidcrypt::keystore::Password {
    solidcrypt::keystore::Password::new("correct horse".into())
}

/// A fresh drive (keystores set up) for `account` in a scratch folder of its pod.
pub fn new_drive<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    account: &Account,
) -> (solidcrypt::keystore::Layout, solidcrypt::keystore::Keyring) {
    let layout = solidcrypt::keystore::Layout::at(
        scratch_parent(pod, &account.storage())
            .join(&format!("{}/", unique("drive")))
            .unwrap(),
    );
    let keyring = new_drive_in(pod, account, &layout);
    (layout, keyring)
}

/// A fresh drive for `account` at `layout`, unlocked with [`drive_password`].
pub fn new_drive_in<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    account: &Account,
    layout: &solidcrypt::keystore::Layout,
) -> solidcrypt::keystore::Keyring {
    block_on(solidcrypt::keystore::master::set_up(
        pod,
        layout,
        &account.webid(),
        &drive_password(),
        &FAST,
    ))
    .unwrap_or_else(|e| panic!("{} cannot set up a drive: {e}", account.name))
}

pub use pollster::block_on;

/// Uploads `bytes` as `name` (of `media_type`) into `folder` with the drive's own
/// code (key first, then the ciphertext) into `target`: one resource in memory
/// (`VecUpload`) or parts (`drive::parts::PodPartsUpload`).
pub fn try_upload<H, U>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    folder: &Url,
    (name, media_type): (&str, &str),
    bytes: &[u8],
    target: U,
) -> Result<Url, solidcrypt::drive::UploadError>
where
    H: HttpClient,
    U: solidcrypt::drive::CipherUpload<solidcrypt::crypto::envelope::RustCryptoCipher>,
{
    use solidcrypt::crypto::envelope::RustCryptoCipher;
    use solidcrypt::drive::memory::SliceSource;
    use solidcrypt::drive::{upload, NewFile};
    let file = NewFile {
        folder,
        name,
        media_type: Some(media_type),
        size: bytes.len() as u64,
        fingerprint: None,
    };
    block_on(upload::<_, RustCryptoCipher, _, _>(
        pod,
        keyring,
        &file,
        &mut SliceSource::new(bytes, 16 * 1024),
        target,
        &mut |_| {},
        &|| false,
    ))
}

/// Uploads `bytes` as the text file `name` into `folder`, all in memory.
pub fn try_put_file<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    folder: &Url,
    name: &str,
    bytes: &[u8],
) -> Result<Url, solidcrypt::drive::UploadError> {
    let target = solidcrypt::drive::memory::VecUpload::new(pod);
    try_upload(pod, keyring, folder, (name, "text/plain"), bytes, target)
}

/// Parts of 96 KiB: a 300 KiB file is stored in 4. (Bigger than an envelope's
/// header and largest metadata block, as every real part 0 is: CSS answers a
/// `Range` reaching past a resource's end with 416, which costs another GET.)
pub const PART: usize = 96 * 1024;

/// Uploads `bytes` as `name` into `folder`, in parts of [`PART`] bytes.
pub fn put_in_parts<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    folder: &Url,
    name: &str,
    bytes: &[u8],
) -> Url {
    let target = solidcrypt::drive::parts::PodPartsUpload::new(pod, PART).unwrap();
    try_upload(pod, keyring, folder, (name, "video/mp4"), bytes, target)
        .unwrap_or_else(|e| panic!("upload of {name} in parts: {e}"))
}

/// Random bytes of length `len`.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    random::fill(&mut bytes).unwrap();
    bytes
}

/// [`try_put_file`] that must succeed.
pub fn put_file<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    folder: &Url,
    name: &str,
    bytes: &[u8],
) -> Url {
    try_put_file(pod, keyring, folder, name, bytes)
        .unwrap_or_else(|e| panic!("upload of {name}: {e}"))
}

/// Asserts that `resource`'s own ACL still gives alice Read, Write and Control, and
/// that she can still read it: sharing and revoking never lock the owner out.
pub fn alice_keeps_control<H: HttpClient>(alice: &solidcrypt::pod::Pod<'_, H>, resource: &Url) {
    use solidcrypt::pod::acl::Mode;
    let document = block_on(alice.read_acl(resource)).unwrap();
    let full = [Mode::Read, Mode::Write, Mode::Control];
    assert!(
        document.acl.authorizations.iter().any(|rule| {
            rule.agents.contains(&ALICE.webid())
                && rule.access_to.iter().any(|r| r == resource.as_str())
                && full.iter().all(|m| rule.modes.contains(m))
        }),
        "alice lost control of {resource}: {document:?}"
    );
    block_on(alice.head(resource)).expect("alice can still read");
}

/// A share link as its recipient gets it: turned into text and parsed again.
pub fn as_text(link: &solidcrypt::share::ShareLink) -> solidcrypt::share::ShareLink {
    let app = Url::parse("http://localhost:8080/").unwrap();
    solidcrypt::share::ShareLink::parse(&link.to_url(&app)).unwrap()
}

/// A new folder `name` at the top of `layout`'s drive (its files container).
pub fn new_top_folder<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    layout: &solidcrypt::keystore::Layout,
    name: &str,
) -> Url {
    block_on(solidcrypt::drive::new_folder(
        pod,
        keyring,
        &layout.files(),
        name,
    ))
    .unwrap_or_else(|e| panic!("new folder {name}: {e}"))
}

/// Alice's link of `access` to her file `file` (see `share::share_file`).
pub fn alice_shares_file<H: HttpClient>(
    alice: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    file: &Url,
    access: solidcrypt::share::Access,
) -> solidcrypt::share::ShareLink {
    let webid = ALICE.webid();
    block_on(solidcrypt::share::share_file(
        alice, keyring, &webid, file, access,
    ))
    .unwrap()
}

/// Alice's link of `access` to her folder `folder` (see `share::share_folder`).
pub fn alice_shares_folder<H: HttpClient>(
    alice: &solidcrypt::pod::Pod<'_, H>,
    keyring: &solidcrypt::keystore::Keyring,
    folder: &Url,
    access: solidcrypt::share::Access,
) -> solidcrypt::share::ShareLink {
    let webid = ALICE.webid();
    block_on(solidcrypt::share::share_folder(
        alice, keyring, &webid, folder, access,
    ))
    .unwrap()
}

/// The keystore a folder link names and the key that opens it.
pub fn folder_keystore(
    link: &solidcrypt::share::ShareLink,
) -> (Url, solidcrypt::crypto::SecretKey) {
    let solidcrypt::share::Shared::Folder {
        keystore,
        keystore_key,
        ..
    } = &link.shared
    else {
        panic!("a folder link")
    };
    (keystore.clone(), keystore_key.clone())
}

/// A new folder `name` in alice's drive, shared by a link of `access` that bob
/// accepted: the folder and the link.
pub fn alice_shares_a_folder_with_bob<A: HttpClient, B: HttpClient>(
    alice: (&solidcrypt::pod::Pod<'_, A>, &solidcrypt::keystore::Keyring),
    alice_layout: &solidcrypt::keystore::Layout,
    bob: (&solidcrypt::pod::Pod<'_, B>, &solidcrypt::keystore::Keyring),
    name: &str,
    access: solidcrypt::share::Access,
) -> (Url, solidcrypt::share::ShareLink) {
    let (alice, alice_keys) = alice;
    let files = alice_layout.files();
    let folder = block_on(solidcrypt::drive::new_folder(
        alice, alice_keys, &files, name,
    ))
    .unwrap();
    let webid = ALICE.webid();
    let link = solidcrypt::share::share_folder(alice, alice_keys, &webid, &folder, access);
    let link = block_on(link).unwrap();
    block_on(solidcrypt::share::accept(bob.0, bob.1, &link, &BOB.webid())).unwrap();
    (folder, link)
}

/// What [`drives_and_a_folder_alice_shares_with_bob`] made.
pub struct SharedFolder {
    pub alice_layout: solidcrypt::keystore::Layout,
    pub alice_keys: solidcrypt::keystore::Keyring,
    pub bob_layout: solidcrypt::keystore::Layout,
    pub bob_keys: solidcrypt::keystore::Keyring,
    pub folder: Url,
    pub link: solidcrypt::share::ShareLink,
}

/// A fresh drive for alice and then for bob, and a new folder `name` of alice's
/// shared by a link of `access` that bob accepted (see
/// [`alice_shares_a_folder_with_bob`]).
pub fn drives_and_a_folder_alice_shares_with_bob<A: HttpClient, B: HttpClient>(
    alice: &solidcrypt::pod::Pod<'_, A>,
    bob: &solidcrypt::pod::Pod<'_, B>,
    name: &str,
    access: solidcrypt::share::Access,
) -> SharedFolder {
    let (alice_layout, alice_keys) = new_drive(alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(bob, &BOB);
    let (folder, link) = alice_shares_a_folder_with_bob(
        (alice, &alice_keys),
        &alice_layout,
        (bob, &bob_keys),
        name,
        access,
    );
    SharedFolder {
        alice_layout,
        alice_keys,
        bob_layout,
        bob_keys,
        folder,
        link,
    }
}

/// The standard identity places of `account` (its real profile, public key
/// resource and inbox on the test pod).
pub fn identity_site(account: &Account) -> solidcrypt::identity::Site {
    solidcrypt::identity::Site::new(&Url::parse(&account.webid()).unwrap(), &account.storage())
}

/// A fresh drive for `account` whose identity key is made ready (docs/FORMAT.md §7)
/// in the account's real profile. Each call makes a new key and puts it in the
/// profile in place of the one there: tests that compare keys across calls must
/// not run at the same time (see `tests/identity_setup.rs`).
pub fn new_drive_with_identity<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    account: &Account,
) -> (
    solidcrypt::keystore::Layout,
    solidcrypt::keystore::Keyring,
    solidcrypt::identity::Identity<solidcrypt::crypto::identity_key::NativeIdentityKey>,
) {
    let (layout, keyring) = new_drive(pod, account);
    let identity = block_on(solidcrypt::identity::ensure_identity(
        pod,
        &keyring,
        &identity_site(account),
        &solidcrypt::crypto::identity_key::NativeKeyMaker::default(),
    ))
    .unwrap_or_else(|e| panic!("{} has no identity: {e}", account.name));
    (layout, keyring, identity)
}

/// `account`'s inbox, read once with its identity key `id`.
pub fn inbox_of<H: HttpClient>(
    pod: &solidcrypt::pod::Pod<'_, H>,
    keys: &solidcrypt::keystore::Keyring,
    account: &Account,
    id: &solidcrypt::identity::Identity<solidcrypt::crypto::identity_key::NativeIdentityKey>,
) -> solidcrypt::people::Inbox {
    let me = account.webid_url();
    block_on(solidcrypt::people::read_inbox(
        pod, keys, &me, &id.key, &id.inbox,
    ))
    .unwrap()
}

/// One test at a time per binary touches the seeded accounts' profiles: each
/// [`new_drive_with_identity`] publishes a new key there.
pub static PROFILES: Mutex<()> = Mutex::new(());

/// What [`Failing`] answers itself instead of the pod: `status` to `times`
/// requests of `method` whose URL contains `path`, after letting the first `skip`
/// such requests through.
#[derive(Debug, Clone)]
pub struct Fail {
    pub method: solidcrypt::pod::http::Method,
    pub path: String,
    pub skip: usize,
    pub times: usize,
    pub status: u16,
}

/// A transport that fails chosen requests (see [`Fail`]) and forwards the rest to
/// `inner`: the interrupted-move tests break one step at a time with it.
pub struct Failing<H> {
    inner: H,
    armed: Mutex<Option<Fail>>,
    failed: Mutex<usize>,
}

impl<H: HttpClient> Failing<H> {
    pub fn new(inner: H) -> Self {
        Failing {
            inner,
            armed: Mutex::new(None),
            failed: Mutex::new(0),
        }
    }

    /// Fails the requests `fail` picks from now on (in place of any earlier rule).
    pub fn arm(&self, fail: Fail) {
        *self.armed.lock().unwrap() = Some(fail);
        *self.failed.lock().unwrap() = 0;
    }

    /// Stops failing; returns how many requests were failed since [`Failing::arm`].
    pub fn disarm(&self) -> usize {
        *self.armed.lock().unwrap() = None;
        std::mem::take(&mut *self.failed.lock().unwrap())
    }
}

impl<H: HttpClient> HttpClient for Failing<H> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let status = {
            let mut armed = self.armed.lock().unwrap();
            match armed.as_mut() {
                Some(f) if f.method == request.method && request.url.contains(&f.path) => {
                    if f.skip > 0 {
                        f.skip -= 1;
                        None
                    } else if f.times > 0 {
                        f.times -= 1;
                        *self.failed.lock().unwrap() += 1;
                        Some(f.status)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        };
        match status {
            Some(status) => Ok(Response {
                status,
                headers: Vec::new(),
                body: Vec::new(),
            }),
            None => self.inner.send(request).await,
        }
    }
}
