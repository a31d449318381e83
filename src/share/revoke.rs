//! Revoking a link (DESIGN §1 step 5, first half): the group loses its grant and
//! the group document is deleted, so membership can no longer be claimed or used.
//! Key rotation (making later versions unreadable to whoever kept the key) is a
//! separate step; without it, revoking stops access to the pod, not to what was
//! already downloaded or to the key the link carried.

use url::Url;

use super::acl_edit::{edit_acl, EditError};
use super::link::{ShareLink, Shared};
use super::open::link_group;
use crate::pod::acl::Acl;
use crate::pod::acl_io::AclError;
use crate::pod::error::{ReadError, WriteError};
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Revoking failed part-way: it is safe to call [`revoke`] again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevokeError {
    #[error("cannot take the link's access away: {0}")]
    Acl(#[from] AclError),
    #[error("the access rules kept changing while revoking; try again")]
    Busy,
    #[error("access is revoked, but the link's group could not be deleted: {0}")]
    DeleteGroup(WriteError),
    #[error("access is revoked, but the link's group could not be found: {0}")]
    FindGroup(ReadError),
}

/// Takes the link's group out of the ACL of everything the link opens (the
/// resource and, for a folder, its shared keystore), keeping `owner`'s Read,
/// Write and Control, then deletes the group document and its ACL. Idempotent.
pub async fn revoke<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    link: &ShareLink,
) -> Result<(), RevokeError> {
    let group = link_group(link).iri.to_string();
    let mut resources = vec![link.shared.url()];
    if let Shared::Folder { keystore, .. } = &link.shared {
        resources.push(keystore);
    }
    for resource in resources {
        edit_acl(pod, owner, resource, |acl, _, _| {
            Ok(remove_group(acl, &group))
        })
        .await
        .map_err(|e| match e {
            EditError::Acl(e) => RevokeError::Acl(e),
            EditError::Busy => RevokeError::Busy,
        })?;
    }
    delete_group(pod, &link.group).await
}

/// Drops `group` from every authorization; one left with nobody to apply to is
/// dropped entirely. Returns whether anything changed.
fn remove_group(acl: &mut Acl, group: &str) -> bool {
    let before = acl.authorizations.clone();
    for rule in &mut acl.authorizations {
        rule.agent_groups.retain(|g| g != group);
    }
    acl.authorizations.retain(|rule| {
        let was_ours = before
            .iter()
            .any(|b| b.id == rule.id && b.agent_groups.iter().any(|g| g == group));
        let nobody =
            rule.agents.is_empty() && rule.agent_classes.is_empty() && rule.agent_groups.is_empty();
        !(was_ours && nobody)
    });
    acl.authorizations != before
}

/// Deletes the group document, then its ACL (found through `Link rel="acl"` before
/// the document goes); what is already gone counts as deleted.
async fn delete_group<H: HttpClient>(pod: &Pod<'_, H>, document: &Url) -> Result<(), RevokeError> {
    let acl = match pod.acl_url(document).await {
        Ok(url) => Some(url),
        Err(AclError::Read(ReadError::NotFound)) => None,
        Err(AclError::Read(e)) => return Err(RevokeError::FindGroup(e)),
        Err(e) => return Err(RevokeError::Acl(e)),
    };
    for url in std::iter::once(document).chain(acl.as_ref()) {
        match pod.delete(url, &Condition::Always).await {
            Ok(()) | Err(WriteError::NotFound) => {}
            Err(e) => return Err(RevokeError::DeleteGroup(e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::acl::{Authorization, Mode};

    const GROUP: &str =
        "http://localhost:3000/alice/group-00112233445566778899aabbccddeeff.ttl#group";
    const OTHER: &str =
        "http://localhost:3000/alice/group-ffeeddccbbaa99887766554433221100.ttl#group";

    fn rule(acl_url: &Url, name: &str, groups: &[&str], agents: &[&str]) -> Authorization {
        let mut rule = Authorization::new(acl_url, name).unwrap();
        rule.agent_groups = groups.iter().map(|g| g.to_string()).collect();
        rule.agents = agents.iter().map(|a| a.to_string()).collect();
        rule.access_to.push("http://localhost:3000/alice/f".into());
        rule.modes.insert(Mode::Read);
        rule
    }

    #[test]
    fn only_the_revoked_group_goes() {
        let acl_url = Url::parse("http://localhost:3000/alice/f.acl").unwrap();
        let owner = "http://localhost:3000/alice/profile/card#me";
        let mut acl = Acl::default();
        acl.authorizations = vec![
            rule(&acl_url, "owner", &[], &[owner]),
            rule(&acl_url, "share", &[GROUP], &[]),
            rule(&acl_url, "share-2", &[OTHER], &[]),
            rule(&acl_url, "mixed", &[GROUP, OTHER], &[]),
            rule(&acl_url, "friend", &[GROUP], &["https://bob.example/#me"]),
        ];
        assert!(remove_group(&mut acl, GROUP));
        let left: Vec<_> = acl
            .authorizations
            .iter()
            .map(|r| (r.agent_groups.clone(), r.agents.len()))
            .collect();
        assert_eq!(
            left,
            [
                (vec![], 1),
                (vec![OTHER.to_owned()], 0),
                (vec![OTHER.to_owned()], 0),
                (vec![], 1),
            ]
        );
        assert!(!remove_group(&mut acl, GROUP), "nothing left to change");
    }
}
