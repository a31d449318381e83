//! Who shares a link, as far as anyone can tell before opening it: the owners
//! the link's pod states for its storage (`solid:owner`, see
//! `pod::storage::StorageFinder::owners`) and the names their profiles give.
//! Both are claims (a pod says what its operator lets it say, a profile what its
//! owner typed): the page shows them as such, the WebID always beside the name.

use url::Url;

use super::vet::Preview;
use crate::identity::stated_name;
use crate::pod::http::HttpClient;
use crate::pod::Pod;

/// At most this many owners are named: a pod may list any number.
pub const MAX_SHARERS: usize = 3;

/// One owner of the link's pod, as stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharer {
    pub webid: Url,
    /// The name their profile states, cleaned (`identity::clean_name`), if any.
    pub name: Option<String>,
}

/// The owners [`Preview::owners`] names (the first [`MAX_SHARERS`]), each with
/// the name their profile states: one anonymous GET per owner, none when the pod
/// states no owner.
pub async fn sharers<H: HttpClient>(pod: &Pod<'_, H>, preview: &Preview) -> Vec<Sharer> {
    let mut found = Vec::new();
    for webid in preview.owners.iter().take(MAX_SHARERS) {
        found.push(Sharer {
            name: stated_name(pod, webid).await,
            webid: webid.clone(),
        });
    }
    found
}
