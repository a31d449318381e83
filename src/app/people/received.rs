//! The action of one row of "Shared with me": Open, or — when its owner took the
//! access away (its keystore answers 401/403/404: revoked or deleted) — a plain
//! "revoked" and Remove, which drops it from the index (`people::remove_received`)
//! instead of opening it onto an "access denied" and a "Try again" that cannot help.

use leptos::prelude::*;
use url::Url;

use super::inbox::OffersAccepted;
use super::words::{received_from, short_name};
use crate::app::drive::HTTP;
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::people::{remove_received, shares};
use crate::pod::Pod;

/// What the user is told about a share its owner revoked; `sender` when it came
/// from a person (their WebID).
pub fn revoked_words(sender: Option<&str>) -> String {
    match sender {
        Some(webid) => format!(
            "{} revoked this share: you can no longer open it. Remove it from your list.",
            short_name(webid)
        ),
        None => {
            "Its owner revoked this share: you can no longer open it. Remove it from your list."
                .to_owned()
        }
    }
}

/// Open, or for a withdrawn share the words and Remove.
///
/// * `url`, `name`: the shared item.
/// * `withdrawn`: its keystore answered 401, 403 or 404 at unlock or the last refresh.
/// * `href`: its app address (`/shared/<id>`), which opens it.
/// * `session`, `keyring`: the user's.
#[component]
pub fn ReceivedActions(
    url: Url,
    name: String,
    withdrawn: bool,
    href: String,
    session: Session,
    keyring: Keyring,
) -> impl IntoView {
    if !withdrawn {
        return view! {
            <a class="button secondary" href=href aria-label=format!("Open {name}")>"Open"</a>
        }
        .into_any();
    }
    let accepted = OffersAccepted::get();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let scope = StoredValue::new(url.to_string());
    let sender = LocalResource::new(move || {
        let (session, keyring, scope) =
            (session.get_value(), keyring.get_value(), scope.get_value());
        async move {
            let doc = shares(&Pod::new(&HTTP, Some(&session)), &keyring)
                .await
                .ok()?;
            received_from(&doc, &scope)
        }
    });
    let remove = Action::new_local(move |(): &()| {
        let (session, keyring, scope) =
            (session.get_value(), keyring.get_value(), scope.get_value());
        async move {
            let result = remove_received(&Pod::new(&HTTP, Some(&session)), &keyring, &scope)
                .await
                .map_err(|e| format!("Cannot remove it: {e}."));
            if result.is_ok() {
                // "Shared with me" lists again, without it.
                accepted.bump();
            }
            result
        }
    });
    view! {
        <p class="revoked" role="status">{move || revoked_words(sender.get().flatten().map(|(webid, _)| webid).as_deref())}</p>
        // Its keystore no longer opens, so the name the offer gave it is the one shown.
        <button type="button" class="secondary"
            aria-label=move || format!("Remove {}", sender.get().flatten().map(|(_, offered)| offered).unwrap_or_else(|| name.clone()))
            disabled=move || remove.pending().get()
            on:click=move |_| { remove.dispatch_local(()); }>"Remove"</button>
        {move || match remove.value().get() {
            Some(Err(e)) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
            _ => ().into_any(),
        }}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_share_names_who_revoked_it() {
        assert!(revoked_words(Some("http://pod/alice/profile/card#me"))
            .starts_with("alice revoked this share"));
        assert!(revoked_words(None).starts_with("Its owner revoked"));
    }
}
