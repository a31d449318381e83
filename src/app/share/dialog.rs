//! The Share dialog of a file or folder row: choose read-only or read-write and
//! whether the link needs a password, create the link, copy it or show its QR
//! code; or share with a person (`crate::app::people`).

use leptos::prelude::*;
use zeroize::Zeroizing;

use super::browser::{app_base, copy_text};
use super::qr::LinkQr;
use super::SharesChanged;
use crate::app::drive::HTTP;
use crate::app::modal::Modal;
use crate::app::people::{SharePerson, SharedWith};
use crate::auth::session::Session;
use crate::crypto::password::PasswordParams;
use crate::drive::Item;
use crate::keystore::master::kdf;
use crate::keystore::Keyring;
use crate::pod::Pod;
use crate::share::{self, Access, LockedLink};

/// What a link of each mode lets its holder do, in words.
pub fn explain(access: Access, is_folder: bool) -> &'static str {
    match (access, is_folder) {
        (Access::Read, false) => "Whoever opens this link and logs in to a Solid pod can read and download this file, not change it.",
        (Access::ReadWrite, false) => "Whoever opens this link and logs in to a Solid pod can read this file and replace it with a new version.",
        (Access::Read, true) => "Whoever opens this link and logs in to a Solid pod can read every file in this folder, including files added later.",
        (Access::ReadWrite, true) => "Whoever opens this link and logs in to a Solid pod can read this folder and add, change or delete files in it.",
    }
}

/// Creates the link for `item` and turns it into text under the app's address.
/// With a `password`, the link carries its key wrapped under it (FORMAT.md §5.4:
/// Argon2id in a Web Worker, the default cost) and "links I created" records the
/// wrap, never the password.
async fn create_link(
    session: Session,
    keyring: Keyring,
    item: Item,
    access: Access,
    password: Option<Zeroizing<String>>,
) -> Result<Zeroizing<String>, String> {
    let app = app_base().ok_or("the app does not know its own address")?;
    let pod = Pod::new(&HTTP, Some(&session));
    let link = if item.is_folder {
        share::share_folder(&pod, &keyring, &session.webid, &item.url, access)
            .await
            .map_err(|e| e.to_string())?
    } else {
        share::share_file(&pod, &keyring, &session.webid, &item.url, access)
            .await
            .map_err(|e| e.to_string())?
    };
    let Some(password) = password else {
        return Ok(link.to_url(&app));
    };
    let locked = LockedLink::lock_using(&kdf(), &link, &password, &PasswordParams::default())
        .await
        .map_err(|e| {
            format!(
                "the link works but could not be protected: {e}; revoke it under “Links I created”"
            )
        })?;
    share::protect(&pod, &keyring, &locked).await.map_err(|e| {
        format!("the link works but could not be protected: {e}; revoke it under “Links I created”")
    })?;
    Ok(locked.to_url(&app))
}

/// Said next to the password field: the password is no use sent with the link.
pub const PASSWORD_HINT: &str = "Tell the password through another channel than the link (a call, a message in another app, in person): whoever has both can open it.";

/// The Share dialog, shown while `sharing` holds an item.
///
/// * `sharing`: the file or folder to share; set to `None` to close.
/// * `session`: the owner's session (the link's group lives on their pod).
/// * `keyring`: the owner's keystores (the file key, or the folder's keys).
#[component]
pub fn ShareDialog(
    sharing: RwSignal<Option<Item>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let keyring = StoredValue::new_local(keyring);
    let session = StoredValue::new(session);
    move || {
        sharing.get().map(|item| {
            view! {
                <ItemDialog item sharing session=session.get_value() keyring=keyring.get_value() />
            }
        })
    }
}

/// The dialog of one item. Each opening is a component of its own, with its own
/// link creation: a link still being created for one item when its dialog was
/// closed can never show up in the dialog of the next.
#[component]
fn ItemDialog(
    item: Item,
    sharing: RwSignal<Option<Item>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let keyring = StoredValue::new_local(keyring);
    let session = StoredValue::new(session);
    let access = RwSignal::new(Access::Read);
    let protect = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<Result<(), String>>);
    let changed = SharesChanged::get();
    let create = Action::new_local(move |(item, mode): &(Item, Access)| {
        let (item, mode) = (item.clone(), *mode);
        // Taken out of the field's signal, so it is held in one wiped buffer only.
        let password = protect
            .get_untracked()
            .then(|| Zeroizing::new(password.try_update(std::mem::take).unwrap_or_default()));
        let created = create_link(
            session.get_value(),
            keyring.get_value(),
            item,
            mode,
            password,
        );
        // Whether this link has a password: the hints below follow the link made,
        // not the checkbox, which may be changed afterwards.
        let protected = protect.get_untracked();
        async move {
            let link = created.await;
            changed.bump();
            link.map(|link| (link, protected))
        }
    });
    let close = move || sharing.set(None);
    let copy = move |_| {
        if let Some(Ok((link, _))) = create.value().get_untracked() {
            leptos::task::spawn_local(async move {
                let result = copy_text(&link).await;
                // The dialog may be gone by now; then there is nobody to tell.
                let _ = copied.try_set(Some(result));
            });
        }
    };
    let settled =
        move || create.pending().get() || create.value().with(|v| matches!(v, Some(Ok(_))));
    let mode_choice = move |mode: Access, label: &'static str| {
        view! {
            <label class="share-mode">
                <input
                    type="radio"
                    name="share-mode"
                    prop:checked=move || access.get() == mode
                    disabled=move || {
                        create.pending().get() || create.value().with(|v| matches!(v, Some(Ok(_))))
                    }
                    on:change=move |_| access.set(mode)
                />
                {label}
            </label>
        }
    };
    let name = item.name.clone();
    let is_folder = item.is_folder;
    let what = if is_folder { "folder" } else { "file" };
    let target = item.clone();
    view! {
        <Modal label=format!("Share {name}") class="share-dialog" on_close=move |()| close()>
            <div class="dialog-bar">
                <h2>{format!("Share the {what} “{name}”")}</h2>
                <button type="button" class="secondary" on:click=move |_| close()>"Close"</button>
            </div>
            <fieldset class="share-modes">
                <legend>"The link lets its holder"</legend>
                {mode_choice(Access::Read, "Read only")}
                {mode_choice(Access::ReadWrite, "Read and write")}
            </fieldset>
            <p class="hint">{move || explain(access.get(), is_folder)}</p>
            <fieldset class="share-password">
                <label>
                    <input type="checkbox" prop:checked=move || protect.get() disabled=settled
                        on:change=move |ev| protect.set(event_target_checked(&ev)) />
                    "Require a password"
                </label>
                <Show when=move || protect.get() && !settled()>
                    <label>
                        "Link password"
                        <input type="password" autocomplete="new-password" prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </label>
                    <p class="hint">{PASSWORD_HINT}</p>
                </Show>
            </fieldset>
            <Show when=move || create.value().with(|v| !matches!(v, Some(Ok(_))))>
                {
                    let target = target.clone();
                    view! {
                        <button
                            type="button"
                            disabled=move || create.pending().get() || (protect.get() && password.with(String::is_empty))
                            on:click=move |_| {
                                create.dispatch_local((target.clone(), access.get_untracked()));
                            }
                        >
                            "Create link"
                        </button>
                    }
                }
            </Show>
            {move || {
                if create.pending().get() {
                    return view! { <p role="status">"Creating the link…"</p> }.into_any();
                }
                match create.value().get() {
                    Some(Ok((link, protected))) => view! {
                        <div class="share-link">
                            <input type="text" readonly aria-label="Share link" prop:value=link.to_string() />
                            <button type="button" on:click=copy>"Copy link"</button>
                            <LinkQr link=link.clone() />
                        </div>
                        {protected.then(|| view! {
                            <p class="hint" role="note">
                                "This link needs its password to open. " {PASSWORD_HINT}
                            </p>
                        })}
                        <p class="hint">
                            {if protected {
                                "The part after “#” holds the key, locked with the password; browsers never send it to any "
                            } else {
                                "The key is in the part after “#”, which browsers never send to any "
                            }}
                            "server: your pod stores only the encrypted " {what} ". "
                            {if protected { "" } else { "Send the link over a channel you trust. " }}
                            "Revoke it any time under “Links I created”."
                        </p>
                        {move || match copied.get() {
                            Some(Ok(())) => view! { <p role="status">"Link copied to the clipboard."</p> }.into_any(),
                            Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot copy: {e}.")}</p> }.into_any(),
                            None => ().into_any(),
                        }}
                    }
                    .into_any(),
                    Some(Err(e)) => view! {
                        <p role="alert" class="error">{format!("Cannot create the link: {e}.")}</p>
                    }
                    .into_any(),
                    None => ().into_any(),
                }
            }}
            <SharePerson item=item.clone() access session=session.get_value() keyring=keyring.get_value() />
            <SharedWith resource=Some(item.url.clone()) session=session.get_value() keyring=keyring.get_value() />
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mode_says_what_it_allows() {
        assert!(explain(Access::Read, false).contains("not change it"));
        assert!(explain(Access::ReadWrite, false).contains("replace it"));
        assert!(explain(Access::Read, true).contains("files added later"));
        assert!(explain(Access::ReadWrite, true).contains("add, change or delete"));
        assert!(PASSWORD_HINT.contains("another channel"));
    }
}
