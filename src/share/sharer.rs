//! Who shares a link, as far as anyone can tell before opening it: the owners
//! the link's pod states for its storage (`solid:owner`, see
//! `pod::storage::StorageFinder::owners`), or, where it states none (Community
//! Solid Server 7.2 does not), the profile the storage holds by the common
//! convention (`<storage>profile/card#me`), if that profile names this very
//! storage as its own (`pim:storage`): a document in a storage is written by
//! whoever controls it. With the names the profiles give. All of it is a claim
//! (a pod says what its operator lets it say, a profile what its owner typed):
//! the page shows it as such, the WebID always beside the name.

use url::Url;

use super::vet::Preview;
use crate::identity::stated;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// At most this many owners are named: a pod may list any number.
pub const MAX_SHARERS: usize = 3;

/// Where, inside a storage, the profile of its owner conventionally is.
const PROFILE_IN_STORAGE: &str = "profile/card#me";

/// One owner of the link's pod, as stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharer {
    pub webid: Url,
    /// The name their profile states, cleaned (`identity::clean_name`), if any.
    pub name: Option<String>,
}

/// The owners [`Preview::owners`] names (the first [`MAX_SHARERS`]), each with
/// the name their profile states, or else the storage's own profile if it claims
/// the storage (see the module): one anonymous GET per owner; empty if nobody
/// can be named.
pub async fn sharers<H: HttpClient>(pod: &Pod<'_, H>, preview: &Preview) -> Vec<Sharer> {
    if preview.owners.is_empty() {
        return in_storage(pod, &preview.storage)
            .await
            .into_iter()
            .collect();
    }
    let mut found = Vec::new();
    for webid in preview.owners.iter().take(MAX_SHARERS) {
        found.push(Sharer {
            name: stated(pod, webid).await.and_then(|s| s.name),
            webid: webid.clone(),
        });
    }
    found
}

/// The conventional profile inside `storage`, if it says `storage` is its own.
async fn in_storage<H: HttpClient>(pod: &Pod<'_, H>, storage: &Url) -> Option<Sharer> {
    let webid = storage.join(PROFILE_IN_STORAGE).ok()?;
    let profile = stated(pod, &webid).await?;
    let claims = profile.storages.contains(storage);
    claims.then_some(Sharer {
        webid,
        name: profile.name,
    })
}
