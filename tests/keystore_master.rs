#![cfg(not(target_arch = "wasm32"))]
//! The master password on a real pod: first-run setup, unlock, wrong password (a
//! typed error and nothing written), change of password (only the index changes),
//! and keys that survive a fresh unlock (loaded once, cached, written through).

mod common;

use common::{block_on, scratch_container, NativeHttp, ALICE};
use solidcrypt::crypto::password::PasswordParams;
use solidcrypt::crypto::SecretKey;
use solidcrypt::keystore::master::{
    change_password, set_up, setup_state, unlock, ChangePasswordError, SetUpError, UnlockError,
};
use solidcrypt::keystore::{Entry, KeystoreKind, Layout, Password, SetupState};
use solidcrypt::pod::Pod;

/// Cheap Argon2id so the debug-build tests stay fast; real wraps use the defaults.
const FAST: PasswordParams = PasswordParams {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};

fn pw(text: &str) -> Password {
    Password::new(text.to_owned())
}

fn file_entry(name: &str) -> Entry {
    Entry {
        key: Some(SecretKey::generate().unwrap()),
        name: name.to_owned(),
        media_type: Some("text/plain".into()),
        size: Some(5),
    }
}

#[test]
fn set_up_unlock_wrong_password_and_change() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));

    assert_eq!(
        block_on(setup_state(&pod, &layout)).unwrap(),
        SetupState::NotSetUp
    );
    assert!(matches!(
        block_on(unlock(&pod, &layout, &pw("whatever-pass"))),
        Err(UnlockError::NotSetUp)
    ));
    assert!(matches!(
        block_on(set_up(&pod, &layout, &ALICE.webid(), &pw("short"), &FAST)),
        Err(SetUpError::TooShort)
    ));

    let keyring = block_on(set_up(
        &pod,
        &layout,
        &ALICE.webid(),
        &pw("correct horse"),
        &FAST,
    ))
    .unwrap();
    assert_eq!(
        block_on(setup_state(&pod, &layout)).unwrap(),
        SetupState::SetUp
    );
    assert_eq!(keyring.keystores().len(), 1);
    let keystores = keyring.keystores();
    let root = &keystores[0];
    assert_eq!(root.kind, KeystoreKind::Root);
    assert_eq!(root.scope, layout.files().as_str());
    assert_eq!(root.owner, ALICE.webid());
    assert!(root.url.starts_with(layout.keystores().as_str()));

    // A second setup (another tab) is refused and changes nothing.
    assert!(matches!(
        block_on(set_up(
            &pod,
            &layout,
            &ALICE.webid(),
            &pw("other password"),
            &FAST
        )),
        Err(SetUpError::AlreadySetUp)
    ));

    let file = format!("{}notes", layout.files());
    block_on(keyring.add(&pod, &file, file_entry("notes.txt"))).unwrap();
    let key = keyring.lookup(&file).unwrap().key.unwrap();

    // Wrong password: typed error, and the index is byte-for-byte unchanged.
    let before = block_on(pod.get(&layout.index())).unwrap();
    assert!(matches!(
        block_on(unlock(&pod, &layout, &pw("wrong password"))),
        Err(UnlockError::WrongPassword)
    ));
    assert!(matches!(
        block_on(change_password(
            &pod,
            &layout,
            &pw("wrong password"),
            &pw("new password!"),
            &FAST
        )),
        Err(ChangePasswordError::WrongPassword)
    ));
    let after = block_on(pod.get(&layout.index())).unwrap();
    assert_eq!(before.body, after.body);
    assert_eq!(before.meta.etag, after.meta.etag);

    // A fresh unlock finds the key written by the first session.
    let again = block_on(unlock(&pod, &layout, &pw("correct horse"))).unwrap();
    let found = again.lookup(&file).unwrap();
    assert_eq!(found.key.unwrap().expose_bytes(), key.expose_bytes());
    assert_eq!(found.name, "notes.txt");

    // Change: only the index is rewritten; the root keystore is untouched.
    let root_url = url::Url::parse(&root.url).unwrap();
    let root_before = block_on(pod.get(&root_url)).unwrap();
    block_on(change_password(
        &pod,
        &layout,
        &pw("correct horse"),
        &pw("battery staple"),
        &FAST,
    ))
    .unwrap();
    assert_eq!(block_on(pod.get(&root_url)).unwrap().body, root_before.body);
    assert!(matches!(
        block_on(unlock(&pod, &layout, &pw("correct horse"))),
        Err(UnlockError::WrongPassword)
    ));
    let changed = block_on(unlock(&pod, &layout, &pw("battery staple"))).unwrap();
    assert_eq!(
        changed.lookup(&file).unwrap().key.unwrap().expose_bytes(),
        key.expose_bytes()
    );
}

#[test]
fn the_pod_sees_no_key_and_no_name() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));
    let keyring = block_on(set_up(
        &pod,
        &layout,
        &ALICE.webid(),
        &pw("correct horse"),
        &FAST,
    ))
    .unwrap();
    let file = format!("{}secret-file", layout.files());
    let entry = file_entry("very-secret-name.txt");
    let key_text = entry.key.as_ref().unwrap().to_base64url().to_string();
    block_on(keyring.add(&pod, &file, entry)).unwrap();

    let root_url = url::Url::parse(&keyring.keystores()[0].url).unwrap();
    for url in [layout.index(), root_url] {
        let body = block_on(pod.get(&url)).unwrap().body;
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains(&key_text), "{url} leaks a key");
        assert!(!text.contains("very-secret-name"), "{url} leaks a name");
        assert!(!text.contains("secret-file"), "{url} leaks a URL");
    }
}

#[test]
fn remove_drops_keys_from_the_pod_copy() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let layout = Layout::at(scratch_container(&pod, &ALICE.storage()));
    let keyring = block_on(set_up(
        &pod,
        &layout,
        &ALICE.webid(),
        &pw("correct horse"),
        &FAST,
    ))
    .unwrap();
    let a = format!("{}a", layout.files());
    let b = format!("{}b", layout.files());
    block_on(keyring.add(&pod, &a, file_entry("a"))).unwrap();
    block_on(keyring.add(&pod, &b, file_entry("b"))).unwrap();
    block_on(keyring.remove(&pod, std::slice::from_ref(&a))).unwrap();
    assert!(keyring.lookup(&a).is_none());
    let fresh = block_on(unlock(&pod, &layout, &pw("correct horse"))).unwrap();
    assert!(fresh.lookup(&a).is_none());
    assert!(fresh.lookup(&b).is_some());
    // Nothing outside the root scope can be added.
    assert!(block_on(keyring.add(&pod, "http://elsewhere.example/x", file_entry("x"))).is_err());
}
