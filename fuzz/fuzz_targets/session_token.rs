//! Server-side token handling: reading the token from request headers, and
//! verifying whatever arrives, never panics; and nothing an attacker can
//! send without the instance's private key is accepted.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use clerk_dioxus::server::{session_token, Verifier};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;

/// A verifier with a public key whose private half nobody has: no input
/// may verify.
fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::builder("https://clerk.example.com")
            .expect("a valid URL")
            .pem_key(include_str!("../fixtures/verify-key.pem"))
            .build()
            .expect("a valid key")
    })
}

fn now_or_never<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("verifying with a PEM key never waits"),
    }
}

fuzz_target!(|data: &[u8]| {
    // The input as one header: the first byte picks which.
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let name = match which % 3 {
        0 => "authorization",
        1 => "cookie",
        _ => "x-other",
    };
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(rest) {
        headers.insert(HeaderName::from_static(name), value);
    }
    let from_headers = now_or_never(verifier().authenticate(&headers));
    assert!(from_headers.is_err(), "forged without the private key, yet accepted");
    if let Some(token) = session_token(&headers) {
        assert!(!token.is_empty());
    }
    // And the input as a raw token.
    let text = String::from_utf8_lossy(rest);
    assert!(now_or_never(verifier().verify(&text)).is_err());
});
