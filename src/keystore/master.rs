//! The master password: first-run setup, unlock, and change (docs/FORMAT.md §4.1).
//!
//! `keystores.json.enc` is a password wrap (§2) of a random index key, followed by
//! the index document sealed under that key. One file, so the wrap and the index
//! can never get out of step; changing the password rewrites only this file (in
//! both its slots, §4.4). Unlocking also checks the index against the version this
//! browser remembers (§4.6, [`unlock_checked`]).

use zeroize::Zeroizing;

use super::format::{
    decrypt, encrypt, DecodeError, EncodeError, IndexDoc, IndexEntry, KeystoreDoc, KeystoreKind,
};
use super::index::{repair, IndexKey};
use super::keyring::Keyring;
use super::layout::Layout;
use super::rollback::{self, Rollback, Seen};
use super::slots::{self, Pair, Slot};
use super::store::{self, copy_to_b, UpdateError, ENCRYPTED_TYPE};
use crate::crypto::password::{
    unwrap_key, unwrap_key_using, wrap_key_using, PasswordParams, UnwrapError, WrapError,
    WRAPPED_LEN,
};
use crate::crypto::{RandomError, SecretKey};
use crate::pod::container::ListError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Shortest master password accepted at setup or change.
pub const MIN_PASSWORD_LEN: usize = 8;

/// A master password as typed, wiped from memory when dropped; `Debug` hides it.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Takes ownership of the typed text.
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The text, for the KDF only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Whether this pod has a master password yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupState {
    /// First run: ask for a new password.
    NotSetUp,
    /// Ask for the password to unlock.
    SetUp,
}

/// Finding out whether the drive is set up failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    #[error("cannot check for your keystores: {0}")]
    Read(#[from] ReadError),
    #[error("cannot read a folder listing: {0}")]
    Listing(String),
}

/// First-run setup failed. Nothing usable was written unless it says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetUpError {
    #[error("the password must have at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    #[error("a master password is already set on this pod; unlock instead")]
    AlreadySetUp,
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot protect the keys with this password: {0}")]
    Wrap(#[from] WrapError),
    #[error("cannot encrypt the keystores: {0}")]
    Encode(#[from] EncodeError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("cannot write the keystores: {0}")]
    Write(#[from] WriteError),
    #[error("cannot create the root keystore: {0}")]
    Setup(String),
    #[error(transparent)]
    Private(#[from] super::private::PrivateError),
}

/// Unlocking failed; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnlockError {
    #[error("wrong password")]
    WrongPassword,
    #[error("no master password is set on this pod yet")]
    NotSetUp,
    #[error("the keystore index is damaged: {0}")]
    Damaged(String),
    #[error("cannot read the keystore index: {0}")]
    Read(#[from] ReadError),
    #[error("cannot read a keystore: {0}")]
    Keystore(#[from] super::store::LoadError),
    /// The pod served an older index than this browser saw; nothing was written.
    /// Unlocking with [`unlock`] (no memory) is the deliberate way past it.
    #[error("{0}; nothing was written. If you restored a backup on purpose, open the older copy")]
    RolledBack(#[from] Rollback),
}

/// Changing the password failed; the old password still works.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChangePasswordError {
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("the new password must have at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    #[error("no master password is set on this pod yet")]
    NotSetUp,
    #[error("the keystore index is damaged: {0}")]
    Damaged(String),
    #[error("cannot read the keystore index: {0}")]
    Read(#[from] ReadError),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot protect the keys with this password: {0}")]
    Wrap(#[from] WrapError),
    #[error("cannot encrypt the keystore index: {0}")]
    Encode(#[from] EncodeError),
    #[error("cannot write the keystore index: {0}")]
    Write(#[from] WriteError),
}

/// Whether `layout` has a keystore index, found by listing the folders down to it
/// rather than by reading it: a 404 would show up as an error in the browser's
/// console on every first run.
pub async fn setup_state<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
) -> Result<SetupState, StateError> {
    let mut folder = layout
        .base()
        .join("..")
        .expect("a folder has a parent URL (the origin's root is its own parent)");
    let index_b = slots::slot_b(&layout.index());
    for next in [layout.base().clone(), layout.keystores(), layout.index()] {
        let members = match pod.list(&folder).await {
            Ok(members) => members,
            Err(ListError::Read(e)) => return Err(e.into()),
            Err(e) => return Err(StateError::Listing(e.to_string())),
        };
        // Either slot of the index (FORMAT.md §4.4) means set up.
        if !members.iter().any(|m| m.url == next || m.url == index_b) {
            return Ok(SetupState::NotSetUp);
        }
        folder = next;
    }
    Ok(SetupState::SetUp)
}

/// First run: creates an empty root keystore covering [`Layout::files`] and the
/// index listing it, protected by `password`. Refuses if an index exists (also when
/// another tab sets up at the same moment: the index is created with
/// `If-None-Match: *`).
pub async fn set_up<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    owner: &str,
    password: &Password,
    params: &PasswordParams,
) -> Result<Keyring, SetUpError> {
    if password.expose().chars().count() < MIN_PASSWORD_LEN {
        return Err(SetUpError::TooShort);
    }
    if setup_state(pod, layout).await? == SetupState::SetUp {
        return Err(SetUpError::AlreadySetUp);
    }
    // Before the password wrap exists, so it is never readable by anyone else.
    super::private::make_private(pod, layout, owner).await?;
    let root_key = SecretKey::generate()?;
    let root_url = layout.new_root_keystore(&random_suffix()?);
    let root_doc = KeystoreDoc::default();
    match store::create(pod, &root_url, &root_key, &root_doc).await {
        Ok(true) => {}
        // A random name that exists already: refuse rather than overwrite.
        Ok(false) => return Err(WriteError::Conflict.into()),
        Err(UpdateError::Encode { source, .. }) => return Err(source.into()),
        Err(UpdateError::Write { source, .. }) => return Err(source.into()),
        Err(other) => return Err(SetUpError::Setup(other.to_string())),
    }
    let index = IndexDoc::new(vec![IndexEntry {
        url: root_url.to_string(),
        key: root_key,
        kind: KeystoreKind::Root,
        scope: layout.files().to_string(),
        owner: owner.to_owned(),
        mode: None,
    }]);
    let (body, index_key) = seal_index(&index, password, params).await?;
    match pod
        .put(
            &layout.index(),
            ENCRYPTED_TYPE,
            body.clone(),
            &Condition::IfAbsent,
        )
        .await
    {
        Ok(()) => {}
        Err(WriteError::Conflict) => return Err(SetUpError::AlreadySetUp),
        Err(e) => return Err(e.into()),
    }
    let index_key = IndexKey::new(index_key, &body[..WRAPPED_LEN], Seen::of(0, &body));
    copy_to_b(pod, &layout.index(), body).await;
    // The drive's top folder, so listing it never meets a 404. It may exist already
    // (a first run that failed after this point, or a racing tab): that is fine.
    match pod.create_container(&layout.files()).await {
        Ok(()) | Err(WriteError::Conflict | WriteError::Rejected) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Keyring::new(
        layout.clone(),
        index_key,
        index.keystores,
        vec![root_doc],
    ))
}

/// Opens the index with `password` and loads every keystore it lists, once,
/// whatever version of the index the pod serves: for a first unlock in this browser,
/// and the deliberate way past [`UnlockError::RolledBack`] (a restored backup).
pub async fn unlock<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    password: &Password,
) -> Result<Keyring, UnlockError> {
    unlock_checked(pod, layout, password, None).await
}

/// [`unlock`], refusing an index older than `remembered` (the newest version this
/// browser saw, FORMAT.md §4.6) with [`UnlockError::RolledBack`], writing nothing.
/// Then repairs an index slot that did not open (§4.4). The keyring's
/// [`Keyring::index_seen`] is what to remember next.
pub async fn unlock_checked<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    password: &Password,
    remembered: Option<&Seen>,
) -> Result<Keyring, UnlockError> {
    let pair = read_index(pod, layout).await.map_err(|e| match e {
        ReadError::NotFound => UnlockError::NotSetUp,
        e => e.into(),
    })?;
    let opened = open_slots(&pair, password).await.map_err(|e| match e {
        OpenIndexError::WrongPassword => UnlockError::WrongPassword,
        OpenIndexError::Damaged(why) => UnlockError::Damaged(why),
    })?;
    if let Some(remembered) = remembered {
        rollback::check(remembered, &opened.seen)?;
    }
    let index_key = IndexKey::new(opened.key, &opened.wrap, opened.seen);
    let keyring = Keyring::load(
        pod,
        layout.clone(),
        index_key.clone(),
        opened.index.keystores.clone(),
    )
    .await?;
    if opened.other_broken {
        if let Some(target) = pair.target(opened.current) {
            // Best effort: if it fails (someone wrote there first, the pod is
            // down) the next unlock tries again; reading works meanwhile.
            let _ = repair(pod, &target, opened.index, &index_key).await;
        }
    }
    Ok(keyring)
}

/// Re-encrypts the index under `new` (with a fresh index key), after checking `old`.
/// Only the index is rewritten, in both slots (FORMAT.md §4.4, "Password change"):
/// keystores keep their own keys.
pub async fn change_password<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    old: &Password,
    new: &Password,
    params: &PasswordParams,
) -> Result<(), ChangePasswordError> {
    if new.expose().chars().count() < MIN_PASSWORD_LEN {
        return Err(ChangePasswordError::TooShort);
    }
    let pair = read_index(pod, layout).await.map_err(|e| match e {
        ReadError::NotFound => ChangePasswordError::NotSetUp,
        e => e.into(),
    })?;
    let opened = open_slots(&pair, old).await.map_err(|e| match e {
        OpenIndexError::WrongPassword => ChangePasswordError::WrongPassword,
        OpenIndexError::Damaged(why) => ChangePasswordError::Damaged(why),
    })?;
    let mut index = opened.index;
    // The older slot first, then the current one: until the second PUT lands the
    // current slot still opens with the old password, so a cut loses nothing.
    let targets = [pair.target(opened.current), pair.target_at(opened.current)];
    let mut key = None;
    let mut wrap = Vec::new();
    for (n, target) in targets.into_iter().enumerate() {
        // A condition-less pod is not supported; an unreachable slot B means slot
        // A twice, and one write is enough.
        let target = target.ok_or(WriteError::Unexpected(200))?;
        if n == 1 && target.slot != opened.current {
            break;
        }
        index.counter = index.counter.saturating_add(1);
        let body = match &key {
            None => {
                let (body, fresh) = seal_index(&index, new, params).await?;
                key = Some(fresh);
                wrap = body[..WRAPPED_LEN].to_vec();
                body
            }
            Some(key) => [wrap.clone(), encrypt(&index, key)?].concat(),
        };
        // A 412 means another tab changed the password or the index meanwhile:
        // surfaced as an error (not retried) so the user re-enters the password.
        pod.put(&target.url, ENCRYPTED_TYPE, body, &target.condition)
            .await?;
    }
    Ok(())
}

/// Both slots of the index; `NotFound` if neither exists.
async fn read_index<H: HttpClient>(pod: &Pod<'_, H>, layout: &Layout) -> Result<Pair, ReadError> {
    let pair = slots::read(pod, &layout.index())
        .await
        .map_err(|(_, e)| e)?;
    if pair.is_absent() {
        return Err(ReadError::NotFound);
    }
    Ok(pair)
}

/// The index as opened from its two slots.
struct OpenedIndex {
    current: Slot,
    index: IndexDoc,
    key: SecretKey,
    /// The password wrap the current slot starts with.
    wrap: Vec<u8>,
    seen: Seen,
    /// Whether the other slot is there but did not open (truncated, damaged, or
    /// behind another password's wrap): unlock repairs it.
    other_broken: bool,
}

/// Opens each slot of `pair` with `password` and picks the current one (FORMAT.md
/// §4.4, "Unlocking"): Argon2id once per distinct wrap, usually once.
async fn open_slots(pair: &Pair, password: &Password) -> Result<OpenedIndex, OpenIndexError> {
    let mut keys: Vec<(&[u8], Result<SecretKey, OpenIndexError>)> = Vec::new();
    let mut opened: [Option<(IndexDoc, SecretKey)>; 2] = [None, None];
    let mut failure = None;
    for (i, slot) in [Slot::A, Slot::B].into_iter().enumerate() {
        let Some(body) = pair.get(slot).body() else {
            continue;
        };
        let result = match split_index(body) {
            Ok((wrap, sealed)) => {
                let key = match keys.iter().find(|(w, _)| *w == wrap) {
                    Some((_, key)) => key.clone(),
                    None => {
                        let key = unwrap_key_using(&kdf(), password.expose(), wrap)
                            .await
                            .map_err(password_error);
                        keys.push((wrap, key.clone()));
                        key
                    }
                };
                key.and_then(|key| Ok((open_sealed_index(sealed, &key)?, key)))
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(found) => opened[i] = Some(found),
            // A wrong password says more than a damaged copy.
            Err(e) if failure.is_none() || e == OpenIndexError::WrongPassword => failure = Some(e),
            Err(_) => {}
        }
    }
    let counter = |o: &Option<(IndexDoc, SecretKey)>| o.as_ref().map(|(d, _)| d.counter);
    let Some(current) = slots::current(counter(&opened[0]), counter(&opened[1])) else {
        return Err(failure.unwrap_or(OpenIndexError::Damaged("it is empty".into())));
    };
    let (i, other) = match current {
        Slot::A => (0, Slot::B),
        Slot::B => (1, Slot::A),
    };
    let (index, key) = opened[i].take().expect("the current slot opened");
    let body = pair.get(current).body().expect("an opened slot has a body");
    Ok(OpenedIndex {
        current,
        seen: Seen::of(index.counter, body),
        wrap: body[..WRAPPED_LEN].to_vec(),
        index,
        key,
        other_broken: pair.get(other).body().is_some() && opened[1 - i].is_none(),
    })
}

/// Why an index file did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenIndexError {
    #[error("wrong password")]
    WrongPassword,
    #[error("the keystore index is damaged: {0}")]
    Damaged(String),
}

/// Decodes the bytes of a `keystores.json.enc` (FORMAT.md §4.2) with `password`,
/// running Argon2id on the calling thread (for readers outside the browser app, such
/// as the format's test vectors).
pub fn open_index(bytes: &[u8], password: &Password) -> Result<IndexDoc, OpenIndexError> {
    let (wrap, sealed) = split_index(bytes)?;
    let key = unwrap_key(password.expose(), wrap).map_err(password_error)?;
    open_sealed_index(sealed, &key)
}

/// The password wrap and the sealed index document of an index file.
fn split_index(bytes: &[u8]) -> Result<(&[u8], &[u8]), OpenIndexError> {
    if bytes.len() < WRAPPED_LEN {
        return Err(OpenIndexError::Damaged("the file is truncated".into()));
    }
    Ok(bytes.split_at(WRAPPED_LEN))
}

fn password_error(e: UnwrapError) -> OpenIndexError {
    match e {
        UnwrapError::WrongPassword => OpenIndexError::WrongPassword,
        other => OpenIndexError::Damaged(other.to_string()),
    }
}

fn open_sealed_index(sealed: &[u8], key: &SecretKey) -> Result<IndexDoc, OpenIndexError> {
    decrypt::<IndexDoc>(sealed, key)
        .map_err(|e: DecodeError| OpenIndexError::Damaged(e.to_string()))
}

/// The index file's bytes under a fresh index key, and that key.
async fn seal_index(
    index: &IndexDoc,
    password: &Password,
    params: &PasswordParams,
) -> Result<(Vec<u8>, SecretKey), SealIndexError> {
    let key = SecretKey::generate()?;
    let mut body = wrap_key_using(&kdf(), password.expose(), &key, params)
        .await?
        .to_vec();
    body.extend_from_slice(&encrypt(index, &key)?);
    Ok((body, key))
}

/// Where Argon2id runs: in the browser, in a Web Worker that ends right after, so
/// its 128 MiB do not stay in the tab's wasm memory for the session (DESIGN §4).
#[cfg(target_arch = "wasm32")]
pub(crate) fn kdf() -> crate::crypto::password_worker::InWorker {
    crate::crypto::password_worker::InWorker::default()
}

/// Where Argon2id runs: natively, on the calling thread.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn kdf() -> crate::crypto::password::Inline {
    crate::crypto::password::Inline
}

/// [`seal_index`]'s failures, converted into each operation's own error.
enum SealIndexError {
    Random(RandomError),
    Wrap(WrapError),
    Encode(EncodeError),
}

impl From<RandomError> for SealIndexError {
    fn from(e: RandomError) -> Self {
        Self::Random(e)
    }
}
impl From<WrapError> for SealIndexError {
    fn from(e: WrapError) -> Self {
        Self::Wrap(e)
    }
}
impl From<EncodeError> for SealIndexError {
    fn from(e: EncodeError) -> Self {
        Self::Encode(e)
    }
}
impl From<SealIndexError> for SetUpError {
    fn from(e: SealIndexError) -> Self {
        match e {
            SealIndexError::Random(e) => e.into(),
            SealIndexError::Wrap(e) => e.into(),
            SealIndexError::Encode(e) => e.into(),
        }
    }
}
impl From<SealIndexError> for ChangePasswordError {
    fn from(e: SealIndexError) -> Self {
        match e {
            SealIndexError::Random(e) => e.into(),
            SealIndexError::Wrap(e) => e.into(),
            SealIndexError::Encode(e) => e.into(),
        }
    }
}

/// 128 random bits as lowercase hex, for resource names the pod cannot guess. Drawn
/// through [`SecretKey::generate`], the crypto core's one door to the CSPRNG.
pub(crate) fn random_suffix() -> Result<String, RandomError> {
    let key = SecretKey::generate()?;
    Ok(key.expose_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
