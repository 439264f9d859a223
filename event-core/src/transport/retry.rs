//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

/// Exponential backoff with jitter, capped, honouring the server's `Retry-After`.
///
/// Attempt `n` (counting from 1 for the first retry) waits a random time between half
/// and all of `min(cap, base * 2^(n-1))` ("equal jitter"), or, when the server sent
/// `Retry-After`, that long, but never more than `retry_after_cap`.
///
/// Defaults: base 100 ms, cap 10 s, 10 attempts in all (the first try and 9 retries),
/// `Retry-After` capped at 60 s. With those, a request gives up after about 40 s of
/// waiting when the server never recovers.
///
/// ```
/// use event_core::transport::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default().base(Duration::from_millis(1)).attempts(3);
/// assert_eq!(policy.max_attempts(), 3);
/// assert!(policy.backoff(1, None) <= Duration::from_millis(1));
/// // The server's Retry-After wins, within the cap.
/// assert_eq!(policy.backoff(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
/// assert_eq!(policy.backoff(1, Some(Duration::from_secs(3600))), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    base: Duration,
    cap: Duration,
    attempts: u32,
    jitter: bool,
    retry_after_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(10),
            attempts: 10,
            jitter: true,
            retry_after_cap: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retry at all: one attempt.
    pub fn none() -> RetryPolicy {
        RetryPolicy::default().attempts(1)
    }

    /// The wait before the first retry (before jitter).
    pub fn base(mut self, base: Duration) -> RetryPolicy {
        self.base = base;
        self
    }

    /// The longest wait between two attempts computed by backoff.
    pub fn cap(mut self, cap: Duration) -> RetryPolicy {
        self.cap = cap;
        self
    }

    /// How many attempts in all, the first included (at least 1).
    pub fn attempts(mut self, attempts: u32) -> RetryPolicy {
        self.attempts = attempts.max(1);
        self
    }

    /// Whether to randomise each wait between half and all of it (on by default, so
    /// that many clients do not retry in step).
    pub fn jitter(mut self, jitter: bool) -> RetryPolicy {
        self.jitter = jitter;
        self
    }

    /// The longest wait a server's `Retry-After` can impose.
    pub fn retry_after_cap(mut self, cap: Duration) -> RetryPolicy {
        self.retry_after_cap = cap;
        self
    }

    /// How many attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.attempts
    }

    /// How long to wait before retry number `retry` (1 for the first retry), given the
    /// server's `Retry-After`, if any.
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.retry_after_cap);
        }
        let exponent = retry.saturating_sub(1).min(31);
        let full = self.base.saturating_mul(1u32 << exponent).min(self.cap);
        if !self.jitter || full.is_zero() {
            return full;
        }
        let half = full / 2;
        let nanos = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (the wait is the
/// time until then, zero if it is past). `None` when it is neither.
///
/// ```
/// use event_core::transport::parse_retry_after;
/// use std::time::Duration;
///
/// assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("soon"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Duration::try_from_secs_f64(seconds).ok();
        }
        return None;
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let policy = RetryPolicy::default().jitter(false);
        assert_eq!(policy.backoff(1, None), Duration::from_millis(100));
        assert_eq!(policy.backoff(2, None), Duration::from_millis(200));
        assert_eq!(policy.backoff(40, None), Duration::from_secs(10));
        let jittered = RetryPolicy::default();
        for retry in 1..20 {
            let wait = jittered.backoff(retry, None);
            assert!(wait <= Duration::from_secs(10));
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("-1"), None);
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = parse_retry_after(&future).unwrap_or_default();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
    }
}
