//! "Links I created": every link the user made, with what it shares, its access,
//! whether it needs a password, when it was made, a Copy button, its QR code, and
//! Revoke (confirmed, and explained).

use leptos::prelude::*;
use url::Url;

use super::browser::{app_base, copy_text};
use super::progress::revoke_progress_words;
use super::qr::LinkQr;
use super::unseen::UnseenBadge;
use super::SharesChanged;
use crate::app::drive::HTTP;
use crate::app::errors::describe_errors;
use crate::auth::session::Session;
use crate::keystore::Keyring;
use crate::pod::Pod;
use crate::share::{self, Access, CreatedLink, LinkKind, RevokeProgress, Revoked};

/// What revoking does and does not do, said before the user confirms.
pub const REVOKE_EXPLAINED: &str = "Revoking takes the link's access away on your pod and re-encrypts what it shared under new keys, so whoever had the link cannot fetch it any more or read later versions. What they already downloaded stays downloaded, and you cannot take back what they saw.";

/// `created` (seconds since the Unix epoch) as `YYYY-MM-DD HH:MM` UTC.
pub fn format_created(created: u64) -> String {
    let (days, rest) = (created / 86_400, created % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

/// What the user is told once a link is revoked.
pub fn revoked_message(name: &str, revoked: &Revoked) -> String {
    let mut message = format!("Revoked the link to {name}.");
    match revoked.rotated.len() {
        0 => {}
        1 => message.push_str(" 1 file was re-encrypted under a new key."),
        n => message.push_str(&format!(" {n} files were re-encrypted under new keys.")),
    }
    if !revoked.skipped.is_empty() {
        let names: Vec<&str> = revoked.skipped.iter().map(|s| s.name.as_str()).collect();
        message.push_str(&format!(
            " Not re-encrypted, because their keys do not open them (damaged, or changed by someone who can write to the folder): {}. They were left as they are.",
            names.join(", ")
        ));
    }
    if !revoked.updated_links.is_empty() {
        let names: Vec<&str> = revoked
            .updated_links
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        message.push_str(&format!(
            " Your other links to {} carried the old key: copy them again below and re-send them.",
            names.join(", ")
        ));
    }
    message
}

fn access_words(access: Access) -> &'static str {
    match access {
        Access::Read => "Read only",
        Access::ReadWrite => "Read and write",
    }
}

/// The list of links the user created.
///
/// * `session`: the owner's session.
/// * `keyring`: the owner's unlocked keystores (the list is sealed with them).
#[component]
pub fn LinksCreated(session: Session, keyring: Keyring) -> impl IntoView {
    let changed = SharesChanged::get();
    let session = StoredValue::new(session);
    let keyring = StoredValue::new_local(keyring);
    let links = LocalResource::new(move || {
        changed.track();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move { share::links_created(&Pod::new(&HTTP, Some(&session)), &keyring).await }
    });
    let confirming = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let step = RwSignal::new(RevokeProgress::Withdrawing);
    let revoke = Action::new_local(move |created: &CreatedLink| {
        let created = created.clone();
        let (session, keyring) = (session.get_value(), keyring.get_value());
        async move {
            let pod = Pod::new(&HTTP, Some(&session));
            let told = |now| {
                let _ = step.try_set(now);
            };
            let result = share::revoke(&pod, &keyring, &session.webid, &created, &told).await;
            // The list may be gone meanwhile (locked): then there is nobody to tell.
            let _ = notice.try_set(Some(match result {
                Ok(revoked) => Ok(revoked_message(&created.name, &revoked)),
                Err(e) => Err(format!("Cannot revoke the link to {}: {e}.", created.name)),
            }));
            let _ = confirming.try_set(None);
            changed.bump();
        }
    });
    let copy = move |created: CreatedLink| {
        leptos::task::spawn_local(async move {
            let copied = match app_base().map(|app| created.link_text(&app)) {
                Some(Ok(text)) => copy_text(&text).await,
                Some(Err(e)) => Err(e.to_string()),
                None => Err("the app does not know its address".to_owned()),
            };
            let _ = notice.try_set(Some(match copied {
                Ok(()) => Ok(format!("Link to {} copied to the clipboard.", created.name)),
                Err(e) => Err(format!("Cannot copy the link: {e}.")),
            }));
        });
    };

    let row = move |created: CreatedLink| {
        let name = created.name.clone();
        let group = created.group.clone();
        let kind = match created.kind {
            LinkKind::File => "File",
            LinkKind::Folder => "Folder",
        };
        let (for_copy, for_revoke) = (created.clone(), created.clone());
        let qr_text = app_base().and_then(|app| created.link_text(&app).ok());
        // In the Access cell, not a column of its own: the table must fit a phone.
        let password = created
            .needs_password()
            .then(|| view! { <span class="needs-password">", needs a password"</span> });
        let actions = move || {
            let name = for_revoke.name.clone();
            if confirming.get().as_deref() == Some(group.as_str()) {
                let target = for_revoke.clone();
                view! {
                    <p class="revoke-explained">{REVOKE_EXPLAINED}</p>
                    <button type="button" class="danger" aria-label=format!("Confirm revoke {name}")
                        disabled=move || revoke.pending().get()
                        on:click=move |_| { revoke.dispatch_local(target.clone()); }>"Revoke"</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(None)>"Keep"</button>
                }
                .into_any()
            } else {
                let copied = for_copy.clone();
                let group = for_revoke.group.clone();
                view! {
                    <button type="button" class="secondary" aria-label=format!("Copy link to {name}")
                        on:click=move |_| copy(copied.clone())>"Copy link"</button>
                    {qr_text.clone().map(|link| view! { <LinkQr link name=name.clone() /> })}
                    <button type="button" class="secondary" aria-label=format!("Revoke {name}")
                        on:click=move |_| confirming.set(Some(group.clone()))>"Revoke"</button>
                }
                .into_any()
            }
        };
        // A folder: whether it changed since last opened.
        let badge = (created.kind == LinkKind::Folder)
            .then(|| Url::parse(&created.resource).ok())
            .flatten()
            .map(|folder| view! { <UnseenBadge session=session.get_value() folder /> });
        view! {
            <tr>
                <td class="name">{name.clone()}{badge}</td>
                <td>{kind}</td>
                <td>{access_words(created.access())}{password}</td>
                <td class="date">{format_created(created.created)}</td>
                <td class="actions">{actions}</td>
            </tr>
        }
    };

    view! {
        <section class="share-list" aria-label="Links I created">
            <h1>"Links I created"</h1>
            {move || {
                if revoke.pending().get() {
                    return view! { <p role="status">{move || revoke_progress_words(step.get())}</p> }.into_any();
                }
                match notice.get() {
                    Some(Ok(text)) => view! { <p role="status">{text}</p> }.into_any(),
                    Some(Err(text)) => view! { <p role="alert" class="error">{text}</p> }.into_any(),
                    None => ().into_any(),
                }
            }}
            <Transition fallback=|| view! { <p role="status">"Loading your links…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p role="alert" class="error">{move || describe_errors(&errors, "Cannot list your links")}</p>
                }>
                    {move || links.get().map(|result| result.map(|list| {
                        if list.is_empty() {
                            view! { <p class="empty">"You have not shared anything yet: use Share on a file or folder."</p> }.into_any()
                        } else {
                            view! {
                                <table class="listing" aria-label="Links I created">
                                    <thead>
                                        <tr><th>"Shared"</th><th>"Kind"</th><th>"Access"</th><th class="date">"Created (UTC)"</th><th><span class="visually-hidden">"Actions"</span></th></tr>
                                    </thead>
                                    <tbody>{list.into_iter().rev().map(row).collect_view()}</tbody>
                                </table>
                            }
                            .into_any()
                        }
                    }))}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_dates_read_as_utc() {
        assert_eq!(format_created(0), "1970-01-01 00:00");
        assert_eq!(format_created(951_782_400), "2000-02-29 00:00");
        assert_eq!(format_created(1_795_301_141), "2026-11-21 22:45");
    }

    #[test]
    fn revoking_is_explained_before_and_after() {
        assert!(REVOKE_EXPLAINED.contains("stays downloaded"));
        let none = Revoked {
            rotated: vec![],
            skipped: vec![],
            updated_links: vec![],
        };
        assert_eq!(
            revoked_message("a.txt", &none),
            "Revoked the link to a.txt."
        );
    }

    #[test]
    fn files_left_out_of_the_rotation_are_named() {
        let url = url::Url::parse("http://localhost:3000/alice/f/x").unwrap();
        let revoked = Revoked {
            rotated: vec![url.clone()],
            skipped: vec![share::Skipped {
                url,
                name: "junk.txt".into(),
                error: share::RotateError::NoKey,
            }],
            updated_links: vec![],
        };
        let message = revoked_message("F", &revoked);
        assert!(message.contains("1 file was re-encrypted"), "{message}");
        assert!(message.contains("Not re-encrypted"), "{message}");
        assert!(message.contains("junk.txt"), "{message}");
    }
}
