//! Time per pipeline stage (browser only), as User Timing measures named
//! `solidcrypt:<stage>` that `scripts/bench drive` sums up: every change to the
//! upload or download pipeline is judged by the stage it moves (issue 14).
//!
//! A measure carries the stage's name and its start and end, nothing else: no
//! file name, URL, size or key, so the page's performance timeline (readable by
//! any script of the origin, and by a trace) learns only that a file moved. The
//! bench clears the measures after reading them; the app leaves them, a few per
//! MiB moved, until the page is closed or reloaded.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(inline_js = r#"
export function stage_now() {
  return performance.now();
}

export function stage_end(name, start) {
  try {
    performance.measure(`solidcrypt:${name}`, { start, end: performance.now() });
  } catch (_) { /* no User Timing Level 3: no numbers, nothing else changes */ }
}
"#)]
extern "C" {
    fn stage_now() -> f64;
    fn stage_end(name: &str, start: f64);
}

/// One stage of the pipeline under way; recorded when [`Stage::end`] is called.
pub struct Stage {
    name: &'static str,
    start: f64,
}

impl Stage {
    /// Starts timing `name` (a fixed stage name, never anything about the file).
    pub fn start(name: &'static str) -> Self {
        Self {
            name,
            start: stage_now(),
        }
    }

    /// Records the time since [`Stage::start`].
    pub fn end(self) {
        stage_end(self.name, self.start);
    }
}
