//! The `Clerk` handle on its own: sign-out rules, sharing, errors, secrecy.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use clerk_dioxus::{
    ApiError, BackendCall, CallKind, Clerk, ClerkError, MemoryBackend, SignOutOptions,
    SignOutOutcome,
};
use futures_util::future::join_all;

/// How long a request is in flight in the tests that overlap calls.
const LATENCY: std::time::Duration = std::time::Duration::from_millis(20);

fn demo() -> (Clerk, MemoryBackend) {
    let backend = MemoryBackend::demo();
    (Clerk::new(backend.clone()), backend)
}

#[tokio::test]
async fn load_takes_the_active_session_from_the_server() {
    let (clerk, backend) = demo();
    assert!(!clerk.is_loaded());
    clerk.load().await.unwrap();
    let state = clerk.state();
    assert!(state.is_loaded);
    assert_eq!(state.client.as_deref(), backend.client().as_ref());
    assert_eq!(
        state.user().and_then(|u| u.first_name.as_deref()),
        Some("Ada")
    );
    assert_eq!(state.auth().user_id.as_deref(), Some("user_ada"));
}

#[tokio::test]
async fn concurrent_loads_share_one_request() {
    let (clerk, backend) = demo();
    backend.delay(CallKind::LoadClient, LATENCY);
    let results = join_all((0..20).map(|_| clerk.load())).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(backend.calls(), vec![BackendCall::LoadClient]);
}

#[tokio::test]
async fn a_failed_load_keeps_the_error_and_can_be_retried() {
    let (clerk, backend) = demo();
    backend.fail(
        CallKind::LoadClient,
        ApiError::new(503, "service_unavailable", "Try later"),
    );
    let error = clerk.load().await.unwrap_err();
    assert_eq!(error.code(), Some("service_unavailable"));
    assert!(!clerk.is_loaded());
    assert_eq!(clerk.state().last_error, Some(error));
    backend.recover();
    clerk.load().await.unwrap();
    assert!(clerk.state().is_signed_in());
    assert_eq!(clerk.state().last_error, None);
}

#[tokio::test]
async fn one_hundred_concurrent_sign_outs_send_one_request_and_share_its_result() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    backend.clear_calls();
    backend.delay(CallKind::SignOutAll, LATENCY);
    let results = join_all((0..100).map(|_| clerk.sign_out(SignOutOptions::new()))).await;
    assert!(results
        .iter()
        .all(|r| *r == Ok(SignOutOutcome::SignedOutAll)));
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
    assert!(!clerk.is_signing_out());
}

#[tokio::test]
async fn concurrent_failures_are_shared_too() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    backend.clear_calls();
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(500, "internal_clerk_error", "Oops"),
    );
    backend.delay(CallKind::SignOutAll, LATENCY);
    let results = join_all((0..10).map(|_| clerk.sign_out(SignOutOptions::new()))).await;
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap_err().code() == Some("internal_clerk_error")));
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
}

#[tokio::test]
async fn a_sign_out_of_another_target_waits_then_decides_on_the_new_state() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let other = backend.signed_in_session_ids()[0].clone();
    backend.clear_calls();
    backend.delay(CallKind::SignOutAll, LATENCY);
    let (all, one) = futures_util::join!(
        clerk.sign_out(SignOutOptions::new()),
        clerk.sign_out(SignOutOptions::new().session_id(other.clone()))
    );
    assert_eq!(all, Ok(SignOutOutcome::SignedOutAll));
    assert_eq!(
        one,
        Ok(SignOutOutcome::NothingToSignOut),
        "nobody is left to sign out"
    );
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
}

#[tokio::test]
async fn nobody_signed_in_is_ok_and_sends_nothing() {
    let backend = MemoryBackend::new();
    let clerk = Clerk::new(backend.clone());
    clerk.load().await.unwrap();
    backend.clear_calls();
    assert_eq!(
        clerk.sign_out(SignOutOptions::new()).await,
        Ok(SignOutOutcome::NothingToSignOut)
    );
    assert_eq!(
        clerk
            .sign_out(SignOutOptions::new().session_id("sess_x"))
            .await,
        Ok(SignOutOutcome::NothingToSignOut)
    );
    assert_eq!(backend.calls(), vec![]);
}

#[tokio::test]
async fn the_only_session_by_id_signs_out_all_like_clerk_js() {
    let backend = MemoryBackend::new();
    let only = backend.sign_in(MemoryBackend::user(
        "user_1",
        "Solo",
        "User",
        "solo@example.com",
    ));
    let clerk = Clerk::new(backend.clone());
    clerk.load().await.unwrap();
    backend.clear_calls();
    assert_eq!(
        clerk.sign_out(SignOutOptions::new().session_id(only)).await,
        Ok(SignOutOutcome::SignedOutAll)
    );
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
}

#[tokio::test]
async fn an_unknown_session_is_a_typed_error_with_no_request() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    backend.clear_calls();
    let before = clerk.state();
    let result = clerk
        .sign_out(SignOutOptions::new().session_id("sess_unknown"))
        .await;
    assert_eq!(
        result,
        Err(ClerkError::SessionNotFound {
            session_id: "sess_unknown".into()
        })
    );
    assert_eq!(backend.calls(), vec![]);
    assert_eq!(clerk.state(), before);
}

#[tokio::test]
async fn signing_out_before_load_loads_first() {
    let (clerk, backend) = demo();
    assert_eq!(
        clerk.sign_out(SignOutOptions::new()).await,
        Ok(SignOutOutcome::SignedOutAll)
    );
    assert_eq!(
        backend.calls(),
        vec![BackendCall::LoadClient, BackendCall::SignOutAll]
    );
}

#[tokio::test]
async fn a_server_error_leaves_the_state_as_it_was() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let before = clerk.state();
    let active = before.active_session_id.clone().unwrap();
    backend.fail(
        CallKind::RemoveSession,
        ApiError::new(404, "resource_not_found", "gone"),
    );
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(500, "internal_clerk_error", "down"),
    );
    backend.clear_calls();
    let one = clerk
        .sign_out(SignOutOptions::new().session_id(active.clone()))
        .await;
    assert_eq!(one.unwrap_err().code(), Some("resource_not_found"));
    let all = clerk.sign_out(SignOutOptions::new()).await;
    assert_eq!(all.unwrap_err().code(), Some("internal_clerk_error"));
    assert_eq!(
        backend.calls(),
        vec![
            BackendCall::RemoveSession(active),
            // A 404 may mean the session ended elsewhere: the handle reloads to
            // see. Here the server still has it, so the error stands.
            BackendCall::LoadClient,
            BackendCall::SignOutAll
        ],
        "both reached the server"
    );
    assert_eq!(clerk.state(), before);
    assert_eq!(backend.signed_in_session_ids().len(), 3);
}

#[tokio::test]
async fn set_active_switches_and_refuses_unknown_sessions() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let grace = clerk
        .state()
        .session_list()
        .into_iter()
        .find(|i| i.session.user_id() == Some("user_grace"))
        .unwrap();
    clerk.set_active(&grace.session.id).await.unwrap();
    assert_eq!(clerk.state().auth().user_id.as_deref(), Some("user_grace"));
    let list = clerk.state().session_list();
    assert!(
        list[0].is_active,
        "the most recently active session comes first"
    );
    assert_eq!(list[0].session.id, grace.session.id);
    backend.clear_calls();
    assert_eq!(
        clerk.set_active("sess_nope").await,
        Err(ClerkError::SessionNotFound {
            session_id: "sess_nope".into()
        })
    );
    assert_eq!(backend.calls(), vec![]);
}

#[tokio::test]
async fn subscribers_hear_every_change_until_dropped() {
    let (clerk, _backend) = demo();
    let heard = Rc::new(RefCell::new(Vec::new()));
    let sink = heard.clone();
    let subscription = clerk.subscribe(move |state| sink.borrow_mut().push(state.is_signed_in()));
    clerk.load().await.unwrap();
    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    assert_eq!(*heard.borrow(), vec![true, false]);
    drop(subscription);
    clerk.load().await.unwrap();
    assert_eq!(heard.borrow().len(), 2);
}

#[tokio::test]
async fn clones_are_equal_and_share_state() {
    let (clerk, _backend) = demo();
    let copy = clerk.clone();
    assert_eq!(clerk, copy);
    assert_ne!(clerk, demo().0);
    copy.load().await.unwrap();
    assert!(clerk.is_loaded());
}

#[tokio::test]
async fn refused_redirects_send_nothing() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    backend.clear_calls();
    for url in [
        "javascript:alert(1)",
        "https://evil.example/",
        "//evil.example/x",
        "data:text/html,hi",
        "",
    ] {
        let result = clerk
            .sign_out(SignOutOptions::new().redirect_url(url))
            .await;
        assert!(
            matches!(result, Err(ClerkError::InvalidRedirect { .. })),
            "{url}: {result:?}"
        );
    }
    assert_eq!(backend.calls(), vec![]);
}

#[tokio::test]
async fn allowed_origins_and_paths_are_navigated_to_after_success() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend)
        .navigator(move |t: &clerk_dioxus::navigation::RedirectTarget| {
            sink.borrow_mut().push(t.as_str().to_owned())
        })
        .allow_redirect_origin("https://accounts.example.com")
        .unwrap()
        .build();
    clerk.load().await.unwrap();
    let ids: Vec<String> = clerk
        .state()
        .signed_in_sessions()
        .iter()
        .map(|s| s.id.clone())
        .collect();
    clerk
        .sign_out(
            SignOutOptions::new()
                .session_id(ids[1].clone())
                .redirect_url("/bye"),
        )
        .await
        .unwrap();
    clerk
        .sign_out(SignOutOptions::new().redirect_url("https://accounts.example.com/sign-in"))
        .await
        .unwrap();
    assert_eq!(
        *seen.borrow(),
        vec!["/bye", "https://accounts.example.com/sign-in"]
    );
    assert!(Clerk::builder(MemoryBackend::new())
        .allow_redirect_origin("javascript:x")
        .is_err());
}

/// A load that a change overtook is kept out only when its answer may predate
/// that change. Here another tab signs everyone out after this tab's switch
/// landed, so the load's answer is newer than anything applied and must win.
#[tokio::test]
async fn a_load_overtaken_by_a_change_still_applies_when_the_server_answered_later() {
    let backend = MemoryBackend::demo();
    let (this_tab, other_tab) = (Clerk::new(backend.clone()), Clerk::new(backend.clone()));
    this_tab.load().await.unwrap();
    other_tab.load().await.unwrap();
    let grace = this_tab
        .state()
        .session_list()
        .into_iter()
        .find(|item| item.session.user_id() == Some("user_grace"))
        .unwrap()
        .session
        .id
        .clone();
    let hold = backend.hold(CallKind::LoadClient);
    let steps = async {
        tokio::task::yield_now().await;
        assert!(this_tab.is_loaded(), "the reload is in flight, held");
        this_tab.set_active(&grace).await.unwrap();
        assert_eq!(this_tab.state().active_session_id.as_deref(), Some(&*grace));
        other_tab.sign_out(SignOutOptions::new()).await.unwrap();
        hold.release();
    };
    let (reloaded, ()) = futures_util::join!(this_tab.load(), steps);
    reloaded.unwrap();
    assert!(
        !this_tab.state().is_signed_in(),
        "the reload's answer, stamped after the switch, is applied"
    );
    assert_eq!(
        this_tab.state().client.as_deref(),
        backend.client().as_ref()
    );
}

/// `requests_in_flight` counts every call until its answer is in, so a test
/// (or an app) can wait for quiet instead of sleeping.
#[tokio::test]
async fn requests_in_flight_counts_calls_until_answered() {
    let (clerk, backend) = demo();
    assert_eq!(clerk.requests_in_flight(), 0);
    let hold = backend.hold(CallKind::LoadClient);
    let load = clerk.load();
    let watch = async {
        tokio::task::yield_now().await;
        assert_eq!(clerk.requests_in_flight(), 1, "the load is out");
        drop(hold);
    };
    let (loaded, ()) = futures_util::future::join(load, watch).await;
    loaded.unwrap();
    assert_eq!(clerk.requests_in_flight(), 0, "answered");
}
