#![cfg(not(target_arch = "wasm32"))]
//! Renaming and moving files and folders on a real pod (issue 17 item 2): names
//! change in every covering keystore and survive a fresh unlock; moves write the
//! file anew under a fresh key (so moving out of a shared folder leaves its
//! members nothing to open); a collaborator's rename in a read-write folder shows
//! for the owner; hostile names are refused; every interrupted move leaves the
//! file readable at one place or both; files in parts move too.

mod common;

use common::{
    alice_shares_a_folder_with_bob, block_on, drive_password,
    drives_and_a_folder_alice_shares_with_bob, folder_keystore, log_in, new_drive, pods, put_file,
    random_bytes, Fail, Failing, NativeHttp, SharedFolder, ALICE, BOB,
};
use solidcrypt::crypto::envelope::{open, DEFAULT_CHUNK_SIZE};
use solidcrypt::drive::memory::VecUpload;
use solidcrypt::drive::parts::{envelope_len_bound, generations, PartPolicy, PodPartsUpload};
use solidcrypt::drive::{
    download_to_memory, list_folder, move_members, move_to, new_folder, rename, MoveError,
    NameError, RenameError,
};
use solidcrypt::keystore::format::KeystoreDoc;
use solidcrypt::keystore::master::unlock;
use solidcrypt::keystore::store::update;
use solidcrypt::keystore::{Keyring, Layout};
use solidcrypt::pod::error::{ReadError, WriteError};
use solidcrypt::pod::http::{HttpClient, Method};
use solidcrypt::pod::Pod;
use solidcrypt::share::Access;
use url::Url;

fn get<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, url: &Url) -> Vec<u8> {
    let (_, sink) = block_on(download_to_memory(pod, keyring, url))
        .unwrap_or_else(|e| panic!("download of {url}: {e}"));
    sink.0.to_vec()
}

/// The names listed in `folder`, in listing order (folders first, then by name).
fn names<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, folder: &Url) -> Vec<String> {
    block_on(list_folder(pod, keyring, folder))
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect()
}

/// The address of the item named `name` in `folder`.
fn find<H: HttpClient>(pod: &Pod<'_, H>, keyring: &Keyring, folder: &Url, name: &str) -> Url {
    block_on(list_folder(pod, keyring, folder))
        .unwrap()
        .into_iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no {name} in {folder}"))
        .url
}

fn unlock_again<H: HttpClient>(pod: &Pod<'_, H>, layout: &Layout) -> Keyring {
    block_on(unlock(pod, layout, &drive_password())).unwrap()
}

fn gone<H: HttpClient>(pod: &Pod<'_, H>, url: &Url) -> bool {
    block_on(pod.head(url)) == Err(ReadError::NotFound)
}

fn key_of(keyring: &Keyring, url: &Url) -> solidcrypt::crypto::SecretKey {
    keyring.lookup(url.as_str()).unwrap().key.unwrap()
}

#[test]
fn a_file_and_a_folder_are_renamed_and_bad_names_refused() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let docs = block_on(new_folder(&pod, &keys, &files, "Docs")).unwrap();
    let a = put_file(&pod, &keys, &docs, "a.txt", b"alpha");
    put_file(&pod, &keys, &docs, "taken.txt", b"other");

    block_on(rename(&pod, &keys, &a, "  b.txt ")).unwrap();
    assert_eq!(names(&pod, &keys, &docs), ["b.txt", "taken.txt"]);
    assert_eq!(get(&pod, &keys, &a), b"alpha");
    for (bad, error) in [
        ("", NameError::Empty),
        ("   ", NameError::Empty),
        ("x/y", NameError::Slash),
        ("/", NameError::Slash),
        ("taken.txt", NameError::Taken("taken.txt".into())),
    ] {
        assert_eq!(
            block_on(rename(&pod, &keys, &a, bad)),
            Err(RenameError::Name(error)),
            "{bad:?}"
        );
    }
    block_on(rename(&pod, &keys, &a, "b.txt")).unwrap();
    block_on(rename(&pod, &keys, &docs, "Papers")).unwrap();
    assert_eq!(names(&pod, &keys, &files), ["Papers"]);
    let nothing = files.join("0123456789abcdef0123456789abcdef").unwrap();
    assert_eq!(
        block_on(rename(&pod, &keys, &nothing, "x")),
        Err(RenameError::Unknown)
    );

    let fresh = unlock_again(&pod, &layout);
    assert_eq!(names(&pod, &fresh, &files), ["Papers"]);
    assert_eq!(names(&pod, &fresh, &docs), ["b.txt", "taken.txt"]);
    assert_eq!(get(&pod, &fresh, &a), b"alpha");
}

#[test]
fn files_and_folders_move_between_own_folders() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let a = block_on(new_folder(&pod, &keys, &files, "A")).unwrap();
    let b = block_on(new_folder(&pod, &keys, &files, "B")).unwrap();
    let x = put_file(&pod, &keys, &a, "x.txt", b"ex");
    let old_key = key_of(&keys, &x);

    let moved = block_on(move_to(&pod, &keys, &x, &b)).unwrap();
    assert!(moved.as_str().starts_with(b.as_str()) && moved != x);
    assert!(names(&pod, &keys, &a).is_empty());
    assert_eq!(names(&pod, &keys, &b), ["x.txt"]);
    assert_eq!(get(&pod, &keys, &moved), b"ex");
    assert!(gone(&pod, &x) && keys.lookup(x.as_str()).is_none());
    let body = block_on(pod.get(&moved)).unwrap().body;
    assert!(open(&old_key, &body).is_err(), "written under a fresh key");
    let opened = open(&key_of(&keys, &moved), &body).unwrap();
    assert_eq!(opened.metadata.unwrap().name.as_deref(), Some("x.txt"));

    // A second x.txt cannot join the first; moving to where it is does nothing.
    let x2 = put_file(&pod, &keys, &a, "x.txt", b"ex two");
    assert_eq!(
        block_on(move_to(&pod, &keys, &x2, &b)),
        Err(MoveError::Name(NameError::Taken("x.txt".into())))
    );
    assert_eq!(block_on(move_to(&pod, &keys, &x2, &a)).unwrap(), x2);
    assert_eq!(get(&pod, &keys, &x2), b"ex two");

    // Nowhere a keystore of mine covers is a target, and is not even asked.
    for elsewhere in ["http://pod.evil/files/", "http://localhost:1/x/"] {
        let elsewhere = Url::parse(elsewhere).unwrap();
        assert_eq!(
            block_on(move_to(&pod, &keys, &x2, &elsewhere)),
            Err(MoveError::ReadOnly(elsewhere))
        );
    }

    // Only into a folder: not beside a file, nor among a file's parts.
    let no_slash = Url::parse(b.as_str().trim_end_matches('/')).unwrap();
    for not_folder in [moved.clone(), no_slash] {
        assert_eq!(
            block_on(move_to(&pod, &keys, &x2, &not_folder)),
            Err(MoveError::NotAFolder(not_folder))
        );
    }

    // A folder with a file, a file in parts and a subfolder with a file moves
    // whole.
    let c = block_on(new_folder(&pod, &keys, &files, "C")).unwrap();
    put_file(&pod, &keys, &c, "c1.txt", b"see one");
    let bytes = random_bytes(100_000);
    let big = upload_tiny(&pod, &keys, &c, &bytes);
    let d = block_on(new_folder(&pod, &keys, &c, "D")).unwrap();
    put_file(&pod, &keys, &d, "d1.txt", b"dee one");
    let new_c = block_on(move_to(&pod, &keys, &c, &b)).unwrap();
    assert!(gone(&pod, &c) && gone(&pod, &d) && gone(&pod, &big));
    assert!(keys.entries_under(c.as_str()).is_empty());
    assert_eq!(names(&pod, &keys, &files), ["A", "B"]);
    assert_eq!(names(&pod, &keys, &b), ["C", "x.txt"]);
    assert_eq!(names(&pod, &keys, &new_c), ["D", "big.bin", "c1.txt"]);
    let new_big = find(&pod, &keys, &new_c, "big.bin");
    assert!(new_big.path().ends_with('/'));
    assert_eq!(get(&pod, &keys, &new_big), bytes);
    assert_eq!(
        block_on(move_to(&pod, &keys, &x2, &new_big)),
        Err(MoveError::NotAFolder(new_big.clone()))
    );
    assert_eq!(get(&pod, &keys, &x2), b"ex two");
    let new_d = find(&pod, &keys, &new_c, "D");
    assert_eq!(
        block_on(move_to(&pod, &keys, &new_c, &new_d)),
        Err(MoveError::IntoItself)
    );
    assert_eq!(
        block_on(move_to(&pod, &keys, &new_c, &new_c)),
        Err(MoveError::IntoItself)
    );

    let fresh = unlock_again(&pod, &layout);
    assert_eq!(names(&pod, &fresh, &b), ["C", "x.txt"]);
    let d1 = find(&pod, &fresh, &new_d, "d1.txt");
    assert_eq!(get(&pod, &fresh, &d1), b"dee one");
    assert_eq!(get(&pod, &fresh, &moved), b"ex");
}

#[test]
fn moving_into_a_shared_folder_lets_members_read_and_moving_out_shuts_them_out() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let SharedFolder {
        alice_layout,
        alice_keys,
        bob_keys,
        folder: shared,
        ..
    } = drives_and_a_folder_alice_shares_with_bob(&alice, &bob, "Shared", Access::ReadWrite);
    let files = alice_layout.files();
    let report = put_file(&alice, &alice_keys, &files, "report.txt", b"the report");
    assert_eq!(
        block_on(bob.get(&report)).unwrap_err(),
        ReadError::Forbidden
    );

    let inside = block_on(move_to(&alice, &alice_keys, &report, &shared)).unwrap();
    assert_eq!(names(&bob, &bob_keys, &shared), ["report.txt"]);
    assert_eq!(get(&bob, &bob_keys, &inside), b"the report");
    let bobs_key = key_of(&bob_keys, &inside);

    let out = block_on(move_to(&alice, &alice_keys, &inside, &files)).unwrap();
    assert_eq!(get(&alice, &alice_keys, &out), b"the report");
    assert!(gone(&alice, &inside));
    block_on(bob_keys.refresh(&bob)).unwrap();
    assert!(bob_keys.lookup(inside.as_str()).is_none());
    assert!(bob_keys.lookup(out.as_str()).is_none());
    assert!(names(&bob, &bob_keys, &shared).is_empty());
    assert!(block_on(bob.get(&inside)).is_err());
    assert_eq!(block_on(bob.get(&out)).unwrap_err(), ReadError::Forbidden);
    let body = block_on(alice.get(&out)).unwrap().body;
    assert!(open(&bobs_key, &body).is_err(), "bob's key opens nothing");
    let fresh = unlock_again(&alice, &alice_layout);
    assert_eq!(get(&alice, &fresh, &out), b"the report");
}

#[test]
fn a_collaborator_renames_in_a_read_write_folder_and_hostile_names_are_refused() {
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let SharedFolder {
        alice_layout,
        alice_keys,
        bob_layout,
        bob_keys,
        folder: team,
        link,
    } = drives_and_a_folder_alice_shares_with_bob(&alice, &bob, "Team", Access::ReadWrite);
    let plan = put_file(&alice, &alice_keys, &team, "plan.txt", b"the plan");
    block_on(bob_keys.refresh(&bob)).unwrap();

    // Bob's rename reaches only the shared keystore; alice sees it all the same.
    block_on(rename(&bob, &bob_keys, &plan, "plan-v2.txt")).unwrap();
    assert_eq!(names(&bob, &bob_keys, &team), ["plan-v2.txt"]);
    let fresh = unlock_again(&alice, &alice_layout);
    assert_eq!(names(&alice, &fresh, &team), ["plan-v2.txt"]);
    assert_eq!(get(&alice, &fresh, &plan), b"the plan");
    block_on(alice_keys.refresh(&alice)).unwrap();
    assert_eq!(names(&alice, &alice_keys, &team), ["plan-v2.txt"]);
    // And alice's rename reaches bob.
    block_on(rename(&alice, &alice_keys, &plan, "plan-v3.txt")).unwrap();
    let bob_fresh = unlock_again(&bob, &bob_layout);
    assert_eq!(names(&bob, &bob_fresh, &team), ["plan-v3.txt"]);

    // Bob moves his own file in, then renames it; alice reads both.
    let mine = put_file(&bob, &bob_keys, &bob_layout.files(), "bob.txt", b"bob's");
    let moved = block_on(move_to(&bob, &bob_keys, &mine, &team)).unwrap();
    assert!(gone(&bob, &mine));
    block_on(rename(&bob, &bob_keys, &moved, "from-bob.txt")).unwrap();
    block_on(alice_keys.refresh(&alice)).unwrap();
    assert_eq!(
        names(&alice, &alice_keys, &team),
        ["from-bob.txt", "plan-v3.txt"]
    );
    assert_eq!(get(&alice, &alice_keys, &moved), b"bob's");

    // A name bob plants straight into the shared keystore (same key, so it is
    // shown) is not carried into alice's own keystore by a move.
    let (keystore, keystore_key) = folder_keystore(&link);
    for (planted, error) in [("x/y", NameError::Slash), ("", NameError::Empty)] {
        block_on(update(
            &bob,
            &keystore,
            &keystore_key,
            KeystoreDoc::default,
            |doc: &mut KeystoreDoc| {
                doc.entries.get_mut(plan.as_str()).unwrap().name = planted.into();
                true
            },
        ))
        .unwrap();
        block_on(alice_keys.refresh(&alice)).unwrap();
        assert_eq!(alice_keys.lookup(plan.as_str()).unwrap().name, planted);
        assert_eq!(
            block_on(move_to(&alice, &alice_keys, &plan, &alice_layout.files())),
            Err(MoveError::Name(error))
        );
        assert_eq!(get(&alice, &alice_keys, &plan), b"the plan");
    }
    // An entry under another key names nothing, and its key is not used.
    let shown = alice_keys.lookup(plan.as_str()).unwrap();
    block_on(update(
        &bob,
        &keystore,
        &keystore_key,
        KeystoreDoc::default,
        |doc: &mut KeystoreDoc| {
            let entry = doc.entries.get_mut(plan.as_str()).unwrap();
            entry.name = "evil.txt".into();
            entry.key = Some(solidcrypt::crypto::SecretKey::from_bytes([7; 32]));
            true
        },
    ))
    .unwrap();
    block_on(alice_keys.refresh(&alice)).unwrap();
    let after = alice_keys.lookup(plan.as_str()).unwrap();
    assert_eq!(after.name, "plan-v3.txt", "the root keystore's name");
    assert_eq!(
        after.key.unwrap().expose_bytes(),
        shown.key.unwrap().expose_bytes()
    );
    // A planted duplicate of a name keeps another file out.
    block_on(rename(&bob, &bob_keys, &plan, "same.txt")).unwrap();
    let other = put_file(&alice, &alice_keys, &alice_layout.files(), "same.txt", b"2");
    block_on(alice_keys.refresh(&alice)).unwrap();
    assert_eq!(
        block_on(move_to(&alice, &alice_keys, &other, &team)),
        Err(MoveError::Name(NameError::Taken("same.txt".into())))
    );

    // Read-only: bob may neither rename nor move in; nothing is written.
    let (look, _) = alice_shares_a_folder_with_bob(
        (&alice, &alice_keys),
        &alice_layout,
        (&bob, &bob_keys),
        "Look",
        Access::Read,
    );
    let photo = put_file(&alice, &alice_keys, &look, "photo.txt", b"p");
    block_on(bob_keys.refresh(&bob)).unwrap();
    assert_eq!(
        block_on(rename(&bob, &bob_keys, &photo, "mine.txt")),
        Err(RenameError::ReadOnly)
    );
    let second = put_file(&bob, &bob_keys, &bob_layout.files(), "second.txt", b"2");
    assert_eq!(
        block_on(move_to(&bob, &bob_keys, &second, &look)),
        Err(MoveError::ReadOnly(look.clone()))
    );
    assert_eq!(get(&bob, &bob_keys, &second), b"2");
    assert_eq!(
        block_on(move_to(&bob, &bob_keys, &photo, &bob_layout.files())),
        Err(MoveError::CannotRemove(photo.clone()))
    );
    assert_eq!(names(&alice, &alice_keys, &look), ["photo.txt"]);
    // The shared folder itself is not moved (its link names its address).
    assert_eq!(
        block_on(move_to(&alice, &alice_keys, &team, &look)),
        Err(MoveError::Shared(team.clone()))
    );
}

/// `path` of `url`, for [`Fail`].
fn path(url: &Url) -> String {
    url.path().to_owned()
}

fn fail(method: Method, path: String, skip: usize, times: usize, status: u16) -> Fail {
    Fail {
        method,
        path,
        skip,
        times,
        status,
    }
}

#[test]
fn an_interrupted_move_leaves_the_file_readable_at_one_place_or_both() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let failing = Failing::new(NativeHttp::new());
    let pod = Pod::new(&failing, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let a = block_on(new_folder(&pod, &keys, &files, "A")).unwrap();
    let b = block_on(new_folder(&pod, &keys, &files, "B")).unwrap();
    let f = put_file(&pod, &keys, &a, "f.txt", b"eff");

    // The copy's PUT fails: nothing in B, f where it was.
    failing.arm(fail(Method::Put, path(&b), 0, 1, 503));
    assert_eq!(
        block_on(move_to(&pod, &keys, &f, &b)),
        Err(MoveError::Write(WriteError::Server(503)))
    );
    assert_eq!(failing.disarm(), 1);
    assert!(names(&pod, &keys, &b).is_empty());
    assert!(keys.entries_under(b.as_str()).is_empty(), "no unused key");
    assert_eq!(get(&pod, &keys, &f), b"eff");

    // Storing the new key fails: nothing is copied.
    failing.arm(fail(Method::Put, "/keystores/".into(), 0, 1, 503));
    assert!(matches!(
        block_on(move_to(&pod, &keys, &f, &b)),
        Err(MoveError::Keystore(_))
    ));
    assert_eq!(failing.disarm(), 1);
    assert!(names(&pod, &keys, &b).is_empty());
    assert_eq!(get(&pod, &keys, &f), b"eff");

    // Deleting the old copy fails: the file is at both places, both open.
    failing.arm(fail(Method::Delete, path(&f), 0, 1, 503));
    let Err(MoveError::OldKept { moved, .. }) = block_on(move_to(&pod, &keys, &f, &b)) else {
        panic!("the old copy stays")
    };
    assert_eq!(failing.disarm(), 1);
    assert_eq!(get(&pod, &keys, &f), b"eff");
    assert_eq!(get(&pod, &keys, &moved), b"eff");
    let fresh = unlock_again(&pod, &layout);
    assert_eq!(get(&pod, &fresh, &f), b"eff");
    assert_eq!(get(&pod, &fresh, &moved), b"eff");

    // Removing the old key fails after the old copy went: the file is at the new
    // place only, and opens there after a fresh unlock.
    let g = put_file(&pod, &keys, &a, "g.txt", b"gee");
    failing.arm(fail(Method::Put, "/keystores/".into(), 1, 1, 503));
    let Err(MoveError::OldKeysKept { moved, .. }) = block_on(move_to(&pod, &keys, &g, &b)) else {
        panic!("the old key stays")
    };
    assert_eq!(failing.disarm(), 1);
    assert!(gone(&pod, &g));
    assert_eq!(get(&pod, &keys, &moved), b"gee");
    assert_eq!(get(&pod, &unlock_again(&pod, &layout), &moved), b"gee");

    // Keystore writes that lose races (412) are retried; the move completes.
    let h = put_file(&pod, &keys, &a, "h.txt", b"aitch");
    failing.arm(fail(Method::Put, "/keystores/".into(), 0, 3, 412));
    let moved = block_on(move_to(&pod, &keys, &h, &b)).unwrap();
    assert_eq!(failing.disarm(), 3);
    assert!(gone(&pod, &h));
    assert_eq!(get(&pod, &unlock_again(&pod, &layout), &moved), b"aitch");
}

#[test]
fn an_interrupted_folder_move_is_finished_by_moving_the_rest() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let failing = Failing::new(NativeHttp::new());
    let pod = Pod::new(&failing, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let b = block_on(new_folder(&pod, &keys, &files, "B")).unwrap();
    let e = block_on(new_folder(&pod, &keys, &files, "E")).unwrap();
    put_file(&pod, &keys, &e, "e1.txt", b"e one");
    put_file(&pod, &keys, &e, "e2.txt", b"e two");
    let f = block_on(new_folder(&pod, &keys, &e, "F")).unwrap();
    let f1 = put_file(&pod, &keys, &f, "f1.txt", b"f one");

    // Reading f1 fails once: F's copy exists then, f1 is not in it.
    failing.arm(fail(Method::Get, path(&f1), 0, 1, 503));
    let Err(MoveError::Partly { from, into, source }) = block_on(move_to(&pod, &keys, &e, &b))
    else {
        panic!("a folder move stops part way")
    };
    assert_eq!(failing.disarm(), 1);
    assert_eq!(from, e);
    assert_eq!(*source, MoveError::Read(ReadError::Server(503)));
    assert_eq!(names(&pod, &keys, &b), ["E"]);
    // Every file is in one of the two folders, and opens there.
    let mut seen = Vec::new();
    for folder in [&e, &into, &f] {
        for item in block_on(list_folder(&pod, &keys, folder)).unwrap() {
            if !item.is_folder {
                seen.push(item.name.clone());
                assert!(!get(&pod, &keys, &item.url).is_empty());
            }
        }
    }
    if let Some(copy) = block_on(list_folder(&pod, &keys, &into))
        .unwrap()
        .into_iter()
        .find(|i| i.is_folder)
    {
        seen.extend(names(&pod, &keys, &copy.url));
    }
    seen.sort();
    assert_eq!(seen, ["e1.txt", "e2.txt", "f1.txt"]);

    block_on(move_members(&pod, &keys, &from, &into)).unwrap();
    assert!(gone(&pod, &e) && gone(&pod, &f));
    assert_eq!(names(&pod, &keys, &files), ["B"]);
    assert_eq!(names(&pod, &keys, &into), ["F", "e1.txt", "e2.txt"]);
    let fresh = unlock_again(&pod, &layout);
    let new_f = find(&pod, &fresh, &into, "F");
    let new_f1 = find(&pod, &fresh, &new_f, "f1.txt");
    assert_eq!(get(&pod, &fresh, &new_f1), b"f one");
}

/// The tests' policy (as in tests/drive_parts.rs): tiny, so that a few hundred
/// KiB make many parts.
const TINY: PartPolicy = PartPolicy {
    single_up_to: 64 * 1024,
    first_part: 20 * 1024,
    min_part: 20 * 1024,
    max_part: 20 * 1024,
    seconds_per_part: 2.0,
    in_flight: 3,
};

fn upload_tiny<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    bytes: &[u8],
) -> Url {
    let file = ("big.bin", "application/octet-stream");
    let result = if TINY.in_parts(envelope_len_bound(bytes.len() as u64, DEFAULT_CHUNK_SIZE)) {
        let target = PodPartsUpload::new(pod, TINY.first_part).unwrap();
        common::try_upload(pod, keyring, folder, file, bytes, target)
    } else {
        common::try_upload(pod, keyring, folder, file, bytes, VecUpload::new(pod))
    };
    result.unwrap()
}

#[test]
fn a_file_in_parts_moves_as_a_new_container_and_an_interrupted_one_stays() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let failing = Failing::new(NativeHttp::new());
    let pod = Pod::new(&failing, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let b = block_on(new_folder(&pod, &keys, &files, "B")).unwrap();
    let bytes = random_bytes(150_000);
    let big = upload_tiny(&pod, &keys, &files, &bytes);
    assert!(big.path().ends_with('/'), "stored in parts");

    // The third part's PUT fails: the parts written go, the file stays.
    failing.arm(fail(Method::Put, path(&b), 2, 1, 503));
    assert_eq!(
        block_on(move_to(&pod, &keys, &big, &b)),
        Err(MoveError::Write(WriteError::Server(503)))
    );
    assert_eq!(failing.disarm(), 1);
    assert!(names(&pod, &keys, &b).is_empty());
    assert_eq!(get(&pod, &keys, &big), bytes);

    let moved = block_on(move_to(&pod, &keys, &big, &b)).unwrap();
    assert!(moved.path().ends_with('/') && moved.as_str().starts_with(b.as_str()));
    assert!(gone(&pod, &big));
    let found = generations(&block_on(pod.list(&moved)).unwrap());
    assert_eq!(found.len(), 1);
    assert!(found[0].is_complete() && found[0].parts.len() > 1);
    assert_eq!(names(&pod, &keys, &b), ["big.bin"]);
    let fresh = unlock_again(&pod, &layout);
    assert_eq!(get(&pod, &fresh, &moved), bytes);
    assert_eq!(fresh.lookup(moved.as_str()).unwrap().size, Some(150_000));
}
