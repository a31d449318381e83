//! The unlocked keystores of one session: loaded once at unlock, then served from
//! memory (no refetch per action), and written through on every change.
//!
//! Several index entries may name one keystore document (every file shared with
//! me one by one lives in one "received files" keystore, with one index entry per
//! file for its scope): each document is loaded and cached once, by URL.

use std::cell::RefCell;
use std::rc::Rc;

use url::Url;

use super::format::{Entry, IndexDoc, IndexEntry, KeystoreDoc, KeystoreKind, ShareMode};
use super::index::{update_index, IndexError, IndexKey};
use super::layout::Layout;
use super::master::random_suffix;
use super::rollback::Seen;
use super::scope::{reads_for, writes_for};
use super::store::{create, load, update, LoadError, UpdateError};
use super::turn::Turn;
use super::unavailable::{Unavailable, Unreadable};
use crate::crypto::{RandomError, SecretKey};
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// All keystores of an unlocked session. Cheap to clone (shared state); dropping
/// the last clone (locking) wipes every key, as [`crate::crypto::SecretKey`] does.
#[derive(Clone)]
pub struct Keyring {
    inner: Rc<Inner>,
}

struct Inner {
    layout: Layout,
    /// Opens the index (FORMAT.md §4.2), so shares can be added to it. `None` for
    /// a keyring held in this tab only ([`Keyring::in_memory`]), which writes
    /// nothing anywhere.
    index_key: Option<IndexKey>,
    index: RefCell<Vec<IndexEntry>>,
    /// One decrypted document per distinct keystore URL, in index order. Only
    /// ever borrowed between awaits.
    stores: RefCell<Vec<Store>>,
    /// Keystores of shares that could not be read at the last load (revoked, or
    /// the owner's pod failing): empty meanwhile, never written.
    unavailable: RefCell<Vec<Unavailable>>,
    /// Serializes this session's writes (see `turn`).
    turn: Turn,
}

struct Store {
    url: String,
    doc: KeystoreDoc,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("keystores", &self.inner.index.borrow().len())
            .finish_non_exhaustive()
    }
}

/// Adding or removing keys or keystores failed. Keystores written before the
/// failure keep the change (an unused key at worst, never a lost one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    #[error("no keystore covers {0}")]
    NotCovered(String),
    #[error("a keystore address in the index is not a URL: {0}")]
    BadKeystoreUrl(String),
    /// Boxed: it carries URLs, and this error travels inside every drive error.
    #[error(transparent)]
    Update(Box<UpdateError>),
    #[error(transparent)]
    Load(Box<LoadError>),
    #[error(transparent)]
    Index(Box<IndexError>),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    /// A keyring held in this tab only (a link opened without keeping it) is
    /// asked to write: it never does.
    #[error("this is open in this tab only; keep it in your drive to change anything")]
    InMemory,
}

impl From<UpdateError> for KeyringError {
    fn from(e: UpdateError) -> Self {
        Self::Update(Box::new(e))
    }
}
impl From<LoadError> for KeyringError {
    fn from(e: LoadError) -> Self {
        Self::Load(Box::new(e))
    }
}
impl From<IndexError> for KeyringError {
    fn from(e: IndexError) -> Self {
        Self::Index(Box::new(e))
    }
}

impl Keyring {
    /// A keyring from documents already in hand (just created at setup): `docs`
    /// holds one document per distinct keystore URL of `index`, in index order.
    pub(crate) fn new(
        layout: Layout,
        index_key: IndexKey,
        index: Vec<IndexEntry>,
        docs: Vec<KeystoreDoc>,
    ) -> Self {
        let loaded = Loaded {
            docs,
            unavailable: Vec::new(),
        };
        Self::from_loaded(layout, Some(index_key), index, loaded)
    }

    /// A keyring held in this tab only, for a link opened without a drive (or
    /// without keeping it): `index` and `docs` as for [`Keyring::new`], on the
    /// pod nowhere. It looks keys up like any other (the scope rules of
    /// `scope::reads_for` hold, with `layout` the user's, set up or not) and
    /// refuses every write with [`KeyringError::InMemory`]: no key of it is
    /// kept, no keystore rewritten, and [`Keyring::refresh`] keeps what it was
    /// given (a snapshot of the link's keystore when it was opened).
    pub fn in_memory(layout: Layout, index: Vec<IndexEntry>, docs: Vec<KeystoreDoc>) -> Self {
        let loaded = Loaded {
            docs,
            unavailable: Vec::new(),
        };
        Self::from_loaded(layout, None, index, loaded)
    }

    /// Whether this keyring is held in this tab only ([`Keyring::in_memory`]).
    pub fn is_in_memory(&self) -> bool {
        self.inner.index_key.is_none()
    }

    /// The index key, unless this keyring writes nothing.
    fn index_key(&self) -> Result<&IndexKey, KeyringError> {
        self.inner.index_key.as_ref().ok_or(KeyringError::InMemory)
    }

    fn from_loaded(
        layout: Layout,
        index_key: Option<IndexKey>,
        index: Vec<IndexEntry>,
        loaded: Loaded,
    ) -> Self {
        let stores = distinct_urls(&index)
            .into_iter()
            .zip(loaded.docs)
            .map(|(url, doc)| Store { url, doc })
            .collect();
        Self {
            inner: Rc::new(Inner {
                layout,
                index_key,
                index: RefCell::new(index),
                stores: RefCell::new(stores),
                unavailable: RefCell::new(loaded.unavailable),
                turn: Turn::default(),
            }),
        }
    }

    /// Loads every keystore of `index`, each distinct URL once. A keystore that does
    /// not exist (yet) counts as empty: it is created on its first write; but a
    /// missing root keystore is [`LoadError::RootMissing`] (FORMAT.md §4.6). A
    /// keystore on someone else's pod that fails in any way (revoked, 5xx,
    /// unreachable, junk, too big) is empty and listed in [`Keyring::unavailable`]
    /// with its reason, so nobody else's pod can lock anyone out of their own drive;
    /// only the root keystore must load.
    pub(crate) async fn load<H: HttpClient>(
        pod: &Pod<'_, H>,
        layout: Layout,
        index_key: IndexKey,
        index: Vec<IndexEntry>,
    ) -> Result<Self, LoadError> {
        let loaded = load_docs(pod, &layout, &index).await?;
        Ok(Self::from_loaded(layout, Some(index_key), index, loaded))
    }

    /// The keystores of shares that could not be read at the last load or refresh,
    /// and why; their scopes are shown as unavailable.
    pub fn unavailable(&self) -> Vec<Unavailable> {
        self.inner.unavailable.borrow().clone()
    }

    /// The newest version of the index this session read or wrote, for the
    /// browser to remember (FORMAT.md §4.6); `None` held in memory only.
    pub fn index_seen(&self) -> Option<Seen> {
        self.inner.index_key.as_ref().map(IndexKey::seen)
    }

    /// Calls `watcher` with every version of the index this session writes (none,
    /// held in memory only).
    pub fn on_index_written(&self, watcher: impl Fn(&Seen) + 'static) {
        if let Some(index_key) = &self.inner.index_key {
            index_key.watch(Box::new(watcher));
        }
    }

    /// Where this session's data lives.
    pub fn layout(&self) -> &Layout {
        &self.inner.layout
    }

    /// The keystores listed in the index (a copy: the index may change).
    pub fn keystores(&self) -> Vec<IndexEntry> {
        self.inner.index.borrow().clone()
    }

    /// The WebID this index belongs to (the root keystore's owner).
    pub fn owner(&self) -> Option<String> {
        self.inner
            .index
            .borrow()
            .iter()
            .find(|e| e.kind == KeystoreKind::Root)
            .map(|e| e.owner.clone())
    }

    /// The root keystore's entry (its URL and key): the key also seals the user's
    /// other private documents, such as the list of links they created.
    pub fn root(&self) -> Option<IndexEntry> {
        self.inner
            .index
            .borrow()
            .iter()
            .find(|e| e.kind == KeystoreKind::Root)
            .cloned()
    }

    /// Whether a keystore in the index covers `url` (so its key is kept for good,
    /// not only cached from a write whose index entry never landed).
    pub fn covers(&self, url: &str) -> bool {
        let layout = &self.inner.layout;
        self.inner
            .index
            .borrow()
            .iter()
            .any(|e| reads_for(e, url, layout))
    }

    /// Whether a new key or name for `url` goes to some keystore (see
    /// `scope::writes_for`): false for what is shared with me read-only and for
    /// addresses outside every keystore, which a rename or move then refuses
    /// before asking any pod.
    pub fn writable(&self, url: &str) -> bool {
        !self.covering(url).is_empty()
    }

    /// Whether the keystore at `store` may be consulted for `url` (see `scope`).
    fn consulted(&self, store: &str, url: &str) -> bool {
        let layout = &self.inner.layout;
        let index = self.inner.index.borrow();
        index
            .iter()
            .any(|e| e.url == store && reads_for(e, url, layout))
    }

    /// The distinct keystores a lookup of `url` may consult (see `scope`), in
    /// index order: a folder shown is kept current by watching these, since a
    /// rename changes only a keystore, never the folder (issue 13).
    pub fn consulted_for(&self, url: &str) -> Vec<String> {
        distinct_urls(&self.read_for(&[url]))
    }

    /// The index entries whose keystores a lookup of any of `urls` may consult.
    fn read_for(&self, urls: &[&str]) -> Vec<IndexEntry> {
        let layout = &self.inner.layout;
        self.inner
            .index
            .borrow()
            .iter()
            .filter(|e| urls.iter().any(|url| reads_for(e, url, layout)))
            .cloned()
            .collect()
    }

    /// The entry for `url` from the first keystore that has one and whose scope
    /// holds `url` (the root keystore comes first), from memory; its name is the
    /// last other name a later consulted keystore gives it under the same key
    /// (FORMAT.md §4.3 "Names": a collaborator's rename reaches only the shared
    /// keystore they can write).
    pub fn lookup(&self, url: &str) -> Option<Entry> {
        let stores = self.inner.stores.borrow();
        let mut found = stores
            .iter()
            .filter(|store| self.consulted(&store.url, url))
            .filter_map(|store| store.doc.entries.get(url));
        let first = found.next()?.clone();
        let renamed = found
            .rfind(|e| e.name != first.name && same_key(&e.key, &first.key))
            .map(|e| e.name.clone());
        Some(Entry {
            name: renamed.unwrap_or(first.name),
            ..first
        })
    }

    /// Every entry of the keystore document at `keystore` (from memory).
    pub fn entries_of(&self, keystore: &str) -> Vec<(String, Entry)> {
        self.inner
            .stores
            .borrow()
            .iter()
            .filter(|store| store.url == keystore)
            .flat_map(|store| store.doc.entries.clone())
            .collect()
    }

    /// Every entry known under `folder` (direct children and deeper), from memory.
    pub fn entries_under(&self, folder: &str) -> Vec<(String, Entry)> {
        let stores = self.inner.stores.borrow();
        let mut out: Vec<(String, Entry)> = Vec::new();
        for store in stores.iter() {
            for (url, entry) in store.doc.entries.range(folder.to_owned()..) {
                if !url.starts_with(folder) {
                    break;
                }
                let fresh = !out.iter().any(|(u, _)| u == url);
                if url != folder && fresh && self.consulted(&store.url, url) {
                    out.push((url.clone(), entry.clone()));
                }
            }
        }
        out
    }

    /// Writes `entry` for `url` into every keystore that takes it (mine covering
    /// it, and shares received read-write whose scope holds it), each with
    /// read-modify-write (so concurrent writers keep each other's keys), and
    /// updates the cache. Returns once all of them are on the pod.
    pub async fn add<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        url: &str,
        entry: Entry,
    ) -> Result<(), KeyringError> {
        let targets = self.covering(url);
        if targets.is_empty() {
            return Err(KeyringError::NotCovered(url.to_owned()));
        }
        let _turn = self.inner.turn.take().await;
        for (store, key) in targets {
            self.write(pod, &store, &key, |doc| {
                doc.entries.insert(url.to_owned(), entry.clone());
                true
            })
            .await?;
        }
        Ok(())
    }

    /// Writes all of `entries` as [`Keyring::add`] writes one, but each keystore
    /// once for the whole batch (a folder of 1,000 files is a few keystore
    /// writes, not 1,000): the entries are grouped by the keystores that take
    /// them, and each group goes in one read-modify-write, so the `If-Match`
    /// merge on 412 (`store::update`) re-applies the whole group to another
    /// writer's version and nobody's entries are lost. Nothing is written if any
    /// entry is covered by no keystore. Returns once every group is on the pod.
    pub async fn add_all<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        entries: &[(String, Entry)],
    ) -> Result<(), KeyringError> {
        // Each keystore (URL and key) with the entries it takes.
        type Group<'e> = ((String, SecretKey), Vec<&'e (String, Entry)>);
        let mut groups: Vec<Group> = Vec::new();
        for pair in entries {
            let targets = self.covering(&pair.0);
            if targets.is_empty() {
                return Err(KeyringError::NotCovered(pair.0.clone()));
            }
            for target in targets {
                match groups.iter_mut().find(|(t, _)| t.0 == target.0) {
                    Some((_, group)) => group.push(pair),
                    None => groups.push((target, vec![pair])),
                }
            }
        }
        let _turn = self.inner.turn.take().await;
        for ((store, key), group) in groups {
            self.write(pod, &store, &key, |doc| {
                for (url, entry) in &group {
                    doc.entries.insert(url.clone(), entry.clone());
                }
                true
            })
            .await?;
        }
        Ok(())
    }

    /// Removes the entries of `urls` from every keystore that has one of them
    /// and is consulted for it: an entry a keystore from someone else's pod lists
    /// outside its scope is not mine to remove (and a read-only one would refuse
    /// the write, failing my own deletion).
    pub async fn remove<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        urls: &[String],
    ) -> Result<(), KeyringError> {
        let _turn = self.inner.turn.take().await;
        let holding: Vec<(String, Vec<String>)> = self
            .inner
            .stores
            .borrow()
            .iter()
            .filter_map(|s| {
                let held: Vec<String> = urls
                    .iter()
                    .filter(|u| s.doc.entries.contains_key(*u) && self.consulted(&s.url, u))
                    .cloned()
                    .collect();
                (!held.is_empty()).then(|| (s.url.clone(), held))
            })
            .collect();
        for (store, held) in holding {
            let Some(key) = self.key_of(&store) else {
                continue;
            };
            self.write(pod, &store, &key, |doc| {
                let before = doc.entries.len();
                for url in &held {
                    doc.entries.remove(url);
                }
                doc.entries.len() != before
            })
            .await?;
        }
        Ok(())
    }

    /// Re-reads the keystores that may hold a key for one of `urls` (to pick up
    /// what another tab or a collaborator wrote there), not all of them: a listing
    /// that meets an unknown member would otherwise pay one GET per keystore in
    /// the index, dozens once a user has shares.
    pub async fn refresh_for<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        urls: &[&str],
    ) -> Result<(), LoadError> {
        if self.is_in_memory() {
            return Ok(());
        }
        let index = self.read_for(urls);
        let loaded = load_docs(pod, &self.inner.layout, &index).await?;
        let reread = distinct_urls(&index);
        {
            let mut stores = self.inner.stores.borrow_mut();
            for (url, doc) in reread.iter().zip(loaded.docs) {
                match stores.iter_mut().find(|s| s.url == *url) {
                    Some(store) => store.doc = doc,
                    None => stores.push(Store {
                        url: url.clone(),
                        doc,
                    }),
                }
            }
        }
        let mut unavailable = self.inner.unavailable.borrow_mut();
        unavailable.retain(|u| !reread.contains(&u.keystore));
        unavailable.extend(loaded.unavailable);
        Ok(())
    }

    /// Re-reads every keystore (to pick up what other tabs or collaborators wrote).
    pub async fn refresh<H: HttpClient>(&self, pod: &Pod<'_, H>) -> Result<(), LoadError> {
        if self.is_in_memory() {
            return Ok(());
        }
        let index = self.keystores();
        let loaded = load_docs(pod, &self.inner.layout, &index).await?;
        *self.inner.stores.borrow_mut() = distinct_urls(&index)
            .into_iter()
            .zip(loaded.docs)
            .map(|(url, doc)| Store { url, doc })
            .collect();
        *self.inner.unavailable.borrow_mut() = loaded.unavailable;
        Ok(())
    }

    /// Adds `entry` to the index (on the pod, then in memory) and starts using its
    /// keystore: `doc` if the caller just read or wrote it, else loaded from the pod.
    /// An entry with the same keystore URL and scope already listed is left as is.
    pub async fn add_keystore<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        entry: IndexEntry,
        doc: Option<KeystoreDoc>,
    ) -> Result<(), KeyringError> {
        let _turn = self.inner.turn.take().await;
        self.index_add(pod, &entry).await?;
        let known = self.has_store(&entry.url);
        if !known {
            let doc = match doc {
                Some(doc) => doc,
                None => {
                    let url = parse_url(&entry.url)?;
                    load::<H, KeystoreDoc>(pod, &url, &entry.key)
                        .await?
                        .map(|l| l.doc)
                        .unwrap_or_default()
                }
            };
            self.inner.stores.borrow_mut().push(Store {
                url: entry.url.clone(),
                doc,
            });
        }
        Ok(())
    }

    /// Replaces the cached copy of the keystore at `keystore` (one the index
    /// lists) with `doc`, just read from the pod, so keys rotated since it was
    /// loaded are used without a [`Keyring::refresh`] of every keystore.
    pub(crate) fn recache(&self, keystore: &str, doc: KeystoreDoc) {
        let listed = self.inner.index.borrow().iter().any(|e| e.url == keystore);
        if let Some(store) = self
            .inner
            .stores
            .borrow_mut()
            .iter_mut()
            .find(|s| listed && s.url == keystore)
        {
            store.doc = doc;
        }
    }

    /// Takes every index entry naming the keystore at `keystore` out of the index
    /// (on the pod, then in memory). The document itself is left to the caller.
    pub async fn remove_keystore<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        keystore: &str,
    ) -> Result<(), KeyringError> {
        let _turn = self.inner.turn.take().await;
        self.drop_index_entries(pod, |e| e.url == keystore).await
    }

    /// Forgets a share received: the index entries for shares received (those with
    /// a `mode`) scoped to `scope`, and for a file its key in my received-files
    /// keystore. Idempotent.
    pub async fn forget_received<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        scope: &str,
    ) -> Result<(), KeyringError> {
        let received = self.received_keystore();
        let _turn = self.inner.turn.take().await;
        self.drop_index_entries(pod, |e| e.scope == scope && e.mode.is_some())
            .await?;
        let still_named = |url: &str| self.inner.index.borrow().iter().any(|e| e.url == url);
        if let Some((store, key)) = received.filter(|(url, _)| still_named(url)) {
            self.write(pod, &store, &key, |doc| doc.entries.remove(scope).is_some())
                .await?;
        }
        Ok(())
    }

    /// Takes the index entries `gone` picks out of the index (on the pod, then in
    /// memory) and drops the cached keystores no entry names any more. Call with
    /// the turn taken.
    async fn drop_index_entries<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        gone: impl Fn(&IndexEntry) -> bool,
    ) -> Result<(), KeyringError> {
        update_index(
            pod,
            &self.inner.layout.index(),
            self.index_key()?,
            |index| {
                let before = index.keystores.len();
                index.keystores.retain(|e| !gone(e));
                index.keystores.len() != before
            },
        )
        .await?;
        self.inner.index.borrow_mut().retain(|e| !gone(e));
        let index = self.inner.index.borrow();
        self.inner
            .stores
            .borrow_mut()
            .retain(|s| index.iter().any(|e| e.url == s.url));
        Ok(())
    }

    /// Keeps the key of a file someone shared with me (by a file link): `entry` goes
    /// into my "received files" keystore (created on first use, FORMAT.md §4.1),
    /// then an index entry of kind `shared-file` scoped to `file` points there.
    /// Keystore first, index second: a failure in between leaves an unused entry.
    pub async fn add_received_file<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        file: &str,
        entry: Entry,
        mode: ShareMode,
    ) -> Result<(), KeyringError> {
        self.index_key()?;
        let found = self.received_keystore();
        let fresh = found.is_none();
        let (store, key) = match found {
            Some(found) => found,
            None => (
                self.inner
                    .layout
                    .new_received_keystore(&random_suffix()?)
                    .to_string(),
                SecretKey::generate()?,
            ),
        };
        let _turn = self.inner.turn.take().await;
        let mut doc = KeystoreDoc::default();
        doc.entries.insert(file.to_owned(), entry.clone());
        // A keystore named just now cannot exist yet: create it in one request
        // (If-None-Match: *) instead of a read that would only find nothing.
        let created = fresh && create(pod, &parse_url(&store)?, &key, &doc).await?;
        if created {
            self.inner.stores.borrow_mut().push(Store {
                url: store.clone(),
                doc,
            });
        } else {
            self.write(pod, &store, &key, |doc| {
                doc.entries.insert(file.to_owned(), entry.clone());
                true
            })
            .await?;
        }
        let index_entry = IndexEntry {
            url: store,
            key,
            kind: KeystoreKind::SharedFile,
            scope: file.to_owned(),
            owner: self.owner().unwrap_or_default(),
            mode: Some(mode),
        };
        self.index_add(pod, &index_entry).await
    }

    /// My "received files" keystore, if I have one: the one `shared-file` entries
    /// name inside my own keystores folder.
    fn received_keystore(&self) -> Option<(String, SecretKey)> {
        let mine = self.inner.layout.keystores();
        self.inner
            .index
            .borrow()
            .iter()
            .find(|e| {
                // With a mode: shares received (my own file shares have none).
                e.kind == KeystoreKind::SharedFile
                    && e.mode.is_some()
                    && e.url.starts_with(mine.as_str())
            })
            .map(|e| (e.url.clone(), e.key.clone()))
    }

    /// Writes `entry` into the index unless an entry with its URL and scope is
    /// there (then only its `mode` is brought up to date), and into memory.
    async fn index_add<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        entry: &IndexEntry,
    ) -> Result<(), KeyringError> {
        let merge = |index: &mut Vec<IndexEntry>| match index
            .iter_mut()
            .find(|e| e.url == entry.url && e.scope == entry.scope)
        {
            Some(found) if found.mode == entry.mode => false,
            Some(found) => {
                found.mode = entry.mode;
                true
            }
            None => {
                index.push(entry.clone());
                true
            }
        };
        update_index(
            pod,
            &self.inner.layout.index(),
            self.index_key()?,
            |index: &mut IndexDoc| merge(&mut index.keystores),
        )
        .await?;
        merge(&mut self.inner.index.borrow_mut());
        Ok(())
    }

    fn has_store(&self, url: &str) -> bool {
        self.inner.stores.borrow().iter().any(|s| s.url == url)
    }

    fn key_of(&self, store: &str) -> Option<SecretKey> {
        self.inner
            .index
            .borrow()
            .iter()
            .find(|e| e.url == store)
            .map(|e| e.key.clone())
    }

    /// The distinct keystores a new key for `url` goes to (see `scope::writes_for`),
    /// with their keys: the root one first, shares after.
    fn covering(&self, url: &str) -> Vec<(String, SecretKey)> {
        let index = self.inner.index.borrow();
        let layout = &self.inner.layout;
        let mut found: Vec<&IndexEntry> = index
            .iter()
            .filter(|e| writes_for(e, url, layout))
            .collect();
        found.sort_by_key(|e| e.kind != KeystoreKind::Root);
        let mut out: Vec<(String, SecretKey)> = Vec::new();
        for entry in found {
            if !out.iter().any(|(u, _)| *u == entry.url) {
                out.push((entry.url.clone(), entry.key.clone()));
            }
        }
        out
    }

    /// Read-modify-write of the keystore at `store`, then the cache.
    async fn write<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        store: &str,
        key: &SecretKey,
        change: impl FnMut(&mut KeystoreDoc) -> bool,
    ) -> Result<(), KeyringError> {
        self.index_key()?;
        let url = parse_url(store)?;
        let written = update(pod, &url, key, KeystoreDoc::default, change).await?;
        let mut stores = self.inner.stores.borrow_mut();
        match stores.iter_mut().find(|s| s.url == store) {
            Some(cached) => cached.doc = written,
            None => stores.push(Store {
                url: store.to_owned(),
                doc: written,
            }),
        }
        Ok(())
    }
}

/// Whether two entries hold the same key (or, folders, none).
fn same_key(a: &Option<SecretKey>, b: &Option<SecretKey>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.expose_bytes() == b.expose_bytes(),
        (None, None) => true,
        _ => false,
    }
}

fn parse_url(text: &str) -> Result<Url, KeyringError> {
    Url::parse(text).map_err(|_| KeyringError::BadKeystoreUrl(text.to_owned()))
}

/// The distinct keystore URLs of `index`, in order of first appearance.
fn distinct_urls(index: &[IndexEntry]) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for entry in index {
        if !urls.contains(&entry.url) {
            urls.push(entry.url.clone());
        }
    }
    urls
}

/// What [`load_docs`] found.
struct Loaded {
    /// One per distinct keystore URL, in index order.
    docs: Vec<KeystoreDoc>,
    /// Shares' keystores that did not load (empty in `docs`).
    unavailable: Vec<Unavailable>,
}

/// One document per distinct keystore URL of `index`; a missing one is empty, and
/// so is a keystore that fails to load when it is someone else's (not in my
/// `layout`'s keystores folder) or was a share's that is gone: those are listed as
/// unavailable. The root keystore, and my own others failing otherwise, fail it.
async fn load_docs<H: HttpClient>(
    pod: &Pod<'_, H>,
    layout: &Layout,
    index: &[IndexEntry],
) -> Result<Loaded, LoadError> {
    let mine = layout.keystores();
    let mut loaded = Loaded {
        docs: Vec::new(),
        unavailable: Vec::new(),
    };
    for url in distinct_urls(index) {
        let entry = index.iter().find(|e| e.url == url).expect("listed above");
        let parsed = Url::parse(&url).map_err(|_| LoadError::BadUrl(url.clone()))?;
        let doc = match load::<H, KeystoreDoc>(pod, &parsed, &entry.key).await {
            // FORMAT.md §4.6: a missing root is a loss to report, not a new drive.
            Ok(None) if entry.kind == KeystoreKind::Root => {
                return Err(LoadError::RootMissing { url: parsed })
            }
            Ok(doc) => doc.map(|d| d.doc).unwrap_or_default(),
            Err(e) if entry.kind == KeystoreKind::Root => return Err(e),
            Err(e) if url.starts_with(mine.as_str()) && !lost_share(&e) => return Err(e),
            Err(e) => {
                loaded.unavailable.push(Unavailable {
                    keystore: url.clone(),
                    reason: Unreadable::of(&e),
                });
                KeystoreDoc::default()
            }
        };
        loaded.docs.push(doc);
    }
    Ok(loaded)
}

/// Whether a keystore of my own pod failed the way a revoked share does: refused or
/// gone (CSS answers 401/403 for a deleted resource in a folder one may not read),
/// or no longer opening with the key. Network and server errors of my own pod
/// still fail the load, so a flaky pod is not mistaken for a revoked share.
fn lost_share(error: &LoadError) -> bool {
    match error {
        LoadError::Read { source, .. } => matches!(
            source,
            ReadError::Forbidden | ReadError::Unauthorized | ReadError::NotFound
        ),
        LoadError::Decode { .. } => true,
        LoadError::BadUrl(_) | LoadError::RootMissing { .. } => false,
    }
}
