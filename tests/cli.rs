//! The `solidcrypt` command-line tool (issue 15) against the local pod: a drive set
//! up and filled by the app's own code (a small file, a file in parts, a subfolder,
//! a hostile name, a folder someone else shared) comes back byte for byte through
//! `recover`, from the pod and from the pod's files on disk; wrong passwords, wrong
//! keys and damaged files end with their documented exit codes and write nothing
//! under a real name.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use common::*;
use solidcrypt::keystore::Layout;
use solidcrypt::share::Access;
use url::Url;

/// The tool logs in as bob with its own client credentials: CSS loses one of two
/// parallel logins to one account (see `Account::login`), so one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A fresh folder under the system's temporary folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Self {
        let path = std::env::temp_dir().join(unique(&format!("solidcrypt-cli-{what}")));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn solidcrypt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_solidcrypt"))
        .args(args)
        .output()
        .expect("the tool runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("the tool exits with a code")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The test pod's data folder (Community Solid Server's `-f`), set by scripts/test.
fn pod_data() -> PathBuf {
    PathBuf::from(
        std::env::var("SOLIDCRYPT_TEST_POD_DATA").unwrap_or_else(|_| {
            panic!(
                "SOLIDCRYPT_TEST_POD_DATA is not set: run with scripts/test (the pod's -f folder)"
            )
        }),
    )
}

/// Every file under `dir`, by its path relative to `dir`, with its length and
/// SHA-256 (short to print when a comparison fails).
fn files_under(dir: &Path) -> BTreeMap<PathBuf, (usize, String)> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                found.insert(path.strip_prefix(dir).unwrap().to_owned(), digest(&bytes));
            }
        }
    }
    found
}

fn digest(bytes: &[u8]) -> (usize, String) {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    (
        bytes.len(),
        hash.iter().map(|b| format!("{b:02x}")).collect(),
    )
}

/// Bob's drive as the app would leave it, at `<storage>/<scratch>/solidcrypt-data/`
/// so the tool finds it from `--pod <storage>/<scratch>/`.
struct BobsDrive {
    /// What `--pod` is given.
    storage: Url,
    /// What recovery must write, by path under the output folder (see [`digest`]).
    expected: BTreeMap<PathBuf, (usize, String)>,
    keys: solidcrypt::keystore::Keyring,
    /// A file of bob's stored in parts, and its bytes.
    in_parts: (Url, Vec<u8>),
    /// Bob's small file `notes.txt`.
    notes: Url,
    /// The folder alice shared with bob, and alice's keystores (one of them holds
    /// the folder's keys).
    trip: Url,
    alice_keystores: Url,
}

fn bobs_drive(http: &NativeHttp) -> BobsDrive {
    let sessions = log_in(http, [&ALICE, &BOB]);
    let [alice, bob] = pods(http, &sessions);
    let (alice_layout, alice_keys) = new_drive(&alice, &ALICE);
    let storage = scratch_parent(&bob, &BOB.storage())
        .join(&format!("{}/", unique("cli")))
        .unwrap();
    block_on(bob.create_container(&storage)).unwrap();
    let bob_keys = new_drive_in(&bob, &BOB, &Layout::for_storage(&storage));
    let files = bob_keys.layout().files();
    let (trip, _link) = alice_shares_a_folder_with_bob(
        (&alice, &alice_keys),
        &alice_layout,
        (&bob, &bob_keys),
        "Trip",
        Access::Read,
    );
    let plan = random_bytes(3000);
    put_file(&alice, &alice_keys, &trip, "plan.txt", &plan);

    let notes_bytes = b"bob's notes".to_vec();
    let notes = put_file(&bob, &bob_keys, &files, "notes.txt", &notes_bytes);
    let movie = random_bytes(3 * PART + 1234);
    let movie_url = put_in_parts(&bob, &bob_keys, &files, "movie.mp4", &movie);
    let sub = block_on(solidcrypt::drive::new_folder(
        &bob, &bob_keys, &files, "Sub",
    ))
    .unwrap();
    let inner = random_bytes(10);
    put_file(&bob, &bob_keys, &sub, "inner.bin", &inner);
    let hostile = b"a name that tries to climb out".to_vec();
    put_file(&bob, &bob_keys, &files, "../../escape.txt", &hostile);

    let expected = BTreeMap::from([
        (PathBuf::from("My files/notes.txt"), digest(&notes_bytes)),
        (PathBuf::from("My files/movie.mp4"), digest(&movie)),
        (PathBuf::from("My files/Sub/inner.bin"), digest(&inner)),
        (PathBuf::from("My files/_.._escape.txt"), digest(&hostile)),
        (PathBuf::from("Shared with me/Trip/plan.txt"), digest(&plan)),
    ]);
    BobsDrive {
        storage,
        expected,
        keys: bob_keys,
        in_parts: (movie_url, movie),
        notes,
        trip,
        alice_keystores: alice_layout.keystores(),
    }
}

/// The password files: bob's account password and the drive's master password.
fn passwords(scratch: &Scratch) -> (PathBuf, PathBuf) {
    (
        scratch.file("account-password", format!("{}\n", BOB.password).as_bytes()),
        scratch.file(
            "master-password",
            format!("{}\n", drive_password().expose()).as_bytes(),
        ),
    )
}

#[test]
fn recover_from_the_pod_writes_every_file_with_its_real_name() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let drive = bobs_drive(&http);
    let scratch = Scratch::new("recover");
    let (account, master) = passwords(&scratch);
    let out = scratch.0.join("out");
    let output = solidcrypt(&[
        "recover",
        "--pod",
        drive.storage.as_str(),
        "--server",
        pod_url().as_str(),
        "--email",
        BOB.email,
        "--account-password-file",
        account.to_str().unwrap(),
        "--password-file",
        master.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(
        stdout(&output).contains("Recovered 5 files"),
        "{}",
        stdout(&output)
    );
    // Exactly these files, nothing more (the hostile name stayed inside `out`).
    assert_eq!(files_under(&out), drive.expected);
    assert!(!scratch.0.join("escape.txt").exists());
}

/// A DPoP-bound token for bob, made outside the tool (client credentials), as a
/// `--token-file` for `scratch`: readable by its owner only unless `open`.
fn token_file(http: &NativeHttp, scratch: &Scratch, open: bool) -> PathBuf {
    use solidcrypt::auth::client_credentials::{client_credentials, token_for};
    use solidcrypt::auth::dpop::DpopKey;
    use solidcrypt::auth::oidc::discover;
    let credentials = block_on(client_credentials(
        http,
        &pod_url(),
        BOB.email,
        BOB.password,
    ))
    .unwrap();
    let metadata = block_on(discover(http, &pod_url())).unwrap();
    let key = DpopKey::generate().unwrap();
    let token = block_on(token_for(http, &metadata, &credentials, &key)).unwrap();
    let jwk: serde_json::Value = serde_json::from_str(&key.to_jwk()).unwrap();
    let body = serde_json::json!({
        "access_token": token.access_token,
        "token_type": "DPoP",
        "dpop_key": jwk,
    });
    let path = scratch.file("token.json", body.to_string().as_bytes());
    use std::os::unix::fs::PermissionsExt;
    let mode = if open { 0o644 } else { 0o600 };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn recover_with_a_token_file_from_elsewhere_and_refuse_one_others_may_read() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let drive = bobs_drive(&http);
    let scratch = Scratch::new("token");
    let (_, master) = passwords(&scratch);
    let out = scratch.0.join("out");
    let run = |token: &Path| {
        solidcrypt(&[
            "recover",
            "--pod",
            drive.storage.as_str(),
            "--token-file",
            token.to_str().unwrap(),
            "--password-file",
            master.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    };
    let readable = token_file(&http, &scratch, true);
    let refused = run(&readable);
    assert_eq!(code(&refused), 1, "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(said.contains("others may read this token file"), "{said}");
    assert!(
        !said.contains("access_token\":"),
        "no token printed: {said}"
    );
    assert!(!out.exists(), "nothing written");

    let private = token_file(&http, &scratch, false);
    let output = run(&private);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(files_under(&out), drive.expected);
}

/// Copies the parts of the pod's data folder a drive lives in (bob's scratch
/// storage, alice's shared folder and, if `with_alices_keystores`, the keystores
/// that open it) into `root`, the same relative paths.
fn copy_of(drive: &BobsDrive, root: &Path, with_alices_keystores: bool) {
    let data = pod_data();
    let base = pod_url();
    let mut copied = vec![&drive.storage, &drive.trip];
    if with_alices_keystores {
        copied.push(&drive.alice_keystores);
    }
    for url in copied {
        let relative = base.make_relative(url).unwrap();
        copy_dir(&data.join(&relative), &root.join(&relative));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The file on disk under `root` holding the resource `url` (with its `$.` suffix).
fn on_disk(root: &Path, url: &Url) -> PathBuf {
    let relative = pod_url().make_relative(url).unwrap();
    let path = root.join(&relative);
    let name = path.file_name().unwrap().to_str().unwrap().to_owned();
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_str().unwrap();
            n == name || n.starts_with(&format!("{name}$.")) && !n.ends_with(".meta")
        })
        .unwrap_or_else(|| panic!("{url} is not on disk under {}", root.display()))
}

fn recover_from(drive: &BobsDrive, root: &Path, master: &Path, out: &Path) -> Output {
    solidcrypt(&[
        "recover",
        "--pod",
        drive.storage.as_str(),
        "--server",
        pod_url().as_str(),
        "--from-dir",
        root.to_str().unwrap(),
        "--password-file",
        master.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
}

#[test]
fn recover_from_the_pods_files_on_disk_needs_no_server() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let drive = bobs_drive(&http);
    let scratch = Scratch::new("from-dir");
    let (_, master) = passwords(&scratch);
    let root = scratch.0.join("copy");
    copy_of(&drive, &root, true);

    let out = scratch.0.join("out");
    let output = recover_from(&drive, &root, &master, &out);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(files_under(&out), drive.expected);

    // The keystores' names, and keys only when asked for.
    let server = pod_url();
    let keys = |show: bool| {
        let mut args = vec![
            "keys",
            "--list",
            "--pod",
            drive.storage.as_str(),
            "--server",
            server.as_str(),
            "--from-dir",
            root.to_str().unwrap(),
            "--password-file",
            master.to_str().unwrap(),
        ];
        if show {
            args.push("--show-keys");
        }
        solidcrypt(&args)
    };
    let key = solidcrypt::drive::file_key(&drive.keys, &drive.notes).unwrap();
    let key = key.to_base64url().to_string();
    let listed = keys(false);
    assert_eq!(code(&listed), 0, "{listed:?}");
    assert!(
        stdout(&listed).contains("\"notes.txt\""),
        "{}",
        stdout(&listed)
    );
    assert!(
        stdout(&listed).contains("\"plan.txt\""),
        "{}",
        stdout(&listed)
    );
    assert!(!stdout(&listed).contains(&key));
    assert!(stdout(&keys(true)).contains(&key));
}

#[test]
fn a_wrong_password_or_a_damaged_file_ends_with_its_exit_code_and_no_wrong_copy() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let drive = bobs_drive(&http);
    let scratch = Scratch::new("damaged");
    // Without the keystores of alice's folder: as if she had withdrawn the share.
    let root = scratch.0.join("copy");
    copy_of(&drive, &root, false);

    let wrong = scratch.file("wrong-password", b"not the password\n");
    let out = scratch.0.join("out-wrong");
    let output = recover_from(&drive, &root, &wrong, &out);
    assert_eq!(code(&output), 3, "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("wrong password"));
    assert!(!out.exists() || files_under(&out).is_empty());

    // One byte of notes.txt's last chunk flipped on disk: reported, not written, and
    // everything else still recovered.
    let notes = on_disk(&root, &drive.notes);
    let mut bytes = std::fs::read(&notes).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    std::fs::write(&notes, bytes).unwrap();
    let (_, master) = passwords(&scratch);
    let out = scratch.0.join("out");
    let output = recover_from(&drive, &root, &master, &out);
    assert_eq!(code(&output), 6, "{output:?}");
    let report = stdout(&output);
    assert!(
        report.contains("My files/notes.txt: the file is damaged"),
        "{report}"
    );
    assert!(
        // Its name was in the keystore that is gone: shown by its address.
        report.contains("its keystore is gone or empty"),
        "the withdrawn share is listed: {report}"
    );
    let mut expected = drive.expected.clone();
    expected.remove(Path::new("My files/notes.txt"));
    expected.remove(Path::new("Shared with me/Trip/plan.txt"));
    assert_eq!(
        files_under(&out),
        expected,
        "no notes.txt, and no partial file left"
    );
}

#[test]
fn decrypt_encrypt_and_inspect_round_trip_and_refuse_wrong_keys_and_damage() {
    let scratch = Scratch::new("files");
    let plain = random_bytes(300_000);
    let input = scratch.file("report.pdf", &plain);
    let envelope = scratch.0.join("report.pdf.enc");
    let key_file = scratch.0.join("report.key");
    let encrypted = solidcrypt(&[
        "encrypt",
        "--new-key-file",
        key_file.to_str().unwrap(),
        "--type",
        "application/pdf",
        input.to_str().unwrap(),
        "-o",
        envelope.to_str().unwrap(),
    ]);
    assert_eq!(code(&encrypted), 0, "{encrypted:?}");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(
        !stdout(&encrypted).contains(key.trim()),
        "the key is never printed"
    );

    let decrypted = scratch.0.join("back.pdf");
    let back = solidcrypt(&[
        "decrypt",
        "--key-file",
        key_file.to_str().unwrap(),
        envelope.to_str().unwrap(),
        "-o",
        decrypted.to_str().unwrap(),
    ]);
    assert_eq!(code(&back), 0, "{back:?}");
    assert_eq!(std::fs::read(&decrypted).unwrap(), plain);

    let inspected = solidcrypt(&[
        "inspect",
        &format!("--key={}", key.trim()),
        envelope.to_str().unwrap(),
    ]);
    let shown = stdout(&inspected);
    assert_eq!(code(&inspected), 0, "{inspected:?}");
    assert!(
        shown.contains("name: \"report.pdf\"") && shown.contains("type: application/pdf"),
        "{shown}"
    );
    assert!(
        shown.contains("plaintext size: 300000") && shown.contains("intact"),
        "{shown}"
    );
    let header_only = stdout(&solidcrypt(&["inspect", envelope.to_str().unwrap()]));
    assert!(header_only.contains("chunk size: 131072") && !header_only.contains("report.pdf"));

    let other = solidcrypt::crypto::SecretKey::generate().unwrap();
    let wrong = solidcrypt(&[
        "decrypt",
        &format!("--key={}", other.to_base64url().as_str()),
        envelope.to_str().unwrap(),
        "-o",
        scratch.0.join("wrong").to_str().unwrap(),
    ]);
    assert_eq!(code(&wrong), 3, "{wrong:?}");
    assert!(!scratch.0.join("wrong").exists());

    let mut bytes = std::fs::read(&envelope).unwrap();
    bytes[200_000] ^= 0x40;
    let tampered = scratch.file("tampered.enc", &bytes);
    let damaged = scratch.0.join("damaged.pdf");
    let refused = solidcrypt(&[
        "decrypt",
        "--key-file",
        key_file.to_str().unwrap(),
        tampered.to_str().unwrap(),
        "-o",
        damaged.to_str().unwrap(),
    ]);
    assert_eq!(code(&refused), 4, "{refused:?}");
    assert!(!damaged.exists(), "nothing under the real name");
    assert_eq!(
        std::fs::read_dir(&scratch.0).unwrap().count(),
        5,
        "and no partial file"
    );
}

#[test]
fn decrypt_reads_a_parts_folder_copied_from_the_pod() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let drive = bobs_drive(&http);
    let (url, bytes) = &drive.in_parts;
    let folder = pod_data().join(pod_url().make_relative(url).unwrap());
    assert!(folder.is_dir(), "{} holds the parts", folder.display());
    let key = solidcrypt::drive::file_key(&drive.keys, url).unwrap();
    let scratch = Scratch::new("parts");
    let out = scratch.0.join("movie.mp4");
    let output = solidcrypt(&[
        "decrypt",
        &format!("--key={}", key.to_base64url().as_str()),
        folder.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(&std::fs::read(&out).unwrap(), bytes);
    let inspected = stdout(&solidcrypt(&["inspect", folder.to_str().unwrap()]));
    assert!(
        inspected.contains("stored in 4 parts") || inspected.contains("parts"),
        "{inspected}"
    );
}
