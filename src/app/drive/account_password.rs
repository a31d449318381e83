//! Changing the master password from the unlocked drive. Only the keystore index is
//! re-encrypted; every file and keystore stays as it is.

use leptos::prelude::*;

use super::io::HTTP;
use crate::auth::session::Session;
use crate::crypto::password::PasswordParams;
use crate::keystore::master::change_password;
use crate::keystore::{Layout, Password};
use crate::pod::Pod;

/// The form of the "Change master password" dialog: current password, new
/// password twice. "Do not match" shows once a change was tried, and goes as soon
/// as the two new passwords agree; any other failure goes once the user types.
///
/// * `session`: whose pod.
/// * `layout`: where the index is.
/// * `on_close`: the Close button.
#[component]
pub fn ChangePassword(
    session: Session,
    layout: Layout,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    // Held as zeroizing `Password`s; the fields are emptied after use.
    let (current, set_current) = signal(Password::default());
    let (new, set_new) = signal(Password::default());
    let (again, set_again) = signal(Password::default());
    let fields = [NodeRef::new(), NodeRef::new(), NodeRef::new()];
    let (outcome, set_outcome) = signal(None::<Result<(), String>>);
    let mismatch = RwSignal::new(false);
    let differ = move || new.with(|a| again.with(|b| a.expose() != b.expose()));
    let change = Action::new_local(move |(old, new): &(Password, Password)| {
        let (session, layout, old, new) =
            (session.clone(), layout.clone(), old.clone(), new.clone());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let result = change_password(&pod, &layout, &old, &new, &PasswordParams::default())
                .await
                .map_err(|e| e.to_string());
            set_outcome.set(Some(result));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differ() {
            mismatch.set(true);
            set_outcome.set(None);
            return;
        }
        mismatch.set(false);
        set_outcome.set(None);
        change.dispatch_local((current.get(), new.get()));
        set_current.set(Password::default());
        set_new.set(Password::default());
        set_again.set(Password::default());
        super::password::clear(&fields);
    };
    view! {
        <div class="dialog-bar">
            <h2>"Change master password"</h2>
            <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Close"</button>
        </div>
        <form class="password-form" on:submit=on_submit>
                <label>
                    "Current master password"
                    <input type="password" autocomplete="current-password" autofocus node_ref=fields[0]
                        on:input=move |ev| {
                            set_current.set(Password::new(event_target_value(&ev)));
                            set_outcome.set(None);
                        } />
                </label>
                <label>
                    "New master password"
                    <input type="password" autocomplete="new-password" node_ref=fields[1]
                        on:input=move |ev| {
                            set_new.set(Password::new(event_target_value(&ev)));
                            set_outcome.set(None);
                        } />
                </label>
                <p class="hint">{move || new.with(|p| super::password::strength_hint(p.expose()))}</p>
                <label>
                    "Confirm new master password"
                    <input type="password" autocomplete="new-password" node_ref=fields[2]
                        on:input=move |ev| {
                            set_again.set(Password::new(event_target_value(&ev)));
                            set_outcome.set(None);
                        } />
                </label>
                <Show when=move || mismatch.get() && differ()>
                    <p role="alert" class="error">"The two new passwords do not match."</p>
                </Show>
                <button type="submit" disabled=move || change.pending().get()>"Change password"</button>
                {move || {
                    if change.pending().get() {
                        return view! { <p role="status">"Re-encrypting your keystore index…"</p> }.into_any();
                    }
                    match outcome.get() {
                        Some(Ok(())) => view! { <p role="status">"Password changed."</p> }.into_any(),
                        Some(Err(e)) => view! { <p role="alert" class="error">{format!("Cannot change the password: {e}.")}</p> }.into_any(),
                        None => ().into_any(),
                    }
                }}
            </form>
    }
}
