//! A bounded pool: at most `width` of a list of jobs in flight at once, on the
//! current task (the browser has one thread; the jobs wait on the network). A
//! folder drop uploads its files through it, so 1,000 files are not 1,000
//! requests at once and not one after another either.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

/// Runs `job` on every item of `items`, keeping up to `width` running, in the
/// items' order; returns when all are done.
pub async fn run_all<T, F, Fut>(items: Vec<T>, width: usize, job: F)
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut waiting = items.into_iter();
    let mut running: Vec<Pin<Box<Fut>>> = Vec::new();
    poll_fn(|cx| {
        loop {
            while running.len() < width.max(1) {
                match waiting.next() {
                    Some(item) => running.push(Box::pin(job(item))),
                    None => break,
                }
            }
            let before = running.len();
            running.retain_mut(|job| job.as_mut().poll(cx).is_pending());
            if running.is_empty() {
                return Poll::Ready(());
            }
            // Jobs ended: start the next ones (and poll them) right away.
            if running.len() == before {
                return Poll::Pending;
            }
        }
    })
    .await
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::cell::Cell;

    use super::run_all;

    #[test]
    fn never_more_than_width_at_once_and_all_done() {
        let (now, most, done) = (Cell::new(0), Cell::new(0), Cell::new(0));
        pollster::block_on(run_all((0..20).collect(), 3, |n: u32| {
            let (now, most, done) = (&now, &most, &done);
            async move {
                now.set(now.get() + 1);
                most.set(most.get().max(now.get()));
                // Yield a few times so jobs overlap.
                for _ in 0..(n % 4) {
                    let mut yielded = false;
                    std::future::poll_fn(|cx| {
                        if yielded {
                            return std::task::Poll::Ready(());
                        }
                        yielded = true;
                        cx.waker().wake_by_ref();
                        std::task::Poll::Pending
                    })
                    .await;
                }
                now.set(now.get() - 1);
                done.set(done.get() + 1);
            }
        }));
        assert_eq!(done.get(), 20);
        assert_eq!(most.get(), 3);
    }
}
