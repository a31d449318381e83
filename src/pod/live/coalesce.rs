//! One re-read at a time for a burst of changes: a collaborator's folder drop
//! makes dozens of notifications, and re-reading for each (or for each settled
//! batch while the last re-read is still under way) makes overlapping listings
//! that race to be shown. Sans-IO, so the rule is tested natively (below); the
//! app owns the timer and the re-read.
//!
//! The rule: the first change starts a settle delay; changes during it join it;
//! when it ends, one re-read starts. Changes while that re-read is in flight
//! cause exactly one more re-read after it (itself settled, since a burst that
//! outlasts one re-read usually goes on a little longer). What changed is
//! carried along: a re-read for a rename must re-read the keystores first (the
//! name lives there, not in the folder).

/// What a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// The folder's members (a file added or removed).
    Members,
    /// A keystore covering the folder (a name or key changed).
    Names,
}

/// What the driver must do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Nothing now.
    Nothing,
    /// Start the settle timer; call [`Coalesce::settled`] when it fires.
    Settle,
    /// Start one re-read (re-reading the keystores first if `names`); call
    /// [`Coalesce::done`] when it ends, however it ends.
    Read { names: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    /// The settle timer runs.
    Settling,
    /// A re-read is in flight; `again`: changes came meanwhile.
    Reading {
        again: bool,
    },
}

/// The coalescing state of one watched folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coalesce {
    state: State,
    /// Whether a keystore changed since the last re-read started.
    names: bool,
}

impl Default for Coalesce {
    fn default() -> Self {
        Coalesce {
            state: State::Idle,
            names: false,
        }
    }
}

impl Coalesce {
    /// Something changed.
    pub fn changed(&mut self, touched: Touched) -> Next {
        self.names |= touched == Touched::Names;
        match self.state {
            State::Idle => {
                self.state = State::Settling;
                Next::Settle
            }
            State::Settling => Next::Nothing,
            State::Reading { .. } => {
                self.state = State::Reading { again: true };
                Next::Nothing
            }
        }
    }

    /// The settle timer fired.
    pub fn settled(&mut self) -> Next {
        if self.state != State::Settling {
            return Next::Nothing;
        }
        self.state = State::Reading { again: false };
        Next::Read {
            names: std::mem::take(&mut self.names),
        }
    }

    /// The re-read ended (shown, failed or abandoned).
    pub fn done(&mut self) -> Next {
        match self.state {
            State::Reading { again: true } => {
                self.state = State::Settling;
                Next::Settle
            }
            State::Reading { again: false } => {
                self.state = State::Idle;
                Next::Nothing
            }
            State::Idle | State::Settling => Next::Nothing,
        }
    }

    /// Whether a re-read is in flight.
    pub fn reading(&self) -> bool {
        matches!(self.state, State::Reading { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBERS: Touched = Touched::Members;

    #[test]
    fn a_burst_makes_one_settled_read() {
        let mut c = Coalesce::default();
        assert_eq!(c.changed(MEMBERS), Next::Settle);
        for _ in 0..50 {
            assert_eq!(c.changed(MEMBERS), Next::Nothing);
        }
        assert_eq!(c.settled(), Next::Read { names: false });
        assert!(c.reading());
        assert_eq!(c.done(), Next::Nothing);
        assert!(!c.reading());
    }

    #[test]
    fn changes_during_a_read_make_exactly_one_more_after_it() {
        let mut c = Coalesce::default();
        c.changed(MEMBERS);
        assert_eq!(c.settled(), Next::Read { names: false });
        // No second read may start while the first is in flight.
        for _ in 0..20 {
            assert_eq!(c.changed(MEMBERS), Next::Nothing);
        }
        assert_eq!(c.done(), Next::Settle);
        assert_eq!(c.changed(MEMBERS), Next::Nothing);
        assert_eq!(c.settled(), Next::Read { names: false });
        assert_eq!(c.done(), Next::Nothing);
        // And nothing more after that one.
        assert_eq!(c.settled(), Next::Nothing);
        assert_eq!(c.done(), Next::Nothing);
    }

    #[test]
    fn nothing_during_a_read_means_no_more() {
        let mut c = Coalesce::default();
        c.changed(MEMBERS);
        c.settled();
        assert_eq!(c.done(), Next::Nothing);
        assert_eq!(c.changed(MEMBERS), Next::Settle);
    }

    #[test]
    fn a_keystore_change_is_carried_to_the_next_read_only() {
        let mut c = Coalesce::default();
        c.changed(MEMBERS);
        c.changed(Touched::Names);
        assert_eq!(c.settled(), Next::Read { names: true });
        c.changed(MEMBERS);
        c.done();
        assert_eq!(c.settled(), Next::Read { names: false });
        // A rename arriving mid-read goes with the read after it.
        c.changed(Touched::Names);
        assert_eq!(c.done(), Next::Settle);
        assert_eq!(c.settled(), Next::Read { names: true });
    }

    #[test]
    fn stray_timer_and_done_calls_change_nothing() {
        let mut c = Coalesce::default();
        assert_eq!(c.settled(), Next::Nothing);
        assert_eq!(c.done(), Next::Nothing);
        assert_eq!(c, Coalesce::default());
        c.changed(MEMBERS);
        // A read that ends while settling (one started by something else) does not
        // cancel the settle.
        assert_eq!(c.done(), Next::Nothing);
        assert_eq!(c.settled(), Next::Read { names: false });
    }
}
