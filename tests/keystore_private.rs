#![cfg(not(target_arch = "wasm32"))]
//! Private by default (docs/SECURITY.md): the app's folder gets an owner-only ACL of
//! its own at setup, and an existing drive at its next unlock, so a storage that
//! everyone may read never hands out the password wrap (offline guessing) or the
//! listing of the encrypted files. Sharing keeps working below it
//! (tests/share_*.rs set up their drives the same way).

mod common;

use common::{alice_keeps_control, block_on, drive_password, scratch_container, FAST};
use common::{NativeHttp, ALICE, BOB};
use solidcrypt::keystore::master::{set_up, unlock};
use solidcrypt::keystore::private::{keep_private, Privacy};
use solidcrypt::keystore::Layout;
use solidcrypt::pod::acl::{Authorization, Mode};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::{vocab, Pod};
use url::Url;

/// A scratch folder of alice's that everyone may read (and everything in it):
/// a storage made public by its owner or by another app.
fn public_folder(alice: &Pod<'_, NativeHttp>) -> Url {
    let folder = scratch_container(alice, &ALICE.storage());
    let mut document = block_on(alice.read_acl(&folder)).unwrap();
    let mut public = Authorization::new(&document.url, "public").unwrap();
    public.agent_classes.push(vocab::FOAF_AGENT.to_owned());
    public.access_to.push(folder.to_string());
    public.default.push(folder.to_string());
    public.modes.insert(Mode::Read);
    document.acl.authorizations.push(public);
    block_on(alice.write_acl(&document, &ALICE.webid())).unwrap();

    // It really is public: anyone reads a file put there.
    let probe = folder.join("probe.txt").unwrap();
    block_on(alice.put(&probe, "text/plain", b"hi".to_vec(), &Condition::IfAbsent)).unwrap();
    let http = NativeHttp::new();
    let anyone = Pod::new(&http, None);
    assert_eq!(block_on(anyone.get(&probe)).unwrap().body, b"hi");
    folder
}

/// A drive of alice's set up inside [`public_folder`].
fn drive_in_public_folder(alice: &Pod<'_, NativeHttp>) -> Layout {
    let layout = Layout::at(public_folder(alice).join("solidcrypt-data/").unwrap());
    block_on(set_up(
        alice,
        &layout,
        &ALICE.webid(),
        &drive_password(),
        &FAST,
    ))
    .unwrap();
    layout
}

/// What the drive's own documents look like to `who`: every one must be refused.
fn assert_refused<H: HttpClient>(who: &Pod<'_, H>, layout: &Layout, expected: ReadError) {
    for url in [
        layout.index(),
        layout.keystores(),
        layout.base().clone(),
        layout.files(),
    ] {
        assert_eq!(
            block_on(who.get(&url)).map(|_| ()),
            Err(expected.clone()),
            "{url} must not be readable"
        );
    }
}

#[test]
fn a_drive_set_up_in_a_public_storage_is_readable_by_its_owner_only() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let layout = drive_in_public_folder(&alice);

    let anyone = Pod::new(&http, None);
    assert_refused(&anyone, &layout, ReadError::Unauthorized);
    let bob_session = BOB.login(&http);
    let bob = Pod::new(&http, Some(&bob_session));
    assert_refused(&bob, &layout, ReadError::Forbidden);

    // The owner is not locked out: she controls the folder and unlocks.
    alice_keeps_control(&alice, layout.base());
    block_on(unlock(&alice, &layout, &drive_password())).unwrap();
    assert_eq!(
        block_on(keep_private(&alice, &layout, &ALICE.webid())).unwrap(),
        Privacy::AlreadyOwn
    );
}

#[test]
fn a_drive_set_up_before_is_made_private_once_and_keeps_working() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let alice = Pod::new(&http, Some(&session));
    let layout = drive_in_public_folder(&alice);
    // As a drive set up by an older version: no ACL of its own, so it inherits
    // the public folder's rules and anyone can fetch the password wrap.
    let acl = block_on(alice.acl_url(layout.base())).unwrap();
    block_on(alice.delete(&acl, &Condition::Always)).unwrap();
    let anyone = Pod::new(&http, None);
    assert!(block_on(anyone.get(&layout.index())).is_ok());

    assert_eq!(
        block_on(keep_private(&alice, &layout, &ALICE.webid())).unwrap(),
        Privacy::MadePrivate
    );
    assert_refused(&anyone, &layout, ReadError::Unauthorized);
    assert_eq!(
        block_on(keep_private(&alice, &layout, &ALICE.webid())).unwrap(),
        Privacy::AlreadyOwn,
        "idempotent"
    );
    alice_keeps_control(&alice, layout.base());
    block_on(unlock(&alice, &layout, &drive_password())).unwrap();
}
