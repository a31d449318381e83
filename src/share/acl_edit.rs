//! Changing a resource's ACL as a read-modify-write that survives concurrent edits:
//! the write is conditional on the ETag it was read with, and a 412 means "read
//! again and re-apply", so two shares of one file at once both end up in the ACL.

use url::Url;

use crate::pod::acl::{Acl, Authorization};
use crate::pod::acl_io::AclError;
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Rounds of read-modify-write before giving up; each round loses only to a
/// write that happened between our read and our write.
const ATTEMPTS: usize = 8;

/// Why the edit did not land.
#[derive(Debug)]
pub(crate) enum EditError {
    Acl(AclError),
    /// Every attempt lost to a concurrent change.
    Busy,
}

/// Applies `change` to `resource`'s own ACL and writes it back with the owner's
/// Read/Write/Control kept. `change` also learns whether the resource had an ACL
/// of its own (or inherited its container's), and returns whether it changed
/// anything; when it did not, nothing is written.
pub(crate) async fn edit_acl<H: HttpClient>(
    pod: &Pod<'_, H>,
    owner: &str,
    resource: &Url,
    mut change: impl FnMut(&mut Acl, &Url, bool) -> Result<bool, AclError>,
) -> Result<(), EditError> {
    for _ in 0..ATTEMPTS {
        let mut document = pod.read_acl(resource).await.map_err(EditError::Acl)?;
        let own = document.etag.is_some();
        if !change(&mut document.acl, &document.url, own).map_err(EditError::Acl)? {
            return Ok(());
        }
        match pod.write_acl(&document, owner).await {
            Ok(()) => return Ok(()),
            Err(AclError::Write(WriteError::Conflict)) => continue,
            Err(e) => return Err(EditError::Acl(e)),
        }
    }
    Err(EditError::Busy)
}

/// The rules `resource` inherits while it has no ACL of its own: the `acl:default`
/// rules of the nearest container up the path that has an ACL. Writing an own ACL
/// replaces these entirely, so sharing copies them in first — otherwise sharing a
/// file would silently take it away from everyone its folder was shared with.
pub(crate) async fn inherited_rules<H: HttpClient>(
    pod: &Pod<'_, H>,
    resource: &Url,
) -> Result<Vec<Authorization>, AclError> {
    let mut container = resource.join(".").ok();
    while let Some(folder) = container {
        let document = pod.read_acl(&folder).await?;
        if document.etag.is_some() {
            return Ok(document
                .acl
                .authorizations
                .into_iter()
                .filter(|rule| rule.default.iter().any(|d| d == folder.as_str()))
                .collect());
        }
        container = folder.join("..").ok().filter(|parent| *parent != folder);
    }
    Ok(Vec::new())
}

/// Copies inherited `rules` into `acl` as rules about `resource` itself.
pub(crate) fn adopt(
    acl: &mut Acl,
    acl_url: &Url,
    resource: &Url,
    rules: &[Authorization],
) -> Result<(), AclError> {
    for rule in rules {
        let mut copy = Authorization::new(acl_url, &acl.free_fragment("inherited"))?;
        copy.agents.clone_from(&rule.agents);
        copy.agent_classes.clone_from(&rule.agent_classes);
        copy.agent_groups.clone_from(&rule.agent_groups);
        copy.modes.clone_from(&rule.modes);
        copy.access_to.push(resource.to_string());
        if resource.path().ends_with('/') {
            copy.default.push(resource.to_string());
        }
        acl.authorizations.push(copy);
    }
    Ok(())
}

/// Deletes `resource`'s own ACL when every rule in it is also one the resource
/// inherits (same people, groups and modes), so it follows its folder again: a file
/// shared alone whose file links are all revoked then picks up later folder links.
/// Returns whether it was deleted; a concurrent change (412) leaves it in place.
pub(crate) async fn drop_if_redundant<H: HttpClient>(
    pod: &Pod<'_, H>,
    resource: &Url,
) -> Result<bool, AclError> {
    let document = pod.read_acl(resource).await?;
    let Some(etag) = document.etag else {
        return Ok(false);
    };
    let inherited = inherited_rules(pod, resource).await?;
    let redundant = document
        .acl
        .authorizations
        .iter()
        .all(|rule| inherited.iter().any(|from| same_grant(rule, from)));
    if !redundant {
        return Ok(false);
    }
    match pod.delete(&document.url, &Condition::IfMatch(etag)).await {
        Ok(()) => Ok(true),
        Err(WriteError::Conflict) => Ok(false),
        Err(e) => Err(AclError::Write(e)),
    }
}

/// Whether two rules give the same modes to the same agents, classes and groups.
fn same_grant(a: &Authorization, b: &Authorization) -> bool {
    let set = |v: &[String]| v.iter().cloned().collect::<std::collections::BTreeSet<_>>();
    a.modes == b.modes
        && set(&a.agents) == set(&b.agents)
        && set(&a.agent_classes) == set(&b.agent_classes)
        && set(&a.agent_groups) == set(&b.agent_groups)
}
