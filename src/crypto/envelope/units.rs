//! Cutting a byte stream into fixed-size units (chunks when sealing, segments when
//! opening), shared by both directions so they agree on where the boundaries are.
//!
//! The newest complete unit is always held back: only more input proves it is not
//! the final one, and the final one is sealed with a different nonce.

/// Units per engine call: amortizes the wasm↔JS round trip of WebCrypto.
const RUN_UNITS: usize = 4;
/// Runs started before the first result is awaited: while the results of one run
/// are copied back into wasm memory, WebCrypto already works on the next. Bounds
/// what is in flight to 64 units.
pub(crate) const WINDOW_RUNS: usize = 16;

/// Appends `len` zero bytes to `out` for an engine to overwrite.
///
/// Not `Vec::resize`: under the release profile's `opt-level = "z"` that compiles
/// to a byte-at-a-time loop in wasm, which took a quarter of the envelope's time in
/// a Chromium profile. Copying from a zero block becomes `memory.copy`.
pub(crate) fn grow(out: &mut Vec<u8>, len: usize) {
    static ZEROS: [u8; 16 * 1024] = [0; 16 * 1024];
    out.reserve(len);
    let mut left = len;
    while left > 0 {
        let n = left.min(ZEROS.len());
        out.extend_from_slice(&ZEROS[..n]);
        left -= n;
    }
}

/// Holds back at most one unit of a stream between calls.
pub(crate) struct Units {
    unit: usize,
    held: Vec<u8>,
}

/// Units that are certainly not final, borrowed from the held buffer and the input.
pub(crate) struct Ready<'i> {
    unit: usize,
    held: Vec<u8>,
    input: &'i [u8],
}

impl Units {
    pub(crate) fn new(unit: usize) -> Self {
        Self {
            unit,
            held: Vec::with_capacity(unit),
        }
    }

    /// The unit size.
    pub(crate) fn unit(&self) -> usize {
        self.unit
    }

    /// The held bytes: after the last input, the final unit (possibly short or empty).
    pub(crate) fn held(&self) -> &[u8] {
        &self.held
    }

    /// Takes `input`; returns the units it completes, or `None` if all of it was
    /// absorbed into the held unit. Hand the result back with [`Units::keep_rest`].
    pub(crate) fn take<'i>(&mut self, mut input: &'i [u8]) -> Option<Ready<'i>> {
        if !self.held.is_empty() {
            let take = (self.unit - self.held.len()).min(input.len());
            self.held.extend_from_slice(&input[..take]);
            input = &input[take..];
        }
        if input.is_empty() {
            return None;
        }
        // More input follows, so a held unit (now full) is not the final one.
        Some(Ready {
            unit: self.unit,
            held: std::mem::take(&mut self.held),
            input,
        })
    }

    /// Holds the input left after `ready`'s units (1..=unit bytes), reusing the buffer.
    pub(crate) fn keep_rest(&mut self, ready: Ready<'_>) {
        let rest = ready.rest();
        self.held = ready.held;
        self.held.clear();
        self.held.extend_from_slice(rest);
    }
}

impl<'i> Ready<'i> {
    /// The units that are certainly not final, in order, as contiguous runs of at
    /// most [`RUN_UNITS`] units: the previously held unit alone, then the input's
    /// whole units (at least one input byte is kept back).
    pub(crate) fn runs(&self) -> Vec<&[u8]> {
        let whole = &self.input[..self.input.len() - self.rest().len()];
        (!self.held.is_empty())
            .then_some(&self.held[..])
            .into_iter()
            .chain(whole.chunks(RUN_UNITS * self.unit))
            .collect()
    }

    fn rest(&self) -> &'i [u8] {
        // The last 1..=unit bytes of the input stay held.
        let keep = (self.input.len() - 1) % self.unit + 1;
        &self.input[self.input.len() - keep..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(units: &mut Units, input: &[u8]) -> Vec<Vec<u8>> {
        match units.take(input) {
            None => vec![],
            Some(ready) => {
                let got = ready
                    .runs()
                    .iter()
                    .flat_map(|run| run.chunks(units.unit))
                    .map(<[u8]>::to_vec)
                    .collect();
                units.keep_rest(ready);
                got
            }
        }
    }

    #[test]
    fn grow_appends_zeros() {
        let mut out = vec![1u8, 2];
        grow(&mut out, 40_000);
        assert_eq!(out.len(), 40_002);
        assert_eq!(&out[..2], &[1, 2]);
        assert!(out[2..].iter().all(|&b| b == 0));
    }

    #[test]
    fn holds_back_the_newest_unit() {
        let mut units = Units::new(3);
        assert!(feed(&mut units, b"ab").is_empty());
        assert!(feed(&mut units, b"c").is_empty());
        assert_eq!(units.held(), b"abc");
        assert_eq!(
            feed(&mut units, b"defgh"),
            vec![b"abc".to_vec(), b"def".to_vec()]
        );
        assert_eq!(units.held(), b"gh");
        assert_eq!(feed(&mut units, b"ijkl"), vec![b"ghi".to_vec()]);
        assert_eq!(units.held(), b"jkl");
        assert!(feed(&mut units, b"").is_empty());
        assert_eq!(units.held(), b"jkl");
    }
}
