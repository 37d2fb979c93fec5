//! When a request is sent again, and how long the client waits before.

use std::time::Duration;

/// When the client sends a request again.
///
/// **What is retried.** A `429 Too Many Requests`, `503 Service Unavailable` or
/// `504 Gateway Timeout` answer, whatever the method (Graph throttles and sheds load this
/// way and asks clients to try again). A failure to connect, whatever the method (the
/// request never reached the service). A timeout, or a connection lost after the request
/// was sent, only for the idempotent methods `GET`, `PUT` and `DELETE`: a `POST` or
/// `PATCH` may have taken effect, so repeating it is left to the caller. Nothing else is
/// retried.
///
/// **How long it waits.** What the answer's `Retry-After` asks (seconds or an HTTP date),
/// shortened to [`max_retry_after`](Self::max_retry_after) when that is set. Without
/// `Retry-After`, an exponential backoff with jitter: before retry *n* the wait is drawn
/// between half and all of `base_delay × 2ⁿ⁻¹`, capped at [`max_delay`](Self::max_delay).
///
/// **When it gives up.** After [`max_attempts`](Self::max_attempts) attempts (the first
/// included), or when the wait would end later than [`max_elapsed`](Self::max_elapsed)
/// after the first attempt started: the client then returns the last answer at once (with
/// its `attempts` count), or the last transport error. The budget is checked before each
/// wait; an attempt under way is bounded by the client's timeout, not by the budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 4 attempts within 2 minutes, backoff from 1 s up to 30 s, `Retry-After` honoured as
    /// asked.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: None,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Sends a request at most `attempts` times, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Starts no wait that would end later than `budget` after the first attempt started.
    pub fn with_max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The backoff before the first retry when the answer has no `Retry-After` (it doubles
    /// for each later retry, and is jittered).
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff (before jitter) when the answer has no `Retry-After`.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Shortens a longer `Retry-After` to `limit` (`None`, the default: wait as asked). A
    /// `Retry-After` longer than the remaining budget still means giving up, unless it is
    /// shortened to fit.
    pub fn with_max_retry_after(mut self, limit: Option<Duration>) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The most attempts of one request, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time after the first attempt's start past which no wait is started.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// The backoff before the first retry, without `Retry-After`.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest backoff, without `Retry-After`.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The longest `Retry-After` honoured as asked, if limited.
    pub fn max_retry_after(&self) -> Option<Duration> {
        self.max_retry_after
    }

    /// True for the statuses that are retried: 429, 503 and 504.
    pub fn retries_status(status: u16) -> bool {
        matches!(status, 429 | 503 | 504)
    }

    /// The wait before retry number `retry` (1 for the first) when the service gave no
    /// `Retry-After`; `random` is uniform in `[0, 1)`.
    pub(crate) fn backoff(&self, retry: u32, random: f64) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay);
        let half = full / 2;
        let random = random.clamp(0.0, 1.0);
        let extra = Duration::try_from_secs_f64(half.as_secs_f64() * random).unwrap_or(half);
        half.saturating_add(extra.min(half))
    }

    /// The wait a `Retry-After` asks for, shortened to `max_retry_after`.
    pub(crate) fn honoured_retry_after(&self, asked: Duration) -> Duration {
        match self.max_retry_after {
            Some(limit) => asked.min(limit),
            None => asked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        let s = Duration::from_secs;
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(policy.backoff(1, 1.0), s(1));
        assert_eq!(policy.backoff(2, 0.0), s(1));
        assert_eq!(policy.backoff(3, 1.0), s(4));
        let middle = policy.backoff(3, 0.5);
        assert!(middle > s(2) && middle < s(4), "{middle:?}");
        assert_eq!(policy.backoff(10, 1.0), s(30));
        assert_eq!(policy.backoff(100, 1.0), s(30));
        let unbounded = policy
            .with_max_delay(Duration::MAX)
            .with_base_delay(Duration::MAX);
        assert!(unbounded.backoff(40, 0.99) > s(u64::MAX / 4));
    }

    #[test]
    fn retry_after_is_shortened_only_when_limited() {
        let asked = Duration::from_secs(3600);
        assert_eq!(RetryPolicy::default().honoured_retry_after(asked), asked);
        let limited = RetryPolicy::default().with_max_retry_after(Some(Duration::from_millis(5)));
        assert_eq!(
            limited.honoured_retry_after(asked),
            Duration::from_millis(5)
        );
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn only_throttling_and_unavailability_are_retried() {
        for status in [429, 503, 504] {
            assert!(RetryPolicy::retries_status(status));
        }
        for status in [200, 400, 401, 404, 409, 500, 502] {
            assert!(!RetryPolicy::retries_status(status));
        }
    }
}
