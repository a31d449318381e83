//! Where the identity provider sends the browser back: completes the login, then
//! replaces the address (which carries the one-time code) with `/share` when a
//! share link waits to be opened (see `app::share`), else with the place the user
//! asked for before logging in (see `return_to`), else "My files".

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use super::browser_login::{finish_login, has_share_link};
use super::return_to;
use super::session::{AuthState, SessionContext};

/// Completes the login once on mount; shows progress, or the error and a way back.
#[component]
pub fn Callback() -> impl IntoView {
    let query = use_location().search.get_untracked();
    let navigate = use_navigate();
    let finish = Action::new_local(|query: &String| {
        let query = query.clone();
        async move { finish_login(&query).await.map_err(|e| e.to_string()) }
    });
    finish.dispatch_local(query);

    Effect::new(move || {
        if let Some(Ok(session)) = finish.value().get() {
            if let Some(context) = SessionContext::get() {
                context.0.set(AuthState::LoggedIn(session));
            }
            let target = if has_share_link() {
                "/share".to_owned()
            } else {
                return_to::take().unwrap_or_else(|| "/".to_owned())
            };
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    view! {
        <section class="card">
            <h1>"Logging in"</h1>
            {move || match finish.value().get() {
                Some(Err(message)) => {
                    view! {
                        <p role="alert" class="error">{format!("Login failed: {message}.")}</p>
                        <a href="/">"Back to the login screen"</a>
                    }
                        .into_any()
                }
                _ => view! { <p role="status">"Completing the login…"</p> }.into_any(),
            }}
        </section>
    }
}
