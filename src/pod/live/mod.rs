//! Live updates of a watched folder (Solid Notifications Protocol): the pod tells
//! us when a member is added or removed, so open listings update without a reload.
//! Not to be confused with `notify`, which posts Linked Data Notifications into
//! inboxes.
//!
//! Sans-IO: [`subscribe`] builds the discovery and subscription requests and
//! checks the answers, [`activity`] reads what the socket delivers, [`machine`]
//! decides when to subscribe, reconnect, back off and poll. A browser driver
//! (`app`) owns the socket and the timers; the native tests drive a real socket.

pub mod activity;
#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod coalesce;
pub mod machine;
#[cfg(target_arch = "wasm32")]
pub mod own_writes;
pub mod subscribe;

pub use activity::{parse_activity, ActivityError, Change, Event};
pub use machine::{Action, Input, Live, Millis, Refusal, Timing};
pub use subscribe::{Channel, Polled, SubscribeError};
