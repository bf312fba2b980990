//! The soak: a native (desktop) handle with 2 s session tokens, run for
//! minutes against the emulator over loopback HTTP, with focus events, app
//! calls and fault spells (503s, slow answers, dropped connections) mixed
//! in. Memory does not grow (the resident set after a warm-up and at the
//! end, both printed), every request the handle tried is one the emulator
//! logged, and once the handle is dropped no task of it is left.
//!
//! `./scripts/test` runs it for 150 s; the full run is 10 minutes:
//! `SOAK_SECS=600 cargo test -p clerk-dioxus --test soak -- --ignored --nocapture`.

mod common;

use std::time::{Duration, Instant};

use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore, TokenStore};
use clerk_dioxus::{Clerk, GetTokenOptions, SyncReason};
use clerk_emulator::{Emulator, Fault, Route};
use common::emulator::{emulator_with_lifetime, token_claims, unix_now, SEEDED_TOKEN};
use common::network::Tally;

/// The resident set of this process, in KiB (Linux's `/proc/self/status`).
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// A fault spell: which route, and what goes wrong there.
fn spell(number: u64) -> (Route, Fault) {
    match number % 4 {
        0 => (
            Route::SessionToken,
            Fault::error(503, "service_unavailable", "down"),
        ),
        1 => (Route::TouchSession, Fault::Delay { ms: 400 }),
        2 => (Route::SessionToken, Fault::Drop),
        _ => (Route::GetClient, Fault::error(502, "bad_gateway", "proxy")),
    }
}

#[tokio::test]
#[ignore = "minutes long: scripts/test runs it as a step of its own"]
async fn a_native_handle_with_2_s_tokens_runs_for_minutes_without_growing_or_leaking() {
    let seconds: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let emulator = emulator_with_lifetime(Duration::from_secs(2)).await;
    let tasks_before = tasks_once_settled(&emulator).await;
    let tally = Tally::install();
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    let clerk = Clerk::new(
        FapiBackend::from_frontend_api_url(emulator.url())
            .unwrap()
            .token_store(store)
            .timeout(Duration::from_secs(2))
            .build(),
    );
    let changes = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counter = changes.clone();
    let subscription = clerk.subscribe(move |_| counter.set(counter.get() + 1));
    let local = tokio::task::LocalSet::new();
    let sync = local.spawn_local(clerk.run_sync());
    let mut logged = 0usize;
    let mut tokens_handed = 0u64;
    let (warm, end) = local
        .run_until(async {
            clerk.load().await.unwrap();
            let started = Instant::now();
            let mut warm = None;
            let mut tick = 0u64;
            while started.elapsed() < Duration::from_secs(seconds) {
                tokio::time::sleep(Duration::from_millis(250)).await;
                tick += 1;
                // A focus about every 3 s, an app call every second.
                if tick.is_multiple_of(12) {
                    clerk.resync(SyncReason::Focus);
                }
                if tick.is_multiple_of(4) {
                    let options = GetTokenOptions::new().leeway(Duration::from_millis(300));
                    match clerk.get_token(options).await {
                        Ok(Some(jwt)) => {
                            tokens_handed += 1;
                            let exp = token_claims(&jwt)["exp"].as_f64().unwrap();
                            assert!(exp > unix_now(), "an expired token was handed out");
                        }
                        Ok(None) => panic!("signed out by the soak"),
                        Err(error) => assert!(error.is_unreachable(), "{error:?}"),
                    }
                }
                // A 5 s fault spell every 20 s.
                match tick % 80 {
                    40 => {
                        let (route, fault) = spell(tick / 80);
                        emulator.inject(route, fault);
                    }
                    60 => emulator.clear_faults(),
                    _ => {}
                }
                // Count the log as it goes, so the emulator keeps none of it.
                if tick.is_multiple_of(40) {
                    logged += emulator.take_requests().len();
                }
                if warm.is_none() && started.elapsed() >= Duration::from_secs(30) {
                    warm = Some(resident_kib());
                }
            }
            emulator.clear_faults();
            // Let what is in flight land before counting.
            while clerk.requests_in_flight() > 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            (warm.expect("past the warm-up"), resident_kib())
        })
        .await;
    logged += emulator.take_requests().len();
    let tried = tally.requests();
    eprintln!(
        "soak: {seconds} s, {tried} requests ({:.1}/min), {tokens_handed} tokens handed out, {} state changes; resident set {warm} KiB after 30 s, {end} KiB at the end",
        tried as f64 * 60.0 / seconds as f64,
        changes.get()
    );
    assert_eq!(
        tried, logged,
        "every request the handle tried reached the emulator"
    );
    assert!(clerk.state().is_signed_in());
    // Memory: a plateau, not a slope (allocator noise is well under 2 MiB).
    assert!(
        end <= warm + 2048,
        "the resident set grew from {warm} KiB to {end} KiB"
    );
    // Nothing left behind: the sync ends with the handle, and the tasks
    // it and its HTTP client started (connections) are gone.
    drop(subscription);
    drop(clerk);
    local
        .run_until(async {
            tokio::time::timeout(Duration::from_secs(1), sync)
                .await
                .expect("the sync ended with the handle")
                .unwrap();
        })
        .await;
    drop(local);
    let started = Instant::now();
    loop {
        let alive = tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks();
        if alive <= tasks_before {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{alive} tasks alive, {tasks_before} before the handle"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The runtime's tasks once the emulator has served a handle that is gone
/// (its server keeps one task of its own from the first connection on),
/// counted when the number has stopped falling for half a second.
async fn tasks_once_settled(emulator: &Emulator) -> usize {
    let (probe, _store) = common::emulator::native_clerk(emulator);
    probe.load().await.unwrap();
    drop(probe);
    let alive = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };
    let (mut count, mut since) = (alive(), Instant::now());
    while since.elapsed() < Duration::from_millis(500) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if alive() < count {
            (count, since) = (alive(), Instant::now());
        }
    }
    emulator.clear_requests();
    count
}
