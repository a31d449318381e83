//! Downloads in progress: one row per file with how much of it is decrypted, then
//! "Downloaded" for a few seconds. Kept for the whole tab, not per screen: a
//! download goes on when the user opens another folder or section, and the row
//! should too. (`io::save_file` adds the rows, `Drive` shows them.)

use std::time::Duration;

use leptos::prelude::*;

use super::locale::show_size;

/// How long a finished download's row stays to say so.
const DONE_SHOWN_FOR: Duration = Duration::from_secs(4);

/// One file being downloaded.
#[derive(Clone)]
struct Row {
    id: u64,
    name: String,
    /// Its size, if its keystore entry says (entries from before sizes did not).
    size: Option<u64>,
    done: ArcRwSignal<u64>,
    finished: ArcRwSignal<bool>,
}

thread_local! {
    /// The tab's rows. Reference-counted signals, owned by no screen, so no
    /// screen's end disposes them.
    static ROWS: ArcRwSignal<Vec<Row>> = ArcRwSignal::new(Vec::new());
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A download's row, while it runs.
pub struct Downloading {
    id: u64,
    done: ArcRwSignal<u64>,
    finished: ArcRwSignal<bool>,
}

#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(dead_code, reason = "only the browser build downloads")
)]
impl Downloading {
    /// Adds a row for `name` (`size` bytes, if known).
    pub fn start(name: &str, size: Option<u64>) -> Downloading {
        let id = NEXT.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        let row = Row {
            id,
            name: name.to_owned(),
            size,
            done: ArcRwSignal::new(0),
            finished: ArcRwSignal::new(false),
        };
        let this = Downloading {
            id,
            done: row.done.clone(),
            finished: row.finished.clone(),
        };
        ROWS.with(|rows| rows.update(|r| r.push(row)));
        this
    }

    /// `bytes` of it are through so far.
    pub fn progress(&self, bytes: u64) {
        self.done.set(bytes);
    }

    /// Done: a success says so for a few seconds; a failure's row goes at once
    /// (the failure is told where the download was asked for).
    pub fn finish(self, saved: bool) {
        let id = self.id;
        let remove = move || ROWS.with(|rows| rows.update(|r| r.retain(|row| row.id != id)));
        if saved {
            self.finished.set(true);
            set_timeout(remove, DONE_SHOWN_FOR);
        } else {
            remove();
        }
    }
}

/// "12.0 KiB of 1.5 MiB", or only what is through when the size is unknown.
pub fn download_count(done: u64, size: Option<u64>) -> String {
    match size {
        Some(size) => format!("{} of {}", show_size(done.min(size)), show_size(size)),
        None => show_size(done),
    }
}

/// The rows of the tab's downloads.
#[component]
pub fn DownloadList() -> impl IntoView {
    let rows = ROWS.with(ArcRwSignal::clone);
    view! {
        <ul class="uploads downloads" aria-label="Downloads">
            <For each=move || rows.get() key=|row| row.id let:row>
                {
                    let Row { name, size, done, finished, .. } = row;
                    let label = format!("Downloading {name}");
                    let shown = done.clone();
                    view! {
                        <li class="upload">
                            <span class="upload-name">{name.clone()}</span>
                            {move || if finished.get() {
                                view! { <span role="status" class="uploaded">"Downloaded"</span> }.into_any()
                            } else {
                                let done = done.clone();
                                view! {
                                    <progress
                                        aria-label=label.clone()
                                        max="1"
                                        value=move || size.map(|s| (done.get() as f64 / s.max(1) as f64).to_string())
                                    ></progress>
                                }.into_any()
                            }}
                            <span class="upload-count">{move || download_count(shown.get(), size)}</span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_says_how_much_of_how_much() {
        assert_eq!(download_count(512, Some(2048)), "512 B of 2.0 KiB");
        assert_eq!(download_count(4096, Some(2048)), "2.0 KiB of 2.0 KiB");
        assert_eq!(download_count(1536, None), "1.5 KiB");
    }
}
