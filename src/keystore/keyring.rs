//! The unlocked keystores of one session: loaded once at unlock, then served from
//! memory (no refetch per action), and written through on every change.

use std::cell::RefCell;
use std::rc::Rc;

use url::Url;

use super::format::{Entry, IndexEntry, KeystoreDoc, KeystoreKind};
use super::layout::Layout;
use super::store::{load, update, LoadError, UpdateError};
use super::turn::Turn;
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
    index: Vec<IndexEntry>,
    /// The decrypted documents, in index order. Only ever borrowed between awaits.
    docs: RefCell<Vec<KeystoreDoc>>,
    /// Serializes this session's writes (see `turn`).
    turn: Turn,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("keystores", &self.inner.index.len())
            .finish_non_exhaustive()
    }
}

/// Adding or removing keys failed. Keystores written before the failure keep the
/// change (an unused key at worst, never a lost one).
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
}

impl From<UpdateError> for KeyringError {
    fn from(e: UpdateError) -> Self {
        Self::Update(Box::new(e))
    }
}

impl Keyring {
    /// A keyring from documents already in hand (just created at setup).
    pub(crate) fn new(layout: Layout, index: Vec<IndexEntry>, docs: Vec<KeystoreDoc>) -> Self {
        Self {
            inner: Rc::new(Inner {
                layout,
                index,
                docs: RefCell::new(docs),
                turn: Turn::default(),
            }),
        }
    }

    /// Loads every keystore of `index`. A keystore that does not exist (yet) counts
    /// as empty: it is created on its first write.
    pub(crate) async fn load<H: HttpClient>(
        pod: &Pod<'_, H>,
        layout: Layout,
        index: Vec<IndexEntry>,
    ) -> Result<Self, LoadError> {
        let mut docs = Vec::with_capacity(index.len());
        for entry in &index {
            let url = Url::parse(&entry.url).map_err(|_| LoadError::BadUrl(entry.url.clone()))?;
            let doc = load::<H, KeystoreDoc>(pod, &url, &entry.key).await?;
            docs.push(doc.map(|d| d.doc).unwrap_or_default());
        }
        Ok(Self::new(layout, index, docs))
    }

    /// Where this session's data lives.
    pub fn layout(&self) -> &Layout {
        &self.inner.layout
    }

    /// The keystores listed in the index.
    pub fn keystores(&self) -> &[IndexEntry] {
        &self.inner.index
    }

    /// The entry for `url` from the first keystore that has one (the root keystore
    /// comes first), from memory.
    pub fn lookup(&self, url: &str) -> Option<Entry> {
        self.inner
            .docs
            .borrow()
            .iter()
            .find_map(|doc| doc.entries.get(url).cloned())
    }

    /// Every entry known under `folder` (direct children and deeper), from memory.
    pub fn entries_under(&self, folder: &str) -> Vec<(String, Entry)> {
        let docs = self.inner.docs.borrow();
        let mut out: Vec<(String, Entry)> = Vec::new();
        for doc in docs.iter() {
            for (url, entry) in doc.entries.range(folder.to_owned()..) {
                if !url.starts_with(folder) {
                    break;
                }
                if url != folder && !out.iter().any(|(u, _)| u == url) {
                    out.push((url.clone(), entry.clone()));
                }
            }
        }
        out
    }

    /// Writes `entry` for `url` into every keystore that covers it, each with
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
        for i in targets {
            let written = self
                .write(pod, i, |doc| {
                    doc.entries.insert(url.to_owned(), entry.clone());
                    true
                })
                .await?;
            self.inner.docs.borrow_mut()[i] = written;
        }
        Ok(())
    }

    /// Removes the entries of `urls` from every keystore that has one of them.
    pub async fn remove<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        urls: &[String],
    ) -> Result<(), KeyringError> {
        let _turn = self.inner.turn.take().await;
        for i in 0..self.inner.index.len() {
            let holds_any = {
                let docs = self.inner.docs.borrow();
                urls.iter().any(|u| docs[i].entries.contains_key(u))
            };
            if !holds_any {
                continue;
            }
            let written = self
                .write(pod, i, |doc| {
                    let before = doc.entries.len();
                    for url in urls {
                        doc.entries.remove(url);
                    }
                    doc.entries.len() != before
                })
                .await?;
            self.inner.docs.borrow_mut()[i] = written;
        }
        Ok(())
    }

    /// Re-reads every keystore (to pick up what other tabs or collaborators wrote).
    pub async fn refresh<H: HttpClient>(&self, pod: &Pod<'_, H>) -> Result<(), LoadError> {
        let fresh = Self::load(pod, self.inner.layout.clone(), self.inner.index.clone()).await?;
        let docs = fresh.inner.docs.take();
        *self.inner.docs.borrow_mut() = docs;
        Ok(())
    }

    /// Indexes of the keystores covering `url`: the root one first, shares after.
    fn covering(&self, url: &str) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.inner.index.len())
            .filter(|&i| self.inner.index[i].covers(url))
            .collect();
        found.sort_by_key(|&i| self.inner.index[i].kind != KeystoreKind::Root);
        found
    }

    async fn write<H: HttpClient>(
        &self,
        pod: &Pod<'_, H>,
        i: usize,
        change: impl FnMut(&mut KeystoreDoc) -> bool,
    ) -> Result<KeystoreDoc, KeyringError> {
        let entry = &self.inner.index[i];
        let url =
            Url::parse(&entry.url).map_err(|_| KeyringError::BadKeystoreUrl(entry.url.clone()))?;
        Ok(update(pod, &url, &entry.key, KeystoreDoc::default, change).await?)
    }
}
