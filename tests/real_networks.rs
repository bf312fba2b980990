//! Real networks, natively, over loopback HTTP against the emulator: an
//! outage (every route answering 503, then the port refusing connections)
//! with tokens that expire inside it, focus events in bursts, concurrent
//! answers that rotate the client token out of order, and a server clock
//! ten minutes off. Time is compressed with short token lifetimes.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore, TokenStore};
use clerk_dioxus::{Clerk, ClerkBackend, ClerkError, GetTokenOptions, SyncReason};
use clerk_emulator::{Emulator, Fault, Route};
use common::emulator::{seed, token_claims, unix_now, SEEDED_CLIENT, SEEDED_TOKEN};
use common::network::{Outage, Tally};

/// Every route a signed-in handle calls by itself.
const BACKGROUND_ROUTES: [Route; 5] = [
    Route::GetClient,
    Route::TouchSession,
    Route::SessionToken,
    Route::Environment,
    Route::ActiveSessions,
];

/// A native handle on the seeded client, through `url`.
fn handle_at(url: &str) -> Clerk {
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    let backend = FapiBackend::from_frontend_api_url(url)
        .unwrap()
        .token_store(store)
        .timeout(Duration::from_secs(2))
        .build();
    Clerk::new(backend)
}

async fn emulator_with(lifetime: Duration, clock_offset_secs: i64) -> Emulator {
    Emulator::builder()
        .seed(seed())
        .token_lifetime(lifetime)
        .clock_offset_secs(clock_offset_secs)
        .start()
        .await
        .unwrap()
}

/// Waits, polling, until `done` holds; panics after `limit`.
async fn until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    started.elapsed()
}

/// What the app sees at any moment of an outage: still signed in, the state
/// marked stale, and `get_token` either a token still valid or the typed
/// error, never an expired token.
/// Returns whether the answer was [`ClerkError::Offline`].
async fn assert_outage_view(clerk: &Clerk, expected: fn(&ClerkError) -> bool) -> bool {
    let state = clerk.state();
    assert!(state.is_signed_in(), "an outage signs nobody out");
    assert!(state.stale_since.is_some(), "the state is marked stale");
    assert!(state.auth().is_stale);
    match clerk
        .get_token(GetTokenOptions::new().leeway(Duration::from_millis(500)))
        .await
    {
        Ok(Some(jwt)) => {
            let exp = token_claims(&jwt)["exp"].as_f64().unwrap();
            assert!(exp > unix_now(), "an expired token was handed out");
            false
        }
        Ok(None) => panic!("signed out during the outage"),
        Err(error) => {
            assert!(expected(&error), "unexpected error {error:?}");
            matches!(error, ClerkError::Offline(_))
        }
    }
}

/// 20 s of 503s on every route, then 20 s of refused connections, with
/// 4 s tokens (so that they expire inside the outage) and a focus every 8 s.
/// The handle tries at most 30 requests a minute (20 in the 40 s), keeps
/// the user signed in and the state marked stale, never hands out an
/// expired token, says `Offline` once the port refuses, and has a fresh
/// token from its own sync within 10 s of the end.
#[tokio::test]
async fn an_outage_costs_at_most_30_requests_a_minute_and_a_fresh_token_comes_within_10_s() {
    let tally = Tally::install();
    let emulator = emulator_with(Duration::from_secs(4), 0).await;
    let mut network = Outage::forward_to(emulator.url()).await;
    let clerk = handle_at(&network.url());
    clerk.load().await.unwrap();
    clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap();
    let sync = clerk.run_sync();
    let scenario = async {
        emulator.clear_requests();
        for route in BACKGROUND_ROUTES {
            emulator.inject(
                route,
                Fault::error(503, "service_unavailable", "Clerk is down"),
            );
        }
        let before = tally.requests();
        let started = Instant::now();
        for tick in 1..=5u32 {
            if !tick.is_multiple_of(2) {
                clerk.resync(SyncReason::Focus);
            }
            tokio::time::sleep(Duration::from_secs(4)).await;
            assert_outage_view(&clerk, ClerkError::is_unreachable).await;
            assert!(tick < 5 || started.elapsed() >= Duration::from_secs(20));
        }
        // Every request tried reached the emulator, and got its 503.
        let logged = emulator.requests();
        assert_eq!(tally.requests() - before, logged.len(), "{logged:?}");
        assert!(logged.iter().all(|r| r.status == 503), "{logged:?}");

        network.refuse().await;
        emulator.clear_faults();
        // The last failure is answered again while its backoff runs: the
        // 503 first, then `Offline`.
        let mut offline = 0;
        for tick in 1..=5u32 {
            if tick.is_multiple_of(2) {
                clerk.resync(SyncReason::Focus);
            }
            tokio::time::sleep(Duration::from_secs(4)).await;
            offline += assert_outage_view(&clerk, ClerkError::is_unreachable).await as usize;
        }
        assert!(offline > 0, "get_token says Offline once the port refuses");
        let tried = tally.requests() - before;
        eprintln!("{tried} requests in {:?} of outage", started.elapsed());
        assert!(
            tried <= 20,
            "{tried} requests in 40 s of outage: {:#?}",
            &tally.lines()[tally.lines().len() - tried..]
        );

        emulator.clear_requests();
        network.restore().await;
        let recovered = until(
            Duration::from_secs(10),
            "a fresh token after the outage",
            || {
                emulator
                    .requests()
                    .iter()
                    .any(|r| r.route == Some(Route::SessionToken) && r.status == 200)
            },
        )
        .await;
        eprintln!("a fresh token {recovered:?} after the outage");
        until(Duration::from_secs(2), "the stale mark cleared", || {
            clerk.state().stale_since.is_none()
        })
        .await;
        let jwt = clerk
            .get_token(GetTokenOptions::new().leeway(Duration::from_secs(1)))
            .await
            .unwrap()
            .unwrap();
        assert!(token_claims(&jwt)["exp"].as_f64().unwrap() > unix_now() + 1.0);
        assert!(clerk.state().is_signed_in());
    };
    tokio::select! {
        () = scenario => {}
        () = sync => panic!("the sync ended"),
    }
}

/// While a `429` holds a route, the app's own calls to it answer the same
/// `429` at once, with the wait left, and send nothing.
#[tokio::test]
async fn a_rate_limited_route_is_not_called_again_before_retry_after() {
    let tally = Tally::install();
    let emulator = emulator_with(Duration::from_secs(60), 0).await;
    let clerk = handle_at(emulator.url());
    clerk.load().await.unwrap();
    emulator.inject(Route::SessionToken, Fault::rate_limited(5));
    let options = || GetTokenOptions::new().skip_cache(true);
    let first = clerk.get_token(options()).await.unwrap_err();
    let limited_at = Instant::now();
    assert_eq!(first.code(), Some("too_many_requests"));
    emulator.clear_faults();
    let sent = tally.requests_to("tokens");
    assert_eq!(sent, 1);
    for _ in 0..10 {
        let held = clerk.get_token(options()).await.unwrap_err();
        let ClerkError::Api(api) = &held else {
            panic!("{held:?}")
        };
        assert_eq!(api.status, 429);
        assert!(api.retry_after.unwrap() <= Duration::from_secs(5));
    }
    assert_eq!(tally.requests_to("tokens"), sent, "nothing sent while held");
    let elapsed = limited_at.elapsed();
    tokio::time::sleep(Duration::from_secs(5).saturating_sub(elapsed)).await;
    let jwt = clerk.get_token(options()).await.unwrap();
    assert!(jwt.is_some(), "the route opens after Retry-After");
    assert_eq!(tally.requests_to("tokens"), sent + 1);
}

/// A burst of focus events causes one touch at once and one more when the
/// 5 s since it are over (for the focus that came meanwhile), not twenty;
/// one after that, one more. Clerk-js throttles its focus touch the same
/// way, and drops the focus that came meanwhile.
#[tokio::test]
async fn focus_touches_at_most_once_in_5_s() {
    let emulator = emulator_with(Duration::from_secs(60), 0).await;
    let clerk = handle_at(emulator.url());
    clerk.load().await.unwrap();
    let sync = clerk.run_sync();
    let scenario = async {
        emulator.clear_requests();
        let started = Instant::now();
        for _ in 0..20 {
            clerk.resync(SyncReason::Focus);
            clerk.resync(SyncReason::Visible);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            emulator.count(Route::TouchSession),
            1,
            "{:?}",
            emulator.requests()
        );
        // The focus held back is served once 5 s are over, and only then.
        until(Duration::from_secs(6), "the held-back touch", || {
            emulator.count(Route::TouchSession) == 2
        })
        .await;
        let second = started.elapsed();
        assert!(
            second >= Duration::from_millis(4900),
            "the second touch came {second:?} after the burst began"
        );
        // Past the interval: the next focus touches again, at once.
        tokio::time::sleep(Duration::from_secs(5).saturating_sub(started.elapsed() - second)).await;
        clerk.resync(SyncReason::Focus);
        until(Duration::from_secs(2), "the third touch", || {
            emulator.count(Route::TouchSession) == 3
        })
        .await;
        // Coming back online is not bounded: it reloads at once.
        clerk.resync(SyncReason::Online);
        until(Duration::from_secs(2), "the reload", || {
            emulator.count(Route::GetClient) == 1
        })
        .await;
        assert_eq!(emulator.requests().len(), 4, "{:?}", emulator.requests());
    };
    tokio::select! {
        () = scenario => {}
        () = sync => panic!("the sync ended"),
    }
}

/// Two requests in flight, the first sent answering last: the client token
/// kept is the one of the answer to the request sent last, not the one
/// that happened to land last (Clerk rotates the token on answers).
#[tokio::test]
async fn a_slow_answer_does_not_put_back_an_older_client_token() {
    use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
    let emulator = common::emulator::emulator().await;
    let client = emulator.client_json(SEEDED_CLIENT);
    let body = serde_json::json!({ "response": client, "client": null }).to_string();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().route(
        "/v1/client",
        axum::routing::get(move || {
            let number = counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            async move {
                let token = match number {
                    0 => {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        "native_sent_first"
                    }
                    _ => "native_sent_second",
                };
                (
                    [(AUTHORIZATION, token), (CONTENT_TYPE, "application/json")],
                    body,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    let backend = FapiBackend::from_frontend_api_url(&url)
        .unwrap()
        .token_store(store.clone())
        .build();
    let first = backend.load_client();
    let second = async {
        while hits.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        backend.load_client().await
    };
    let (first, second) = tokio::join!(first, second);
    first.unwrap();
    second.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(
        store.load().unwrap().as_deref(),
        Some("native_sent_second"),
        "the token of the later request stays"
    );
}

/// A server clock 10 minutes ahead of the device's, and 10 minutes behind:
/// every token handed out is valid on the server's clock, and the sync
/// refreshes 4 s tokens on their schedule (every 3 s), neither spinning
/// on "expired" tokens nor waiting out a lifetime it misread.
#[tokio::test]
async fn a_clock_ten_minutes_off_either_way_keeps_tokens_valid_and_on_schedule() {
    for skew in [600, -600] {
        let emulator = emulator_with(Duration::from_secs(4), skew).await;
        let clerk = handle_at(emulator.url());
        clerk.load().await.unwrap();
        let server_now = || unix_now() + skew as f64;
        let first = clerk
            .get_token(GetTokenOptions::new())
            .await
            .unwrap()
            .unwrap();
        assert!(token_claims(&first)["exp"].as_f64().unwrap() > server_now());
        emulator.clear_requests();
        let sync = clerk.run_sync();
        let scenario = async {
            for _ in 0..24 {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let jwt = clerk
                    .get_token(GetTokenOptions::new().leeway(Duration::from_millis(500)))
                    .await
                    .unwrap()
                    .unwrap();
                let exp = token_claims(&jwt)["exp"].as_f64().unwrap();
                assert!(exp > server_now(), "skew {skew}: an expired token");
            }
        };
        tokio::select! {
            () = scenario => {}
            () = sync => panic!("the sync ended"),
        }
        // 12 s of 4 s tokens refreshed 1 s early: 4 refreshes, give or take one.
        let refreshes = emulator.count(Route::SessionToken);
        assert!(
            (3..=5).contains(&refreshes),
            "skew {skew}: {refreshes} token requests in 12 s: {:?}",
            emulator.requests()
        );
    }
}
