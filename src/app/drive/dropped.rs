//! Folder trees handed to the page: a dropped directory (read through the
//! drop's entries, recursively, empty folders included) or the files of an
//! `<input webkitdirectory>` (each with its path below the picked folder; the
//! browser lists no empty folders there). The paths stay in the tab: the drop
//! is uploaded under random names like every other file (`drive::tree`).

#[cfg(target_arch = "wasm32")]
pub use wasm::*;

#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

use super::io::PickedFile;

/// A dropped tree being read.
pub type Reading = std::pin::Pin<Box<dyn std::future::Future<Output = Result<PickedTree, String>>>>;

/// Files and folders dropped or picked, with their paths relative to where they
/// were dropped ("photos/2024/a.jpg"; the dropped folder's own name first).
#[derive(Clone, Default)]
pub struct PickedTree {
    pub files: Vec<(String, PickedFile)>,
    /// Folders holding nothing (their files' folders come from the paths).
    pub empty: Vec<String>,
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use js_sys::{Array, Function, Promise, Reflect};
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{File, FileSystemEntry, HtmlInputElement};

    use super::super::io::PickedFile;
    use super::PickedTree;

    /// The tree of a drop holding a folder, to be read (else `None`: plain files
    /// take the usual path). The entries are taken while the drop event runs:
    /// the browser empties the drop's items once it returns; entries stay readable.
    pub fn tree_of_drop(ev: &leptos::ev::DragEvent) -> Option<super::Reading> {
        let items = ev.data_transfer()?.items();
        let entries: Vec<FileSystemEntry> = (0..items.length())
            .filter_map(|i| items.get(i))
            .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
            .collect();
        if !entries.iter().any(|e| e.is_directory()) {
            return None;
        }
        Some(Box::pin(read_drop(entries)))
    }

    /// Reads the dropped `entries` recursively into a tree.
    async fn read_drop(entries: Vec<FileSystemEntry>) -> Result<PickedTree, String> {
        let mut tree = PickedTree::default();
        let mut todo: Vec<(String, FileSystemEntry)> =
            entries.into_iter().map(|e| (e.name(), e)).collect();
        while let Some((path, entry)) = todo.pop() {
            if entry.is_directory() {
                let children = read_folder(&entry).await?;
                if children.is_empty() {
                    tree.empty.push(path);
                    continue;
                }
                for child in children {
                    todo.push((format!("{path}/{}", child.name()), child));
                }
            } else if entry.is_file() {
                tree.files
                    .push((path, PickedFile::new(file_of(&entry).await?)));
            }
        }
        Ok(tree)
    }

    /// The files of an `<input webkitdirectory>` with their paths (then cleared).
    pub fn tree_from_input(ev: &leptos::ev::Event) -> PickedTree {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return PickedTree::default();
        };
        // Read before clearing: clearing the input empties this same FileList.
        let Some(list) = input.files() else {
            input.set_value("");
            return PickedTree::default();
        };
        let files = (0..list.length())
            .filter_map(|i| list.get(i))
            .map(|file| {
                let path = Reflect::get(&file, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|p| p.as_string())
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| file.name());
                (path, PickedFile::new(file))
            })
            .collect();
        input.set_value("");
        PickedTree {
            files,
            empty: Vec::new(),
        }
    }

    /// Calls `entry[method](...args, success, failure)` and waits for either.
    async fn call(entry: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let function: Function = Reflect::get(entry, &method.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("the browser cannot {method} a dropped folder"))?;
        let promise = Promise::new(&mut |resolve, reject| {
            let all = Array::new();
            for arg in args {
                all.push(arg);
            }
            all.push(&resolve);
            all.push(&reject);
            if let Err(e) = function.apply(entry, &all) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        JsFuture::from(promise)
            .await
            .map_err(|_| "the browser could not read a dropped folder".to_owned())
    }

    async fn read_folder(entry: &FileSystemEntry) -> Result<Vec<FileSystemEntry>, String> {
        let reader = call_sync(entry, "createReader")?;
        let mut all = Vec::new();
        // readEntries hands over a batch at a time (100 in Chromium) until empty.
        loop {
            let batch: Array = call(&reader, "readEntries", &[]).await?.unchecked_into();
            if batch.length() == 0 {
                return Ok(all);
            }
            all.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
        }
    }

    fn call_sync(entry: &JsValue, method: &str) -> Result<JsValue, String> {
        let function: Function = Reflect::get(entry, &method.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("the browser cannot {method} a dropped folder"))?;
        function
            .call0(entry)
            .map_err(|_| "the browser could not read a dropped folder".to_owned())
    }

    async fn file_of(entry: &FileSystemEntry) -> Result<File, String> {
        let file = call(entry, "file", &[]).await?;
        file.dyn_into::<File>()
            .map_err(|_| "the browser gave no file for a dropped entry".to_owned())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{PickedTree, Reading};

    /// Never a folder outside a browser.
    pub fn tree_of_drop(_ev: &leptos::ev::DragEvent) -> Option<Reading> {
        None
    }

    /// Never a folder outside a browser.
    pub fn tree_from_input(_ev: &leptos::ev::Event) -> PickedTree {
        PickedTree::default()
    }
}
