//! Sharing a file or a folder by link, as the UI does it (DESIGN §1 step 3): find
//! or create the keys, grant a new group, record the link in "links I created".

use subtle::ConstantTimeEq;
use url::Url;

use super::grant::{file_modes, folder_modes, grant, GrantError, Grantee};
use super::link::{Access, ShareLink, Shared};
use super::list::{links_created, update_links, CreatedLink, LinkKind, LinksError};
use crate::auth::clock::now_secs;
use crate::crypto::{RandomError, SecretKey};
use crate::keystore::format::{encrypt, EncodeError, IndexEntry, KeystoreDoc, KeystoreKind};
use crate::keystore::master::random_suffix;
use crate::keystore::slots::slot_b;
use crate::keystore::store::ENCRYPTED_TYPE;
use crate::keystore::{Keyring, KeyringError};
use crate::pod::acl_io::AclError;
use crate::pod::acr::is_acr;
use crate::pod::error::WriteError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Sharing failed. Nothing was granted; a group or shared keystore created on the
/// way is removed again as far as the pod lets us.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    #[error("this is not one of your files (no key for it in your keystores)")]
    NoKey,
    #[error("a folder address must end in /")]
    NotAFolder,
    #[error(transparent)]
    Grant(#[from] GrantError),
    #[error("cannot store the folder's keys for the link: {0}")]
    Keyring(#[from] KeyringError),
    #[error("no randomness available: {0}")]
    Random(#[from] RandomError),
    #[error("cannot encrypt the folder's shared keystore: {0}")]
    Encode(#[from] EncodeError),
    #[error("cannot write the folder's shared keystore: {0}")]
    Write(#[from] WriteError),
    /// The link works, but it is not in "links I created" (so it cannot be listed
    /// or revoked from there). Sharing again makes a new link.
    /// Reading or writing "links I created" failed: the link was not made, or it
    /// works but is not listed (so it cannot be revoked from there); share again.
    #[error("your list of links could not be read or updated: {0}")]
    Record(LinksError),
    #[error("this pod uses Access Control Policies (ACP), which have no groups: sharing by link needs a pod with Web Access Control (WAC); nothing was changed")]
    AccessPolicies,
    #[error("cannot find the access rules of what you share: {0}")]
    Access(AclError),
}

/// Refuses a link on a pod whose access rules are ACP (`pod::acr::is_acr`), before
/// anything is written: a link is a WAC group, which ACP cannot name.
async fn groups_possible<H: HttpClient>(pod: &Pod<'_, H>, shared: &Url) -> Result<(), ShareError> {
    match pod.acl_url(shared).await {
        Ok(acl) if is_acr(&acl) => Err(ShareError::AccessPolicies),
        Ok(_) => Ok(()),
        Err(AclError::Unsupported) => Err(ShareError::AccessPolicies),
        Err(e) => Err(ShareError::Access(e)),
    }
}

/// Shares `file` (one of `owner`'s files, its key in `keyring`) by link with
/// `access`, and records the link in the owner's "links I created".
///
/// The link names a keystore of its own (FORMAT.md §5.1: random key, one per
/// link, holding the file's one entry), listed in the owner's index as
/// `shared-file` for the file: a later rotation of the file's key (revoking any
/// other link or share) is written there, so the link keeps opening the file. The
/// group gets Read (or Read+Write) on the file and on the keystore; the file's ACL
/// (found through `Link rel="acl"`) keeps `owner`'s Read, Write and Control, and
/// rules it inherited are copied in.
pub async fn share_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    owner: &str,
    file: &Url,
    access: Access,
) -> Result<ShareLink, ShareError> {
    let entry = keyring
        .lookup(file.as_str())
        .filter(|e| e.key.is_some())
        .ok_or(ShareError::NoKey)?;
    groups_possible(pod, file).await?;
    let name = entry.name.clone();
    let mut doc = KeystoreDoc::default();
    doc.entries.insert(file.to_string(), entry);
    let (keystore, keystore_key, group) = link_keystore(
        pod,
        keyring,
        owner,
        file,
        KeystoreKind::SharedFile,
        doc,
        access,
    )
    .await?;
    let link = ShareLink {
        shared: Shared::File {
            url: file.clone(),
            keystore,
            keystore_key,
        },
        access,
        group,
    };
    record(pod, keyring, &link, &name).await?;
    Ok(link)
}

/// Shares `folder` (ending in `/`, under `owner`'s drive) by link with `access`.
///
/// A new shared keystore (random key, one per link so revoking one link never
/// touches another's) gets the keys of every file under the folder and joins the
/// owner's index as `shared-folder`: from then on every key added under the folder,
/// by the owner or a collaborator, is written there too. The group gets the folder
/// with `acl:default` (Read, or Read+Write+Append) and the keystore (Read, or
/// Read+Write); the owner keeps Read/Write/Control on both. Recorded in "links I
/// created". Files under the folder that have an ACL of their own (shared alone by
/// a file link) do not inherit the folder's rules, so the group gets the same rule
/// in each of those.
pub async fn share_folder<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    owner: &str,
    folder: &Url,
    access: Access,
) -> Result<ShareLink, ShareError> {
    if !folder.path().ends_with('/') {
        return Err(ShareError::NotAFolder);
    }
    groups_possible(pod, folder).await?;
    let doc = folder_keys(keyring, folder);
    let name = doc
        .entries
        .get(folder.as_str())
        .map(|e| e.name.clone())
        .unwrap_or_else(|| last_segment(folder));
    let (keystore, keystore_key, group) = link_keystore(
        pod,
        keyring,
        owner,
        folder,
        KeystoreKind::SharedFolder,
        doc,
        access,
    )
    .await?;
    let link = ShareLink {
        shared: Shared::Folder {
            url: folder.clone(),
            keystore,
            keystore_key,
        },
        access,
        group,
    };
    record(pod, keyring, &link, &name).await?;
    Ok(link)
}

/// What a file link and a folder link both need: a new keystore (both slots)
/// holding `doc`, listed in the owner's index as `kind` for `scope` (so every new
/// key of it, or under it, is written there too), and a new group granted `scope`
/// (for a folder with `acl:default`, and every file under it that has an ACL of
/// its own) and both slots of the keystore. Returns the keystore, its key and the
/// group document. On failure what was made is removed again as far as the pod
/// lets us.
async fn link_keystore<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    owner: &str,
    scope: &Url,
    kind: KeystoreKind,
    doc: KeystoreDoc,
    access: Access,
) -> Result<(Url, SecretKey, Url), ShareError> {
    let keystore = keyring.layout().new_shared_keystore(&random_suffix()?);
    let keystore_key = SecretKey::generate()?;
    let keystore_b = slot_b(&keystore);
    let body = encrypt(&doc, &keystore_key)?;
    // Both slots (FORMAT.md §4.4), each granted below: collaborators may write
    // either but cannot create one in the owner's folder.
    for slot in [&keystore, &keystore_b] {
        pod.put(slot, ENCRYPTED_TYPE, body.clone(), &Condition::IfAbsent)
            .await?;
    }
    let folder = kind == KeystoreKind::SharedFolder;
    let entry = IndexEntry {
        url: keystore.to_string(),
        key: keystore_key.clone(),
        kind,
        scope: scope.to_string(),
        owner: owner.to_owned(),
        mode: None,
    };
    let shared = async {
        keyring.add_keystore(pod, entry, Some(doc.clone())).await?;
        if folder {
            catch_up(pod, keyring, scope, keystore.as_str()).await?;
        } else {
            catch_up_file(pod, keyring, scope, &doc).await?;
        }
        let group = pod
            .create_group(&keyring.layout().groups(), owner)
            .await
            .map_err(GrantError::from)?;
        // Files under the folder shared alone have an ACL of their own, which
        // replaces the folder's: the group gets a rule in each of those too.
        let alone = if folder {
            files_shared_alone(pod, keyring, scope)
                .await
                .map_err(ShareError::Record)?
        } else {
            Vec::new()
        };
        let modes = if folder {
            folder_modes(access)
        } else {
            file_modes(access)
        };
        let granted = async {
            let to = Grantee::Group(&group);
            grant(pod, owner, scope, &to, modes).await?;
            grant(pod, owner, &keystore, &to, file_modes(access)).await?;
            grant(pod, owner, &keystore_b, &to, file_modes(access)).await?;
            for file in &alone {
                // The folder's modes, so the rule matches the inherited one exactly and
                // the file's ACL can go once its own links are revoked.
                grant(pod, owner, file, &to, folder_modes(access)).await?;
            }
            Ok::<(), GrantError>(())
        }
        .await;
        if let Err(e) = granted {
            let mut touched = vec![scope, &keystore, &keystore_b];
            touched.extend(&alone);
            let _ = super::revoke::withdraw(pod, owner, &group.document, &touched).await;
            return Err(ShareError::from(e));
        }
        Ok(group.document)
    }
    .await;
    match shared {
        Ok(group) => Ok((keystore, keystore_key, group)),
        Err(e) => {
            // Best effort: an unlisted keystore nobody was granted is only clutter.
            let _ = keyring.remove_keystore(pod, keystore.as_str()).await;
            let _ = pod.delete(&keystore, &Condition::Always).await;
            let _ = pod.delete(&keystore_b, &Condition::Always).await;
            Err(e)
        }
    }
}

/// Files under `folder` with a file link in "links I created": those have an ACL
/// of their own (file links are the only thing that gives a file one).
pub(crate) async fn files_shared_alone<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
) -> Result<Vec<Url>, LinksError> {
    let mut files: Vec<Url> = Vec::new();
    for link in links_created(pod, keyring).await? {
        if link.kind == LinkKind::File && link.resource.starts_with(folder.as_str()) {
            if let Ok(url) = Url::parse(&link.resource) {
                if !files.contains(&url) {
                    files.push(url);
                }
            }
        }
    }
    Ok(files)
}

/// The keystore of a newly shared folder: every entry under it (and its own, for
/// its name), from the keyring's memory.
pub(crate) fn folder_keys(keyring: &Keyring, folder: &Url) -> KeystoreDoc {
    let mut doc = KeystoreDoc::default();
    doc.entries.extend(keyring.entries_under(folder.as_str()));
    if let Some(own) = keyring.lookup(folder.as_str()) {
        doc.entries.insert(folder.to_string(), own);
    }
    doc
}

/// Keys added under the folder by this session between reading them and listing
/// the new keystore (an upload running meanwhile) go in now.
pub(crate) async fn catch_up<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    folder: &Url,
    keystore: &str,
) -> Result<(), KeyringError> {
    let present = keyring.entries_of(keystore);
    for (url, entry) in keyring.entries_under(folder.as_str()) {
        if !present.iter().any(|(u, _)| *u == url) {
            keyring.add(pod, &url, entry).await?;
        }
    }
    Ok(())
}

/// A file's key rotated by this session between reading it into `doc` and listing
/// the link's keystore (a revocation running meanwhile) goes in now: the key the
/// keyring holds is written to every keystore covering the file again.
async fn catch_up_file<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    file: &Url,
    doc: &KeystoreDoc,
) -> Result<(), KeyringError> {
    let Some(now) = keyring.lookup(file.as_str()) else {
        return Ok(());
    };
    let kept = doc.entries.get(file.as_str()).and_then(|e| e.key.as_ref());
    let same = match (kept, now.key.as_ref()) {
        (Some(kept), Some(now)) => kept.expose_bytes().ct_eq(now.expose_bytes()).into(),
        (kept, now) => kept.is_none() && now.is_none(),
    };
    if !same {
        keyring.add(pod, file.as_str(), now).await?;
    }
    Ok(())
}

/// The last non-empty path segment: the pod name a file or folder is shown by
/// when no keystore names it.
pub(crate) fn last_segment(folder: &Url) -> String {
    folder
        .path_segments()
        .and_then(|s| s.rev().find(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_owned()
}

async fn record<H: HttpClient>(
    pod: &Pod<'_, H>,
    keyring: &Keyring,
    link: &ShareLink,
    name: &str,
) -> Result<(), ShareError> {
    let created = CreatedLink::new(link, name, now_secs());
    update_links(pod, keyring, |doc| {
        if doc.links.iter().any(|l| l.group == created.group) {
            return false;
        }
        doc.links.push(created.clone());
        true
    })
    .await
    .map_err(ShareError::Record)?;
    Ok(())
}
