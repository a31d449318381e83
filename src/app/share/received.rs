//! "Shared with me": what others shared with the user and they accepted, from
//! their keystores (no request), each opened at its own address.

use leptos::prelude::*;
use url::Url;

use super::shared_view::SharedItem;
use super::unseen::UnseenBadge;
use crate::app::drive::HTTP;
use crate::app::people::{received_from, short_name, ReceivedActions};
use crate::app::place::{share_id, Place};
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::pod::Pod;
use crate::share::{self, Access};

/// Where a shared item lives, as a person recognizes it: the address up to the
/// first folder (`https://pod.example/alice/`), which on most servers names the
/// owner's pod.
pub fn pod_of(url: &Url) -> String {
    let mut pod = url.clone();
    let first = url
        .path_segments()
        .and_then(|mut s| s.next())
        .filter(|s| !s.is_empty() && url.path().len() > s.len() + 1)
        .map(|s| format!("/{s}/"))
        .unwrap_or_else(|| "/".to_owned());
    pod.set_path(&first);
    pod.set_query(None);
    pod.set_fragment(None);
    pod.to_string()
}

/// The list of shares received; each opens at its own address (see `app::place`).
///
/// * `session`: the user's session.
/// * `keyring`: the user's unlocked keystores, where accepted links are kept.
#[component]
pub fn SharedWithMe(session: Session, keyring: Keyring) -> impl IntoView {
    // Each with why it could not be read, if it could not (its owner's pod is not
    // ours: revoked, failing or unreachable), so the user knows what to expect.
    let items: Vec<(SharedItem, Option<String>, bool)> = share::shared_with_me(&keyring)
        .iter()
        .filter_map(|shared| {
            let why = shared
                .unavailable
                .map(|reason| format!("Unavailable: {reason}."));
            let withdrawn = shared.unavailable == Some(crate::keystore::Unreadable::Withdrawn);
            SharedItem::listed(shared).map(|item| (item, why, withdrawn))
        })
        .collect();
    let empty = items.is_empty();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    // Who sent what was accepted from a person's offer (one read of the shares list).
    let from_people = LocalResource::new(move || {
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            crate::people::shares(&Pod::new(&HTTP, Some(&session)), &keyring)
                .await
                .ok()
        }
    });
    let rows = items
        .into_iter()
        .map(|(item, why, withdrawn)| {
            let kind = if item.is_folder { "Folder" } else { "File" };
            let access = match item.access {
                Access::Read => "Read only",
                Access::ReadWrite => "Read and write",
            };
            let pod = pod_of(&item.url);
            let name = item.name.clone();
            let url = item.url.to_string();
            let unavailable = why.is_some();
            let href = Place::Shared {
                share: share_id(&item.url),
                folders: Vec::new(),
            }
            .href();
            // Accepted from a person's offer: who sent it, and (when its keystore no
            // longer opens, so it has no name of its own) the name the offer gave.
            let received = move || {
                from_people
                    .get()
                    .flatten()
                    .and_then(|doc| received_from(&doc, &url))
            };
            let shown_name = {
                let (name, received) = (name.clone(), received.clone());
                move || {
                    received()
                        .filter(|_| unavailable)
                        .map(|(_, offered)| offered)
                        .unwrap_or_else(|| name.clone())
                }
            };
            let sender = move || {
                received().map(|(webid, _)| {
                    view! { <p class="hint">{format!("From {} ({webid})", short_name(&webid))}</p> }
                })
            };
            // A folder that still opens: whether it changed since last opened.
            let badge = (item.is_folder && !unavailable).then(|| {
                view! { <UnseenBadge session=session.get_value() folder=item.url.clone() /> }
            });
            view! {
                <tr>
                    <td class="name">
                        {shown_name}
                        {badge}
                        {sender}
                        {why.map(|why| view! { <p class="hint">{why}</p> })}
                    </td>
                    <td>{kind}</td>
                    <td>{access}</td>
                    <td class="date">{pod}</td>
                    <td class="actions">
                        <ReceivedActions url=item.url.clone() name=name.clone() withdrawn href session=session.get_value() keyring=keyring.get_value() />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="share-list" aria-label="Shared with me">
            <h1>"Shared with me"</h1>
            {if empty {
                view! { <p class="empty">"Nothing yet. Links others send you show up here once you open them, and what people share with you once you accept it."</p> }.into_any()
            } else {
                view! {
                    <table class="listing" aria-label="Shared with me">
                        <thead>
                            <tr><th>"Name"</th><th>"Kind"</th><th>"Access"</th><th class="date">"On the pod"</th><th><span class="visually-hidden">"Actions"</span></th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pod_is_the_first_folder() {
        let at = |u: &str| pod_of(&Url::parse(u).unwrap());
        assert_eq!(
            at("http://localhost:3000/alice/solidcrypt-data/files/abc"),
            "http://localhost:3000/alice/"
        );
        assert_eq!(
            at("https://alice.example/files/x/"),
            "https://alice.example/files/"
        );
        assert_eq!(at("https://alice.example/x"), "https://alice.example/");
    }
}
