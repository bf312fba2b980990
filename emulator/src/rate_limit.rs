//! An optional rate limit on the Frontend API (`--rate-limit N`): at most N
//! requests in each one-second window, from all callers together. The rest
//! get Clerk's answer to a caller over its limit, `429 too_many_requests`
//! (the code in Clerk's error catalogue, `clerk-docs/data/api_errors.json`)
//! with `Retry-After`: the whole seconds until the window ends, at least 1.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiFailure;
use crate::Shared;

/// A fixed one-second window (from its first request) and how many
/// requests it has taken.
pub(crate) struct RateLimit {
    per_second: u32,
    window: Mutex<Option<(Instant, u32)>>,
}

impl RateLimit {
    pub(crate) fn per_second(per_second: u32) -> Self {
        Self {
            per_second,
            window: Mutex::new(None),
        }
    }

    /// Takes one request, or says how long until one is allowed.
    fn take(&self, now: Instant) -> Result<(), Duration> {
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        let (start, taken) = match *window {
            Some((start, taken)) if now.duration_since(start) < Duration::from_secs(1) => {
                (start, taken)
            }
            _ => (now, 0),
        };
        if taken < self.per_second {
            *window = Some((start, taken + 1));
            Ok(())
        } else {
            Err(Duration::from_secs(1).saturating_sub(now.duration_since(start)))
        }
    }
}

/// The layer: Frontend API requests (`/v1/…`) past the limit are answered 429.
pub(crate) async fn limit(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limit) = &shared.rate_limit else {
        return next.run(request).await;
    };
    if !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    match limit.take(Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut response = ApiFailure::new(
                429,
                "too_many_requests",
                "Too many requests, please try again later.",
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_takes_its_limit_then_says_how_long_to_wait() {
        let limit = RateLimit::per_second(2);
        let start = Instant::now();
        assert_eq!(limit.take(start), Ok(()));
        assert_eq!(limit.take(start), Ok(()));
        let wait = limit
            .take(start + Duration::from_millis(300))
            .expect_err("the third in the same second waits");
        assert_eq!(wait, Duration::from_millis(700));
        assert_eq!(
            limit.take(start + Duration::from_secs(1)),
            Ok(()),
            "a new window"
        );
    }
}
