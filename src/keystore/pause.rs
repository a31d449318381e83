//! A short random pause before retrying a write that lost a race (412).
//!
//! Without it, every losing writer re-reads at once and they collide again; with a
//! growing random delay the winner of each round is usually alone, which cut the
//! 8-writer test from minutes to seconds.

/// Waits a random 0..(4 ms · 2^min(attempt, 5)) — at most about 128 ms.
pub(crate) async fn after_conflict(attempt: usize) {
    let mut byte = [0u8; 2];
    // Jitter only: a failing random source just means no jitter.
    let _ = getrandom::getrandom(&mut byte);
    let ceiling = 4u32 << attempt.min(5);
    let millis = u32::from(u16::from_le_bytes(byte)) % ceiling;
    sleep(millis).await;
}

#[cfg(not(target_arch = "wasm32"))]
async fn sleep(millis: u32) {
    // Native callers (tests, tools) block on each request anyway.
    std::thread::sleep(std::time::Duration::from_millis(millis.into()));
}

#[cfg(target_arch = "wasm32")]
async fn sleep(millis: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
