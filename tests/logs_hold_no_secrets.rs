//! No token, cookie, JWT or password reaches logs or `Debug` output.
//!
//! A test binary of its own, with one global capturing subscriber: `tracing`
//! caches each callsite's interest process-wide, so a thread-local subscriber
//! misses events when another test hits the same callsite first without one.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use clerk_dioxus::backend::fapi::{
    FapiBackend, FileTokenStore, MemoryTokenStore, TokenStore, TokenStoreError,
};
use clerk_dioxus::{ApiError, CallKind, Clerk, MemoryBackend, SignOutOptions};
use common::emulator::*;

/// A store that remembers every token it was given, to search logs for them.
#[derive(Clone, Default)]
struct Recording {
    inner: MemoryTokenStore,
    seen: Rc<RefCell<Vec<String>>>,
}

impl TokenStore for Recording {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        self.inner.load()
    }
    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        self.seen.borrow_mut().push(token.to_owned());
        self.inner.save(token)
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        self.inner.clear()
    }
}

#[tokio::test]
async fn sign_outs_are_traced_and_no_token_reaches_logs_or_debug() {
    let captured = common::CapturedLogs::global();

    let backend = MemoryBackend::demo();
    let clerk = Clerk::new(backend.clone());
    clerk.load().await.unwrap();
    let tokens: Vec<String> = clerk
        .state()
        .signed_in_sessions()
        .iter()
        .map(|s| {
            s.last_active_token
                .as_ref()
                .expect("demo sessions carry a token")
                .jwt
                .clone()
        })
        .collect();
    let signed_in_debug = format!("{:?}", clerk.state());
    assert!(
        signed_in_debug.contains("SessionToken(<redacted>)"),
        "the signed-in state shows its tokens redacted: {signed_in_debug}"
    );
    let other = clerk.state().session_list()[2].session.id.clone();
    clerk
        .sign_out(SignOutOptions::new().session_id(other))
        .await
        .unwrap();
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(500, "internal_clerk_error", "down"),
    );
    clerk.sign_out(SignOutOptions::new()).await.unwrap_err();
    backend.recover();
    clerk.sign_out(SignOutOptions::new()).await.unwrap();

    let logs = captured.text();
    assert!(logs.contains("clerk.sign_out"), "{logs}");
    assert!(
        logs.contains("scope=\"other_session\"") || logs.contains("scope=other_session"),
        "{logs}"
    );
    assert!(
        logs.contains("outcome=\"error\"") || logs.contains("outcome=error"),
        "{logs}"
    );
    assert!(logs.contains("duration_ms="), "{logs}");
    let debug = format!(
        "{signed_in_debug} {:?} {:?} {:?}",
        clerk,
        clerk.state(),
        backend.client()
    );
    for token in &tokens {
        assert!(!logs.contains(token.as_str()), "token in logs: {logs}");
        assert!(
            !debug.contains(token.as_str()),
            "token in Debug output: {debug}"
        );
    }
}

#[tokio::test]
async fn no_token_cookie_jwt_or_password_reaches_logs_or_debug_output() {
    let captured = common::CapturedLogs::global();

    let emulator = emulator().await;
    let store = Recording::default();
    store.save(SEEDED_TOKEN).unwrap();
    let backend = FapiBackend::from_frontend_api_url(emulator.url())
        .unwrap()
        .token_store(store.clone())
        .build();
    let backend_debug = format!("{backend:?}");
    let clerk = Clerk::new(backend);
    clerk.load().await.unwrap();
    let mut secrets: Vec<String> = clerk
        .state()
        .signed_in_sessions()
        .iter()
        .filter_map(|s| s.last_active_token.as_ref().map(|t| t.jwt.clone()))
        .collect();
    assert_eq!(secrets.len(), 3, "the emulator hands out session JWTs");
    let grace = clerk.state().session_list()[1].session.id.clone();
    clerk.set_active(&grace).await.unwrap();
    clerk
        .sign_out(SignOutOptions::new().session_id(grace))
        .await
        .unwrap();
    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    clerk
        .sign_in_with_password("alan@example.com", "pw-alan")
        .await
        .unwrap();
    let refused = clerk
        .sign_in_with_password("ada@example.com", "wrong-secret-pw")
        .await;
    assert_eq!(
        refused.unwrap_err().code(),
        Some("form_password_incorrect"),
        "the wrong password reached the server and was refused there"
    );
    secrets.extend(store.seen.borrow().iter().cloned());
    secrets.extend(["pw-alan".to_owned(), "wrong-secret-pw".to_owned()]);

    let logs = captured.text();
    assert!(logs.contains("clerk.sign_out"), "the capture works");
    let debug = format!(
        "{clerk:?} {:?} {backend_debug} {:?} {:?} {:?}",
        clerk.state(),
        store.inner,
        emulator.requests(),
        FileTokenStore::new("/tmp/x")
    );
    assert!(
        store.seen.borrow().len() >= 5,
        "tokens were rotated: {}",
        store.seen.borrow().len()
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret reached the logs: {secret}"
        );
        assert!(
            !debug.contains(secret.as_str()),
            "a secret reached Debug output: {secret}"
        );
    }
}

/// Serialising the client (for hydration, a cache or a log) leaves every
/// session token out, and the rest of the session in.
#[tokio::test]
async fn a_serialised_client_holds_no_session_token() {
    let clerk = Clerk::new(MemoryBackend::demo());
    clerk.load().await.unwrap();
    let client = clerk.state().client.expect("loaded");
    let jwts: Vec<String> = client
        .sessions
        .iter()
        .filter_map(|s| s.last_active_token.as_ref().map(|t| t.jwt.clone()))
        .collect();
    assert_eq!(jwts.len(), 3, "the demo sessions carry tokens to leak");
    let json = serde_json::to_string(&*client).unwrap();
    for jwt in &jwts {
        assert!(!json.contains(jwt.as_str()), "a JWT in {json}");
    }
    assert!(!json.contains("last_active_token"), "{json}");
    assert!(
        json.contains(&client.sessions[0].id),
        "the sessions are still there: {json}"
    );
}
