//! Two slots per document (FORMAT.md §4.4), so a `PUT` cut off half-way loses
//! nothing: Community Solid Server overwrites in place, and a dropped connection
//! leaves the resource truncated. Slot A is the named URL, slot B the same with
//! `.b` appended; each write goes to the slot that is *not* current, so the
//! current version is never the one being overwritten.
//!
//! This module only fetches the two slots and decides where the next version
//! goes; opening them is the caller's (keystores and the index open differently).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use url::Url;

use super::format::MAX_DOCUMENT_BYTES;
use crate::pod::error::ReadError;
use crate::pod::http::HttpClient;
use crate::pod::resource::Condition;
use crate::pod::Pod;

/// Slot B's address: slot A's with `.b` appended to the path (a query stays).
pub fn slot_b(a: &Url) -> Url {
    let mut b = a.clone();
    b.set_path(&format!("{}.b", a.path()));
    b
}

/// Which of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    A,
    B,
}

/// What one GET of a slot found.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    /// 404: not written yet.
    Absent,
    /// Slot B answered 401/403: a share from before slots, granted on slot A only.
    Unreachable,
    Present {
        body: Vec<u8>,
        etag: Option<String>,
    },
}

impl Found {
    /// The bytes, if the slot has any.
    pub(crate) fn body(&self) -> Option<&[u8]> {
        match self {
            Found::Present { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// Both slots of one document, as read.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub(crate) a_url: Url,
    pub(crate) a: Found,
    pub(crate) b: Found,
}

/// Where the next version goes, and under which condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) slot: Slot,
    pub(crate) url: Url,
    pub(crate) condition: Condition,
}

impl Pair {
    /// The slot at `slot`.
    pub(crate) fn get(&self, slot: Slot) -> &Found {
        match slot {
            Slot::A => &self.a,
            Slot::B => &self.b,
        }
    }

    pub(crate) fn url(&self, slot: Slot) -> Url {
        match slot {
            Slot::A => self.a_url.clone(),
            Slot::B => slot_b(&self.a_url),
        }
    }

    /// Whether neither slot exists (the document was never written).
    pub(crate) fn is_absent(&self) -> bool {
        !matches!(self.a, Found::Present { .. }) && !matches!(self.b, Found::Present { .. })
    }

    /// Where a version that replaces the one in `current` is written: the other
    /// slot, under its own ETag (or `If-None-Match: *` if absent). An unreachable
    /// slot B means slot A under its own ETag. `None` if the slot to write has no
    /// ETag (a pod without ETags cannot be written safely).
    pub(crate) fn target(&self, current: Slot) -> Option<Target> {
        let other = match (current, &self.b) {
            (Slot::A, Found::Unreachable) => Slot::A,
            (Slot::A, _) => Slot::B,
            (Slot::B, _) => Slot::A,
        };
        self.target_at(other)
    }

    /// Writing slot `slot` over what was read there.
    pub(crate) fn target_at(&self, slot: Slot) -> Option<Target> {
        let condition = match self.get(slot) {
            Found::Present { etag, .. } => Condition::IfMatch(etag.clone()?),
            Found::Absent | Found::Unreachable => Condition::IfAbsent,
        };
        Some(Target {
            slot,
            url: self.url(slot),
            condition,
        })
    }
}

/// Which opened slot is current: the higher counter, slot A on a tie.
pub(crate) fn current(a: Option<u64>, b: Option<u64>) -> Option<Slot> {
    match (a, b) {
        (Some(a), Some(b)) if b > a => Some(Slot::B),
        (Some(_), _) => Some(Slot::A),
        (None, Some(_)) => Some(Slot::B),
        (None, None) => None,
    }
}

/// GETs both slots of the document at `a` (at once in the browser), each read only
/// up to [`MAX_DOCUMENT_BYTES`] (a bigger one is `ReadError::TooLarge`). Slot A's
/// 404 is absent; slot B's 404 absent and 401/403 unreachable; any other failure is
/// returned with the URL it happened at.
pub(crate) async fn read<H: HttpClient>(
    pod: &Pod<'_, H>,
    a: &Url,
) -> Result<Pair, (Url, ReadError)> {
    let b = slot_b(a);
    let (got_a, got_b) = both(
        pod.get_bounded(a, "*/*", MAX_DOCUMENT_BYTES),
        pod.get_bounded(&b, "*/*", MAX_DOCUMENT_BYTES),
    )
    .await;
    let found = |got: Result<crate::pod::resource::Resource, ReadError>| match got {
        Ok(r) => Ok(Found::Present {
            body: r.body,
            etag: r.meta.etag,
        }),
        Err(ReadError::NotFound) => Ok(Found::Absent),
        Err(e) => Err(e),
    };
    let found_a = found(got_a).map_err(|e| (a.clone(), e))?;
    let found_b = match found(got_b) {
        Err(ReadError::Forbidden | ReadError::Unauthorized) => Found::Unreachable,
        other => other.map_err(|e| (b, e))?,
    };
    Ok(Pair {
        a_url: a.clone(),
        a: found_a,
        b: found_b,
    })
}

/// Runs two futures side by side (the crate has no `futures` dependency for
/// `join`): in the browser both GETs are in flight at once.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(out) = a.as_mut().poll(cx) {
                done_a = Some(out);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(out) = b.as_mut().poll(cx) {
                done_b = Some(out);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                done_a = a;
                done_b = b;
                Poll::Pending
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: Found, b: Found) -> Pair {
        Pair {
            a_url: Url::parse("http://pod/k/root.json.enc?x").unwrap(),
            a,
            b,
        }
    }

    fn present(etag: &str) -> Found {
        Found::Present {
            body: vec![1],
            etag: Some(etag.into()),
        }
    }

    #[test]
    fn slot_b_appends_to_the_path() {
        let a = Url::parse("http://pod/k/root.json.enc?x").unwrap();
        assert_eq!(slot_b(&a).as_str(), "http://pod/k/root.json.enc.b?x");
    }

    #[test]
    fn the_higher_counter_is_current_and_a_wins_ties() {
        assert_eq!(current(Some(3), Some(4)), Some(Slot::B));
        assert_eq!(current(Some(4), Some(3)), Some(Slot::A));
        assert_eq!(current(Some(0), Some(0)), Some(Slot::A));
        assert_eq!(current(None, Some(0)), Some(Slot::B));
        assert_eq!(current(None, None), None);
    }

    #[test]
    fn writes_go_to_the_other_slot_under_its_etag() {
        let both = pair(present("ea"), present("eb"));
        let t = both.target(Slot::A).unwrap();
        assert_eq!(
            (t.slot, t.condition),
            (Slot::B, Condition::IfMatch("eb".into()))
        );
        assert_eq!(t.url.as_str(), "http://pod/k/root.json.enc.b?x");
        let t = both.target(Slot::B).unwrap();
        assert_eq!(
            (t.slot, t.condition),
            (Slot::A, Condition::IfMatch("ea".into()))
        );
        let fresh = pair(present("ea"), Found::Absent).target(Slot::A).unwrap();
        assert_eq!(
            (fresh.slot, fresh.condition),
            (Slot::B, Condition::IfAbsent)
        );
        // A share from before slots: slot A, in place, as before.
        let old = pair(present("ea"), Found::Unreachable)
            .target(Slot::A)
            .unwrap();
        assert_eq!(
            (old.slot, old.condition),
            (Slot::A, Condition::IfMatch("ea".into()))
        );
        let no_etag = pair(
            present("ea"),
            Found::Present {
                body: vec![],
                etag: None,
            },
        );
        assert_eq!(no_etag.target(Slot::A), None);
    }
}
