//! Cutting a byte stream into fixed-size units (chunks when sealing, segments when
//! opening), shared by both directions so they agree on where the boundaries are.
//!
//! The newest complete unit is always held back: only more input proves it is not
//! the final one, and the final one is sealed with a different nonce.

/// How many units go to the engine at once: enough to keep WebCrypto's worker
/// threads busy, few enough to bound memory (16 × chunk size in flight).
pub(crate) const MAX_IN_FLIGHT: usize = 16;

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
    /// Whole units that are not final: the held one (if any), then from the input,
    /// keeping at least one input byte back.
    pub(crate) fn units(&self) -> Vec<&[u8]> {
        let mut units = Vec::with_capacity(self.input.len() / self.unit + 1);
        if !self.held.is_empty() {
            units.push(&self.held[..]);
        }
        units.extend(self.input[..self.input.len() - self.rest().len()].chunks(self.unit));
        units
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
                let got = ready.units().iter().map(|u| u.to_vec()).collect();
                units.keep_rest(ready);
                got
            }
        }
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
