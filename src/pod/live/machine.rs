//! When to subscribe, connect, retry and poll: a sans-IO state machine, so the
//! browser driver only does what it is told and every timing rule is tested with
//! a fake clock (the tests below).
//!
//! The life of one watched topic:
//! - subscribe; on an answer, connect the socket; while it is open, the socket's
//!   messages are the changes;
//! - a socket that closes (or never opens), or a subscription that fails for now
//!   (network, 401, 5xx), is retried after an exponential backoff with jitter
//!   ([`Timing`]); a socket that stayed open long enough counts as healthy, so
//!   its drop is retried at once-ish instead of after the last backoff;
//! - a subscription the pod will never grant (no service, 403, …) ends the
//!   trying: from then on the topic is polled;
//! - whenever the socket is not open, the topic is polled every
//!   [`Timing::poll_every`] (not while the tab is hidden; at once when it shows
//!   again), so a change is seen even while the socket is down;
//! - after any gap (a socket that reopened), the caller is told to re-read,
//!   since changes during the gap were never announced.
//!
//! Time is milliseconds on any monotonic clock the driver likes.

use url::Url;

/// Milliseconds.
pub type Millis = u64;

/// The machine's timing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// The first retry's delay; each failure in a row doubles it.
    pub first_retry: Millis,
    /// The longest delay between retries.
    pub max_retry: Millis,
    /// A socket open this long was healthy: its drop restarts the backoff.
    pub stable: Millis,
    /// The polling interval while the socket is not open.
    pub poll_every: Millis,
}

impl Timing {
    /// What the app uses: retry after ~1 s, 2 s, 4 s … up to a minute; poll every
    /// 5 s — a 304 costs the pod almost nothing, and a collaborator's upload
    /// shows within seconds even without notifications.
    pub const APP: Timing = Timing {
        first_retry: 1_000,
        max_retry: 60_000,
        stable: 30_000,
        poll_every: 5_000,
    };
}

/// What the driver reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The subscription's answer: the socket address, or whether the failure is
    /// final (see `SubscribeError::is_final`).
    Subscribed(Result<Url, Refusal>),
    /// The socket opened.
    Opened,
    /// The socket closed or failed (before or after opening).
    Closed,
    /// A poll's answer: `Some(etag)` if it changed (the new ETag, if any), `None` if not
    /// (or if the poll failed: the next poll asks again).
    Polled(Option<Option<String>>),
    /// The tab was hidden (`true`) or shown again.
    Hidden(bool),
    /// The time given by [`Live::next_wake`] has come.
    Tick,
}

/// Why a subscription failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Worth retrying later.
    ForNow,
    /// The pod will not offer notifications here: poll.
    Final,
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Subscribe to the topic (then report [`Input::Subscribed`]).
    Subscribe,
    /// Open the socket at this address (then report `Opened`/`Closed`).
    Connect(Url),
    /// GET the topic with `If-None-Match: etag` (then report `Polled`).
    Poll(Option<String>),
    /// Re-read the topic: something may have changed unannounced.
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Subscribing,
    Connecting,
    Open {
        since: Millis,
    },
    /// Waiting to subscribe again.
    Backoff {
        until: Millis,
    },
    /// No notifications here: polling only.
    Polling,
}

/// The state of one watched topic (see the module).
#[derive(Debug, Clone)]
pub struct Live {
    timing: Timing,
    phase: Phase,
    /// Failures in a row (subscriptions and sockets), for the backoff.
    failures: u32,
    /// Something failed since the watch began or the socket last opened: there
    /// is a gap whose changes were never announced.
    gap: bool,
    hidden: bool,
    etag: Option<String>,
    /// When the next poll is due (while not open and not hidden), unless one is
    /// in flight.
    poll_at: Option<Millis>,
    polling: bool,
    /// xorshift state for the jitter (seeded by the driver).
    jitter: u64,
}

impl Live {
    /// Starts watching at `now`: the first action is to subscribe. `seed` feeds
    /// the backoff's jitter, so many tabs do not retry in step.
    pub fn start(timing: Timing, now: Millis, seed: u64) -> (Live, Vec<Action>) {
        let live = Live {
            timing,
            phase: Phase::Subscribing,
            failures: 0,
            gap: false,
            hidden: false,
            etag: None,
            poll_at: Some(now.saturating_add(timing.poll_every)),
            polling: false,
            jitter: seed | 1,
        };
        (live, vec![Action::Subscribe])
    }

    /// Whether the socket is open (changes arrive as messages).
    pub fn is_open(&self) -> bool {
        matches!(self.phase, Phase::Open { .. })
    }

    /// Whether this topic is only polled (the pod offers no notifications).
    pub fn is_polling_only(&self) -> bool {
        self.phase == Phase::Polling
    }

    /// When to report [`Input::Tick`] next, if ever.
    pub fn next_wake(&self) -> Option<Millis> {
        let backoff = match self.phase {
            Phase::Backoff { until } => Some(until),
            _ => None,
        };
        let poll = self.poll_at.filter(|_| !self.hidden && !self.polling);
        match (backoff, poll) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Takes one report and says what to do.
    pub fn on(&mut self, now: Millis, input: Input) -> Vec<Action> {
        let mut actions = Vec::new();
        match input {
            Input::Subscribed(answer) if self.phase == Phase::Subscribing => match answer {
                Ok(socket) => {
                    self.phase = Phase::Connecting;
                    actions.push(Action::Connect(socket));
                }
                Err(Refusal::Final) => self.phase = Phase::Polling,
                Err(Refusal::ForNow) => self.back_off(now),
            },
            Input::Opened if self.phase == Phase::Connecting => {
                self.phase = Phase::Open { since: now };
                self.poll_at = None;
                if std::mem::take(&mut self.gap) {
                    actions.push(Action::Refresh);
                }
            }
            Input::Closed => match self.phase {
                Phase::Open { since } => {
                    if now.saturating_sub(since) >= self.timing.stable {
                        self.failures = 0;
                    }
                    self.back_off(now);
                    self.poll_at = Some(now);
                }
                Phase::Connecting => self.back_off(now),
                _ => {}
            },
            Input::Polled(answer) if self.polling => {
                self.polling = false;
                if let Some(etag) = answer {
                    self.etag = etag;
                    actions.push(Action::Refresh);
                }
                if !self.is_open() {
                    self.poll_at = Some(now.saturating_add(self.timing.poll_every));
                }
            }
            Input::Hidden(hidden) => {
                self.hidden = hidden;
                if !hidden && !self.is_open() {
                    self.poll_at = Some(now);
                }
            }
            // Answers that come too late (a socket closed while subscribing again,
            // a poll after the socket opened) change nothing.
            Input::Subscribed(_) | Input::Opened | Input::Polled(_) | Input::Tick => {}
        }
        if matches!(self.phase, Phase::Backoff { until } if now >= until) {
            self.phase = Phase::Subscribing;
            actions.push(Action::Subscribe);
        }
        let poll_due = self.poll_at.is_some_and(|at| now >= at);
        if poll_due && !self.hidden && !self.polling && !self.is_open() {
            self.polling = true;
            self.poll_at = None;
            actions.push(Action::Poll(self.etag.clone()));
        }
        actions
    }

    /// One more failure: wait before subscribing again.
    fn back_off(&mut self, now: Millis) {
        self.gap = true;
        self.failures = self.failures.saturating_add(1);
        let doubled = self
            .timing
            .first_retry
            .saturating_mul(1u64 << (self.failures - 1).min(30));
        let delay = doubled.min(self.timing.max_retry);
        // Between half and all of the delay.
        let jittered = delay / 2 + self.next_jitter() % (delay / 2 + 1);
        self.phase = Phase::Backoff {
            until: now.saturating_add(jittered),
        };
        if self.poll_at.is_none() && !self.polling {
            self.poll_at = Some(now.saturating_add(self.timing.poll_every));
        }
    }

    fn next_jitter(&mut self) -> u64 {
        let mut x = self.jitter;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter = x;
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timing = Timing {
        first_retry: 1_000,
        max_retry: 8_000,
        stable: 30_000,
        poll_every: 5_000,
    };

    fn socket() -> Url {
        Url::parse("ws://pod.example/.notifications/WebSocketChannel2023/abc").unwrap()
    }

    /// A machine with a fake clock, driven by ticks at exactly its wake times.
    struct Clock {
        now: Millis,
        live: Live,
    }

    impl Clock {
        fn start() -> (Clock, Vec<Action>) {
            let (live, actions) = Live::start(T, 0, 42);
            (Clock { now: 0, live }, actions)
        }

        fn on(&mut self, input: Input) -> Vec<Action> {
            self.live.on(self.now, input)
        }

        /// Advances to the next wake (at most `limit` ms on) and ticks.
        fn wake(&mut self) -> (Millis, Vec<Action>) {
            let at = self.live.next_wake().expect("a wake time");
            assert!(at >= self.now, "wake in the past");
            self.now = at;
            (at, self.live.on(at, Input::Tick))
        }

        fn open(&mut self) -> Vec<Action> {
            assert_eq!(
                self.on(Input::Subscribed(Ok(socket()))),
                [Action::Connect(socket())]
            );
            self.on(Input::Opened)
        }
    }

    #[test]
    fn subscribes_connects_and_stops_polling_while_open() {
        let (mut c, first) = Clock::start();
        assert_eq!(first, [Action::Subscribe]);
        assert_eq!(c.open(), [], "the first open needs no re-read");
        assert!(c.live.is_open());
        assert_eq!(
            c.live.next_wake(),
            None,
            "nothing to do while the socket is open"
        );
        assert_eq!(c.on(Input::Hidden(true)), []);
        assert_eq!(c.on(Input::Hidden(false)), [], "no poll while open");
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let (mut c, _) = Clock::start();
        let mut delays = Vec::new();
        for _ in 0..7 {
            let failed_at = c.now;
            assert_eq!(c.on(Input::Subscribed(Err(Refusal::ForNow))), []);
            // Wake through the polls until the resubscription.
            loop {
                let (at, actions) = c.wake();
                if actions.contains(&Action::Subscribe) {
                    delays.push(at - failed_at);
                    break;
                }
                assert_eq!(actions.len(), 1, "{actions:?}");
                assert!(matches!(actions[0], Action::Poll(_)));
                c.on(Input::Polled(None));
            }
        }
        let caps = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000];
        for (delay, cap) in delays.iter().zip(caps) {
            assert!((cap / 2..=cap).contains(delay), "{delays:?}");
        }
    }

    #[test]
    fn a_healthy_socket_that_drops_is_retried_soon_and_the_gap_re_read() {
        let (mut c, _) = Clock::start();
        // Three failures first: the backoff has grown.
        for _ in 0..3 {
            c.on(Input::Subscribed(Err(Refusal::ForNow)));
            while !c.wake().1.contains(&Action::Subscribe) {
                c.on(Input::Polled(None));
            }
        }
        assert_eq!(
            c.open(),
            [Action::Refresh],
            "failures before: re-read the gap"
        );
        c.now += 31_000;
        let closed_at = c.now;
        assert_eq!(c.on(Input::Closed), [Action::Poll(None)], "polls at once");
        // The poll finds a change made during the gap.
        assert_eq!(
            c.on(Input::Polled(Some(Some("\"e1\"".into())))),
            [Action::Refresh]
        );
        let (at, actions) = c.wake();
        assert_eq!(actions, [Action::Subscribe]);
        assert!(
            at - closed_at <= 1_000,
            "healthy socket: first backoff step"
        );
        assert_eq!(c.open(), [Action::Refresh], "reopened: re-read the gap");
    }

    #[test]
    fn a_socket_that_closes_at_once_keeps_backing_off() {
        let (mut c, _) = Clock::start();
        let mut last = 0;
        for round in 0..4 {
            c.open();
            c.now += 10; // closed straight away: not healthy
            let closed_at = c.now;
            c.on(Input::Closed);
            let delay = loop {
                let (at, actions) = c.wake();
                if actions.contains(&Action::Subscribe) {
                    break at - closed_at;
                }
                c.on(Input::Polled(None));
            };
            assert!(
                delay >= last || round == 0,
                "round {round}: {delay} < {last}"
            );
            last = delay;
        }
        assert!(last >= 4_000, "{last}");
    }

    #[test]
    fn a_final_refusal_polls_with_etags_and_pauses_while_hidden() {
        let (mut c, _) = Clock::start();
        assert_eq!(c.on(Input::Subscribed(Err(Refusal::Final))), []);
        assert!(c.live.is_polling_only());
        let (at, actions) = c.wake();
        assert_eq!((at, actions), (5_000, vec![Action::Poll(None)]));
        let etag = Some("\"v1\"".to_owned());
        assert_eq!(c.on(Input::Polled(Some(etag.clone()))), [Action::Refresh]);
        let (at, actions) = c.wake();
        assert_eq!((at, actions), (10_000, vec![Action::Poll(etag.clone())]));
        assert_eq!(c.on(Input::Polled(None)), [], "304: nothing to re-read");
        assert_eq!(c.on(Input::Hidden(true)), []);
        assert_eq!(c.live.next_wake(), None, "no polls while hidden");
        c.now = 60_000;
        assert_eq!(c.on(Input::Tick), [], "not even when woken");
        assert_eq!(
            c.on(Input::Hidden(false)),
            [Action::Poll(etag)],
            "polls when shown"
        );
        // Never subscribes again.
        for _ in 0..5 {
            c.on(Input::Polled(None));
            let (_, actions) = c.wake();
            assert!(matches!(actions[..], [Action::Poll(_)]), "{actions:?}");
        }
    }

    #[test]
    fn late_and_repeated_answers_change_nothing() {
        let (mut c, _) = Clock::start();
        c.open();
        assert_eq!(c.on(Input::Opened), []);
        assert_eq!(c.on(Input::Subscribed(Ok(socket()))), []);
        assert_eq!(c.on(Input::Polled(Some(None))), [], "no poll was asked for");
        assert_eq!(c.on(Input::Tick), []);
        assert!(c.live.is_open());
    }
}
