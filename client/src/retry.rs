//! When a request is sent again, and how long the client waits before.

use std::time::Duration;

use graph_runtime::http::Method;

/// When the client sends a request again, and how long it waits before. This is the one
/// place the client's retry rules are written down.
///
/// **What is retried.** The rule is: send again only what cannot do harm twice. An answer or
/// failure is *ambiguous* when the service may already have acted on the request: a
/// `504 Gateway Timeout` (the gateway stopped waiting, the service may not have), a timeout
/// after the request was sent, or a connection lost after it was sent. Repeating `GET`,
/// `PUT` or `DELETE` is harmless (they are idempotent), but a repeated `POST` or `PATCH`
/// could act twice, so by default those are not sent again after an ambiguous outcome
/// ([`with_ambiguous_retries`](Self::with_ambiguous_retries) changes that).
///
/// | Outcome of an attempt | `GET`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// |---|---|---|
/// | `429 Too Many Requests`, `503 Service Unavailable` | retried | retried |
/// | `504 Gateway Timeout` | retried | not retried (ambiguous) |
/// | no connection could be made (nothing was sent) | retried | retried |
/// | timed out | retried | not retried (ambiguous) |
/// | connection lost after sending, or the body could not be read | retried | not retried (ambiguous) |
/// | anything else | not retried | not retried |
///
/// `429` and `503` are retried for every method because that is Graph's throttling
/// guidance: the service did not act, and asks to be called again after the delay it gives.
/// A timeout counts as after sending, as the client cannot tell how far the attempt got.
/// "Anything else" includes every other status (they are returned for the operation to
/// decode), a response body over the client's size limit, a redirect outside the base
/// URL's origin, the call's time budget running out, and a token provider's failure.
///
/// **How long it waits.** What the answer's `Retry-After` asks (seconds or an HTTP date),
/// shortened to [`max_retry_after`](Self::max_retry_after) when that is set. Without
/// `Retry-After`, an exponential backoff with jitter: before retry *n* the wait is drawn
/// between half and all of `base_delay × 2ⁿ⁻¹`, capped at [`max_delay`](Self::max_delay).
///
/// **When it gives up.** After [`max_attempts`](Self::max_attempts) attempts (the first
/// included), or when the wait would leave no time of the [`max_elapsed`](Self::max_elapsed)
/// budget for another attempt: the client then returns the last answer at once (with its
/// `attempts` count), or the last transport error.
///
/// **The time budget bounds the whole call**, from its start (before the first token is
/// asked for) to the end of the last body, the attempt in flight included: every attempt
/// gets the client's timeout or what is left of the budget, whichever is shorter. When the
/// budget runs out during an attempt (or while a token is awaited), the call ends with
/// [`Error::Transport`](graph_runtime::http::Error::Transport) saying the budget was spent,
/// and nothing is retried. So no call takes much longer than `max_elapsed`, whatever the
/// timeout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Option<Duration>,
    ambiguous_retries: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts within 2 minutes, backoff from 1 s up to 30 s, `Retry-After` honoured as
    /// asked, `POST` and `PATCH` not sent again after an ambiguous outcome.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_retry_after: None,
            ambiguous_retries: false,
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

    /// Bounds the whole call, attempts, waits and the attempt in flight included, to
    /// `budget` (see the type's docs).
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

    /// With `true`, `POST` and `PATCH` are also sent again after an ambiguous outcome (a
    /// `504`, a timeout, a connection lost after sending), like the idempotent methods.
    /// Only for a client whose `POST`s and `PATCH`es are safe to repeat; `false` by default.
    pub fn with_ambiguous_retries(mut self, allow: bool) -> Self {
        self.ambiguous_retries = allow;
        self
    }

    /// Whether `POST` and `PATCH` are sent again after an ambiguous outcome.
    pub fn ambiguous_retries(&self) -> bool {
        self.ambiguous_retries
    }

    /// The most attempts of one request, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time budget of a whole call.
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

    /// Whether an answer with this status is a reason to send a request of this method
    /// again (when attempts and time are left): `429` and `503` always, `504` when
    /// [`retries_ambiguous`](Self::retries_ambiguous) says so.
    pub fn retries_status(&self, method: Method, status: u16) -> bool {
        match status {
            429 | 503 => true,
            504 => self.retries_ambiguous(method),
            _ => false,
        }
    }

    /// Whether a request of this method is sent again after an ambiguous outcome: always
    /// for the idempotent `GET`, `PUT` and `DELETE`; for `POST` and `PATCH` only
    /// [`with_ambiguous_retries`](Self::with_ambiguous_retries).
    pub fn retries_ambiguous(&self, method: Method) -> bool {
        match method {
            Method::Get | Method::Put | Method::Delete => true,
            Method::Post | Method::Patch => self.ambiguous_retries,
        }
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
    fn throttling_is_retried_for_every_method_and_a_gateway_timeout_only_when_safe() {
        let strict = RetryPolicy::default();
        let lenient = RetryPolicy::default().with_ambiguous_retries(true);
        let all = [
            Method::Get,
            Method::Put,
            Method::Delete,
            Method::Post,
            Method::Patch,
        ];
        for method in all {
            for policy in [&strict, &lenient] {
                assert!(policy.retries_status(method, 429));
                assert!(policy.retries_status(method, 503));
                for status in [200, 204, 400, 401, 404, 409, 500, 502] {
                    assert!(!policy.retries_status(method, status), "{status}");
                }
            }
            assert!(lenient.retries_status(method, 504));
            assert!(lenient.retries_ambiguous(method));
        }
        for method in [Method::Get, Method::Put, Method::Delete] {
            assert!(strict.retries_status(method, 504));
        }
        for method in [Method::Post, Method::Patch] {
            assert!(!strict.retries_status(method, 504));
            assert!(!strict.retries_ambiguous(method));
        }
        assert!(!strict.ambiguous_retries() && lenient.ambiguous_retries());
    }
}
