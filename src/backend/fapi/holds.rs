//! Routes the server asked to leave alone: after a `429` with `Retry-After`,
//! no request goes to that route (method and path) until the wait is over,
//! whoever asks (the background sync or the app). The call answers the same
//! `429` at once, with the time left as its `retry_after`, and nothing is
//! sent: Clerk's rate limit is not made worse by the clients it limits.

use std::time::Duration;

use crate::cell::RefCell;
use crate::small_map::SmallMap;
use crate::{ApiError, ClerkError};

/// The held routes, each with when it opens again (Unix seconds) and the
/// answer that closed it. A handful at most: one per route that was limited.
#[derive(Default)]
pub(super) struct RouteHolds(RefCell<SmallMap<String, (f64, ApiError)>>);

impl RouteHolds {
    /// The answer to give without sending, while `route` is held at `now`.
    pub(super) fn check(&self, route: &str, now: f64) -> Option<ClerkError> {
        let mut holds = self.0.borrow_mut();
        let (until, answer) = holds.get(route)?;
        if *until <= now {
            holds.remove(route);
            return None;
        }
        let left = Duration::from_secs_f64(until - now);
        Some(ClerkError::Api(ApiError {
            retry_after: Some(left),
            ..answer.clone()
        }))
    }

    /// Holds `route` when `error` is a rate limit that named its wait.
    pub(super) fn note(&self, route: String, error: &ClerkError, now: f64) {
        if let ClerkError::Api(
            api @ ApiError {
                status: 429,
                retry_after: Some(wait),
                ..
            },
        ) = error
        {
            let until = now + wait.as_secs_f64();
            self.0.borrow_mut().insert(route, (until, api.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(seconds: u64) -> ClerkError {
        let mut api = ApiError::new(429, "too_many_requests", "later");
        api.retry_after = Some(Duration::from_secs(seconds));
        ClerkError::Api(api)
    }

    #[test]
    fn a_rate_limited_route_answers_429_until_the_wait_is_over() {
        let holds = RouteHolds::default();
        holds.note("POST tokens".into(), &limited(5), 100.0);
        let held = holds.check("POST tokens", 103.0).expect("held for 5 s");
        assert_eq!(held.code(), Some("too_many_requests"));
        let ClerkError::Api(api) = held else { panic!() };
        assert_eq!(
            api.retry_after,
            Some(Duration::from_secs(2)),
            "the time left"
        );
        assert!(
            holds.check("GET client", 103.0).is_none(),
            "other routes go"
        );
        assert!(
            holds.check("POST tokens", 105.0).is_none(),
            "open after 5 s"
        );
        assert!(
            holds.check("POST tokens", 104.0).is_none(),
            "and stays open"
        );
    }

    #[test]
    fn other_failures_hold_nothing() {
        let holds = RouteHolds::default();
        let mut no_wait = ApiError::new(429, "too_many_requests", "later");
        no_wait.retry_after = None;
        holds.note("a".into(), &ClerkError::Api(no_wait), 0.0);
        holds.note(
            "a".into(),
            &ClerkError::Api(ApiError::new(503, "x", "y")),
            0.0,
        );
        assert!(holds.check("a", 0.5).is_none());
    }
}
