//! The Solid protocol, as far as solidcrypt needs it: resources with ETags and
//! conditional writes, containers, WebID profiles (and the `cert:` keys in them), WAC ACLs, groups and N3 Patch.
//!
//! Sans-IO where it can be: requests are built and responses parsed by plain
//! functions; all I/O goes through the one [`http::HttpClient`] trait, implemented by
//! [`browser::BrowserHttp`] in the browser and by `native::NativeHttp` for the
//! command-line tool and the tests.

pub mod acl;
pub mod acl_io;
pub mod acr;
#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod cert;
pub mod client;
pub mod container;
pub mod error;
pub mod group;
pub mod http;
pub mod links;
pub mod live;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod notify;
pub mod patch;
pub mod profile;
pub mod rdf;
pub mod resource;
pub mod storage;
pub mod type_index;
pub mod vocab;

pub use client::Pod;
