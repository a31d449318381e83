//! File envelope v1 (docs/FORMAT.md §1): chunked AES-256-GCM with a per-write
//! payload key, STREAM nonces and a key-committing, authenticated header.
//!
//! The framing is written once ([`Encryptor`], [`Decryptor`]) and runs over either
//! engine: [`RustCryptoCipher`] everywhere, or `WebCryptoCipher` in the browser for
//! bulk data; both produce the same bytes.

mod cipher;
mod header;
mod metadata;
mod open;
mod schedule;
mod seal;
mod units;
#[cfg(target_arch = "wasm32")]
mod webcrypto;

pub(crate) use cipher::join_all;
pub use cipher::{ChunkCipher, CipherError, RustCryptoCipher};
pub use header::{
    Header, HeaderError, HEADER_LEN, MAX_CHUNK_SIZE, MAX_METADATA_LEN, MIN_CHUNK_SIZE, TAG_LEN,
};
pub use metadata::{Metadata, MetadataError};
pub use open::{key_matches, open, Decryptor, OpenError, Opened};
pub use schedule::PayloadKey;
pub use seal::{seal, Encryptor, SealError, SealOptions, DEFAULT_CHUNK_SIZE};
#[cfg(target_arch = "wasm32")]
pub use webcrypto::WebCryptoCipher;
