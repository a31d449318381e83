#![cfg(target_arch = "wasm32")]
//! Browser tests of the drive's spool (a temporary OPFS file for big uploads and
//! downloads): the bytes come back intact from disk, the file is gone after
//! `remove`, and when OPFS is missing or too small the spool keeps the bytes in
//! memory instead, with the same result; a failing disk write is an error, not
//! silently lost data.

use js_sys::{Array, Function, Promise, Uint8Array};
use solidcrypt::drive::spool::{remove_all, sweep, sweep_orphans, Spool};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Runs `body` as the body of an async JS function and awaits it.
async fn js(body: &str) -> JsValue {
    let promise: Promise = Function::new_no_args(&format!("return (async () => {{ {body} }})();"))
        .call0(&JsValue::NULL)
        .unwrap()
        .into();
    JsFuture::from(promise).await.unwrap()
}

/// The names in the spool's OPFS folder.
async fn spool_files() -> Vec<String> {
    let names = js("const root = await navigator.storage.getDirectory();
         const dir = await root.getDirectoryHandle('solidcrypt-spool', { create: true });
         const names = [];
         for await (const [name] of dir.entries()) names.push(name);
         return names;")
    .await;
    Array::from(&names)
        .iter()
        .map(|n| n.as_string().unwrap())
        .collect()
}

/// 20 MiB + 5 bytes of a pattern (more than two 8 MiB writes, and a ragged end).
fn pattern() -> Vec<u8> {
    (0..20 * 1024 * 1024 + 5)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Pushes `bytes` in pieces of varying size (some as several parts per push).
async fn fill(spool: &Spool, bytes: &[u8]) -> Result<(), String> {
    let mut rest = bytes;
    let mut size = 1usize;
    while !rest.is_empty() {
        let (piece, more) = rest.split_at(size.min(rest.len()));
        let (a, b) = piece.split_at(piece.len() / 2);
        spool
            .push(&Array::of2(&Uint8Array::from(a), &Uint8Array::from(b)))
            .await
            .map_err(|e| e.0)?;
        rest = more;
        size = size * 7 + 13;
    }
    Ok(())
}

async fn content(spool: &Spool) -> Vec<u8> {
    let blob = spool.finish("application/x-test").await.unwrap();
    assert_eq!(blob.type_(), "application/x-test");
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    Uint8Array::new(&buffer).to_vec()
}

#[wasm_bindgen_test]
async fn bytes_round_trip_through_a_file_that_remove_deletes() {
    let before = spool_files().await;
    let spool = Spool::open(32 * 1024 * 1024).await;
    assert!(spool.on_disk(), "OPFS is available in this browser");
    let created: Vec<String> = spool_files()
        .await
        .into_iter()
        .filter(|n| !before.contains(n))
        .collect();
    // The file, and Chromium's `<name>.crswap` where writes go until `close`.
    assert!(
        !created.is_empty() && created.iter().all(|n| n.starts_with(&created[0][..32])),
        "one temporary file: {created:?}"
    );
    let bytes = pattern();
    spool.push_bytes(b"header").await.unwrap();
    fill(&spool, &bytes).await.unwrap();
    let got = content(&spool).await;
    assert_eq!(got.len(), 6 + bytes.len());
    assert!(got[..6] == *b"header" && got[6..] == bytes[..]);
    spool.remove().await;
    assert_eq!(spool_files().await, before, "nothing left");
}

#[wasm_bindgen_test]
async fn without_opfs_the_bytes_stay_in_memory_intact() {
    js(
        "window.__getDirectory = StorageManager.prototype.getDirectory;
        StorageManager.prototype.getDirectory = () =>
          Promise.reject(new DOMException('blocked', 'SecurityError'));",
    )
    .await;
    let spool = Spool::open(1024).await;
    js("StorageManager.prototype.getDirectory = window.__getDirectory;").await;
    assert!(!spool.on_disk());
    let bytes = pattern();
    fill(&spool, &bytes).await.unwrap();
    assert_eq!(content(&spool).await, bytes);
    spool.remove().await;
}

/// A thumbnail's spool takes what fits under its limit and refuses the rest,
/// whatever size the file's keystore entry claimed.
#[wasm_bindgen_test]
async fn a_limited_spool_refuses_bytes_past_its_limit() {
    let spool = Spool::in_memory_at_most(1000).await;
    fill(&spool, &[7; 1000]).await.unwrap();
    assert!(!spool.on_disk());
    let over = spool.push_bytes(&[7]).await.unwrap_err();
    assert_eq!(over.0, "larger than 1000 bytes");
    assert_eq!(content(&spool).await, vec![7; 1000]);
    let spool = Spool::in_memory_at_most(1000).await;
    assert!(fill(&spool, &pattern()[..1001]).await.is_err());
}

#[wasm_bindgen_test]
async fn a_file_bigger_than_the_quota_stays_in_memory() {
    let before = spool_files().await;
    let spool = Spool::open(1 << 60).await;
    assert!(!spool.on_disk());
    assert_eq!(spool_files().await, before, "no temporary file was made");
    fill(&spool, b"small, but spooled in memory").await.unwrap();
    assert_eq!(content(&spool).await, b"small, but spooled in memory");
}

#[wasm_bindgen_test]
async fn a_failing_disk_write_is_an_error_and_leaves_no_file() {
    let before = spool_files().await;
    let spool = Spool::open(1024).await;
    assert!(spool.on_disk());
    js(
        "window.__write = FileSystemWritableFileStream.prototype.write;
        FileSystemWritableFileStream.prototype.write = () =>
          Promise.reject(new DOMException('disk full', 'QuotaExceededError'));",
    )
    .await;
    let filled = fill(&spool, &pattern()).await;
    let finished = spool.finish("application/x-test").await;
    js("FileSystemWritableFileStream.prototype.write = window.__write;").await;
    assert!(
        filled.is_err() || finished.is_err(),
        "the failed write was reported"
    );
    spool.remove().await;
    assert_eq!(spool_files().await, before);
}

#[wasm_bindgen_test]
async fn a_removed_spool_refuses_to_finish() {
    let spool = Spool::open(1024).await;
    spool.push_bytes(b"abc").await.unwrap();
    spool.remove().await;
    assert!(spool.finish("application/x-test").await.is_err());
}

#[wasm_bindgen_test]
async fn a_sweep_removes_old_files_but_not_recent_or_open_ones() {
    let left = "left-by-a-closed-tab.tmp";
    js(&format!(
        "const root = await navigator.storage.getDirectory();
         const dir = await root.getDirectoryHandle('solidcrypt-spool', {{ create: true }});
         const file = await dir.getFileHandle('{left}', {{ create: true }});
         const writable = await file.createWritable();
         await writable.write('plaintext of an interrupted download');
         await writable.close();"
    ))
    .await;
    let open = Spool::open(1024).await;
    assert!(open.on_disk());
    open.push_bytes(b"still being written").await.unwrap();

    sweep(std::time::Duration::from_secs(3600)).await.unwrap();
    assert!(
        spool_files().await.contains(&left.to_owned()),
        "recent: kept"
    );

    sweep(std::time::Duration::ZERO).await.unwrap();
    let files = spool_files().await;
    assert!(!files.contains(&left.to_owned()), "old: removed");
    assert!(!files.is_empty(), "the file being written is kept");
    assert_eq!(content(&open).await, b"still being written");
    open.remove().await;
}

#[wasm_bindgen_test]
async fn lock_and_logout_remove_every_file_of_this_tab() {
    let before = spool_files().await;
    let writing = Spool::open(1024).await;
    assert!(writing.on_disk());
    writing.push_bytes(b"half a download").await.unwrap();
    let saved = Spool::open(1024).await;
    saved.push_bytes(b"a saved download").await.unwrap();
    saved.finish("application/x-test").await.unwrap();
    saved.remove_later(3600.0);
    // (Chromium keeps a file open for writing in a `.crswap` beside it.)
    let created: Vec<String> = spool_files()
        .await
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    let spools = created.iter().filter(|f| !f.ends_with(".crswap")).count();
    assert_eq!(spools, 2, "two files on disk: {created:?}");

    remove_all().await.unwrap();
    let left = spool_files().await;
    assert!(
        created.iter().all(|f| !left.contains(f)),
        "no decrypted file stays: {left:?}"
    );
    assert!(
        writing.finish("application/x-test").await.is_err(),
        "a spool removed under an operation makes it fail, not lose bytes silently"
    );
}

#[wasm_bindgen_test]
async fn files_of_a_gone_tab_are_swept_however_recent() {
    // One file of a tab that crashed a moment ago (nobody holds its lock), one of a
    // tab that is still open (its lock is held), and one of this tab.
    let (gone, open) = ("a0a0a0a0a0a0a0a0-crashed.tmp", "b1b1b1b1b1b1b1b1-open.tmp");
    js(&format!(
        "const root = await navigator.storage.getDirectory();
         const dir = await root.getDirectoryHandle('solidcrypt-spool', {{ create: true }});
         for (const name of ['{gone}', '{open}']) {{
           const writable = await (await dir.getFileHandle(name, {{ create: true }})).createWritable();
           await writable.write('plaintext');
           await writable.close();
         }}
         await new Promise((held) => navigator.locks.request('solidcrypt-spool-b1b1b1b1b1b1b1b1',
           () => {{ held(); return new Promise(() => {{}}); }}));"
    ))
    .await;
    let mine = Spool::open(1024).await;
    mine.push_bytes(b"this tab's").await.unwrap();

    sweep_orphans().await.unwrap();
    let files = spool_files().await;
    assert!(
        !files.contains(&gone.to_owned()),
        "the crashed tab's file: removed"
    );
    assert!(
        files.contains(&open.to_owned()),
        "the open tab's file: kept"
    );
    assert_eq!(content(&mine).await, b"this tab's", "this tab's file: kept");
    mine.remove().await;
    js(&format!(
        "const root = await navigator.storage.getDirectory();
         const dir = await root.getDirectoryHandle('solidcrypt-spool');
         await dir.removeEntry('{open}');"
    ))
    .await;
}
