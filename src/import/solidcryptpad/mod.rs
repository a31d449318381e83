//! Import from SolidCryptPad (issue 15; docs/FORMAT.md §10): its crypto-js
//! passphrase files ([`crypto`]), its keystores and data URLs ([`format`]),
//! finding what there is ([`plan`], reads only) and bringing it into the drive
//! ([`run`]). SolidCryptPad has no MAC: a file counts as decrypted only when its
//! padding, UTF-8 and data URL all check, and anything else is reported.

pub mod crypto;
pub mod format;
pub mod plan;
pub mod run;

pub use plan::{plan, Found, Plan, PlanError};
pub use run::{import, Outcome, RunError, Summary, TARGET_FOLDER};
