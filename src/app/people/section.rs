//! The "People" section: add a person by WebID (their key's fingerprint to compare,
//! then "Mark as verified"), the contacts with their keys, and every share with a
//! person.

use leptos::prelude::*;

use super::inbox::InboxReads;
use super::person::{LookUpForm, LookedUp, PersonCard};
use super::share_with::SharedWith;
use super::words::{grouped_hex, short_name};
use crate::app::drive::HTTP;
use crate::app::errors::describe_errors;
use crate::app::share::SharesChanged;
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::people::shares;
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
                                    {list.into_iter().map(|c| view! {
                                        <tr>
                                            <td class="name">{short_name(&c.webid)} <p class="hint webid">{c.webid.clone()}</p></td>
                                            <td><code class="fingerprint">{grouped_hex(&c.fingerprint)}</code></td>
                                            <td>{if c.verified { "Verified" } else { "Not verified" }}</td>
                                        </tr>
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
