//! Under the folder's filter: what else in the whole drive (My files, or the
//! shared folder browsed) has a name holding the text typed, each with the
//! folders it is in and a link that opens its folder (or, for a folder, the
//! folder itself).
//!
//! Names are decrypted in this tab only, and the search runs on them here
//! (`drive::search`): nothing typed reaches the pod, and no request is made per
//! key. The names are gathered from the keyring once when the filter gets its
//! first letter, again only after a change in this drive, and dropped when the
//! filter is emptied.

use leptos::prelude::*;
use url::Url;

use super::icons::{Kind, KindIcon};
use crate::app::place::id_of;
use crate::drive::search::{Found, Hit, Names};
use crate::keystore::Keyring;

/// The most hits shown; the others are counted.
const SHOWN: usize = 50;

/// The app address of what a click on `hit` opens: the folder holding it, or
/// the folder itself; `None` if an id on the way is none the address takes.
fn href(base: &str, hit: &Hit) -> Option<String> {
    let mut href = base.to_owned();
    let folders = hit.folders.iter().map(|f| &f.url);
    let own = hit.is_folder.then_some(&hit.url);
    for folder in folders.chain(own) {
        href.push('/');
        href.push_str(&id_of(folder)?);
    }
    Some(href)
}

/// The results of the drive-wide search for `query`.
///
/// * `query`: the filter's text.
/// * `top`: the drive's top folder and its name ("My files").
/// * `base`: the app address of `top`.
/// * `here`: the folder on screen (its own items are the listing's rows, so
///   they are left out here).
/// * `changed`: changes when something in the drive may have been added,
///   renamed or removed.
#[component]
pub fn SearchResults(
    query: RwSignal<String>,
    keyring: Keyring,
    top: (Url, String),
    base: String,
    #[prop(into)] here: Signal<Option<Url>>,
    #[prop(into)] changed: Signal<u64>,
) -> impl IntoView {
    let keyring = StoredValue::new_local(keyring);
    let names = StoredValue::new(None::<(u64, Names)>);
    let (top_url, top_name) = top;
    let found = Memo::new(move |_| {
        let query = query.get();
        let version = changed.get();
        if query.trim().is_empty() {
            names.set_value(None);
            return None;
        }
        let stale = names.with_value(|n| n.as_ref().is_none_or(|(v, _)| *v != version));
        if stale {
            let fresh = keyring.with_value(|k| Names::of(k, &top_url));
            names.set_value(Some((version, fresh)));
        }
        let here = here.get();
        names.with_value(|n| {
            n.as_ref()
                .map(|(_, n)| n.find(&query, SHOWN, here.as_ref()))
        })
    });
    let section_label = format!("Found elsewhere in {top_name}");
    let hit_view = move |hit: Hit| {
        let kind = Kind::of(hit.is_folder, hit.media_type.as_deref(), &hit.name);
        let path = std::iter::once(top_name.clone())
            .chain(hit.folders.iter().map(|f| f.name.clone()))
            .collect::<Vec<_>>()
            .join(" › ");
        let link = match href(&base, &hit) {
            Some(href) => view! { <a href=href>{hit.name.clone()}</a> }.into_any(),
            None => view! { <span>{hit.name.clone()}</span> }.into_any(),
        };
        view! {
            <li>
                <KindIcon kind />
                {link}
                <span class="path">{format!("in {path}")}</span>
            </li>
        }
    };
    move || {
        let Some(Some(Found { hits, total })) = found.try_get() else {
            return ().into_any();
        };
        let count = match total {
            0 => "No other folder has a name holding it.".to_owned(),
            1 => "1 more name holds it:".to_owned(),
            n if n > hits.len() => {
                format!(
                    "{n} more names hold it; the first {} are shown:",
                    hits.len()
                )
            }
            n => format!("{n} more names hold it:"),
        };
        let hit_view = hit_view.clone();
        view! {
            <section class="drive-search" aria-label=section_label.clone()>
                <h3>{section_label.clone()}</h3>
                <p class="hint">
                    "Searched in this tab, over the names decrypted here: your pod sees nothing of the search."
                </p>
                <p role="status">{count}</p>
                <ul class="hits">{hits.into_iter().map(hit_view).collect_view()}</ul>
            </section>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::search::Folder;

    #[test]
    fn a_hit_opens_its_folder_or_itself() {
        let url = |s: &str| Url::parse(&format!("https://pod.example/files/{s}")).unwrap();
        let hit = |address: &str, is_folder, folders: &[&str]| Hit {
            url: url(address),
            name: "n".into(),
            is_folder,
            media_type: None,
            size: None,
            folders: folders
                .iter()
                .map(|f| Folder {
                    url: url(f),
                    name: "f".into(),
                })
                .collect(),
        };
        let file = hit("a/b/x", false, &["a/", "a/b/"]);
        assert_eq!(href("/drive", &file).as_deref(), Some("/drive/a/b"));
        let folder = hit("a/b/", true, &["a/"]);
        assert_eq!(href("/drive", &folder).as_deref(), Some("/drive/a/b"));
        assert_eq!(
            href("/drive", &hit("x", false, &[])).as_deref(),
            Some("/drive")
        );
        let odd = hit("a:b/x", false, &["a:b/"]);
        assert_eq!(href("/drive", &odd), None, "an id the address refuses");
    }
}
