//! Routes the server asked to leave alone: after a `429` with `Retry-After`,
//! no request goes to that route (method and path) until the wait is over,
//! whoever asks (the background sync or the app). The call answers the same
//! `429` at once, with the time left as its `retry_after`, and nothing is
//! sent: Clerk's rate limit is not made worse by the clients it limits.

use std::time::Duration;

use super::transport::Method;
use crate::cell::RefCell;
use crate::small_map::SmallMap;
use crate::{ApiError, ClerkError};

/// The held routes, each with when it opens again (Unix seconds) and the
/// answer that closed it. A handful at most: one per route that was limited.
#[derive(Default)]
pub(super) struct RouteHolds(RefCell<SmallMap<String, (f64, ApiError)>>);

impl RouteHolds {
    /// The answer to give without sending, while the route of `method` and
    /// `segments` is held at `now`. No allocation while nothing is held.
    pub(super) fn check(&self, method: Method, segments: &[&str], now: f64) -> Option<ClerkError> {
        let mut holds = self.0.borrow_mut();
        if holds.is_empty() {
            return None;
        }
        let route = route_of(method, segments);
        let (until, answer) = holds.get(&route)?;
        if *until <= now {
            holds.remove(&route);
            return None;
        }
        let left = Duration::from_secs_f64(until - now);
        Some(ClerkError::Api(ApiError {
            retry_after: Some(left),
            ..answer.clone()
        }))
    }

    /// Holds the route of `method` and `segments` when `error` is a rate
    /// limit that named its wait.
    pub(super) fn note(&self, method: Method, segments: &[&str], error: &ClerkError, now: f64) {
        if let ClerkError::Api(
            api @ ApiError {
                status: 429,
                retry_after: Some(wait),
                ..
            },
        ) = error
        {
            let until = now + wait.as_secs_f64();
            self.0
                .borrow_mut()
                .insert(route_of(method, segments), (until, api.clone()));
        }
    }
}

/// A route's key: its method and path (`POST client/sessions/sess_1/tokens`).
fn route_of(method: Method, segments: &[&str]) -> String {
    format!("{} {}", method.as_str(), segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKENS: &[&str] = &["client", "sessions", "sess_1", "tokens"];

    fn limited(seconds: u64) -> ClerkError {
        let mut api = ApiError::new(429, "too_many_requests", "later");
        api.retry_after = Some(Duration::from_secs(seconds));
        ClerkError::Api(api)
    }

    #[test]
    fn a_rate_limited_route_answers_429_until_the_wait_is_over() {
        let holds = RouteHolds::default();
        holds.note(Method::Post, TOKENS, &limited(5), 100.0);
        let held = holds
            .check(Method::Post, TOKENS, 103.0)
            .expect("held for 5 s");
        assert_eq!(held.code(), Some("too_many_requests"));
        let ClerkError::Api(api) = held else { panic!() };
        assert_eq!(
            api.retry_after,
            Some(Duration::from_secs(2)),
            "the time left"
        );
        let open = |method, segments, now| holds.check(method, segments, now).is_none();
        assert!(open(Method::Get, &["client"], 103.0), "other routes go");
        assert!(open(Method::Get, TOKENS, 103.0), "and other methods");
        assert!(open(Method::Post, TOKENS, 105.0), "open after 5 s");
        assert!(open(Method::Post, TOKENS, 104.0), "and stays open");
    }

    #[test]
    fn other_failures_hold_nothing() {
        let holds = RouteHolds::default();
        let mut no_wait = ApiError::new(429, "too_many_requests", "later");
        no_wait.retry_after = None;
        holds.note(Method::Post, TOKENS, &ClerkError::Api(no_wait), 0.0);
        let down = ClerkError::Api(ApiError::new(503, "x", "y"));
        holds.note(Method::Post, TOKENS, &down, 0.0);
        assert!(holds.check(Method::Post, TOKENS, 0.5).is_none());
    }
}
