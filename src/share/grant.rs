//! Granting a link's group access (DESIGN §1 step 3): a fresh group, a grant to it
//! in the resource's ACL, and the link that names both plus the key.

use url::Url;

use super::acl_edit::{adopt, edit_acl, inherited_rules, EditError};
use super::link::{Access, ShareLink, Shared};
use crate::crypto::SecretKey;
use crate::pod::acl::{Authorization, Mode};
use crate::pod::acl_io::AclError;
use crate::pod::group::{Group, GroupError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Granting a group access failed; nothing was granted (a group created on the
/// way is removed again, as far as the pod lets us).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GrantError {
    #[error("cannot change who may open it: {0}")]
    Acl(#[from] AclError),
    #[error("cannot create the link's group: {0}")]
    Group(#[from] GroupError),
    #[error("the access rules kept changing while sharing; try again")]
    Busy,
}

impl From<EditError> for GrantError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Acl(e) => GrantError::Acl(e),
            EditError::Busy => GrantError::Busy,
        }
    }
}

/// The WAC modes a link's group gets on a shared file or shared keystore.
pub(crate) fn file_modes(access: Access) -> &'static [Mode] {
    match access {
        Access::Read => &[Mode::Read],
        Access::ReadWrite => &[Mode::Read, Mode::Write],
    }
}

/// The WAC modes a link's group gets on a shared folder and (by `acl:default`)
/// everything in it: Append too, which creating a file in a container needs.
pub(crate) fn folder_modes(access: Access) -> &'static [Mode] {
    match access {
        Access::Read => &[Mode::Read],
        Access::ReadWrite => &[Mode::Read, Mode::Write, Mode::Append],
    }
}

/// Who a rule is for: a link's group, or one person by WebID (sharing with a
/// person, `crate::people`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Grantee<'a> {
    Group(&'a Group),
    Agent(&'a str),
}

/// Lets `grantee` use `resource` with `modes` (and, for a folder, everything in it
/// through `acl:default`), keeping `owner`'s Read, Write and Control.
///
/// The ACL is found through the resource's `Link rel="acl"`. A resource that
/// inherited its folder's rules gets them copied into its new ACL first, so
/// nobody else loses access (an own ACL replaces the inherited one entirely).
pub(crate) async fn grant<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    resource: &Url,
    grantee: &Grantee<'_>,
    modes: &[Mode],
) -> Result<(), GrantError> {
    let inherited = match pod.read_acl(resource).await?.etag {
        Some(_) => Vec::new(),
        None => inherited_rules(pod, resource).await?,
    };
    edit_acl(pod, owner, resource, |acl, acl_url, own| {
        if !own {
            adopt(acl, acl_url, resource, &inherited)?;
        }
        let mut rule = match grantee {
            Grantee::Group(group) => {
                let mut rule = Authorization::new(acl_url, &acl.free_fragment("share"))?;
                rule.agent_groups.push(group.iri.to_string());
                rule
            }
            Grantee::Agent(webid) => {
                let mut rule = Authorization::new(acl_url, &acl.free_fragment("person"))?;
                rule.agents.push((*webid).to_owned());
                rule
            }
        };
        rule.access_to.push(resource.to_string());
        if resource.path().ends_with('/') {
            rule.default.push(resource.to_string());
        }
        rule.modes.extend(modes);
        acl.authorizations.push(rule);
        Ok(true)
    })
    .await?;
    Ok(())
}

/// Shares the file at `file` (encrypted under `key`) by link: creates a group
/// document in `groups` (a folder of `owner`'s pod), lets its members `access` the
/// file, and returns the link (turn it into text with [`ShareLink::to_url`]).
///
/// The link is of the key-in-link form (FORMAT.md §5.3): it carries `key` itself,
/// so it goes stale when the file is re-encrypted. [`super::share_file`] makes
/// links that name a keystore instead (and finds the key in the keyring, and
/// records the link); this lower step touches only the ACL and the group, for a
/// caller without a keyring. The file's ACL is read before the group is created,
/// so a pod without WAC (ACP) is refused before anything is written.
pub async fn grant_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    file: &Url,
    key: &SecretKey,
    access: Access,
    groups: &Url,
) -> Result<ShareLink, GrantError> {
    pod.read_acl(file).await?;
    let group = pod.create_group(groups, owner).await?;
    if let Err(error) = grant(
        pod,
        owner,
        file,
        &Grantee::Group(&group),
        file_modes(access),
    )
    .await
    {
        // Best effort: an unused group grants nothing, it is only clutter.
        let _ = pod.delete(&group.document, &Condition::Always).await;
        return Err(error);
    }
    Ok(ShareLink {
        shared: Shared::FileKey {
            url: file.clone(),
            key: key.clone(),
        },
        access,
        group: group.document,
    })
}
