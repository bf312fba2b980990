//! Server-side verification (feature `server`): verifications per second with
//! a cached JWKS, on one thread and on two, `authenticate_request` for a
//! cookie and a header request, and how many JWKS fetches a flood of
//! unknown `kid`s causes.
//!
//! Beside `verify_cached_jwks`, in the same run, the baselines:
//! `signature_only`, the RS256 check of the same token's signature with
//! the key parsed once (the cost no verifier avoids);
//! `signature_jsonwebtoken`, the same check through jsonwebtoken, which
//! rebuilds the key on every call; and `parse_unverified`, decoding its
//! header and claims with no signature check (jsonwebtoken's
//! `insecure_decode`).
//! The token and the instance's PEM are written to a file that
//! `e2e/bench-server.mjs` reads, so that `@clerk/backend`'s `verifyToken`
//! runs on the same token: `./scripts/bench-server` runs both.
//!
//! `cargo bench --bench server --features server`

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use clerk_dioxus::server::{Rejection, Verifier};
use clerk_emulator::Emulator;
use divan::Bencher;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};

/// A token the emulator signed, and a verifier that has its JWKS cached.
struct Fixture {
    _runtime: tokio::runtime::Runtime,
    emulator: Emulator,
    verifier: Verifier,
    token: String,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn fixture() -> Fixture {
    let runtime = runtime();
    let emulator = runtime.block_on(Emulator::start()).unwrap();
    let verifier = Verifier::builder(emulator.url()).unwrap().build().unwrap();
    let token = forge(&emulator, &emulator.key_id());
    runtime
        .block_on(verifier.verify(&token))
        .expect("verifies, and caches the JWKS");
    Fixture {
        _runtime: runtime,
        emulator,
        verifier,
        token,
    }
}

/// A token signed with the emulator's key, naming `kid`.
fn forge(emulator: &Emulator, kid: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = serde_json::json!({
        "sub": "user_ada", "sid": "sess_bench", "iss": emulator.url(), "iat": now,
        "nbf": now - 10, "exp": now + 3600, "v": 2, "sts": "active",
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(emulator.signing_key_pem().as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

/// A verification with the JWKS cached never waits: one poll finishes it.
fn now_or_never<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a cached verification does not wait"),
    }
}

fn main() {
    flood();
    let fixture = fixture();
    let one = per_second(&fixture, 1);
    let two = per_second(&fixture, 2);
    println!("verifications per second on one core, cached JWKS: {one:.0}");
    println!(
        "on two threads: {two:.0} ({:.2}x one; {} cores here)",
        two / one,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    ratios(&fixture);
    let shared = std::env::temp_dir().join("clerk-dioxus-bench-server.json");
    let handoff = serde_json::json!({
        "token": fixture.token,
        "pem": fixture.emulator.public_key_pem(),
        "verifications_per_second": one,
    });
    if std::fs::write(&shared, handoff.to_string()).is_ok() {
        println!(
            "the token and PEM for e2e/bench-server.mjs: {}",
            shared.display()
        );
    }
    divan::main();
}

/// The goals' ratios, measured so that the host's noise (these machines
/// are shared) falls on both sides alike: the two sides run in alternate
/// blocks of 200, 30 blocks each, and the ratio is the median of the
/// blocks' ratios.
fn ratios(fixture: &Fixture) {
    use base64::Engine;
    let floor = bare_check(fixture);
    let verify = || {
        now_or_never(fixture.verifier.verify(&fixture.token)).unwrap();
    };
    let (cookie, header) = (
        cookie_request(&fixture.token),
        header_request(&fixture.token),
    );
    let by_cookie = || {
        assert!(now_or_never(fixture.verifier.authenticate_request(&cookie))
            .auth()
            .is_some());
    };
    let by_header = || {
        assert!(now_or_never(fixture.verifier.authenticate_request(&header))
            .auth()
            .is_some());
    };
    let ratio = |a: &dyn Fn(), b: &dyn Fn()| {
        let block = |f: &dyn Fn()| {
            let started = Instant::now();
            for _ in 0..200 {
                f();
            }
            started.elapsed().as_secs_f64()
        };
        let mut ratios: Vec<f64> = (0..30).map(|_| block(a) / block(b)).collect();
        ratios.sort_by(f64::total_cmp);
        ratios[15]
    };
    println!(
        "verify / the bare signature check (decode + RS256, key parsed once): {:.3}x",
        ratio(&verify, &floor)
    );
    // What verify spends beyond the floor, piece by piece (median ns of
    // 30 blocks of 200): decoding the header and payload, reading the
    // claims, building the `Auth`.
    let each = |f: &dyn Fn()| {
        let mut times: Vec<f64> = (0..30)
            .map(|_| {
                let started = Instant::now();
                for _ in 0..200 {
                    f();
                }
                started.elapsed().as_secs_f64() * 1e9 / 200.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[15]
    };
    let mut parts = fixture.token.split('.');
    let (head, body) = (parts.next().unwrap(), parts.next().unwrap());
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = url.decode(body).unwrap();
    let claims: clerk_dioxus::server::SessionClaims = serde_json::from_slice(&payload).unwrap();
    println!(
        "  beyond it, in ns: the floor {:.0}, verify {:.0}; decoding header and payload {:.0}, \
         reading the claims {:.0}, building the Auth {:.0}",
        each(&floor),
        each(&verify),
        each(&|| {
            std::hint::black_box((url.decode(head).unwrap(), url.decode(body).unwrap()));
        }),
        each(&|| {
            std::hint::black_box(
                serde_json::from_slice::<clerk_dioxus::server::SessionClaims>(&payload).unwrap(),
            );
        }),
        each(&|| {
            std::hint::black_box(clerk_dioxus::server::Auth::from(claims.clone()));
        }),
    );
    println!(
        "authenticate_request / verify: cookie request {:.3}x, header request {:.3}x",
        ratio(&by_cookie, &verify),
        ratio(&by_header, &verify)
    );
}

/// Verifications per second with `threads` threads verifying the same
/// token back to back for 2 s: a lock on the path would keep two from
/// doubling one.
fn per_second(fixture: &Fixture, threads: usize) -> f64 {
    let started = Instant::now();
    let total: u64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (verifier, token) = (fixture.verifier.clone(), fixture.token.clone());
                scope.spawn(move || {
                    let mut verified = 0u64;
                    while started.elapsed() < Duration::from_secs(2) {
                        now_or_never(verifier.verify(&token)).unwrap();
                        verified += 1;
                    }
                    verified
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    total as f64 / started.elapsed().as_secs_f64()
}

/// 10,000 tokens with unknown `kid`s, all at once, after the interval: the
/// JWKS is fetched once for all of them (and not again for a second wave).
fn flood() {
    let runtime = runtime();
    let emulator = runtime.block_on(Emulator::start()).unwrap();
    let verifier = Verifier::builder(emulator.url()).unwrap().build().unwrap();
    let forged: Vec<String> = (0..10_000)
        .map(|n| forge(&emulator, &format!("kid_{n}")))
        .collect();
    let (first, second) = runtime.block_on(async {
        let first = futures_util::future::join_all(forged.iter().map(|t| verifier.verify(t))).await;
        let after_first = verifier.jwks_fetches();
        let _ = futures_util::future::join_all(forged.iter().map(|t| verifier.verify(t))).await;
        (first, (after_first, verifier.jwks_fetches()))
    });
    assert!(first.iter().all(|r| *r == Err(Rejection::UnknownKey)));
    println!(
        "JWKS fetches for 10,000 tokens with unknown kids: {} (a second wave within the interval: {} more)",
        second.0,
        second.1 - second.0
    );
}

#[divan::bench(sample_count = 1000)]
fn verify_cached_jwks(bencher: Bencher) {
    let fixture = fixture();
    bencher.bench_local(|| now_or_never(fixture.verifier.verify(&fixture.token)).unwrap());
}

#[divan::bench(sample_count = 1000)]
fn parse_unverified(bencher: Bencher) {
    let fixture = fixture();
    bencher.bench_local(|| {
        jsonwebtoken::dangerous::insecure_decode::<serde_json::Value>(&fixture.token).unwrap()
    });
}

/// The floor, as a call: the token's signature decoded (base64url, as it
/// comes) and checked, RS256 with the key parsed once (aws-lc-rs, as the
/// verifier holds it). Nothing else a verifier does is unavoidable.
fn bare_check(fixture: &Fixture) -> impl Fn() + '_ {
    use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
    use base64::Engine;
    let (message, signature) = fixture.token.rsplit_once('.').unwrap();
    let pem = fixture.emulator.public_key_pem();
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            pem.lines()
                .filter(|line| !line.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der).unwrap();
    move || {
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .unwrap();
        key.verify_sig(message.as_bytes(), &signature).unwrap();
    }
}

/// [`bare_check`], timed.
#[divan::bench(sample_count = 1000)]
fn signature_only(bencher: Bencher) {
    let fixture = fixture();
    let check = bare_check(&fixture);
    bencher.bench_local(check);
}

/// The same check through jsonwebtoken's `crypto::verify`, which rebuilds
/// the key from its bytes on every call (what a verifier built on
/// jsonwebtoken alone pays).
#[divan::bench(sample_count = 1000)]
fn signature_jsonwebtoken(bencher: Bencher) {
    let fixture = fixture();
    let (message, signature) = fixture.token.rsplit_once('.').unwrap();
    let key = DecodingKey::from_rsa_pem(fixture.emulator.public_key_pem().as_bytes()).unwrap();
    bencher.bench_local(|| {
        assert!(
            jsonwebtoken::crypto::verify(signature, message.as_bytes(), &key, Algorithm::RS256)
                .unwrap()
        )
    });
}

/// A browser's `fetch` to the app's API: `__session` and `__client_uat`.
fn cookie_request(token: &str) -> http::Request<()> {
    let uat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 60;
    http::Request::get("/api/me")
        .header("host", "app.example.com")
        .header("sec-fetch-dest", "empty")
        .header(
            "cookie",
            format!("theme=dark; __session={token}; __client_uat={uat}"),
        )
        .body(())
        .unwrap()
}

/// A native app's call: `Authorization: Bearer`.
fn header_request(token: &str) -> http::Request<()> {
    http::Request::get("/api/me")
        .header("host", "api.example.com")
        .header("authorization", format!("Bearer {token}"))
        .body(())
        .unwrap()
}

#[divan::bench(sample_count = 1000)]
fn authenticate_request_cookie(bencher: Bencher) {
    let fixture = fixture();
    let request = cookie_request(&fixture.token);
    bencher.bench_local(|| {
        let state = now_or_never(fixture.verifier.authenticate_request(&request));
        assert!(state.auth().is_some(), "{:?}", state.reason());
    });
}

#[divan::bench(sample_count = 1000)]
fn authenticate_request_header(bencher: Bencher) {
    let fixture = fixture();
    let request = header_request(&fixture.token);
    bencher.bench_local(|| {
        let state = now_or_never(fixture.verifier.authenticate_request(&request));
        assert!(state.auth().is_some(), "{:?}", state.reason());
    });
}
