//! Which storage (pod root) an address lies in, and whose it is, as the pod says.
//!
//! On Community Solid Server many users' pods share one origin, so "same origin"
//! is not "same pod": a share link's resource, keystore and group are checked to
//! be in one storage (issue 11). The storage of an address is the root that a
//! `storageDescription` link on the address itself names, or else the first
//! container typed `pim:Storage` (or naming its root) on the way up. Folders the
//! user may not see (401/403) or that are not there (404) are passed over, as for
//! a WebID's storage; the owner is what the root advertises with
//! `Link: rel="solid:owner"` (CSS does only for owners who chose to be shown).

use std::cell::RefCell;

use url::Url;

use super::client::Pod;
use super::error::ReadError;
use super::http::HttpClient;
use super::links::Link;
use super::profile::{described_storage, is_storage};
use super::vocab;

/// At most this many folders are asked on the way up: a hostile link's address
/// may have thousands of segments, and real pods nest a handful.
const MAX_STEPS: usize = 24;

/// The storage of an address could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    #[error("cannot tell which pod {0} belongs to: no folder above it is a storage root")]
    NotFound(Url),
    #[error("cannot tell which pod {url} belongs to: {source}")]
    Read { url: Url, source: ReadError },
}

/// What one folder on the way up said.
#[derive(Debug, Clone)]
enum Step {
    /// It is a storage root.
    Root(Vec<Url>),
    /// It names the storage root above it (through its description).
    Names(Url),
    /// Nothing (or we may not see it): go up.
    Pass,
}

/// Finds storages for several addresses, asking each folder at most once.
pub struct StorageFinder<'p, 'a, H: HttpClient> {
    pod: &'p Pod<'a, H>,
    asked: RefCell<Vec<(Url, Step)>>,
}

impl<'p, 'a, H: HttpClient> StorageFinder<'p, 'a, H> {
    pub fn new(pod: &'p Pod<'a, H>) -> Self {
        Self {
            pod,
            asked: RefCell::new(Vec::new()),
        }
    }

    /// The storage root `url` lies in (see the module): the address itself is
    /// asked first, then each container above it.
    pub async fn storage_of(&self, url: &Url) -> Result<Url, StorageError> {
        let not_found = || StorageError::NotFound(url.clone());
        let mut candidate = url.clone();
        candidate.set_query(None);
        for _ in 0..MAX_STEPS {
            match self.ask(&candidate, url).await? {
                Step::Root(_) => return Ok(candidate),
                Step::Names(root) => return Ok(root),
                Step::Pass => {}
            }
            if candidate.path() == "/" {
                break;
            }
            let up = if candidate.path().ends_with('/') {
                "../"
            } else {
                "./"
            };
            candidate = candidate.join(up).map_err(|_| not_found())?;
        }
        Err(not_found())
    }

    /// Who owns the storage at `root`, where its pod says so (best effort: a root
    /// that cannot be read says nobody).
    pub async fn owners(&self, root: &Url) -> Vec<Url> {
        match self.ask(root, root).await {
            Ok(Step::Root(owners)) => owners,
            _ => Vec::new(),
        }
    }

    /// HEADs `folder` once (later calls answer from memory).
    async fn ask(&self, folder: &Url, url: &Url) -> Result<Step, StorageError> {
        if let Some((_, step)) = self.asked.borrow().iter().find(|(f, _)| f == folder) {
            return Ok(step.clone());
        }
        let step = match self.pod.head(folder).await {
            Ok(meta) if is_storage(&meta.links) => Step::Root(owners(&meta.links)),
            Ok(meta) => described_storage(&meta.links, url).map_or(Step::Pass, Step::Names),
            Err(ReadError::Unauthorized | ReadError::Forbidden | ReadError::NotFound) => Step::Pass,
            Err(source) => {
                return Err(StorageError::Read {
                    url: url.clone(),
                    source,
                })
            }
        };
        self.asked.borrow_mut().push((folder.clone(), step.clone()));
        Ok(step)
    }
}

/// The `solid:owner` link targets.
fn owners(links: &[Link]) -> Vec<Url> {
    links
        .iter()
        .filter(|l| {
            l.rels
                .iter()
                .any(|r| r.eq_ignore_ascii_case(vocab::SOLID_OWNER))
        })
        .map(|l| l.target.clone())
        .collect()
}
