//! One retry policy for the handle's background requests (a failed first
//! load, a failed token refresh): the server's `Retry-After` exactly when it
//! sent one (Clerk does with a `429`), else exponential backoff with jitter:
//! 1 s, 2 s, 4 s, then 8 s at most, each a random half to whole of that, so
//! that the tabs and apps an outage hit do not come back in step. It resets
//! on success (a new token, a load that lands).
//!
//! The cap is 8 s, not a minute: after an outage a fresh token must come
//! within 10 s of its end, so no wait may be longer; at 8 s an outage costs
//! at most 7.5 requests a minute per kind of request.

use std::time::Duration;

/// The longest wait between two tries, when the server named none.
pub(crate) const CAP: Duration = Duration::from_secs(8);

/// How long to wait after the `failures`-th failure in a row (1 for the
/// first), or what the server asked for.
pub(crate) fn delay(failures: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait;
    }
    let doubled = Duration::from_secs(1 << failures.saturating_sub(1).min(3));
    doubled
        .min(CAP)
        .mul_f64(0.5 + 0.5 * crate::platform::random_unit())
}

/// The `Retry-After` an error carries, if the server sent one.
pub(crate) fn retry_after_of(error: &crate::ClerkError) -> Option<Duration> {
    match error {
        crate::ClerkError::Api(api) => api.retry_after,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_to_the_cap_with_jitter_and_retry_after_wins() {
        for (failures, most) in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (30, 8.0)] {
            let wait = delay(failures, None).as_secs_f64();
            assert!(
                (most / 2.0..=most).contains(&wait),
                "failure {failures}: {wait} s"
            );
        }
        assert_eq!(
            delay(9, Some(Duration::from_secs(5))),
            Duration::from_secs(5),
            "the server's word, exactly"
        );
        assert_eq!(delay(1, Some(Duration::ZERO)), Duration::ZERO);
    }
}
