//! The user's inbox (docs/FORMAT.md §7.4): where others post offers without either
//! side being online at the same time. Community Solid Server 7.2 pods have none,
//! so the app makes `<storage>/inbox/`: everyone may append (POST a notification),
//! only the owner may list, read or delete.

use url::Url;

use crate::pod::acl::{Authorization, Mode};
use crate::pod::acl_io::{AclDocument, AclError};
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::vocab;
use crate::pod::Pod;

/// Creating the inbox failed; the profile was not changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InboxError {
    #[error("cannot create your inbox: {0}")]
    Create(WriteError),
    #[error("cannot set who may post to your inbox: {0}")]
    Acl(#[from] AclError),
    #[error("cannot list the folder your inbox goes in: {0}")]
    List(String),
}

/// Whether [`create_inbox`] made the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// A new container with the inbox ACL.
    New,
    /// It was there (a run cut off before the profile named it); kept, and given
    /// the inbox ACL only if it had no ACL of its own.
    Existing,
}

/// Creates `url` (a container) with an ACL of its own: `owner` Read/Write/Control
/// on it and everything in it, everyone else Append on the container only. An
/// existing container, or an existing ACL, is never replaced.
pub async fn create_inbox<H: HttpClient>(
    pod: &Pod<'_, H>,
    url: &Url,
    owner: &str,
) -> Result<Created, InboxError> {
    // A run cut off after creating the container left it without a profile link:
    // the parent's listing (one GET, only while the profile names no inbox) says
    // so, where a create would answer 409 (a failed request in the browser console).
    let parent = url
        .join("..")
        .map_err(|e| InboxError::List(e.to_string()))?;
    let there = pod
        .list(&parent)
        .await
        .map_err(|e| InboxError::List(e.to_string()))?
        .iter()
        .any(|member| &member.url == url);
    let created = if there {
        Created::Existing
    } else {
        match pod.create_container(url).await {
            Ok(()) => Created::New,
            Err(WriteError::Conflict | WriteError::Rejected) => Created::Existing,
            Err(e) => return Err(InboxError::Create(e)),
        }
    };
    let document = match created {
        // A fresh container has no ACL of its own: write without reading (one HEAD).
        Created::New => AclDocument {
            url: pod.acl_url(url).await?,
            resource: url.clone(),
            acl: Default::default(),
            etag: None,
        },
        Created::Existing => {
            let document = pod.read_acl(url).await?;
            if document.etag.is_some() {
                return Ok(created);
            }
            document
        }
    };
    write_inbox_acl(pod, document, owner).await?;
    Ok(created)
}

/// The inbox ACL: `write_acl` adds the owner's full rule (with `acl:default`),
/// this adds public Append on the container alone.
async fn write_inbox_acl<H: HttpClient>(
    pod: &Pod<'_, H>,
    mut document: AclDocument,
    owner: &str,
) -> Result<(), AclError> {
    let mut rule = Authorization::new(&document.url, "public")?;
    rule.agent_classes.push(vocab::FOAF_AGENT.to_owned());
    rule.access_to.push(document.resource.to_string());
    rule.modes.insert(Mode::Append);
    document.acl.authorizations.push(rule);
    match pod.write_acl(&document, owner).await {
        // Created by another tab meanwhile: theirs stays.
        Ok(()) | Err(AclError::Write(WriteError::Conflict)) => Ok(()),
        Err(e) => Err(e),
    }
}
