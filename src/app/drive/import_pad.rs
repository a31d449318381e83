//! "Import from SolidCryptPad": the old password, then what was found (before
//! anything is written), then the import with progress, then what happened to
//! each file. The work is `crate::import::solidcryptpad`.

use leptos::prelude::*;

use super::io::HTTP;
use crate::app::browser_login::load_profile;
use crate::app::session::UnlockedKeyring;
use crate::auth::session::Session;
use crate::import::solidcryptpad::{
    import, plan, Outcome, Plan, PlanError, Summary, TARGET_FOLDER,
};
use crate::keystore::Password;
use crate::pod::Pod;

/// Where the dialog is.
#[derive(Clone)]
enum Stage {
    Ask,
    Finding,
    Found(Plan),
    Importing {
        done: usize,
        total: usize,
        path: String,
    },
    Done(Summary),
    Failed(String),
}

/// What a failed search tells the user.
fn explain(error: &PlanError) -> String {
    match error {
        PlanError::NothingThere => {
            "No SolidCryptPad data was found on your pod: there is nothing to import.".into()
        }
        PlanError::WrongPassword => {
            "Wrong SolidCryptPad password: it does not open your SolidCryptPad keystores.".into()
        }
        other => format!("Cannot read your SolidCryptPad data: {other}."),
    }
}

/// The dialog's content.
///
/// * `session`: whose pod (SolidCryptPad's data is below its storage root).
/// * `on_close`: the Close button.
#[component]
pub fn ImportSolidCryptPad(
    session: Session,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let stage = RwSignal::new(Stage::Ask);
    let (password, set_password) = signal(Password::default());
    let field = NodeRef::<leptos::html::Input>::new();
    let session = StoredValue::new(session);
    // The unlocked drive the files go into (locking ends the import's writes).
    let keyring = UnlockedKeyring::get().0;
    let changed = super::DriveChanged::get();
    let find = Action::new_local(move |password: &Password| {
        let (session, password) = (session.get_value(), password.clone());
        async move {
            stage.set(Stage::Finding);
            let found = match load_profile(session.clone()).await {
                Ok(profile) => plan(
                    &Pod::new(&HTTP, Some(&session)),
                    &profile.storage,
                    password.expose(),
                )
                .await
                .map_err(|e| explain(&e)),
                Err(e) => Err(format!("Cannot read your profile: {e}.")),
            };
            stage.set(match found {
                Ok(found) => Stage::Found(found),
                Err(message) => Stage::Failed(message),
            });
        }
    });
    let run = Action::new_local(move |found: &Plan| {
        let (session, keyring, found) =
            (session.get_value(), keyring.get_untracked(), found.clone());
        async move {
            let Some(keyring) = keyring else {
                stage.set(Stage::Failed(
                    "The drive was locked: unlock it and import again.".into(),
                ));
                return;
            };
            let pod = Pod::new(&HTTP, Some(&session));
            let mut progress = |done, total, path: &str| {
                stage.set(Stage::Importing {
                    done,
                    total,
                    path: path.to_owned(),
                });
            };
            let result = import(&pod, &keyring, &found, &mut progress).await;
            changed.bump();
            stage.set(match result {
                Ok(summary) => Stage::Done(summary),
                Err(e) => Stage::Failed(format!(
                    "The import stopped: {e}. Files imported so far stay; run it again to go on."
                )),
            });
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        find.dispatch_local(password.get());
        set_password.set(Password::default());
        if let Some(input) = field.get_untracked() {
            input.set_value("");
        }
    };
    view! {
        <div class="dialog-bar">
            <h2>"Import from SolidCryptPad"</h2>
            <button type="button" class="secondary" on:click=move |_| on_close.run(())>"Close"</button>
        </div>
        {move || match stage.get() {
            Stage::Ask | Stage::Failed(_) => {
                let failed = match stage.get() {
                    Stage::Failed(message) => Some(message),
                    _ => None,
                };
                view! {
                    <form class="password-form" on:submit=on_submit>
                        <p class="hint">{format!(
                            "Your SolidCryptPad files stay where they are; copies go into \"{TARGET_FOLDER}\" in My files."
                        )}</p>
                        <label>
                            "SolidCryptPad password"
                            <input type="password" autocomplete="off" autofocus node_ref=field
                                on:input=move |ev| set_password.set(Password::new(event_target_value(&ev))) />
                        </label>
                        {failed.map(|m| view! { <p role="alert" class="error">{m}</p> })}
                        <button type="submit">"Find SolidCryptPad files"</button>
                    </form>
                }
                .into_any()
            }
            Stage::Finding => view! { <p role="status">"Looking for SolidCryptPad data…"</p> }.into_any(),
            Stage::Found(found) => found_view(found, run, stage).into_any(),
            Stage::Importing { done, total, path } => view! {
                <p role="status">{format!("Importing {} of {total}: {path}", done + 1)}</p>
                <progress aria-label="Import progress" max=total value=done></progress>
            }
            .into_any(),
            Stage::Done(summary) => summary_view(&summary).into_any(),
        }}
    }
}

/// What was found, and the button that imports it.
fn found_view(found: Plan, run: Action<Plan, ()>, stage: RwSignal<Stage>) -> impl IntoView {
    let keyless = found.files.iter().filter(|f| !f.has_key()).count();
    let count = found.files.len();
    let mut heading = format!(
        "Found {count} file{} in SolidCryptPad",
        if count == 1 { "" } else { "s" }
    );
    if keyless > 0 {
        heading.push_str(&format!(
            " ({keyless} without a key: they cannot be imported)"
        ));
    }
    heading.push('.');
    let names: Vec<_> = found
        .files
        .iter()
        .map(|f| view! { <li>{f.path()}</li> })
        .collect();
    let notes: Vec<_> = found
        .notes
        .iter()
        .map(|n| view! { <li>{n.clone()}</li> })
        .collect();
    view! {
        <p role="status">{heading}</p>
        <ul aria-label="SolidCryptPad files" class="import-list">{names}</ul>
        <ul aria-label="Notes">{notes}</ul>
        <div class="dialog-actions">
            <button type="button" disabled=count == 0 on:click=move |_| { run.dispatch_local(found.clone()); }>
                {format!("Import {count} files")}
            </button>
            <button type="button" class="secondary" on:click=move |_| stage.set(Stage::Ask)>"Back"</button>
        </div>
    }
}

/// What happened, counted, with each failure and its reason and each file
/// skipped because its name is already in its folder.
fn summary_view(summary: &Summary) -> impl IntoView {
    let failed = summary.failed();
    let line = format!(
        "Imported {}, skipped {} (already there), failed {}.",
        summary.imported(),
        summary.skipped(),
        failed.len()
    );
    let html = summary.files.iter().any(|(_, o)| {
        matches!(o, Outcome::Imported { media_type, .. } if media_type.starts_with("text/plain"))
    });
    let skipped: Vec<_> = summary
        .files
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Skipped))
        .map(|(path, _)| view! { <li>{path.clone()}</li> })
        .collect();
    let reasons: Vec<_> = failed
        .iter()
        .map(|(path, why)| view! { <li>{format!("{path}: {why}")}</li> })
        .collect();
    view! {
        <p role="status">{line}</p>
        {html.then(|| view! {
            <p class="hint">"Text files are as SolidCryptPad stored them: it turned .txt uploads into HTML."</p>
        })}
        <ul aria-label="Not imported">{reasons}</ul>
        <ul aria-label="Already there">{skipped}</ul>
    }
}
