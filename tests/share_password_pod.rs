#![cfg(not(target_arch = "wasm32"))]
//! Password links on a real pod (FORMAT.md §5.4, §6): alice locks a new file link
//! under a password and marks it in "links I created" (`share::protect`), which
//! lists it as needing a password and copies it again as sent — with the wrap,
//! never the password or the plain key. Bob parses it, a wrong password is refused
//! without a single request to the pod, and the right one gives the link that he
//! accepts and reads the file with.

mod common;

use common::{alice_shares_file, block_on, new_drive, put_file, Counting, NativeHttp, ALICE, BOB};
use solidcrypt::crypto::password::{Inline, PasswordParams};
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept, links_created, protect, Accepted, Access, LockedLink, ParsedLink, UnlockError,
};
use url::Url;

/// Cheap Argon2id: this test is about the flow, not the cost.
const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

#[test]
fn password_link_is_listed_as_such_and_opens_with_its_password_only() {
    let http = NativeHttp::new();
    let (alice_session, bob_session) = (ALICE.login(&http), BOB.login(&http));
    let alice = Pod::new(&http, Some(&alice_session));
    let counted = Counting::new(&http);
    let bob = Pod::new(&counted, Some(&bob_session));
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let plaintext = format!("for bob {}", common::unique("x")).into_bytes();
    let file = put_file(
        &alice,
        &alice_keys,
        &alice_layout.files(),
        "secret.txt",
        &plaintext,
    );

    let link = alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    let locked = block_on(LockedLink::lock_using(&Inline, &link, "tulip", &FAST)).unwrap();
    block_on(protect(&alice, &alice_keys, &locked)).unwrap();
    let app = Url::parse("https://app.example/").unwrap();
    let sent = locked.to_url(&app);
    let listed = block_on(links_created(&alice, &alice_keys)).unwrap();
    let entry = listed
        .iter()
        .find(|l| l.group == link.group.as_str())
        .unwrap();
    assert!(entry.needs_password());
    assert_eq!(entry.link_text(&app).unwrap(), sent, "copied again as sent");
    let (_, plain_key) = link.shared.keystore().unwrap();
    assert!(!sent.contains(plain_key.to_base64url().as_str()));
    assert!(!entry.password_wrap.as_deref().unwrap().contains("tulip"));

    let ParsedLink::Locked(received) = ParsedLink::parse(&sent).unwrap() else {
        panic!("a password link parses as locked")
    };
    counted.take();
    assert_eq!(
        received.unlock("tulips").unwrap_err(),
        UnlockError::WrongPassword
    );
    assert_eq!(
        counted.take(),
        Vec::<String>::new(),
        "no request before the password is right"
    );
    let opened = received.unlock("tulip").unwrap();
    let Accepted::File { content, .. } =
        block_on(accept(&bob, &bob_keys, &opened, &BOB.webid())).unwrap()
    else {
        panic!("a file link opens a file")
    };
    assert_eq!(content.unwrap().as_slice(), plaintext.as_slice());
}
