//! The login screen: choose a Solid provider (local pod preselected) or type an
//! issuer or WebID, then go to the provider to log in.

use leptos::prelude::*;

use super::browser_login::begin_login;
use crate::auth::provider::{known_providers, parse_target, LoginTarget};

/// Value of the radio button for "type your own".
const CUSTOM: &str = "custom";

/// What a screen needs kept before the browser leaves for the provider (a share
/// link, see `app::share::open`): a typed context the login screen runs first; an
/// error stops the login and is shown.
#[derive(Clone, Copy)]
pub struct BeforeLeaving(pub Callback<(), Result<(), String>>);

/// Provider picker. Submitting validates the choice, registers the app with the
/// provider and leaves for its login page; failures are shown in the status line.
/// A [`BeforeLeaving`] context, if any, runs just before leaving.
#[component]
pub fn LoginScreen() -> impl IntoView {
    let before_leaving = use_context::<BeforeLeaving>().map(|b| b.0);
    let providers = known_providers();
    let (choice, set_choice) = signal(providers[0].issuer.to_owned());
    let (typed, set_typed) = signal(String::new());
    let (invalid, set_invalid) = signal(None::<String>);
    let login = Action::new_local(|target: &LoginTarget| {
        let target = target.clone();
        async move { begin_login(&target).await.map_err(|e| e.to_string()) }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = choice.get();
        let text = if chosen == CUSTOM {
            typed.get()
        } else {
            chosen
        };
        match parse_target(&text) {
            Ok(target) => match before_leaving.map_or(Ok(()), |keep| keep.run(())) {
                Ok(()) => {
                    set_invalid.set(None);
                    login.dispatch_local(target);
                }
                Err(e) => set_invalid.set(Some(e)),
            },
            Err(e) => set_invalid.set(Some(e.to_string())),
        }
    };

    let status = move || {
        if let Some(message) = invalid.get() {
            return format!("Cannot log in: {message}.");
        }
        if login.pending().get() {
            return match login.input().get() {
                Some(LoginTarget::WebId(webid)) => format!("Finding the provider of {webid}…"),
                Some(target) => format!("Opening the login page of {}…", target.url()),
                None => "Opening the login page…".to_owned(),
            };
        }
        match login.value().get() {
            Some(Err(message)) => format!("Cannot log in: {message}."),
            Some(Ok(())) => "Opening the login page…".to_owned(),
            None => "Not connected.".to_owned(),
        }
    };

    let options = providers
        .into_iter()
        .map(|p| {
            let issuer = p.issuer;
            view! {
                <label class="provider">
                    <input
                        type="radio"
                        name="provider"
                        value=issuer
                        prop:checked=move || choice.get() == issuer
                        on:change=move |_| set_choice.set(issuer.to_owned())
                    />
                    <span class="provider-label">{p.label}</span>
                    <span class="provider-url">{issuer}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <section class="card login">
            <h1>"Log in to your Solid pod"</h1>
            <p class="lead">
                "Your files are encrypted in this browser before they reach your pod. "
                "The pod only ever stores ciphertext."
            </p>
            <form on:submit=on_submit>
                <fieldset>
                    <legend>"Solid provider"</legend>
                    {options}
                    <label class="provider">
                        <input
                            type="radio"
                            name="provider"
                            value=CUSTOM
                            prop:checked=move || choice.get() == CUSTOM
                            on:change=move |_| set_choice.set(CUSTOM.to_owned())
                        />
                        <span class="provider-label">"Another provider or my WebID"</span>
                    </label>
                    <label class="custom-target">
                        "Provider address or WebID"
                        <input
                            type="text"
                            inputmode="url"
                            autocomplete="url"
                            placeholder="https://pod.example.org/ or …/profile/card#me"
                            prop:value=typed
                            on:input=move |ev| {
                                set_typed.set(event_target_value(&ev));
                                set_choice.set(CUSTOM.to_owned());
                            }
                        />
                    </label>
                </fieldset>
                <button type="submit" disabled=move || login.pending().get()>
                    "Log in"
                </button>
            </form>
            <p role="status" class="status">
                {status}
            </p>
        </section>
    }
}
