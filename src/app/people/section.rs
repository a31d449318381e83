//! The "People" section: add a person by WebID (their key's fingerprint to compare,
//! then "Mark as verified"), the contacts with their keys — each read again, so a
//! key that changed since it was verified is a loud warning with "Verify the new
//! fingerprint" — and every share with a person.

use leptos::prelude::*;

use super::inbox::InboxReads;
use super::person::{look_up, LookUpForm, LookedUp, PersonCard};
use super::share_with::SharedWith;
use super::words::{claimed_name, grouped_hex, short_name};
use crate::app::drive::HTTP;
use crate::app::errors::describe_errors;
use crate::app::share::SharesChanged;
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::people::{shares, Contact, ContactStatus};
use crate::pod::Pod;

/// The People section of the frame (shown once the drive is unlocked).
///
/// * `session`: the logged-in session.
/// * `keyring`: the unlocked keystores (the shares list with the contacts).
#[component]
pub fn People(session: Session, keyring: Keyring) -> impl IntoView {
    let changed = SharesChanged::get();
    let reads = InboxReads::get();
    let looked = RwSignal::new(None::<LookedUp>);
    let stored = (
        StoredValue::new(session.clone()),
        StoredValue::new_local(keyring.clone()),
    );
    let contacts = LocalResource::new(move || {
        changed.track();
        let (session, keyring) = (stored.0.get_value(), stored.1.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            shares(&pod, &keyring)
                .await
                .map(|doc| doc.contacts)
                .map_err(|e| e.to_string())
        }
    });
    let suggestions = Signal::derive(move || {
        contacts
            .get()
            .and_then(Result::ok)
            .map(|c| c.into_iter().map(|c| c.webid).collect())
            .unwrap_or_default()
    });
    view! {
        <section class="people" aria-label="People">
            <h1>"People"</h1>
            <p class="lead">
                "Share files and folders with a person by their WebID: only they can open what you share, "
                "with their own login and key. Look them up, compare their key's fingerprint with them, and mark it as verified. "
                "Your own key's fingerprint is in your account menu (the round button at the top), for them to compare."
            </p>
            <h3>"Add a person"</h3>
            <LookUpForm looked suggestions session=session.clone() keyring=keyring.clone() list_id="people-contacts" />
            <PersonCard looked session=session.clone() keyring=keyring.clone() />
            <h3>"Contacts"</h3>
            <Transition fallback=|| view! { <p role="status">"Reading your contacts…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot read your contacts")}</p>
                }>
                    {move || contacts.get().map(|result| result.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="empty">"No one yet."</p> }.into_any();
                        }
                        view! {
                            <table class="listing" aria-label="Contacts">
                                <thead><tr><th>"Person"</th><th>"Key fingerprint"</th><th>"Verified"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|contact| view! {
                                        <ContactRow contact looked session=stored.0.get_value() keyring=stored.1.get_value() />
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }))}
                </ErrorBoundary>
            </Transition>
            <SharedWith resource=None session=session.clone() keyring=keyring.clone() />
            <button type="button" class="secondary" on:click=move |_| reads.refresh()>"Check for offers"</button>
        </section>
    }
}

/// One contact: who (with the name their profile stated), the fingerprint kept,
/// whether it was verified; their published key is read again, and one that is
/// not the key kept is a loud warning with "Verify the new fingerprint", which
/// shows the new key in the person card above for comparing and marking verified.
#[component]
fn ContactRow(
    contact: Contact,
    looked: RwSignal<Option<LookedUp>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let who = short_name(&contact.webid);
    let webid = contact.webid.clone();
    let now = LocalResource::new(move || look_up(session.clone(), keyring.clone(), webid.clone()));
    let stored_name = contact.name.clone();
    let claimed = move || {
        let live = now.get().and_then(Result::ok).and_then(|l| l.person.name);
        claimed_name(live.or(stored_name.clone()).as_deref())
            .map(|n| view! { <span class="profile-name" title="The name their profile states">{n}</span> })
    };
    let warning = {
        let who = who.clone();
        move || {
            let shown = now.get().and_then(Result::ok)?;
            let ContactStatus::KeyChanged { ref new, .. } = shown.status else {
                return None;
            };
            let label = format!("Verify the new fingerprint of {who}");
            let text = format!(
                "Warning: {who}'s key has changed since you verified it (it is now {}). Someone may be pretending to be {who}, or {who} made a new key. Nothing is shared with {who} until you compare the new fingerprint with them and mark it as verified.",
                grouped_hex(new)
            );
            let person = shown.clone();
            Some(view! {
                <tr class="key-changed">
                    <td colspan="3" role="alert">
                        <strong>{text}</strong> " "
                        <button type="button" class="danger" aria-label=label
                            on:click=move |_| looked.set(Some(person.clone()))>
                            "Verify the new fingerprint"
                        </button>
                    </td>
                </tr>
            })
        }
    };
    view! {
        <tr>
            <td class="name">{who.clone()} " " {claimed} <p class="hint webid">{contact.webid.clone()}</p></td>
            <td><code class="fingerprint">{grouped_hex(&contact.fingerprint)}</code></td>
            <td>{if contact.verified { "Verified" } else { "Not verified" }}</td>
        </tr>
        {warning}
    }
}
