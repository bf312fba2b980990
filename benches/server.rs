//! Server-side verification (feature `server`): verifications per second with
//! a cached JWKS, and how many JWKS fetches a flood of unknown `kid`s causes.
//!
//! Beside `verify_cached_jwks`, in the same run, a baseline:
//! `parse_unverified`, decoding the same token's header and claims with no
//! signature check (jsonwebtoken's `insecure_decode`), the parsing share.
//!
//! `cargo bench --bench server --features server`

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use clerk_dioxus::server::{Rejection, Verifier};
use clerk_emulator::Emulator;
use divan::Bencher;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

/// A token the emulator signed, and a verifier that has its JWKS cached.
struct Fixture {
    _runtime: tokio::runtime::Runtime,
    _emulator: Emulator,
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
        _emulator: emulator,
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
    let started = Instant::now();
    let mut verified = 0u32;
    while started.elapsed().as_secs_f64() < 2.0 {
        now_or_never(fixture.verifier.verify(&fixture.token)).unwrap();
        verified += 1;
    }
    println!(
        "verifications per second on one core, cached JWKS: {:.0}",
        f64::from(verified) / started.elapsed().as_secs_f64()
    );
    divan::main();
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
