//! Takes turns: one keystore write of a session at a time.
//!
//! Several uploads in one tab would otherwise race each other through
//! read-modify-write and collect 412s (harmless, but each is a failed request in
//! the console and a wasted round trip). Other tabs and collaborators still race,
//! and the `If-Match` retry in `store` handles them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::task::{Poll, Waker};

/// A single-threaded async lock without data (the browser has one thread).
#[derive(Default)]
pub(crate) struct Turn {
    taken: Cell<bool>,
    waiting: RefCell<VecDeque<Waker>>,
}

/// Holding the turn; dropping it passes the turn on.
pub(crate) struct Held<'a>(&'a Turn);

impl Turn {
    /// Waits until no other write of this session runs.
    pub(crate) async fn take(&self) -> Held<'_> {
        poll_fn(|cx| {
            if self.taken.replace(true) {
                self.waiting.borrow_mut().push_back(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        Held(self)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.taken.set(false);
        let next = self.0.waiting.borrow_mut().pop_front();
        if let Some(waker) = next {
            waker.wake();
        }
    }
}
