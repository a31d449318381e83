//! A person looked up by WebID (their profile, key and inbox, every part of which
//! may be hostile: `identity::lookup_person` checks it), their key's fingerprint
//! to compare out of band, and "Mark as verified". A key that differs from the one
//! the user verified before is a loud warning, and nothing is shared with it.

use leptos::prelude::*;
use url::Url;

use super::words::{claimed_name, grouped, grouped_hex, short_name};
use crate::app::drive::HTTP;
use crate::app::share::SharesChanged;
use crate::auth::session::Session;
use crate::identity::{lookup_person, Person};
use crate::keystore::Keyring;
use crate::people::{contact_status, verify_contact, ContactStatus};
use crate::pod::Pod;

/// A person as read now, and what the user's contacts say about their key.
#[derive(Debug, Clone)]
pub struct LookedUp {
    pub person: Person,
    pub status: ContactStatus,
}

impl LookedUp {
    /// Whether sharing with them may go ahead: the key is the one the user verified.
    pub fn verified(&self) -> bool {
        matches!(self.status, ContactStatus::Known { verified: true })
    }

    /// Their label (see [`short_name`]).
    pub fn name(&self) -> String {
        short_name(self.person.webid.as_str())
    }
}

/// Reads `typed` (a WebID) and what the user's contacts know of it.
pub async fn look_up(
    session: Session,
    keyring: Keyring,
    typed: String,
) -> Result<LookedUp, String> {
    let typed = typed.trim();
    let webid = Url::parse(typed)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            let shown: String = typed.chars().take(80).collect();
            format!(
                "“{shown}” is not a WebID: it looks like https://pod.example/name/profile/card#me"
            )
        })?;
    if webid.as_str() == session.webid {
        return Err("That is your own WebID.".to_owned());
    }
    let pod = Pod::new(&HTTP, Some(&session));
    let person = lookup_person(&pod, &webid)
        .await
        .map_err(|e| format!("{e}."))?;
    let status = contact_status(&pod, &keyring, &person)
        .await
        .map_err(|e| format!("{e}."))?;
    Ok(LookedUp { person, status })
}

/// The person in `looked`, their fingerprint, and the verification step; after
/// "Mark as verified" `looked` holds the verified status.
///
/// * `looked`: the person shown (set by the caller's lookup).
/// * `session`, `keyring`: where the contacts are kept.
#[component]
pub fn PersonCard(
    looked: RwSignal<Option<LookedUp>>,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let changed = SharesChanged::get();
    let verify = Action::new_local(move |person: &Person| {
        let (person, session, keyring) = (person.clone(), session.get_value(), keyring.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            verify_contact(&pod, &keyring, &person)
                .await
                .map_err(|e| format!("{e}."))?;
            let _ = looked.try_update(|l| {
                if let Some(l) = l.as_mut().filter(|l| l.person == person) {
                    l.status = ContactStatus::Known { verified: true };
                }
            });
            changed.bump();
            Ok::<(), String>(())
        }
    });
    move || {
        looked.get().map(|shown| {
            let name = shown.name();
            let webid = shown.person.webid.to_string();
            let fingerprint = grouped(&shown.person.fingerprint);
            let claimed = claimed_name(shown.person.name.as_deref());
            let person = shown.person.clone();
            let step = match &shown.status {
                ContactStatus::Known { verified: true } => view! {
                    <p class="verified" role="status">
                        {format!("Verified: this is the key you compared with {name}.")}
                    </p>
                }
                .into_any(),
                ContactStatus::New | ContactStatus::Known { verified: false } => view! {
                    <p class="hint">
                        {format!("Compare this with {name} (say it aloud or by another channel), then mark it as verified. Only someone holding {name}'s private key can open what you share with this key.")}
                    </p>
                    <button type="button" disabled=move || verify.pending().get()
                        on:click=move |_| { verify.dispatch_local(person.clone()); }>
                        "Mark as verified"
                    </button>
                }
                .into_any(),
                ContactStatus::KeyChanged { old, new: _ } => view! {
                    <div class="key-changed" role="alert">
                        <p>
                            <strong>{format!("Warning: {name}'s key has changed.")}</strong>
                            {format!(" The key you verified was {}. Someone may be pretending to be {name}, or {name} made a new key. Nothing is shared with the new key until you compare it with {name} and mark it as verified.", grouped_hex(old))}
                        </p>
                        <button type="button" class="danger" disabled=move || verify.pending().get()
                            on:click=move |_| { verify.dispatch_local(person.clone()); }>
                            "I compared the new key: mark it as verified"
                        </button>
                    </div>
                }
                .into_any(),
            };
            view! {
                <div class="person-card" aria-label=format!("Person {name}")>
                    <p class="person-name">
                        <strong>{name.clone()}</strong> " "
                        {claimed.map(|n| view! { <span class="profile-name" title="The name their profile states">{n}</span> " " })}
                        <span class="webid">{webid}</span>
                    </p>
                    <p class="fingerprint-label">{format!("Fingerprint of {name}'s key:")}</p>
                    <code class="fingerprint" aria-label=format!("Fingerprint of {name}'s key")>{fingerprint}</code>
                    {step}
                    {move || match verify.value().get() {
                        Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot save it: {e}")}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                </div>
            }
        })
    }
}

/// A "WebID" field with a "Look up" button, and the contacts to pick from, that
/// fill `looked`.
///
/// * `looked`: receives the person read (or is emptied while reading).
/// * `suggestions`: contacts' WebIDs offered while typing.
/// * `session`, `keyring`: the user's.
/// * `list_id`: the suggestions' element id, distinct for each form on the page.
#[component]
pub fn LookUpForm(
    looked: RwSignal<Option<LookedUp>>,
    #[prop(into)] suggestions: Signal<Vec<String>>,
    session: Session,
    keyring: Keyring,
    list_id: &'static str,
) -> impl IntoView {
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let typed = RwSignal::new(String::new());
    let look = Action::new_local(move |typed: &String| {
        let lookup = look_up(session.get_value(), keyring.get_value(), typed.clone());
        async move {
            let result = lookup.await;
            match &result {
                Ok(found) => {
                    let _ = looked.try_set(Some(found.clone()));
                }
                Err(_) => {
                    let _ = looked.try_set(None);
                }
            }
            result.map(|_| ())
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        looked.set(None);
        look.dispatch_local(typed.get_untracked());
    };
    view! {
        <form class="person-lookup" on:submit=on_submit>
            <label>
                "WebID"
                <input type="url" list=list_id placeholder="https://pod.example/name/profile/card#me"
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        // The last failure was about another address.
                        look.value().set(None);
                    } />
            </label>
            <datalist id=list_id>
                {move || suggestions.get().into_iter().map(|w| view! { <option value=w /> }).collect_view()}
            </datalist>
            <button type="submit" disabled=move || look.pending().get()>"Look up"</button>
        </form>
        {move || {
            let known = suggestions.get();
            (!known.is_empty()).then(|| view! {
                <div class="contact-picks" role="group" aria-label="Your contacts">
                    <span class="hint">"Or pick a contact (their key is read again):"</span>
                    {known.into_iter().map(|webid| {
                        let label = short_name(&webid);
                        let title = webid.clone();
                        view! {
                            <button type="button" class="secondary" title=title
                                disabled=move || look.pending().get()
                                on:click=move |_| {
                                    typed.set(webid.clone());
                                    looked.set(None);
                                    look.dispatch_local(webid.clone());
                                }>
                                {label}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })
        }}
        {move || {
            if look.pending().get() {
                view! { <p role="status">"Reading their profile and key…"</p> }.into_any()
            } else if let Some(Err(e)) = look.value().get() {
                view! { <p role="alert" class="error">{format!("Cannot share with them: {e}")}</p> }.into_any()
            } else {
                ().into_any()
            }
        }}
    }
}
