//! Entry points of the cargo-fuzz targets (`fuzz/fuzz_targets/`), one per parser of
//! outside input, shared with `tests/fuzz_replay.rs`, which feeds them every file
//! of `tests/fuzz_corpus/<target>/` (seeds and every crash found) in the ordinary
//! test run. Each must return, quickly, for any bytes; where a parser promises
//! more (a listing keeps only direct children, what parses serializes and parses
//! back), that is asserted here, so breaking the promise is a crash the fuzzer
//! finds.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use url::Url;

use crate::auth::dpop::DpopKey;
use crate::auth::oidc::discover;
use crate::auth::token::{request_token, Claims, ClientAuth};
use crate::crypto::envelope::{
    open, seal, Decryptor, Header, Metadata, RustCryptoCipher, SealOptions, HEADER_LEN,
};
use crate::crypto::password::PasswordWrap;
use crate::crypto::rsa_keys::RsaWrap;
use crate::crypto::SecretKey;
use crate::import::solidcryptpad::crypto::decrypt as solidcryptpad_decrypt;
use crate::import::solidcryptpad::format::{
    normalise, parse_data_url, parse_index, parse_keystore,
};
use crate::keystore::format::{parse_json, IndexDoc, KeystoreDoc};
use crate::pod::acl::Acl;
use crate::pod::acr::{from_acr, to_acr};
use crate::pod::container::{is_direct_child, parse_listing};
use crate::pod::http::{HttpClient, Request, Response, TransportError};
use crate::pod::links::{find_rel, parse_links};
use crate::pod::live::subscribe::parse_channel;
use crate::pod::live::{parse_activity, Change};
use crate::pod::profile::parse_profile;
use crate::share::{LinkError, LockedLink, ParsedLink, ShareLink, Shared, LINK_MAX_PARAMS};

/// The folder every fuzzed listing describes.
const CONTAINER: &str = "http://localhost:3000/bob/shared/";

/// A keystore document's JSON (after decryption): what parses writes and parses
/// back to the same entries.
pub fn keystore_json(data: &[u8]) {
    let Ok(doc) = parse_json::<KeystoreDoc>(data) else {
        return;
    };
    let json = serde_json::to_vec(&doc).expect("a parsed keystore serializes");
    let again = parse_json::<KeystoreDoc>(&json).expect("a written keystore parses");
    assert!(doc.entries.keys().eq(again.entries.keys()));
}

/// The keystore index's JSON (after decryption), likewise.
pub fn index_json(data: &[u8]) {
    let Ok(doc) = parse_json::<IndexDoc>(data) else {
        return;
    };
    let json = serde_json::to_vec(&doc).expect("a parsed index serializes");
    let again = parse_json::<IndexDoc>(&json).expect("a written index parses");
    assert_eq!(doc.keystores.len(), again.keystores.len());
}

/// A container listing (Turtle): only direct children of the container survive.
pub fn container_listing(data: &[u8]) {
    let container = Url::parse(CONTAINER).expect("a constant URL");
    let Ok(entries) = parse_listing(data, &container) else {
        return;
    };
    for entry in &entries {
        assert!(is_direct_child(&container, &entry.url), "{}", entry.url);
        assert_eq!(entry.is_container, entry.url.path().ends_with('/'));
    }
}

/// An ACL document (Turtle): what parses serializes, and that parses again with
/// the same rules; adding the owner's rule works on anything that parsed.
pub fn acl_document(data: &[u8]) {
    let acl_url = Url::parse("http://localhost:3000/bob/shared/.acl").expect("a constant URL");
    let Ok(mut acl) = Acl::parse(data, &acl_url) else {
        return;
    };
    let Ok(turtle) = acl.to_turtle() else {
        return; // e.g. a literal the serializer cannot write back: refused, not a crash
    };
    let again = Acl::parse(&turtle, &acl_url).expect("a written ACL parses");
    assert_eq!(acl.authorizations.len(), again.authorizations.len());
    let resource = Url::parse(CONTAINER).expect("a constant URL");
    let _ = acl.keep_owner(
        &acl_url,
        "http://localhost:3000/bob/profile/card#me",
        &resource,
    );
}

/// An ACP Access Control Resource (Turtle): what it reads writes back as an ACR
/// that reads to the same rules, and keeps what it could not read.
pub fn acr_document(data: &[u8]) {
    let acr_url = Url::parse("http://localhost:3000/bob/shared/.acr").expect("a constant URL");
    let resource = Url::parse(CONTAINER).expect("a constant URL");
    let Ok(acl) = from_acr(data, &acr_url, &resource) else {
        return;
    };
    let Ok(turtle) = to_acr(&acl, &acr_url, &resource) else {
        return; // e.g. a literal the serializer cannot write back: refused, not a crash
    };
    let again = from_acr(&turtle, &acr_url, &resource).expect("a written ACR parses");
    assert_eq!(acl.authorizations.len(), again.authorizations.len());
}

/// A notification message (and, the same bytes, a subscription answer) for a
/// channel on the fuzzed container: an accepted event is about a direct child
/// (`Add`/`Remove`, targeting the container) or the container itself; an accepted
/// socket is on the container's host and port.
pub fn notification(data: &[u8]) {
    let topic = Url::parse(CONTAINER).expect("a constant URL");
    if let Ok(Some(event)) = parse_activity(data, &topic) {
        match event.change {
            Change::Added | Change::Removed => {
                assert!(is_direct_child(&topic, &event.object), "{}", event.object);
                assert_eq!(event.target.as_ref(), Some(&topic));
            }
            Change::Updated | Change::Deleted => assert_eq!(event.object, topic),
        }
    }
    if let Ok(channel) = parse_channel(data, &topic) {
        let socket = &channel.receive_from;
        assert_eq!(socket.host_str(), topic.host_str());
        assert_eq!(
            socket.port_or_known_default(),
            topic.port_or_known_default()
        );
        assert!(matches!(socket.scheme(), "ws" | "wss"));
    }
}

/// A WebID profile document (Turtle).
pub fn webid_profile(data: &[u8]) {
    let webid = Url::parse("http://localhost:3000/bob/profile/card#me").expect("a constant URL");
    let _ = parse_profile(data, &webid);
}

/// A `Link` header (RFC 8288): at most one link per `<`, relations lower-cased.
pub fn link_header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = Url::parse("http://localhost:3000/bob/file").expect("a constant URL");
    let links = parse_links(text, &base);
    assert!(links.len() <= text.matches('<').count());
    for link in &links {
        assert!(link.rels.iter().all(|r| *r == r.to_ascii_lowercase()));
    }
    let _ = find_rel(&links, "acl");
}

/// An identity provider's OpenID configuration, as `discover` reads it. The first
/// byte picks the status (so error answers are read too), the rest is the body.
pub fn oidc_metadata(data: &[u8]) {
    let (status, body) = status_and_body(data);
    let issuer = Url::parse("https://idp.example/").expect("a constant URL");
    let _ = run(discover(&Canned { status, body }, &issuer));
}

/// A token endpoint's answer, as `request_token` reads it, and the claims of any
/// ID token in it.
pub fn token_answer(data: &[u8]) {
    thread_local! {
        // One key for every input: generating one per input was most of the time.
        static KEY: DpopKey = DpopKey::generate().expect("randomness");
    }
    let (status, body) = status_and_body(data);
    let answer = KEY.with(|key| {
        run(request_token(
            &Canned { status, body },
            "https://idp.example/token",
            &[("grant_type", "authorization_code")],
            ClientAuth::Public { client_id: "app" },
            key,
        ))
    });
    if let Ok(token) = answer {
        if let Some(claims) = token.id_token.as_deref().and_then(Claims::of) {
            let _ = (claims.webid(), claims.has_audience("app"));
        }
    }
}

/// The streaming decryptor, fed arbitrary bytes in arbitrary pieces, never panics
/// and never yields plaintext for bytes it did not seal; and a real envelope with
/// any one change (bit flip, cut, appended or inserted byte) is always rejected.
/// The first byte picks the mode and the piece size or the mutation.
pub fn envelope_decrypt(data: &[u8]) {
    let key = SecretKey::from_bytes([0x42; 32]);
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let piece = usize::from(mode >> 1) + 1;
        let mut decryptor = Decryptor::<RustCryptoCipher>::new(&key);
        let mut out = Vec::new();
        let pushed = rest
            .chunks(piece)
            .all(|part| decryptor.push_blocking(part, &mut out).is_ok());
        if pushed && decryptor.finish_blocking(&mut out).is_ok() {
            // Only possible for a genuine envelope under this key: the one-shot
            // reader must agree.
            assert_eq!(*open(&key, rest).expect("streamed ok").plaintext, out);
        }
        return;
    }
    // Seal `rest` (first two bytes: chunk size and mutation), then mutate once.
    let Some((&[size, change], plaintext)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let options = SealOptions {
        chunk_size: 64 + u32::from(size),
        metadata: Metadata {
            name: (mode & 2 != 0).then(|| "f".into()),
            ..Metadata::default()
        },
    };
    let envelope = seal(&key, plaintext, &options).expect("seal");
    assert_eq!(
        *open(&key, &envelope).expect("round trip").plaintext,
        plaintext
    );
    let position = (usize::from(change) * 7919 + plaintext.len()) % envelope.len();
    let mut mutated = envelope;
    match mode >> 2 & 3 {
        0 => mutated[position] ^= 1 << (change % 8),
        1 => mutated.truncate(position),
        2 => mutated.push(change),
        _ => mutated.insert(position, change),
    }
    assert!(open(&key, &mutated).is_err(), "a modified envelope opened");
}

/// The envelope header and metadata-record parsers: whatever they accept
/// serializes back to the same bytes (records: the same value).
pub fn envelope_header(data: &[u8]) {
    if let Ok(header) = Header::parse(data) {
        assert_eq!(header.to_bytes()[..], data[..HEADER_LEN]);
        assert_eq!(Header::parse(&header.to_bytes()).as_ref(), Ok(&header));
    }
    if let Ok(meta) = Metadata::from_records(data) {
        let records = meta.to_records().expect("parsed records re-encode");
        assert_eq!(Metadata::from_records(&records), Ok(meta));
    }
}

/// The password-wrap and RSA-wrap parsers and the key text form: what they accept
/// serializes back to the same bytes. (Unwrapping is not fuzzed: Argon2id and RSA
/// make each run too slow; their error paths are unit-tested.)
pub fn key_wraps(data: &[u8]) {
    if let Ok(wrap) = PasswordWrap::parse(data) {
        assert_eq!(wrap.to_bytes()[..], data[..]);
    }
    if let Ok(wrap) = RsaWrap::parse(data) {
        assert_eq!(wrap.to_bytes(), data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(key) = SecretKey::from_base64url(text) {
            assert_eq!(key.to_base64url().as_str(), text);
        }
    }
}

/// The share-link parser, on the input as a whole link and as a fragment: whatever
/// it accepts builds back into a link that parses to the same resource, access,
/// group and key; a password link (FORMAT.md §5.4) to the same fields and the same
/// wrap, whose Argon2id cost is within the link limits (it is not unlocked here:
/// Argon2id is too slow per run).
pub fn share_link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for candidate in [text.to_owned(), format!("https://app.example/share#{text}")] {
        let link = match ParsedLink::parse(&candidate) {
            Ok(ParsedLink::Open(link)) => link,
            Ok(ParsedLink::Locked(locked)) => {
                locked_link(&candidate, &locked);
                continue;
            }
            Err(_) => continue,
        };
        // Any http(s) URL serves as the app's address; the group's is at hand.
        let again = ShareLink::parse(&link.to_url(&link.group)).expect("a built link parses");
        assert_eq!(again.access, link.access);
        assert_eq!(again.group, link.group);
        assert_eq!(again.shared.url(), link.shared.url());
        match (&again.shared, &link.shared) {
            (Shared::FileKey { key: a, .. }, Shared::FileKey { key: b, .. }) => {
                assert_eq!(a.expose_bytes(), b.expose_bytes());
            }
            (Shared::File { .. }, Shared::File { .. })
            | (Shared::Folder { .. }, Shared::Folder { .. }) => {
                let ((a, ka), (b, kb)) = (
                    again.shared.keystore().expect("a keystore"),
                    link.shared.keystore().expect("a keystore"),
                );
                assert_eq!(a, b);
                assert_eq!(ka.expose_bytes(), kb.expose_bytes());
            }
            _ => panic!("the kind changed"),
        }
    }
}

/// A parsed password link: refused by [`ShareLink::parse`], within the cost
/// limits, and built back into the same link.
fn locked_link(text: &str, locked: &LockedLink) {
    assert_eq!(
        ShareLink::parse(text).unwrap_err(),
        LinkError::NeedsPassword
    );
    let cost = &locked.wrap.params;
    assert!(cost.m_cost_kib <= LINK_MAX_PARAMS.m_cost_kib);
    assert!(cost.t_cost <= LINK_MAX_PARAMS.t_cost && cost.p_cost <= LINK_MAX_PARAMS.p_cost);
    let Ok(ParsedLink::Locked(again)) = ParsedLink::parse(&locked.to_url(&locked.group)) else {
        panic!("a built password link parses as one");
    };
    assert_eq!(
        (
            again.folder,
            again.access,
            &again.url,
            &again.group,
            &again.keystore
        ),
        (
            locked.folder,
            locked.access,
            &locked.url,
            &locked.group,
            &locked.keystore
        )
    );
    assert_eq!(again.wrap, locked.wrap);
}

fn status_and_body(data: &[u8]) -> (u16, Vec<u8>) {
    let status = match data.first() {
        Some(b) if b % 4 == 1 => 400,
        Some(b) if b % 4 == 2 => 500,
        Some(b) if b % 4 == 3 => 302,
        _ => 200,
    };
    (status, data.get(1..).unwrap_or_default().to_vec())
}

/// What "Import from SolidCryptPad" reads from a pod (import::solidcryptpad): the
/// first byte picks the parser — 0 a crypto-js passphrase text (decrypted with a
/// fixed passphrase), 1 the keystore index, 2 a keystore, else a data URL. A data
/// URL that parses writes back (`data:<type>;base64,…`) and parses to the same
/// bytes; a normalised URL has no spaces left.
pub fn solidcryptpad(data: &[u8]) {
    use base64::Engine as _;
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match pick {
        0 => {
            if let Ok(plain) = solidcryptpad_decrypt(rest, b"fuzz passphrase") {
                assert!(!plain.is_empty());
            }
        }
        1 => {
            if let Ok(entries) = parse_index(&text) {
                assert!(entries.iter().all(|e| !e.passphrase.is_empty()));
            }
        }
        2 => {
            let _ = parse_keystore(&text);
            assert!(!normalise(&text).contains(' '));
        }
        _ => {
            if let Ok(parsed) = parse_data_url(&text) {
                let written = format!(
                    "data:{};base64,{}",
                    parsed.media_type,
                    base64::engine::general_purpose::STANDARD.encode(&parsed.bytes[..])
                );
                let again = parse_data_url(&written).expect("a written data URL parses");
                assert_eq!(again, parsed);
            }
        }
    }
}

/// A transport that answers every request with one canned response, at once.
struct Canned {
    status: u16,
    body: Vec<u8>,
}

impl HttpClient for Canned {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        Ok(Response {
            status: self.status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: self.body.clone(),
        })
    }
}

/// Runs a future that never waits (its only I/O is [`Canned`]).
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a canned answer never waits"),
    }
}
