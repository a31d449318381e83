//! The login screen: choose a Solid provider (local pod preselected) or type an
//! issuer or WebID.

use leptos::prelude::*;

use crate::auth::provider::{known_providers, parse_target, LoginTarget};

/// Value of the radio button for "type your own".
const CUSTOM: &str = "custom";

/// Provider picker. Until Solid-OIDC login lands, submitting validates the choice and
/// says plainly that the app is not connected yet.
#[component]
pub fn LoginScreen() -> impl IntoView {
    let providers = known_providers();
    let (choice, set_choice) = signal(providers[0].issuer.to_owned());
    let (typed, set_typed) = signal(String::new());
    let (outcome, set_outcome) = signal(None::<Result<LoginTarget, String>>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = choice.get();
        let text = if chosen == CUSTOM {
            typed.get()
        } else {
            chosen
        };
        set_outcome.set(Some(parse_target(&text).map_err(|e| e.to_string())));
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
                <button type="submit">"Log in"</button>
            </form>
            <p role="status" class="status">
                {move || match outcome.get() {
                    None => "Not connected.".to_owned(),
                    Some(Ok(LoginTarget::Issuer(url))) => {
                        format!("Not yet connected: login with {url} is not available yet.")
                    }
                    Some(Ok(LoginTarget::WebId(url))) => {
                        format!("Not yet connected: login as {url} is not available yet.")
                    }
                    Some(Err(message)) => format!("Cannot log in: {message}."),
                }}
            </p>
        </section>
    }
}
