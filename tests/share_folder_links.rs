#![cfg(not(target_arch = "wasm32"))]
//! Folder links through the sharing API on a real pod: alice shares a folder of her
//! drive read-write; bob accepts, reads what is there, uploads into it with the
//! drive code (his key goes into the folder's shared keystore), alice decrypts his
//! file after a fresh unlock, bob decrypts the one she adds next. A read-only link
//! keeps bob from writing. Revoking the read-write link removes the grants and the
//! keystore and re-encrypts every file under new keys, which reach the keystore of
//! the link that remains and not bob.

mod common;

use common::{
    alice_shares_file, alice_shares_folder, block_on, drive_password, folder_keystore, log_in,
    new_drive, new_top_folder, pods, put_file, try_put_file, NativeHttp, ALICE, BOB, CAROL,
};
use solidcrypt::crypto::envelope::open;
use solidcrypt::drive::{download_to_memory, list_folder, UploadError};
use solidcrypt::keystore::format::{decrypt, KeystoreDoc};
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::{Keyring, KeystoreKind, Layout, Unreadable};
use solidcrypt::pod::acl::Mode;
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::resource::Condition;
use solidcrypt::pod::Pod;
use solidcrypt::share::{
    accept, forget_shared, links_created, revoke, shared_with_me, Accepted, Access, LinkKind,
    RevokeProgress, ShareLink, SharedKind,
};
use url::Url;

fn get_file<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, url: &Url) -> Vec<u8> {
    let (_, sink) = block_on(download_to_memory(pod, keyring, url))
        .unwrap_or_else(|e| panic!("download of {url}: {e}"));
    sink.0.to_vec()
}

fn unlock_again<H: HttpClient>(pod: &Pod<'_, H>, layout: &Layout) -> Keyring {
    block_on(unlock(pod, layout, &drive_password())).unwrap()
}

/// Whether `resource`'s own ACL gives alice Read/Write/Control, and gives the
/// link's group exactly `modes` (with `acl:default` for a folder).
fn check_acl<H: HttpClient>(alice: &Pod<'_, H>, resource: &Url, link: &ShareLink, modes: &[Mode]) {
    let document = block_on(alice.read_acl(resource)).unwrap();
    let rules = &document.acl.authorizations;
    let full = [Mode::Read, Mode::Write, Mode::Control];
    assert!(
        rules.iter().any(|rule| rule.agents.contains(&ALICE.webid())
            && rule.access_to.iter().any(|r| r == resource.as_str())
            && full.iter().all(|m| rule.modes.contains(m))),
        "alice lost control of {resource}: {document:?}"
    );
    let group = format!("{}#group", link.group);
    let granted: Vec<_> = rules
        .iter()
        .filter(|rule| rule.agent_groups.contains(&group))
        .collect();
    assert_eq!(granted.len(), 1, "{document:?}");
    let mut got: Vec<Mode> = granted[0].modes.iter().copied().collect();
    got.sort_by_key(|m| format!("{m:?}"));
    let mut want = modes.to_vec();
    want.sort_by_key(|m| format!("{m:?}"));
    assert_eq!(got, want, "modes on {resource}");
    if resource.path().ends_with('/') {
        assert!(granted[0].default.iter().any(|d| d == resource.as_str()));
    }
}

fn as_text(link: &ShareLink) -> ShareLink {
    let app = Url::parse("http://localhost:8080/").unwrap();
    let text = link.to_url(&app);
    assert!(text.contains("kind=folder"));
    ShareLink::parse(&text).unwrap()
}

#[test]
fn read_write_folder_link_both_sides_write_then_revoke_rotates() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (bob_layout, bob_keys) = new_drive(&bob, &BOB);
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Project");
    let plan = b"the plan, by alice".to_vec();
    let plan_url = put_file(&alice, &alice_keys, &folder, "plan.txt", &plan);

    let link = alice_shares_folder(&alice, &alice_keys, &folder, Access::ReadWrite);
    let (keystore, keystore_key) = folder_keystore(&link);
    check_acl(
        &alice,
        &folder,
        &link,
        &[Mode::Read, Mode::Write, Mode::Append],
    );
    check_acl(&alice, &keystore, &link, &[Mode::Read, Mode::Write]);
    let listed = block_on(links_created(&alice, &alice_keys)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].kind, listed[0].access(), listed[0].name.as_str()),
        (LinkKind::Folder, Access::ReadWrite, "Project")
    );
    // The shared keystore holds the folder's keys and is in alice's index.
    let shared_doc: KeystoreDoc =
        decrypt(&block_on(alice.get(&keystore)).unwrap().body, &keystore_key).unwrap();
    assert!(shared_doc.entries.contains_key(plan_url.as_str()));
    assert!(unlock_again(&alice, &alice_layout)
        .keystores()
        .iter()
        .any(|e| e.kind == KeystoreKind::SharedFolder
            && e.url == keystore.as_str()
            && e.scope == folder.as_str()));
    // Nothing for carol, who never joined, even with the addresses.
    assert_eq!(
        block_on(carol.get(&plan_url)).unwrap_err(),
        ReadError::Forbidden
    );
    assert_eq!(
        block_on(carol.get(&keystore)).unwrap_err(),
        ReadError::Forbidden
    );

    // Bob accepts, and reads what is there.
    let accepted = block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    let Accepted::Folder { name, access, .. } = accepted else {
        panic!("a folder link opens a folder")
    };
    assert_eq!((name.as_str(), access), ("Project", Access::ReadWrite));
    let shared = shared_with_me(&bob_keys);
    assert_eq!(shared.len(), 1);
    assert_eq!(
        (shared[0].kind, shared[0].name.as_str(), shared[0].access),
        (SharedKind::Folder, "Project", Access::ReadWrite)
    );
    assert!(
        shared_with_me(&alice_keys).is_empty(),
        "her own shared folder is not shared with her"
    );
    assert_eq!(get_file(&bob, &bob_keys, &plan_url), plan);
    let items = block_on(list_folder(&bob, &bob_keys, &folder)).unwrap();
    assert!(items.iter().any(|i| i.name == "plan.txt"), "{items:?}");

    // Bob uploads into alice's folder; alice (fresh unlock) decrypts it.
    let notes = b"bob's notes".to_vec();
    let notes_url = put_file(&bob, &bob_keys, &folder, "notes.txt", &notes);
    assert!(notes_url.as_str().starts_with(folder.as_str()));
    let alice_fresh = unlock_again(&alice, &alice_layout);
    assert_eq!(get_file(&alice, &alice_fresh, &notes_url), notes);
    assert_eq!(
        alice_fresh.lookup(notes_url.as_str()).unwrap().name,
        "notes.txt"
    );

    // Alice adds a file; bob (his keystores re-read) decrypts it.
    let more = b"more from alice".to_vec();
    let more_url = put_file(&alice, &alice_keys, &folder, "more.txt", &more);
    block_on(bob_keys.refresh(&bob)).unwrap();
    assert_eq!(get_file(&bob, &bob_keys, &more_url), more);
    // And after a fresh unlock of his own drive, the folder is still his to open.
    let bob_fresh = unlock_again(&bob, &bob_layout);
    assert_eq!(get_file(&bob, &bob_fresh, &more_url), more);

    // A second, read-only link to the same folder: its own keystore and group.
    let read_only = alice_shares_folder(&alice, &alice_keys, &folder, Access::Read);
    let (ro_keystore, ro_key) = folder_keystore(&read_only);
    assert_ne!(ro_keystore, keystore);
    check_acl(&alice, &folder, &read_only, &[Mode::Read]);
    check_acl(&alice, &ro_keystore, &read_only, &[Mode::Read]);

    // Alice revokes the read-write link.
    let created = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .into_iter()
        .find(|l| l.group == link.group.as_str())
        .unwrap();
    let old_keys: Vec<_> = [&plan_url, &notes_url, &more_url]
        .iter()
        .map(|u| bob_keys.lookup(u.as_str()).unwrap().key.unwrap())
        .collect();
    let told = std::cell::RefCell::new(Vec::new());
    let revoked = block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &created,
        &|step| told.borrow_mut().push(step),
    ))
    .unwrap();
    assert_eq!(
        told.into_inner(),
        [
            RevokeProgress::Withdrawing,
            RevokeProgress::Reencrypting { file: 1, of: 3 },
            RevokeProgress::Reencrypting { file: 2, of: 3 },
            RevokeProgress::Reencrypting { file: 3, of: 3 },
        ],
        "the user is told how far it got"
    );
    let mut rotated = revoked.rotated.clone();
    rotated.sort();
    let mut expected = vec![plan_url.clone(), notes_url.clone(), more_url.clone()];
    expected.sort();
    assert_eq!(rotated, expected);

    // Bob is out of the folder and the keystore; the keystore is gone.
    assert_eq!(
        block_on(bob.get(&plan_url)).unwrap_err(),
        ReadError::Forbidden
    );
    assert_eq!(
        block_on(bob.get(&folder)).unwrap_err(),
        ReadError::Forbidden
    );
    assert_eq!(
        block_on(alice.get(&keystore)).unwrap_err(),
        ReadError::NotFound
    );
    let read_acl = block_on(alice.read_acl(&folder)).unwrap();
    assert!(
        !read_acl
            .acl
            .authorizations
            .iter()
            .any(|r| r.agent_groups.contains(&format!("{}#group", link.group))),
        "the revoked group keeps no rule"
    );
    check_acl(&alice, &folder, &read_only, &[Mode::Read]);
    let alice_after = unlock_again(&alice, &alice_layout);
    assert!(!alice_after
        .keystores()
        .iter()
        .any(|e| e.url == keystore.as_str()));

    // Every file was re-encrypted: bob's old keys open none of them; alice's new
    // keys (in her root keystore and in the remaining link's keystore) do.
    let remaining: KeystoreDoc =
        decrypt(&block_on(alice.get(&ro_keystore)).unwrap().body, &ro_key).unwrap();
    for ((url, plaintext), old) in [(&plan_url, &plan), (&notes_url, &notes), (&more_url, &more)]
        .into_iter()
        .zip(&old_keys)
    {
        let body = block_on(alice.get(url)).unwrap().body;
        assert!(
            open(old, &body).is_err(),
            "{url} still opens with bob's key"
        );
        assert_eq!(&get_file(&alice, &alice_after, url), plaintext);
        let new_key = alice_after.lookup(url.as_str()).unwrap().key.unwrap();
        let in_remaining = remaining.entries[url.as_str()].key.as_ref().unwrap();
        assert_eq!(in_remaining.expose_bytes(), new_key.expose_bytes());
    }
    assert_eq!(
        block_on(links_created(&alice, &alice_keys)).unwrap().len(),
        1
    );

    // Bob's drive still unlocks; the revoked folder shows as unavailable until he
    // forgets it.
    let bob_after = unlock_again(&bob, &bob_layout);
    let shared = shared_with_me(&bob_after);
    assert_eq!(shared.len(), 1);
    assert_eq!(
        shared[0].unavailable,
        Some(Unreadable::Withdrawn),
        "{shared:?}"
    );
    assert!(bob_after.lookup(plan_url.as_str()).is_none());
    block_on(forget_shared(&bob, &bob_after, &shared[0])).unwrap();
    assert!(shared_with_me(&bob_after).is_empty());
    assert!(shared_with_me(&unlock_again(&bob, &bob_layout)).is_empty());
}

#[test]
fn read_only_folder_link_refuses_uploads_and_leaves_no_ciphertext() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Read me");
    let text = b"read, do not write".to_vec();
    let url = put_file(&alice, &alice_keys, &folder, "r.txt", &text);
    let link = alice_shares_folder(&alice, &alice_keys, &folder, Access::Read);
    block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    // Accepting twice adds nothing to his index.
    block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    assert_eq!(shared_with_me(&bob_keys).len(), 1);
    assert_eq!(get_file(&bob, &bob_keys, &url), text);

    let before = block_on(alice.list(&folder)).unwrap().len();
    let refused = try_put_file(&bob, &bob_keys, &folder, "nope.txt", b"nope");
    assert!(
        matches!(refused, Err(UploadError::Keystore(_))),
        "{refused:?}"
    );
    assert_eq!(
        block_on(alice.list(&folder)).unwrap().len(),
        before,
        "no ciphertext without its key"
    );
    assert_eq!(
        block_on(bob.put(
            &url,
            "application/octet-stream",
            b"overwrite".to_vec(),
            &Condition::Always
        )),
        Err(WriteError::Forbidden)
    );
}

#[test]
fn a_file_shared_alone_is_reached_by_a_later_folder_link_and_follows_it_again() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let (_, bob_keys) = new_drive(&bob, &BOB);
    let folder = new_top_folder(&alice, &alice_keys, &alice_layout, "Mixed");
    let text = b"shared alone first".to_vec();
    let file = put_file(&alice, &alice_keys, &folder, "alone.txt", &text);
    alice_shares_file(&alice, &alice_keys, &file, Access::Read);
    assert!(
        block_on(alice.read_acl(&file)).unwrap().etag.is_some(),
        "own ACL"
    );

    // The folder link reaches the file despite its own ACL.
    let link = alice_shares_folder(&alice, &alice_keys, &folder, Access::ReadWrite);
    block_on(accept(&bob, &bob_keys, &as_text(&link), &BOB.webid())).unwrap();
    assert_eq!(get_file(&bob, &bob_keys, &file), text);

    // Revoking the file link drops the file's own ACL: it follows the folder again.
    let file_link = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .into_iter()
        .find(|l| l.kind == LinkKind::File)
        .unwrap();
    block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &file_link,
        &|_| {},
    ))
    .unwrap();
    assert!(
        block_on(alice.read_acl(&file)).unwrap().etag.is_none(),
        "ACL dropped"
    );
    block_on(bob_keys.refresh(&bob)).unwrap();
    assert_eq!(
        get_file(&bob, &bob_keys, &file),
        text,
        "new key via the folder"
    );

    // Revoking the folder link puts bob out of the file too.
    let folder_link = block_on(links_created(&alice, &alice_keys))
        .unwrap()
        .remove(0);
    block_on(revoke(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &folder_link,
        &|_| {},
    ))
    .unwrap();
    assert_eq!(block_on(bob.get(&file)).unwrap_err(), ReadError::Forbidden);
    assert_eq!(get_file(&alice, &alice_keys, &file), text);
}
