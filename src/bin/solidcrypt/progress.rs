//! A progress bar on a terminal (standard error), nothing when it is not one (a
//! script, a log file), so piped output stays clean.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

/// Shows the file being recovered and its bytes.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{wide_msg} {bytes}/{total_bytes} {bytes_per_sec}")
                    .expect("a valid template"),
            );
            bar
        });
        Self { bar }
    }

    /// Clears the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl solidcrypt::recover::Progress for Bar {
    fn file(&mut self, path: &Path, size: Option<u64>) {
        if let Some(bar) = &self.bar {
            bar.set_position(0);
            bar.set_length(size.unwrap_or(0));
            bar.set_message(path.display().to_string());
        }
    }

    fn bytes(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            // Ciphertext bytes: a little more than the plaintext size shown as total.
            bar.set_position(done.min(bar.length().unwrap_or(done)));
        }
    }
}
