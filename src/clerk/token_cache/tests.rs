//! The cache's rules, on made-up tokens and clocks.

use super::*;
use base64::Engine;
use std::time::Duration;

fn jwt(iat: u64, exp: u64) -> String {
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!(r#"{{"iat":{iat},"exp":{exp},"sid":"sess_1"}}"#));
    format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln")
}

fn key(session: &str) -> TokenKey {
    TokenKey {
        session_id: session.into(),
        template: None,
        organization_id: None,
    }
}

#[test]
fn tokens_live_as_long_as_they_say_and_refresh_a_quarter_early() {
    let cache = TokenCache::default();
    assert!(cache.store(key("a"), &jwt(1000, 1060), 0, 5000.0));
    assert_eq!(cache.fresh(&key("a"), 5000.0, 10.0), Some(jwt(1000, 1060)));
    assert_eq!(
        cache.fresh(&key("a"), 5051.0, 10.0),
        None,
        "within the leeway"
    );
    assert_eq!(
        cache.next_refresh(),
        Some(5045.0),
        "60 s: refreshed 15 s early"
    );
    assert_eq!(cache.first_due(5044.0), None);
    assert_eq!(cache.first_due(5045.0), Some(key("a")));

    assert!(cache.store(key("b"), &jwt(0, 4), 0, 10.0));
    assert_eq!(cache.next_refresh(), Some(13.0), "4 s: refreshed 1 s early");

    // Clocks in step: a token issued 0.9 s ago (whole-second `iat`) has
    // 3.1 s left, not 4.
    let cache = TokenCache::default();
    assert!(cache.store(key("c"), &jwt(100, 104), 0, 100.9));
    assert_eq!(cache.next_refresh(), Some(103.0));
    assert_eq!(cache.fresh(&key("c"), 103.5, 0.0), Some(jwt(100, 104)));
    assert_eq!(cache.fresh(&key("c"), 104.0, 0.0), None);
}

#[test]
fn a_session_that_leaves_takes_its_tokens_and_requests_along() {
    let cache = TokenCache::default();
    let epoch = cache.epoch();
    cache.store(key("a"), &jwt(0, 60), epoch, 0.0);
    assert!(
        !cache.keep_only(Some("a")),
        "the active session's tokens stay"
    );
    assert_eq!(cache.epoch(), epoch);
    // "b" becomes the active session: "a"'s tokens go.
    assert!(cache.keep_only(Some("b")));
    assert_eq!(cache.fresh(&key("a"), 0.0, 0.0), None);
    assert!(
        !cache.store(key("a"), &jwt(0, 60), epoch, 0.0),
        "an answer for the old epoch is discarded"
    );
    assert!(cache.store(key("b"), &jwt(0, 60), cache.epoch(), 0.0));
    assert!(!cache.keep_only(Some("b")), "nothing more to drop");
    assert!(cache.keep_only(None));
    assert_eq!(cache.len(), 0);
}

fn down() -> ClerkError {
    ClerkError::Api(crate::ApiError::new(503, "service_unavailable", "down"))
}

/// The spin of old: once the token had expired, a failed refresh was due
/// again at once (`min(now + 2 s, expires_at)` lies in the past), and the
/// sync sent refresh after refresh as fast as the failures came back.
#[test]
fn a_failed_refresh_after_expiry_is_due_only_after_the_backoff() {
    let cache = TokenCache::default();
    assert!(cache.store(key("a"), &jwt(1000, 1060), 0, 1000.0));
    let mut now = 1100.0; // 40 s past expiry
    let mut waits = Vec::new();
    for _ in 0..6 {
        assert_eq!(cache.first_due(now), Some(key("a")), "due again");
        cache.retry_later(&key("a"), now, &down());
        assert_eq!(cache.first_due(now), None, "not at once");
        assert_eq!(
            cache.held(&key("a"), now),
            Some(down()),
            "callers get the failure"
        );
        let next = cache.next_refresh().unwrap();
        waits.push(next - now);
        now = next;
    }
    let most = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
    for (wait, most) in waits.iter().zip(most) {
        assert!((most / 2.0..=most).contains(wait), "{waits:?}");
    }
    assert_eq!(
        cache.fresh(&key("a"), now, 0.0),
        None,
        "expired: not handed out"
    );
    let mut limited = crate::ApiError::new(429, "too_many_requests", "later");
    limited.retry_after = Some(Duration::from_secs(5));
    cache.retry_later(&key("a"), now, &ClerkError::Api(limited));
    assert_eq!(
        cache.next_refresh(),
        Some(now + 5.0),
        "Retry-After, exactly"
    );
    // A new token resets the count.
    assert!(cache.store(key("a"), &jwt(2000, 2060), 0, 2000.0));
    assert_eq!(cache.held(&key("a"), 2000.0), None, "a token ends the hold");
    cache.retry_later(&key("a"), 2046.0, &down());
    assert!(cache.next_refresh().unwrap() <= 2047.0);
}

#[test]
fn a_clock_ten_minutes_off_reads_token_ages_on_the_server_clock() {
    for skew in [600.0, -600.0] {
        let cache = TokenCache::default();
        let k = key("a");
        // A token offered before any was fetched: its age cannot be
        // told, so it is not handed out, and is due at once.
        assert!(cache.offer(k.clone(), &jwt(1000, 1060), 1010.0 + skew));
        assert_eq!(cache.fresh(&k, 1010.0 + skew, 0.0), None, "skew {skew}");
        assert_eq!(cache.first_due(1010.0 + skew), Some(k.clone()));
        // Fetched: its whole life from now, and the offset learnt.
        assert!(cache.store(k.clone(), &jwt(1020, 1080), 0, 1020.0 + skew));
        assert!(cache.fresh(&k, 1020.0 + skew + 49.0, 10.0).is_some());
        assert_eq!(cache.next_refresh(), Some(1020.0 + skew + 45.0));
        // Offered 30 s later, 20 s old on the server's clock: 40 s left.
        assert!(cache.offer(k.clone(), &jwt(1030, 1090), 1050.0 + skew));
        assert!(cache.fresh(&k, 1050.0 + skew + 39.0, 0.0).is_some());
        assert_eq!(cache.fresh(&k, 1050.0 + skew + 41.0, 0.0), None);
    }
}

#[test]
fn unreadable_tokens_are_handed_out_but_not_cached() {
    assert_eq!(lifetime_of("garbage"), None);
    assert_eq!(lifetime_of("a.!!!.c"), None);
    assert_eq!(lifetime_of(&jwt(10, 5)), None, "exp before iat");
    let cache = TokenCache::default();
    assert!(cache.store(key("a"), "not-a-jwt", 0, 100.0));
    assert_eq!(cache.fresh(&key("a"), 100.0, 0.0), None);
    assert_eq!(cache.len(), 0, "nothing to refresh in a loop");
}
