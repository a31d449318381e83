//! The master password screens: set it on first run (with confirmation and a
//! strength hint), unlock later. Both end by handing an unlocked keyring up.

use leptos::prelude::*;

use super::index_memory::{keep_up_with, remembered};
use super::io::HTTP;
use crate::auth::session::Session;
use crate::crypto::password::PasswordParams;
use crate::keystore::master::{set_up, unlock_checked, UnlockError, MIN_PASSWORD_LEN};
use crate::keystore::private::keep_private;
use crate::keystore::{Keyring, Layout, Password, SetupState};
use crate::people::start_shares;
use crate::pod::Pod;
use crate::share::start_links_list;

/// A rough strength hint: length and character variety. Not a guarantee, just a
/// nudge towards long passphrases.
pub fn strength_hint(password: &str) -> &'static str {
    let len = password.chars().count();
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    match (len, classes) {
        (0, _) => "Use a long passphrase: several words are easy to remember and hard to guess.",
        (l, _) if l < MIN_PASSWORD_LEN => "Too short: at least 8 characters.",
        (l, c) if l >= 16 || (l >= 12 && c >= 3) => "Strength: strong.",
        (l, c) if l >= 12 || c >= 3 => "Strength: fair. Longer is better.",
        _ => "Strength: weak. Add words or characters.",
    }
}

/// Asks for the master password: a new one on first run, the existing one later.
///
/// * `session`: whose pod.
/// * `layout`: where the keystores are.
/// * `state`: whether a password exists; set to `SetUp` after first-run setup.
/// * `keyring`: receives the unlocked keystores.
#[component]
pub fn PasswordGate(
    session: Session,
    layout: Layout,
    state: RwSignal<SetupState>,
    keyring: RwSignal<Option<Keyring>, LocalStorage>,
) -> impl IntoView {
    let session = StoredValue::new(session);
    let layout = StoredValue::new(layout);
    move || {
        // Gone already (logged out while this re-renders): nothing to show.
        let (Some(session), Some(layout), Some(current)) = (
            session.try_get_value(),
            layout.try_get_value(),
            state.try_get(),
        ) else {
            return ().into_any();
        };
        match current {
            SetupState::NotSetUp => {
                view! { <SetPassword session layout state keyring /> }.into_any()
            }
            SetupState::SetUp => view! { <Unlock session layout keyring /> }.into_any(),
        }
    }
}

/// First run: choose the master password.
#[component]
fn SetPassword(
    session: Session,
    layout: Layout,
    state: RwSignal<SetupState>,
    keyring: RwSignal<Option<Keyring>, LocalStorage>,
) -> impl IntoView {
    // Held as `Password`s, so every keystroke's copy is wiped when replaced.
    let (first, set_first) = signal(Password::default());
    let (second, set_second) = signal(Password::default());
    let fields = [NodeRef::new(), NodeRef::new()];
    let (problem, set_problem) = signal(None::<String>);
    // "Do not match" shows after a submit with two different passwords, and goes
    // as soon as they agree (it is worked out as the user types, not kept).
    let mismatch = RwSignal::new(false);
    let differ = move || first.with(|a| second.with(|b| a.expose() != b.expose()));
    let create = Action::new_local(move |password: &Password| {
        let (session, layout, password) = (session.clone(), layout.clone(), password.clone());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            match set_up(
                &pod,
                &layout,
                &session.webid,
                &password,
                &PasswordParams::default(),
            )
            .await
            {
                Ok(unlocked) => {
                    keep_up_with(&session.webid, &unlocked, true);
                    // Best effort: without them the lists are written by the first
                    // link or share.
                    let _ = start_links_list(&pod, &unlocked).await;
                    let _ = start_shares(&pod, &unlocked).await;
                    keyring.set(Some(unlocked));
                    state.set(SetupState::SetUp);
                }
                Err(e) => set_problem.set(Some(format!("Cannot set the password: {e}."))),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differ() {
            mismatch.set(true);
            set_problem.set(None);
            return;
        }
        mismatch.set(false);
        set_problem.set(None);
        create.dispatch_local(first.get());
        // The fields are emptied at once: the typed text stays only in the
        // zeroizing copy the setup holds.
        set_first.set(Password::default());
        set_second.set(Password::default());
        clear(&fields);
    };
    view! {
        <form class="password-form" on:submit=on_submit>
            <h2>"Set a master password"</h2>
            <p class="lead">
                "It protects the keys to all your files. It is never sent anywhere and "
                "cannot be recovered: if you forget it, your files stay locked."
            </p>
            <label>
                "Master password"
                <input
                    type="password"
                    autocomplete="new-password"
                    aria-describedby="strength"
                    node_ref=fields[0]
                    on:input=move |ev| {
                        set_first.set(Password::new(event_target_value(&ev)));
                        set_problem.set(None);
                    }
                />
            </label>
            <p id="strength" class="hint">{move || first.with(|p| strength_hint(p.expose()))}</p>
            <label>
                "Confirm master password"
                <input
                    type="password"
                    autocomplete="new-password"
                    node_ref=fields[1]
                    on:input=move |ev| {
                        set_second.set(Password::new(event_target_value(&ev)));
                        set_problem.set(None);
                    }
                />
            </label>
            <Show when=move || mismatch.get() && differ()>
                <p role="alert" class="error">"The two passwords do not match."</p>
            </Show>
            <button type="submit" disabled=move || create.pending().get()>
                "Set master password"
            </button>
            <Problem pending=create.pending() busy="Protecting your keys…" problem />
        </form>
    }
}

/// Later runs: unlock with the master password. An index older than this browser
/// has seen (FORMAT.md §4.6) is refused until the user ticks "open the older copy".
#[component]
fn Unlock(
    session: Session,
    layout: Layout,
    keyring: RwSignal<Option<Keyring>, LocalStorage>,
) -> impl IntoView {
    let (typed, set_typed) = signal(Password::default());
    let field = [NodeRef::new()];
    let (problem, set_problem) = signal(None::<String>);
    let (rolled_back, set_rolled_back) = signal(false);
    let (accept_older, set_accept_older) = signal(false);
    let open = Action::new_local(move |(password, accept): &(Password, bool)| {
        let (session, layout, password, accept) =
            (session.clone(), layout.clone(), password.clone(), *accept);
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let seen = (!accept).then(|| remembered(&session.webid)).flatten();
            match unlock_checked(&pod, &layout, &password, seen.as_ref()).await {
                Ok(unlocked) => {
                    keep_up_with(&session.webid, &unlocked, accept);
                    // A drive set up before its folder was private gets its own ACL
                    // now. Best effort: it is tried again at every unlock.
                    if let Err(e) = keep_private(&pod, &layout, &session.webid).await {
                        leptos::logging::warn!("{e}");
                    }
                    keyring.set(Some(unlocked));
                }
                Err(UnlockError::WrongPassword) => {
                    set_problem.set(Some("Wrong password. Try again.".into()))
                }
                Err(e) => {
                    set_rolled_back.set(matches!(e, UnlockError::RolledBack(_)));
                    set_problem.set(Some(format!("Cannot unlock: {e}.")));
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_problem.set(None);
        open.dispatch_local((typed.get(), accept_older.get()));
        set_typed.set(Password::default());
        clear(&field);
    };
    view! {
        <form class="password-form" on:submit=on_submit>
            <h2>"Unlock your drive"</h2>
            <label>
                "Master password"
                <input
                    type="password"
                    autocomplete="current-password"
                    node_ref=field[0]
                    on:input=move |ev| {
                        set_typed.set(Password::new(event_target_value(&ev)));
                        // "Wrong password" is about what was typed before; an
                        // older copy's warning stays until it is settled.
                        if !rolled_back.get_untracked() {
                            set_problem.set(None);
                        }
                    }
                />
            </label>
            <Show when=move || rolled_back.get()>
                <label class="older-copy">
                    <input
                        type="checkbox"
                        prop:checked=accept_older
                        on:change=move |ev| set_accept_older.set(event_target_checked(&ev))
                    />
                    "Open the older copy anyway: I restored my pod from a backup"
                </label>
            </Show>
            <button type="submit" disabled=move || open.pending().get()>
                "Unlock"
            </button>
            <Problem pending=open.pending() busy="Unlocking…" problem />
        </form>
    }
}

/// Empties password fields after use, so the typed text does not linger in the
/// page (the app's copy is a zeroizing [`Password`]). The fields are not bound to
/// a signal's value: that would make a plain `String` copy on every keystroke.
pub fn clear(fields: &[NodeRef<leptos::html::Input>]) {
    for field in fields {
        if let Some(input) = field.get_untracked() {
            input.set_value("");
        }
    }
}

/// The status line under a password form: busy, or what went wrong.
///
/// * `pending`: whether the action runs.
/// * `busy`: what to say meanwhile.
/// * `problem`: the last failure, if any.
#[component]
fn Problem(
    pending: Memo<bool>,
    busy: &'static str,
    problem: ReadSignal<Option<String>>,
) -> impl IntoView {
    move || {
        if pending.get() {
            view! { <p role="status">{busy}</p> }.into_any()
        } else if let Some(message) = problem.get() {
            view! { <p role="alert" class="error">{message}</p> }.into_any()
        } else {
            ().into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_hint_nudges_towards_long_passphrases() {
        assert!(strength_hint("").starts_with("Use a long passphrase"));
        assert!(strength_hint("short").starts_with("Too short"));
        assert_eq!(
            strength_hint("abcdefgh"),
            "Strength: weak. Add words or characters."
        );
        assert!(strength_hint("Abcdefg1!").starts_with("Strength: fair"));
        assert_eq!(
            strength_hint("correct horse battery staple"),
            "Strength: strong."
        );
    }
}
