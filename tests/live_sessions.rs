//! Live sessions, headless: session tokens (cache, sharing, refresh, and the
//! races with sign-out), a state that follows the server (sessions ended
//! elsewhere, equal stamps, failed first loads), and the loading components.

mod common;

use std::cell::{Cell, RefCell};
use std::time::Duration;

use base64::Engine;
use clerk_dioxus::prelude::*;
use clerk_dioxus::{BackendCall, CallKind, KeyError, SyncReason};
use common::{demo, Harness};

const LIMIT: Duration = Duration::from_secs(10);

/// `(iat, exp, jti)` of a token the in-memory backend issued.
fn claims(jwt: &str) -> (f64, f64, u64) {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON claims");
    (
        value["iat"].as_f64().unwrap(),
        value["exp"].as_f64().unwrap(),
        value["jti"].as_u64().unwrap(),
    )
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[tokio::test]
async fn a_cached_token_is_served_without_a_request_and_concurrent_callers_share_one() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    backend.clear_calls();

    let calls: Vec<_> = (0..100)
        .map(|_| clerk.get_token(GetTokenOptions::new()))
        .collect();
    let tokens = futures_util::future::join_all(calls).await;
    assert_eq!(
        backend.call_count(CallKind::SessionToken),
        1,
        "100 callers, one request"
    );
    let first = tokens[0].clone().unwrap().expect("signed in: a token");
    assert!(tokens
        .iter()
        .all(|t| t.as_ref().unwrap().as_deref() == Some(first.as_str())));

    let cached = clerk.get_token(GetTokenOptions::new()).await.unwrap();
    assert_eq!(cached.as_deref(), Some(first.as_str()));
    assert_eq!(
        backend.call_count(CallKind::SessionToken),
        1,
        "a cache hit sends nothing"
    );

    let fresh = clerk
        .get_token(GetTokenOptions::new().skip_cache(true))
        .await
        .unwrap()
        .unwrap();
    assert_ne!(fresh, first, "skip_cache fetches a new one");
    let templated = clerk
        .get_token(GetTokenOptions::new().template("supabase"))
        .await
        .unwrap();
    assert!(templated.is_some());
    assert_eq!(
        backend.call_count(CallKind::SessionToken),
        3,
        "another template is another cache entry"
    );
    let active = clerk.state().active_session_id.unwrap();
    assert_eq!(claims(&first).1 - claims(&first).0, 60.0, "a 60 s token");
    assert!(backend
        .calls()
        .iter()
        .all(|c| *c == BackendCall::SessionToken(active.clone())));
}

#[tokio::test]
async fn a_token_within_the_leeway_of_its_expiry_is_fetched_anew() {
    let (clerk, backend) = demo();
    backend.set_token_lifetime(Duration::from_secs(8));
    clerk.load().await.unwrap();
    backend.clear_calls();
    clerk.get_token(GetTokenOptions::new()).await.unwrap();
    clerk.get_token(GetTokenOptions::new()).await.unwrap();
    assert_eq!(
        backend.call_count(CallKind::SessionToken),
        2,
        "8 s left is inside the default 10 s leeway: no cache hit"
    );
    clerk
        .get_token(GetTokenOptions::new().leeway(Duration::from_secs(1)))
        .await
        .unwrap();
    assert_eq!(
        backend.call_count(CallKind::SessionToken),
        2,
        "a 1 s leeway takes it"
    );
}

#[tokio::test]
async fn signed_out_means_no_token_and_no_request() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let token = clerk.get_token(GetTokenOptions::new()).await.unwrap();
    assert!(token.is_some());
    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    backend.clear_calls();
    assert_eq!(clerk.get_token(GetTokenOptions::new()).await.unwrap(), None);
    assert_eq!(
        clerk
            .get_token(GetTokenOptions::new().skip_cache(true))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        backend.calls(),
        vec![],
        "nothing sent for a signed-out session"
    );
}

/// The race the issue names: the server issues a token, and the sign-out
/// lands while that answer is still on its way. The token must not be handed
/// out, nor cached.
#[tokio::test]
async fn a_token_answered_after_its_session_signed_out_is_never_handed_out() {
    let (clerk, backend, gate) = slow_answers().await;
    let waiting = clerk.get_token(GetTokenOptions::new());
    let sign_out = async {
        while backend.tokens_issued() == 0 {
            tokio::task::yield_now().await;
        }
        // The server has issued the token; its answer has not arrived.
        clerk.sign_out(SignOutOptions::new()).await.unwrap();
        gate.set(true);
    };
    let (token, ()) = futures_util::future::join(waiting, sign_out).await;
    assert_eq!(
        token.unwrap(),
        None,
        "the answer for a signed-out session is discarded"
    );
    assert!(
        format!("{clerk:?}").contains("cached_tokens: 0"),
        "nothing cached: {clerk:?}"
    );
    assert_eq!(clerk.get_token(GetTokenOptions::new()).await.unwrap(), None);
}

/// A switch makes another session active: the old session's token is gone at
/// once, and a request in flight for it is discarded.
#[tokio::test]
async fn switching_drops_the_old_sessions_tokens() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let old = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap();
    let other = clerk.state().session_list()[1].session.id.clone();
    clerk.set_active(&other).await.unwrap();
    backend.clear_calls();
    let new = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(new, old);
    assert_eq!(backend.calls(), vec![BackendCall::SessionToken(other)]);
}

/// Real waiting, a few seconds: 2 s tokens, and the background sync keeps a
/// valid one cached, fetching each before the last expires, one request per
/// refresh period (a quarter of the lifetime early: every 1.5 s).
#[tokio::test]
async fn the_background_sync_refreshes_each_token_before_it_expires() {
    let (clerk, backend) = demo();
    backend.set_token_lifetime(Duration::from_secs(2));
    let handle = clerk.clone();
    let mut h =
        Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), "app" } }).await;
    let started = now();
    let first = handle
        .get_token(GetTokenOptions::new().leeway(Duration::ZERO))
        .await
        .unwrap()
        .unwrap();
    let issued = RefCell::new(vec![first]);
    h.settle_until(LIMIT, |_| {
        // What a caller gets at any moment: a token that has not expired.
        let now = now();
        let cached = futures_util::FutureExt::now_or_never(
            handle.get_token(GetTokenOptions::new().leeway(Duration::ZERO)),
        );
        if let Some(Ok(Some(token))) = cached {
            let (_, exp, _) = claims(&token);
            assert!(exp > now, "a caller got an expired token");
            if issued.borrow().last() != Some(&token) {
                issued.borrow_mut().push(token);
            }
        }
        backend.tokens_issued() >= 5
    })
    .await;
    let elapsed = now() - started;
    let issued = issued.into_inner();
    for pair in issued.windows(2) {
        let (_, previous_exp, _) = claims(&pair[0]);
        let (next_iat, _, _) = claims(&pair[1]);
        assert!(
            next_iat < previous_exp,
            "each token was fetched before the last one expired"
        );
    }
    let requests = backend.call_count(CallKind::SessionToken) as f64;
    assert!(
        requests <= elapsed / 1.5 + 2.0,
        "one request per 1.5 s refresh period: {requests} in {elapsed:.1} s"
    );
    assert!(
        issued.len() >= 4,
        "the refreshed tokens reached callers: {}",
        issued.len()
    );
}

// ---------------------------------------------------------------------------
// The state follows the server.

/// The fault tests' real case: the server no longer has the session (ended
/// on another device). Signing it out succeeds, with one reload, and no
/// ghost account stays.
#[tokio::test]
async fn signing_out_a_session_ended_elsewhere_succeeds_and_leaves_no_ghost() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let list = clerk.state().session_list();
    let gone = list[1].session.id.clone();
    assert!(backend.end_session(&gone));
    backend.clear_calls();

    let outcome = clerk
        .sign_out(SignOutOptions::new().session_id(gone.clone()))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        SignOutOutcome::AlreadySignedOut {
            session_id: Some(gone.clone())
        }
    );
    assert_eq!(
        backend.calls(),
        vec![
            BackendCall::RemoveSession(gone.clone()),
            BackendCall::LoadClient
        ],
        "one remove, one reload"
    );
    let state = clerk.state();
    assert!(
        state.signed_in_sessions().iter().all(|s| s.id != gone),
        "no ghost"
    );
    assert_eq!(state.signed_in_sessions().len(), 2);
    assert_eq!(state.client.as_deref(), backend.client().as_ref());
}

#[tokio::test]
async fn every_session_ended_elsewhere_shows_signed_out_on_focus() {
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignedIn { "in" }
                SignedOut { "out" }
            }
        }
    })
    .await;
    assert_eq!(h.html(), "in");
    backend.end_all_sessions();
    h.settle().await;
    assert_eq!(h.html(), "in", "nothing tells the app yet");
    backend.clear_calls();
    handle.resync(SyncReason::Focus);
    h.settle_until(LIMIT, |h| h.html() == "out").await;
    assert!(backend.calls().contains(&BackendCall::LoadClient));
    assert!(
        backend
            .calls()
            .iter()
            .any(|c| matches!(c, BackendCall::TouchSession(_))),
        "focus touches the active session, as clerk-js does: {:?}",
        backend.calls()
    );
}

/// Sends 20 rounds of `reasons` while the call of `held` is held back, and
/// returns how many touches and loads went out.
async fn burst(held: CallKind, reasons: &[SyncReason]) -> (usize, usize) {
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h =
        Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), "app" } }).await;
    backend.clear_calls();
    let hold = backend.hold(held);
    for _ in 0..20 {
        for reason in reasons {
            handle.resync(*reason);
        }
    }
    h.settle().await;
    drop(hold);
    h.settle().await;
    (
        backend.call_count(CallKind::TouchSession),
        backend.call_count(CallKind::LoadClient),
    )
}

#[tokio::test]
async fn a_burst_of_focus_events_sends_one_request() {
    let reasons = [SyncReason::Focus, SyncReason::Visible, SyncReason::Online];
    // The touch's answer carries the client: it is the reload too.
    assert_eq!(
        burst(CallKind::TouchSession, &reasons).await,
        (1, 0),
        "one touch for the whole burst, and no reload beside it"
    );
}

#[tokio::test]
async fn a_burst_of_visibility_and_online_events_sends_one_reload() {
    let reasons = [SyncReason::Visible, SyncReason::Online];
    assert_eq!(
        burst(CallKind::LoadClient, &reasons).await,
        (0, 1),
        "never more than one reload"
    );
}

/// The server's answers to switches and token requests, held back after the
/// server acted and before they reach the handle (while `gate` is shut).
struct SlowAnswers {
    inner: clerk_dioxus::MemoryBackend,
    gate: std::rc::Rc<Cell<bool>>,
}

impl SlowAnswers {
    async fn travel(&self) {
        while !self.gate.get() {
            tokio::task::yield_now().await;
        }
    }
}

/// A loaded handle whose switch and token answers wait for the returned gate.
async fn slow_answers() -> (Clerk, clerk_dioxus::MemoryBackend, std::rc::Rc<Cell<bool>>) {
    let backend = clerk_dioxus::MemoryBackend::demo();
    let gate = std::rc::Rc::new(Cell::new(false));
    let clerk = Clerk::new(SlowAnswers {
        inner: backend.clone(),
        gate: gate.clone(),
    });
    clerk.load().await.unwrap();
    (clerk, backend, gate)
}

#[clerk_dioxus::async_trait(?Send)]
impl clerk_dioxus::ClerkBackend for SlowAnswers {
    async fn load_client(&self) -> Result<Option<clerk_dioxus::Client>, ClerkError> {
        self.inner.load_client().await
    }
    async fn sign_out_all(&self) -> Result<Option<clerk_dioxus::Client>, ClerkError> {
        self.inner.sign_out_all().await
    }
    async fn remove_session(&self, id: &str) -> Result<Option<clerk_dioxus::Client>, ClerkError> {
        self.inner.remove_session(id).await
    }
    async fn set_active_session(
        &self,
        id: &str,
    ) -> Result<Option<clerk_dioxus::Client>, ClerkError> {
        let answer = self.inner.set_active_session(id).await;
        self.travel().await;
        answer
    }
    async fn session_token(
        &self,
        id: &str,
        template: Option<&str>,
        organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        let answer = self
            .inner
            .session_token(id, template, organization_id)
            .await;
        self.travel().await;
        answer
    }
}

/// Two answers with the same `updated_at` (the server's clock did not move):
/// the server switches to Grace, then removes Alan; the removal's answer
/// arrives first, the switch's after it. Taken in arrival order, the switch's
/// older client would bring Alan back as a ghost; the handle sees the stamps
/// tie with both requests in flight, and reloads instead.
#[tokio::test]
async fn answers_with_equal_stamps_converge_on_the_servers_state() {
    let (clerk, backend, gate) = slow_answers().await;
    backend.freeze_clock(true);
    let list = clerk.state().session_list();
    let (grace, alan) = (list[1].session.id.clone(), list[2].session.id.clone());

    let switch = clerk.set_active(&grace);
    let remove = async {
        // The switch reached the server first.
        while backend.call_count(CallKind::SetActiveSession) == 0 {
            tokio::task::yield_now().await;
        }
        clerk
            .sign_out(SignOutOptions::new().session_id(alan.clone()))
            .await
            .unwrap();
        assert!(
            clerk
                .state()
                .signed_in_sessions()
                .iter()
                .all(|s| s.id != alan),
            "the removal landed first"
        );
        gate.set(true);
    };
    let (switched, ()) = futures_util::future::join(switch, remove).await;
    switched.unwrap();
    let server = backend.client().unwrap();
    assert_eq!(
        clerk.state().client.as_deref(),
        Some(&server),
        "the state is the server's"
    );
    assert!(
        clerk
            .state()
            .signed_in_sessions()
            .iter()
            .all(|s| s.id != alan),
        "no ghost from the tied answer"
    );
    assert_eq!(
        clerk.state().active_session_id.as_deref(),
        Some(grace.as_str())
    );
    assert_eq!(
        backend.calls().last(),
        Some(&BackendCall::LoadClient),
        "the tie was settled by a reload"
    );
}

#[tokio::test]
async fn a_failed_first_load_is_retried_until_it_succeeds() {
    let (clerk, backend) = demo();
    backend.fail(
        CallKind::LoadClient,
        clerk_dioxus::ApiError::new(503, "service_unavailable", "try later"),
    );
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                ClerkLoading { "loading" }
                ClerkFailed { show_error: true, "failed" }
                ClerkLoaded { "loaded" }
            }
        }
    })
    .await;
    h.settle_until(LIMIT, |h| h.html().starts_with("failed"))
        .await;
    assert!(h.html().contains("service_unavailable"), "{}", h.html());
    let failures = backend.call_count(CallKind::LoadClient);
    backend.recover();
    h.settle_until(LIMIT, |h| h.html() == "loaded").await;
    assert!(
        backend.call_count(CallKind::LoadClient) > failures,
        "retried by the background sync, with no user action"
    );
}

/// The page of a provider that could not be set up (`key`: its
/// `publishable_key`, or none at all), once `ClerkFailed` shows.
async fn failed_provider_page(key: Option<&'static str>) -> String {
    let mut h = Harness::mount(move || {
        let content = rsx! {
            ClerkLoading { "loading" }
            ClerkFailed { show_error: true, "Clerk is not set up: " }
            SignedOut { "out" }
        };
        match key {
            Some(key) => rsx! { ClerkProvider { publishable_key: key, {content} } },
            None => rsx! { ClerkProvider { {content} } },
        }
    })
    .await;
    h.settle_until(LIMIT, |h| h.html().contains("Clerk is not set up"))
        .await;
    let html = h.html();
    assert!(
        !html.contains("out") && !html.contains("loading"),
        "failed: neither loading nor signed out: {html}"
    );
    html
}

#[tokio::test]
async fn a_malformed_publishable_key_shows_in_clerk_failed_and_panics_nowhere() {
    let html = failed_provider_page(Some("pk_live_not-base64!")).await;
    assert!(
        html.contains("invalid publishable key: Failed to decode key"),
        "{html}"
    );
}

/// A provider given neither a handle nor a key fails the same way, with the
/// key reported missing, and every call through it answers that error.
#[tokio::test]
async fn a_provider_with_no_handle_and_no_key_reports_the_missing_key() {
    let html = failed_provider_page(None).await;
    assert!(
        html.contains("invalid publishable key: Publishable key is missing"),
        "{html}"
    );
    let clerk = Clerk::failed(ClerkError::InvalidPublishableKey(KeyError::Missing));
    for error in [
        clerk.load().await.unwrap_err(),
        clerk.sign_out(SignOutOptions::new()).await.unwrap_err(),
        clerk.set_active("sess_1").await.unwrap_err(),
    ] {
        assert_eq!(error, ClerkError::InvalidPublishableKey(KeyError::Missing));
    }
    assert_eq!(clerk.get_token(GetTokenOptions::new()).await, Ok(None));
}

/// The background sync holds the handle weakly: it ends when the app drops
/// the handle, rather than waiting out its timers.
#[tokio::test]
async fn the_sync_ends_with_its_handle() {
    let (clerk, _backend) = demo();
    clerk.load().await.unwrap();
    let sync = clerk.run_sync();
    drop(clerk);
    tokio::time::timeout(LIMIT, sync)
        .await
        .expect("the sync ended when the handle was dropped");
}
