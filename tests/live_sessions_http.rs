//! Live sessions over loopback HTTP against the emulator: tokens the
//! emulator signed and its JWKS verifies, and a state that converges when
//! sessions end on another device.

mod common;

use std::time::Duration;

use clerk_dioxus::prelude::*;
use clerk_emulator::Route;
use common::emulator::*;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// What reached the emulator, as (route, status), loads included.
fn log(emulator: &clerk_emulator::Emulator) -> Vec<(Route, u16)> {
    emulator
        .requests()
        .iter()
        .filter_map(|r| r.route.map(|route| (route, r.status)))
        .collect()
}

fn verify(emulator: &clerk_emulator::Emulator, jwt: &str) -> Value {
    let kid = decode_header(jwt).unwrap().kid.unwrap();
    let jwks = emulator.jwks();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap();
    let key =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[emulator.url()]);
    decode::<Value>(jwt, &key, &validation).unwrap().claims
}

/// A load's `last_active_token` is the first cached token, as clerk-js's
/// cache starts: no token request until one is due.
#[tokio::test]
async fn the_first_token_comes_with_the_load_and_no_request() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    emulator.clear_requests();
    let jwt = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .expect("signed in");
    assert_eq!(log(&emulator), vec![], "served from the load's answer");
    let claims = verify(&emulator, &jwt);
    assert_eq!(
        claims["sid"],
        clerk.state().active_session_id.unwrap().as_str()
    );
    let active = clerk.state().active_session().unwrap().clone();
    assert_eq!(
        active.last_active_token.map(|t| t.jwt),
        Some(jwt),
        "the session's last_active_token"
    );
}

#[tokio::test]
async fn a_native_app_gets_a_token_the_emulators_jwks_verifies() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    emulator.clear_requests();
    // Past the load's token: a request of its own.
    let jwt = clerk
        .get_token(GetTokenOptions::new().skip_cache(true))
        .await
        .unwrap()
        .expect("signed in");
    let claims = verify(&emulator, &jwt);
    assert_eq!(
        claims["sid"],
        clerk.state().active_session_id.unwrap().as_str()
    );
    assert_eq!(claims["sub"], "user_ada");
    assert!(
        claims.get("azp").is_none(),
        "a native request has no Origin"
    );
    assert_eq!(
        clerk.get_token(GetTokenOptions::new()).await.unwrap(),
        Some(jwt),
        "cached"
    );
    assert_eq!(log(&emulator), vec![(Route::SessionToken, 200)]);

    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    emulator.clear_requests();
    assert_eq!(clerk.get_token(GetTokenOptions::new()).await.unwrap(), None);
    assert_eq!(
        log(&emulator),
        vec![],
        "no /tokens request for an ended session"
    );
}

/// The real fault case: the server no longer has the session (revoked on
/// another device). Signing it out answers 404; the handle reloads once and
/// succeeds, and the account is gone from the state.
#[tokio::test]
async fn signing_out_a_session_revoked_elsewhere_converges_with_one_reload() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let grace = clerk.state().session_list()[1].session.id.clone();
    assert!(emulator.end_session(&grace, true));
    emulator.clear_requests();

    let outcome = clerk
        .sign_out(SignOutOptions::new().session_id(grace.clone()))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        SignOutOutcome::AlreadySignedOut {
            session_id: Some(grace.clone())
        }
    );
    assert_eq!(
        log(&emulator),
        vec![(Route::RemoveSession, 404), (Route::GetClient, 200)],
        "at most one remove and one reload"
    );
    let state = clerk.state();
    assert!(state.signed_in_sessions().iter().all(|s| s.id != grace));
    assert_eq!(state.signed_in_sessions().len(), 2);
    assert_eq!(state.last_error, None, "no error to show");
}

#[tokio::test]
async fn a_token_request_for_a_session_ended_elsewhere_gives_none_and_converges() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    assert_eq!(emulator.end_all_sessions(), 3);
    emulator.clear_requests();
    // The load's token is cached: ask the server.
    let fresh = GetTokenOptions::new().skip_cache(true);
    assert_eq!(clerk.get_token(fresh).await.unwrap(), None);
    assert_eq!(
        log(&emulator),
        vec![(Route::SessionToken, 404), (Route::GetClient, 200)]
    );
    assert!(
        !clerk.state().is_signed_in(),
        "the state follows the server"
    );
}

/// A 2 s token lifetime on the emulator: the background sync keeps fetching
/// the next token before the last expires, over real HTTP.
#[tokio::test]
async fn tokens_are_refreshed_over_http_before_they_expire() {
    let (emulator, clerk) = short_lived().await;
    let first = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap();
    emulator.clear_requests();
    let watch = async {
        let mut seen = vec![first.clone()];
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(4_500) {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            let token = clerk
                .get_token(GetTokenOptions::new().leeway(Duration::ZERO))
                .await
                .unwrap()
                .unwrap();
            let exp = verify(&emulator, &token)["exp"].as_u64().unwrap();
            assert!(exp >= now, "a caller never gets an expired token");
            if seen.last() != Some(&token) {
                seen.push(token);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        seen
    };
    let seen = match futures_util::future::select(Box::pin(clerk.run_sync()), Box::pin(watch)).await
    {
        futures_util::future::Either::Right((seen, _)) => seen,
        futures_util::future::Either::Left(_) => panic!("the sync ended"),
    };
    let requests = emulator.count(Route::SessionToken);
    assert!(requests >= 2, "tokens were refreshed: {requests}");
    // One request per refresh period, and none early: each token was fetched
    // in the last second before the previous one expired (the emulator stamps
    // whole seconds, so the period is 1 to 1.5 s for 2 s tokens), never
    // before it and never after it expired.
    for pair in seen.windows(2) {
        let previous_exp = verify(&emulator, &pair[0])["exp"].as_u64().unwrap();
        let next_iat = verify(&emulator, &pair[1])["iat"].as_u64().unwrap();
        assert!(
            (previous_exp - 1..previous_exp).contains(&next_iat),
            "fetched at {next_iat}, for a token expiring at {previous_exp}"
        );
    }
    // The first token, then every refreshed one (the last may land after the
    // final look).
    assert!(
        seen.len() >= requests,
        "refreshed tokens reached callers: {} seen, {requests} fetched",
        seen.len()
    );
}

/// An emulator whose tokens live 2 s, and a native handle that loaded its client.
async fn short_lived() -> (clerk_emulator::Emulator, Clerk) {
    let emulator = common::emulator::emulator_with_lifetime(Duration::from_secs(2)).await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    (emulator, clerk)
}

/// Runs the handle's background sync for `how_long` of real time.
async fn sync_for(clerk: &Clerk, how_long: Duration) {
    let _ = tokio::time::timeout(how_long, clerk.run_sync()).await;
}

/// The spin of old: a token that had expired, and a refresh that kept
/// failing, made the sync refresh as fast as the failures came back (14,813
/// requests in 100 s measured on the demo). Now the tries back off: 1, 2, 4,
/// then 8 s at most, so 30 s of failures cost a handful of requests, and no
/// expired token is handed out meanwhile.
#[tokio::test]
async fn a_failing_refresh_of_an_expired_token_backs_off_instead_of_spinning() {
    let (emulator, clerk) = short_lived().await;
    emulator.inject(
        Route::SessionToken,
        clerk_emulator::Fault::error(503, "service_unavailable", "down"),
    );
    emulator.clear_requests();
    sync_for(&clerk, Duration::from_secs(30)).await;
    let refreshes = emulator.count(Route::SessionToken);
    // 2 s tokens, first due at 1.5 s; then waits of at most 1, 2, 4, 8, 8,
    // 8 s (at least half each): from 5 to 15 tries in 30 s.
    assert!(
        (4..=15).contains(&refreshes),
        "{refreshes} token requests in 30 s of failures"
    );
    assert_eq!(
        emulator.requests().len(),
        refreshes,
        "nothing else was sent: {:?}",
        emulator.requests()
    );
    let handed = clerk.get_token(GetTokenOptions::new()).await;
    assert!(
        matches!(handed, Err(clerk_dioxus::ClerkError::Api(_))),
        "the expired token is not handed out: {handed:?}"
    );
}

/// A `429` with `Retry-After: 5`: no request to that route for 5 s.
#[tokio::test]
async fn a_rate_limited_refresh_waits_as_long_as_retry_after_says() {
    let (emulator, clerk) = short_lived().await;
    emulator.inject(Route::SessionToken, clerk_emulator::Fault::rate_limited(5));
    emulator.clear_requests();
    let sync = clerk.run_sync();
    let watch = async {
        while emulator.count(Route::SessionToken) == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let first = std::time::Instant::now();
        while emulator.count(Route::SessionToken) == 1 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        first.elapsed()
    };
    let waited = tokio::select! {
        waited = watch => waited,
        () = sync => panic!("the sync ended"),
        () = tokio::time::sleep(Duration::from_secs(20)) => panic!("no second try in 20 s"),
    };
    assert!(
        waited >= Duration::from_millis(4950),
        "the second try came {waited:?} after the 429"
    );
    assert!(waited < Duration::from_secs(7), "{waited:?}");
}
