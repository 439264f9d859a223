//! How many batches are sent at once: a limit shared by every worker, raised while the
//! server keeps up and there is a backlog, cut on 429 and 5xx (additive increase,
//! multiplicative decrease), and a pause, shared too, when the server asks for one.

use std::time::{Duration, Instant};

/// Batches in flight at the start, before anything is known of the round trip.
pub(crate) const INITIAL_LIMIT: usize = 4;

/// The shared limit on batches in flight, and the shared pause.
#[derive(Debug)]
pub(crate) struct Congestion {
    /// Batches that may be in flight now: between 1 and `max`.
    limit: usize,
    /// The most there may ever be: the number of workers.
    max: usize,
    /// Batches in flight now.
    out: usize,
    /// Bumped at each cut, so that the answers to requests sent before a cut (all
    /// overloaded by the same burst) cut the limit once, not once each.
    epoch: u64,
    /// No new request before then: the server's `Retry-After`, or the backoff after a
    /// 429 or 5xx, for every worker at once.
    paused_until: Option<Instant>,
}

impl Default for Congestion {
    fn default() -> Self {
        Congestion::new(INITIAL_LIMIT)
    }
}

impl Congestion {
    /// A limit of at most `max` batches in flight (at least 1).
    pub(crate) fn new(max: usize) -> Congestion {
        let max = max.max(1);
        Congestion {
            limit: INITIAL_LIMIT.min(max),
            max,
            out: 0,
            epoch: 0,
            paused_until: None,
        }
    }

    /// The current limit.
    #[cfg(test)]
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// Whether a worker may send a new batch now; if not, how long the pause still runs
    /// (`None`: until a batch in flight ends).
    pub(crate) fn may_start(&self, now: Instant) -> Result<(), Option<Duration>> {
        if let Some(until) = self.paused_until.filter(|until| *until > now) {
            return Err(Some(until - now));
        }
        if self.out >= self.limit {
            return Err(None);
        }
        Ok(())
    }

    /// Batches in flight now.
    pub(crate) fn in_flight(&self) -> usize {
        self.out
    }

    /// A batch went out.
    pub(crate) fn started(&mut self) {
        self.out += 1;
    }

    /// A batch is done with.
    pub(crate) fn ended(&mut self) {
        self.out = self.out.saturating_sub(1);
    }

    /// The epoch a request is sent in: give it back to [`overloaded`](Self::overloaded).
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch
    }

    /// A request was accepted. With events still waiting, the batches in flight do not
    /// cover the round trip: one more may go. True when the limit grew.
    pub(crate) fn delivered(&mut self, backlog: bool) -> bool {
        if backlog && self.limit < self.max {
            self.limit += 1;
            return true;
        }
        false
    }

    /// A request sent in `epoch` was answered 429 or 5xx, and is to be retried after
    /// `wait`: halves the limit (once for every request sent before the last cut), and
    /// pauses every worker until then.
    pub(crate) fn overloaded(&mut self, epoch: u64, now: Instant, wait: Duration) {
        if epoch == self.epoch {
            self.limit = (self.limit / 2).max(1);
            self.epoch += 1;
        }
        let until = now + wait;
        self.paused_until = Some(self.paused_until.map_or(until, |paused| paused.max(until)));
    }

    /// When the shared pause ends, if one runs at `now`.
    pub(crate) fn paused_until(&self, now: Instant) -> Option<Instant> {
        self.paused_until.filter(|until| *until > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_grows_by_one_per_delivery_while_events_wait_up_to_the_max() {
        let mut congestion = Congestion::new(6);
        assert_eq!(congestion.limit(), INITIAL_LIMIT);
        assert!(!congestion.delivered(false));
        assert_eq!(congestion.limit(), 4);
        for _ in 0..10 {
            congestion.delivered(true);
        }
        assert_eq!(congestion.limit(), 6);
        assert_eq!(Congestion::new(0).limit(), 1);
        assert_eq!(Congestion::new(2).limit(), 2);
    }

    #[test]
    fn workers_past_the_limit_wait_for_a_batch_to_end() {
        let now = Instant::now();
        let mut congestion = Congestion::new(2);
        assert!(congestion.may_start(now).is_ok());
        congestion.started();
        congestion.started();
        assert_eq!(congestion.may_start(now), Err(None));
        congestion.ended();
        assert!(congestion.may_start(now).is_ok());
    }

    #[test]
    fn a_burst_of_overloads_halves_the_limit_once_and_pauses_everyone_until_the_latest_wait() {
        let now = Instant::now();
        let mut congestion = Congestion::new(16);
        for _ in 0..12 {
            congestion.delivered(true);
        }
        assert_eq!(congestion.limit(), 16);
        // Four requests in flight, all sent before the cut, all answered 429.
        let sent_in = congestion.epoch();
        congestion.overloaded(sent_in, now, Duration::from_secs(1));
        congestion.overloaded(sent_in, now, Duration::from_secs(2));
        congestion.overloaded(sent_in, now, Duration::from_millis(500));
        congestion.overloaded(sent_in, now, Duration::from_secs(1));
        assert_eq!(congestion.limit(), 8);
        assert_eq!(congestion.may_start(now), Err(Some(Duration::from_secs(2))));
        assert_eq!(
            congestion.paused_until(now + Duration::from_secs(1)),
            Some(now + Duration::from_secs(2))
        );
        let later = now + Duration::from_secs(2);
        assert!(congestion.may_start(later).is_ok());
        assert_eq!(congestion.paused_until(later), None);
        // A request sent after the cut, overloaded too: cut again, down to 1 at least.
        for _ in 0..10 {
            let epoch = congestion.epoch();
            congestion.overloaded(epoch, later, Duration::ZERO);
        }
        assert_eq!(congestion.limit(), 1);
    }
}
