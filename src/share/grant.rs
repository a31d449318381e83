//! Sharing a file by link (DESIGN §1 step 3): a fresh group, a grant to it in the
//! file's ACL, and the link that names both plus the file key.

use url::Url;

use super::acl_edit::{adopt, edit_acl, inherited_rules, EditError};
use super::link::{Access, ShareLink, Shared};
use crate::crypto::SecretKey;
use crate::pod::acl::{Authorization, Mode};
use crate::pod::acl_io::AclError;
use crate::pod::group::GroupError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Sharing a file failed; nothing was granted (a group created on the way is
/// removed again, as far as the pod lets us).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    #[error("cannot change who may open the file: {0}")]
    Acl(#[from] AclError),
    #[error("cannot create the link's group: {0}")]
    Group(#[from] GroupError),
    #[error("the file's access rules kept changing while sharing it; try again")]
    Busy,
}

/// The WAC modes a link's group gets on the shared resource.
fn modes(access: Access) -> &'static [Mode] {
    match access {
        Access::Read => &[Mode::Read],
        Access::ReadWrite => &[Mode::Read, Mode::Write],
    }
}

/// Shares the file at `file` (encrypted under `key`) by link: creates a group
/// document in `groups` (a folder of `owner`'s pod), lets its members `access` the
/// file, and returns the link (turn it into text with [`ShareLink::to_url`]).
///
/// The file's ACL is found through its `Link rel="acl"` and keeps `owner`'s Read,
/// Write and Control; a file that inherited its folder's rules gets them copied
/// into its new ACL, so nobody else loses access. The ACL is read before the group is created, so a pod
/// without WAC (ACP) is refused before anything is written.
pub async fn share_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    file: &Url,
    key: &SecretKey,
    access: Access,
    groups: &Url,
) -> Result<ShareLink, ShareError> {
    let inherited = match pod.read_acl(file).await?.etag {
        Some(_) => Vec::new(),
        None => inherited_rules(pod, file).await?,
    };
    let group = pod.create_group(groups, owner).await?;
    let granted = edit_acl(pod, owner, file, |acl, acl_url, own| {
        if !own {
            adopt(acl, acl_url, file, &inherited)?;
        }
        let mut rule = Authorization::new(acl_url, &acl.free_fragment("share"))?;
        rule.agent_groups.push(group.iri.to_string());
        rule.access_to.push(file.to_string());
        rule.modes.extend(modes(access));
        acl.authorizations.push(rule);
        Ok(true)
    })
    .await;
    if let Err(error) = granted {
        // Best effort: an unused group grants nothing, it is only clutter.
        let _ = pod.delete(&group.document, &Condition::Always).await;
        return Err(match error {
            EditError::Acl(e) => ShareError::Acl(e),
            EditError::Busy => ShareError::Busy,
        });
    }
    Ok(ShareLink {
        shared: Shared::File {
            url: file.clone(),
            key: key.clone(),
        },
        access,
        group: group.document,
    })
}
