//! A named share's own actions in "Shared with": Rename (its alias) and Delete
//! (everyone it names loses access; the data is kept and re-encrypted, or deleted
//! if the user ticks so). The work is `people::rename_share` / `delete_share`.

use leptos::prelude::*;

use super::words::short_name;
use crate::app::drive::HTTP;
use crate::app::share::{revoke_progress_words, SharesChanged};
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::people::{delete_share, rename_share, CreatedShare, DeletedShare, SharedData};
use crate::pod::Pod;
use crate::share::RevokeProgress;

/// What the user is told once a share is deleted.
pub fn deleted_message(alias: &str, deleted: &DeletedShare) -> String {
    let who: Vec<String> = deleted.recipients.iter().map(|w| short_name(w)).collect();
    let mut message = format!(
        "The share “{alias}” is deleted: {} can no longer open “{}”.",
        who.join(", "),
        deleted.name
    );
    if deleted.data_deleted {
        message.push_str(&format!(" “{}” itself was deleted too.", deleted.name));
    } else {
        let rotated: usize = deleted.revoked.iter().map(|r| r.rotated.len()).sum();
        if rotated > 0 {
            message.push_str(&format!(
                " Your files stay; {rotated} re-encryptions under new keys."
            ));
        }
    }
    message
}

/// Rename and Delete for the share of `share` (its alias: every person it names).
///
/// * `share`: one entry of the share.
/// * `notice`: where the outcome is said (the row may be gone by then).
/// * `session`, `keyring`: the owner's.
#[component]
pub fn ShareActions(
    share: CreatedShare,
    notice: RwSignal<Option<Result<String, String>>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let changed = SharesChanged::get();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let alias = StoredValue::new(share.alias.clone());
    let name = share.name.clone();
    let renaming = RwSignal::new(false);
    let typed = RwSignal::new(share.alias.clone());
    let deleting = RwSignal::new(false);
    let with_data = RwSignal::new(false);
    let step = RwSignal::new(RevokeProgress::Withdrawing);
    let rename = Action::new_local(move |typed: &String| {
        let (typed, session, keyring, old) = (
            typed.clone(),
            session.get_value(),
            keyring.get_value(),
            alias.get_value(),
        );
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let result = rename_share(&pod, &keyring, &old, &typed)
                .await
                .map(|new| format!("The share “{old}” is now called “{new}”."))
                .map_err(|e| format!("Cannot rename the share: {e}."));
            if result.is_ok() {
                let _ = renaming.try_set(false);
                changed.bump();
            }
            let _ = notice.try_set(Some(result));
        }
    });
    let delete = Action::new_local(move |data: &SharedData| {
        let (data, session, keyring, alias) = (
            *data,
            session.get_value(),
            keyring.get_value(),
            alias.get_value(),
        );
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let told = |now| {
                let _ = step.try_set(now);
            };
            let _ = step.try_set(RevokeProgress::Withdrawing);
            let result = delete_share(&pod, &keyring, &session.webid, &alias, data, &told)
                .await
                .map(|deleted| deleted_message(&alias, &deleted))
                .map_err(|e| format!("Cannot delete the share: {e}. Deleting again finishes it."));
            let _ = deleting.try_set(false);
            changed.bump();
            let _ = notice.try_set(Some(result));
        }
    });
    let busy = move || rename.pending().get() || delete.pending().get();
    let alias_text = share.alias.clone();
    view! {
        <span class="share-actions">
            {move || if renaming.get() {
                view! {
                    <form class="share-rename" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        rename.dispatch_local(typed.get_untracked());
                    }>
                        <label>
                            "New name of the share"
                            <input type="text" maxlength="64" prop:value=move || typed.get()
                                on:input=move |ev| typed.set(event_target_value(&ev)) />
                        </label>
                        <button type="submit" disabled=busy>"Save name"</button>
                        <button type="button" class="secondary" on:click=move |_| renaming.set(false)>"Cancel"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="secondary" disabled=busy
                        aria-label=format!("Rename share {}", alias.get_value())
                        on:click=move |_| renaming.set(true)>"Rename"</button>
                }.into_any()
            }}
            {move || if deleting.get() {
                let name = name.clone();
                view! {
                    <span class="share-delete">
                        <span class="revoke-explained">{format!("Deleting the share “{}” takes access to “{name}” away from everyone it names, and deletes its keys for them.", alias_text)}</span>
                        <label>
                            <input type="checkbox" prop:checked=move || with_data.get()
                                on:change=move |ev| with_data.set(event_target_checked(&ev)) />
                            {format!("Also delete “{name}” itself, with everything in it")}
                        </label>
                        <button type="button" class="danger" disabled=busy
                            aria-label=format!("Confirm delete share {}", alias.get_value())
                            on:click=move |_| {
                                let data = if with_data.get_untracked() { SharedData::Delete } else { SharedData::Keep };
                                delete.dispatch_local(data);
                            }>
                            {move || if with_data.get() { "Delete the share and the data" } else { "Delete the share" }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| deleting.set(false)>"Keep"</button>
                    </span>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="secondary" disabled=busy
                        aria-label=format!("Delete share {}", alias.get_value())
                        on:click=move |_| deleting.set(true)>"Delete"</button>
                }.into_any()
            }}
            {move || delete.pending().get().then(|| view! {
                <span role="status">{move || format!("Deleting the share: {}", revoke_progress_words(step.get()))}</span>
            })}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleting_says_who_lost_access_and_what_became_of_the_data() {
        let deleted = DeletedShare {
            recipients: vec![
                "http://pod/bob/profile/card#me".into(),
                "http://pod/carol/profile/card#me".into(),
            ],
            name: "Trip".into(),
            revoked: Vec::new(),
            data_deleted: true,
        };
        let message = deleted_message("Summer", &deleted);
        assert!(
            message.starts_with(
                "The share “Summer” is deleted: bob, carol can no longer open “Trip”."
            ),
            "{message}"
        );
        assert!(message.contains("itself was deleted"), "{message}");
    }
}
