//! Getting a drive's files back outside the browser: the engine of the `solidcrypt`
//! command-line tool (src/bin/solidcrypt/). It reads the same keystores and files as
//! the app, through the same plain-Rust layers (`keystore`, `drive`, `share`), and
//! writes the decrypted files into a folder on disk with their real names, so the
//! user's data never depends on the web app staying online (docs/FORMAT.md is the
//! format; this is its second reader, after the app).
//!
//! - [`walk`]: the whole drive (own files, then what others shared) into a folder,
//!   with a report of what could not be recovered and why.
//!   Names come from keystores (hostile): `drive::names` makes them safe.
//! - [`file_sink`]: decrypted bytes streamed into a file that gets its real name
//!   only once the envelope checked out to its end.
//! - [`local_copy`]: a copy of a pod's files on disk (Community Solid Server's file
//!   layout) answering as a read-only pod, for `recover --from-dir`.
//! - [`local_files`]: one envelope on disk, as a file or a copied parts folder.
//!
//! Native only: it writes files.

pub mod file_sink;
pub mod local_copy;
pub mod local_files;
pub mod walk;

pub use file_sink::FileSink;
pub use local_copy::LocalCopy;
pub use walk::{recover_drive, Failure, Progress, Report};
