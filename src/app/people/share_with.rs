//! The Share dialog's part for people: "Share with a person" (pick a contact or
//! type a WebID, check their key, Share) and "Shared with" (who has it, whether
//! they proved they hold their key, Revoke).

use leptos::prelude::*;
use url::Url;

use super::inbox::InboxReads;
use super::manage::ShareActions;
use super::person::{LookUpForm, LookedUp, PersonCard};
use super::words::{claimed_name, mode_words, short_name};
use crate::app::drive::HTTP;
use crate::app::errors::describe_errors;
use crate::app::share::{revoke_progress_words, SharesChanged};
use crate::auth::session::Session;
use crate::drive::Item;
use crate::keystore::Keyring;
use crate::people::{revoke_person, share_with_person, shares, CreatedShare, ProofStatus};
use crate::pod::Pod;
use crate::share::{Access, RevokeProgress, Revoked};

/// What sharing with a person lets them do, in words.
pub fn explain_person(access: Access, is_folder: bool) -> &'static str {
    match (access, is_folder) {
        (Access::Read, false) => {
            "They can read and download this file with their own login, not change it."
        }
        (Access::ReadWrite, false) => "They can read this file and replace it with a new version.",
        (Access::Read, true) => {
            "They can read every file in this folder, including files added later."
        }
        (Access::ReadWrite, true) => {
            "They can read this folder and add, change or delete files in it."
        }
    }
}

/// "Share with a person" for `item`, with the dialog's read-only / read-write
/// choice.
///
/// * `item`: the file or folder.
/// * `access`: the dialog's mode choice.
/// * `session`, `keyring`: the owner's.
#[component]
pub fn SharePerson(
    item: Item,
    access: RwSignal<Access>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let changed = SharesChanged::get();
    let opened = RwSignal::new(false);
    let looked = RwSignal::new(None::<LookedUp>);
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let item = StoredValue::new(item);
    let contacts = LocalResource::new(move || {
        changed.track();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            shares(&pod, &keyring)
                .await
                .map(|doc| {
                    doc.contacts
                        .into_iter()
                        .map(|c| c.webid)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    });
    let suggestions = Signal::derive(move || contacts.get().unwrap_or_default());
    // The share's name (its alias); empty: a random `share_<hex>`.
    let alias = RwSignal::new(String::new());
    let share = Action::new_local(move |(person, mode): &(LookedUp, Access)| {
        let (looked_up, mode) = (person.clone(), *mode);
        let typed = alias.get_untracked();
        let (session, keyring, item) = (session.get_value(), keyring.get_value(), item.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let shared = share_with_person(
                &pod,
                &keyring,
                &session.webid,
                &looked_up.person,
                &item.url,
                mode,
                Some(typed.as_str()).filter(|t| !t.trim().is_empty()),
            )
            .await
            .map(|_| format!("Sent the offer to {}'s inbox.", looked_up.name()))
            .map_err(|e| format!("{e}."));
            changed.bump();
            shared
        }
    });
    let done = move || share.value().with(|v| matches!(v, Some(Ok(_))));
    let is_folder = item.with_value(|i| i.is_folder);
    view! {
        <div class="share-person">
            <Show when=move || !opened.get() && !done()>
                <button type="button" class="secondary" on:click=move |_| opened.set(true)>"Share with a person"</button>
            </Show>
            <Show when=move || opened.get() && !done()>
                <h3>"Share with a person"</h3>
                <LookUpForm looked suggestions session=session.get_value() keyring=keyring.get_value() list_id="share-contacts" />
                <PersonCard looked session=session.get_value() keyring=keyring.get_value() />
                {move || looked.get().map(|shown| {
                    let ready = shown.verified();
                    let name = shown.name();
                    view! {
                        <p class="hint">{move || explain_person(access.get(), is_folder)}</p>
                        <label class="share-name">
                            "Name of the share (optional; shown only to you)"
                            <input type="text" maxlength="64" placeholder="a random name"
                                prop:value=move || alias.get()
                                on:input=move |ev| alias.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" disabled=move || !ready || share.pending().get()
                            on:click=move |_| { share.dispatch_local((shown.clone(), access.get_untracked())); }>
                            {format!("Share with {name}")}
                        </button>
                        {(!ready).then(|| view! { <p class="hint">"Share becomes possible once the key is marked as verified."</p> })}
                    }
                })}
            </Show>
            {move || {
                if share.pending().get() {
                    return view! { <p role="status">"Granting access and sending the offer…"</p> }.into_any();
                }
                match share.value().get() {
                    Some(Ok(sent)) => view! { <p role="status">{sent}</p> }.into_any(),
                    Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot share: {e}")}</p> }.into_any(),
                    None => ().into_any(),
                }
            }}
        </div>
    }
}

/// What the user is told once a person is revoked.
pub fn revoked_person_message(who: &str, name: &str, revoked: &Revoked) -> String {
    let mut message = format!("{who} can no longer open “{name}” or new versions of it.");
    match revoked.rotated.len() {
        0 => {}
        1 => message.push_str(" 1 file was re-encrypted under a new key."),
        n => message.push_str(&format!(" {n} files were re-encrypted under new keys.")),
    }
    if !revoked.skipped.is_empty() {
        let names: Vec<&str> = revoked.skipped.iter().map(|s| s.name.as_str()).collect();
        message.push_str(&format!(
            " Not re-encrypted, because their keys do not open them: {}.",
            names.join(", ")
        ));
    }
    message.push_str(&format!(" What {who} already downloaded stays with them."));
    message
}

/// The people something is shared with (all shares with people when `resource`
/// is `None`), each with whether they proved they hold their key, and Revoke.
/// Mounting it asks for the inbox to be read, so proofs that came in show.
///
/// * `resource`: the file or folder, or `None` for every share.
/// * `session`, `keyring`: the owner's.
#[component]
pub fn SharedWith(resource: Option<Url>, session: Session, keyring: Keyring) -> impl IntoView {
    let changed = SharesChanged::get();
    InboxReads::get().refresh();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let resource = StoredValue::new(resource);
    let listed = LocalResource::new(move || {
        changed.track();
        let (session, keyring, resource) = (
            session.get_value(),
            keyring.get_value(),
            resource.get_value(),
        );
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let doc = shares(&pod, &keyring).await.map_err(|e| e.to_string())?;
            let names: Vec<(String, Option<String>)> = doc
                .contacts
                .iter()
                .map(|c| (c.webid.clone(), c.name.clone()))
                .collect();
            Ok::<_, String>(
                doc.created
                    .into_iter()
                    .filter(|s| resource.as_ref().is_none_or(|r| r.as_str() == s.resource))
                    .map(|s| {
                        let name = names
                            .iter()
                            .find(|(w, _)| *w == s.recipient)
                            .and_then(|(_, n)| n.clone());
                        (s, name)
                    })
                    .collect::<Vec<_>>(),
            )
        }
    });
    let confirming = RwSignal::new(None::<String>);
    let revoking = RwSignal::new(None::<String>);
    let step = RwSignal::new(RevokeProgress::Withdrawing);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let revoke = Action::new_local(move |share: &CreatedShare| {
        let share = share.clone();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            let who = short_name(&share.recipient);
            let _ = notice.try_set(None);
            let _ = revoking.try_set(Some(who.clone()));
            let pod = Pod::new(&HTTP, Some(&session));
            let told = |now| {
                let _ = step.try_set(now);
            };
            let result = revoke_person(&pod, &keyring, &session.webid, &share, &told)
                .await
                .map(|revoked| revoked_person_message(&who, &share.name, &revoked))
                .map_err(|e| format!("{e}."));
            let _ = revoking.try_set(None);
            let _ = confirming.try_set(None);
            changed.bump();
            result
        }
    });
    let all = resource.with_value(Option::is_none);
    view! {
        <div class="shared-with" role="region" aria-label="Shared with">
            <h3>"Shared with"</h3>
            <Transition fallback=|| view! { <p role="status">"Reading your shares…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot read your shares")}</p>
                }>
                    {move || listed.get().map(|result| result.map(|created| {
                        if created.is_empty() {
                            return view! { <p class="empty">"Nobody yet."</p> }.into_any();
                        }
                        view! {
                            <ul class="people-shares">
                                {created.into_iter().map(|(share, profile_name)| {
                                    let who = short_name(&share.recipient);
                                    let claimed = claimed_name(profile_name.as_deref()).map(|n| view! {
                                        <span class="profile-name" title="The name their profile states">{format!(" {n}")}</span>
                                    });
                                    let (session, keyring) = (session.get_value(), keyring.get_value());
                                    let manage = view! { <ShareActions share=share.clone() notice session keyring /> };
                                    let status = match share.proof_status {
                                        ProofStatus::HoldsKey => format!("{who} holds the key"),
                                        _ => format!("waiting for {who} to accept"),
                                    };
                                    let what = all.then(|| format!("“{}”, ", share.name));
                                    let id = share.id.clone();
                                    let confirm_id = id.clone();
                                    let target = share.clone();
                                    view! {
                                        <li>
                                            <span class="share-status">{format!("Shared with {who} — {status}")}</span>
                                            {claimed}
                                            <span class="hint">{format!(" ({}{}) ", what.unwrap_or_default(), mode_words(share.mode))}</span>
                                            <span class="share-alias">{format!("Share “{}” ", share.alias)}</span>
                                            {manage}
                                            {move || if confirming.get().as_deref() == Some(confirm_id.as_str()) {
                                                let target = target.clone();
                                                view! {
                                                    <p class="revoke-explained">{format!("Revoking takes {who}'s access away and re-encrypts what you shared under new keys: {who} cannot open later versions. What {who} already downloaded stays with them.")}</p>
                                                    <button type="button" class="danger" disabled=move || revoke.pending().get()
                                                        on:click=move |_| { revoke.dispatch_local(target.clone()); }>
                                                        {format!("Confirm revoke {who}")}
                                                    </button>
                                                    <button type="button" class="secondary" on:click=move |_| confirming.set(None)>"Keep"</button>
                                                }.into_any()
                                            } else {
                                                let id = id.clone();
                                                view! {
                                                    <button type="button" class="secondary" disabled=move || revoke.pending().get()
                                                        on:click=move |_| confirming.set(Some(id.clone()))>
                                                        {format!("Revoke {who}")}
                                                    </button>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }))}
                </ErrorBoundary>
            </Transition>
            {move || {
                if let Some(said) = notice.get() {
                    return match said {
                        Ok(done) => view! { <p role="status">{done}</p> }.into_any(),
                        Err(e) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                    };
                }
                if let Some(who) = revoking.get() {
                    return view! { <p role="status">{move || format!("Revoking {who}: {}", revoke_progress_words(step.get()))}</p> }.into_any();
                }
                match revoke.value().get() {
                    Some(Ok(done)) => view! { <p role="status">{done}</p> }.into_any(),
                    Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot revoke: {e} Try again: revoking again finishes it.")}</p> }.into_any(),
                    None => ().into_any(),
                }
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_says_what_the_person_can_no_longer_do() {
        let revoked = Revoked {
            rotated: vec![
                Url::parse("http://pod/a").unwrap(),
                Url::parse("http://pod/b").unwrap(),
            ],
            skipped: Vec::new(),
            updated_links: Vec::new(),
        };
        let message = revoked_person_message("bob", "Trip", &revoked);
        assert!(
            message.starts_with("bob can no longer open “Trip” or new versions of it."),
            "{message}"
        );
        assert!(message.contains("2 files were re-encrypted"), "{message}");
    }

    #[test]
    fn each_mode_says_what_the_person_may_do() {
        assert!(explain_person(Access::Read, false).contains("not change it"));
        assert!(explain_person(Access::ReadWrite, true).contains("add, change or delete"));
    }
}
