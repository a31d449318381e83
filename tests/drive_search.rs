#![cfg(not(target_arch = "wasm32"))]
//! Searching names across the drive on a real pod (issue 17 item 4): a file deep
//! in folders is found from the top by part of its name, accents and case aside,
//! with the folders it is in; renames and moves show at once; a fresh unlock
//! finds it too, from the keystores read at unlock, with no request of its own.

mod common;

use common::{block_on, drive_password, new_drive, put_file, Counting, NativeHttp, ALICE};
use solidcrypt::drive::search::Names;
use solidcrypt::drive::{move_to, new_folder, rename};
use solidcrypt::keystore::master::unlock;
use solidcrypt::pod::Pod;

#[test]
fn a_nested_file_is_found_from_the_top_and_after_a_fresh_unlock() {
    let http = NativeHttp::new();
    let session = ALICE.login(&http);
    let pod = Pod::new(&http, Some(&session));
    let (layout, keys) = new_drive(&pod, &ALICE);
    let files = layout.files();
    let travel = block_on(new_folder(&pod, &keys, &files, "Travel")).unwrap();
    let summer = block_on(new_folder(&pod, &keys, &travel, "Été 2026")).unwrap();
    let beach = put_file(&pod, &keys, &summer, "Plage à Nice.txt", b"sand");
    put_file(&pod, &keys, &files, "notes.txt", b"plain");

    let found = Names::of(&keys, &files).find("PLAGE a", 10, None);
    assert_eq!(found.total, 1);
    let hit = &found.hits[0];
    assert_eq!(
        (hit.url.clone(), hit.name.as_str()),
        (beach.clone(), "Plage à Nice.txt")
    );
    let path: Vec<_> = hit
        .folders
        .iter()
        .map(|f| (f.name.as_str(), f.url.clone()))
        .collect();
    assert_eq!(
        path,
        [("Travel", travel.clone()), ("Été 2026", summer.clone())]
    );
    assert_eq!(hit.parent(&files), &summer);
    // The folder on screen is left out: from the summer folder, nothing else.
    assert_eq!(
        Names::of(&keys, &files)
            .find("plage", 10, Some(&summer))
            .total,
        0
    );
    assert_eq!(
        Names::of(&keys, &files).find("ete", 10, None).hits[0].url,
        summer
    );

    // A rename shows at once (the keyring is written through).
    block_on(rename(&pod, &keys, &beach, "Sunset.txt")).unwrap();
    let names = Names::of(&keys, &files);
    assert_eq!(names.find("plage", 10, None).total, 0);
    assert_eq!(names.find("sunset", 10, None).hits[0].url, beach);

    // A fresh unlock reads every keystore; the search itself asks nothing.
    let counting = Counting::new(&http);
    let fresh_pod = Pod::new(&counting, Some(&session));
    let fresh = block_on(unlock(&fresh_pod, &layout, &drive_password())).unwrap();
    counting.take();
    let found = Names::of(&fresh, &files).find("sun", 10, None);
    assert_eq!(
        counting.take(),
        Vec::<String>::new(),
        "no request to search"
    );
    assert_eq!(found.hits[0].url, beach);
    assert_eq!(found.hits[0].folders.len(), 2);

    // Moved to the top, it has no folders on its way.
    let moved = block_on(move_to(&pod, &fresh, &beach, &files)).unwrap();
    let found = Names::of(&fresh, &files).find("sunset", 10, None);
    assert_eq!((found.total, &found.hits[0].url), (1, &moved));
    assert!(found.hits[0].folders.is_empty());
}
