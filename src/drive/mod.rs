//! The encrypted drive: what the file browser does, in plain Rust over the pod
//! client and the keystores (no Leptos), so it is tested natively against a pod.
//!
//! - [`listing`]: a folder's items with their real names.
//! - [`upload`]: new files, key first, streaming through the envelope.
//! - [`download`]: decrypting a file piece by piece.
//! - [`folder`]: new folders, recursive delete with key removal; [`tree`]: the
//!   folders of a dropped folder tree, created in one keystore write.
//! - [`text`]: plain-text files edited in the app.
//! - [`parts`]: big files stored as several resources (FORMAT §1.8), and
//!   [`reseal`]: one written again under another key, part by part.
//! - [`rename`]: a new name in every keystore covering an item; [`relocate`]:
//!   moving files and folders (written anew under a fresh key, then the old
//!   copy deleted); [`destination`]: whether a drop or pick may move an item.
//! - [`zip`]: a folder tree as one zip, decrypted as it is written; [`names`]:
//!   keystore names made safe as file names outside the pod.
//! - [`order`]: sorting and filtering a folder's rows; [`search`]: names
//!   matching across the drive, from the keyring in memory; [`size`]: sizes
//!   for people.
//! - [`stream`]: the source/sink traits the streams run through, with
//!   [`memory`] (small objects, tests) and `browser` (File slices, fetch streams,
//!   and `spool`: a temporary file on disk, or memory) implementations, and
//!   `save_stream` (a download streamed through a service worker); `stages`
//!   times each step for `scripts/bench drive`.

#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod destination;
pub mod download;
pub mod folder;
pub mod listing;
pub mod memory;
pub mod names;
pub mod order;
pub mod parts;
pub mod relocate;
pub mod rename;
pub mod reseal;
pub mod resume;
#[cfg(target_arch = "wasm32")]
pub mod save_stream;
pub mod search;
pub mod size;
#[cfg(target_arch = "wasm32")]
pub mod spool;
#[cfg(target_arch = "wasm32")]
pub mod stages;
pub mod stream;
pub mod text;
pub mod tree;
pub mod upload;
pub mod zip;

pub use download::{decrypt, download_to_memory, file_key, DownloadError};
pub use folder::{delete, new_folder, DeleteError, NewFolderError};
pub use listing::{list_folder, Item, ListError};
pub use relocate::{move_members, move_to, MoveError};
pub use rename::{numbered, rename, NameError, RenameError};
pub use stream::{ByteSource, CipherUpload, PlainSink, StreamError};
pub use text::{open_text, save_text, OpenTextError, OpenedText, SaveTextError, TEXT_TYPE};
pub use upload::{forget_unused, reserve, upload, upload_reserved, NewFile, Reserved, UploadError};
