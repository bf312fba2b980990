//! Real answers of live Clerk instances, as Clerk's own SDKs record them in
//! their public test suites (`tests/fixtures/recorded/`, each file's source in
//! its README), read through the crate's public API over loopback HTTP: the
//! emulator answers each route with the recorded body as it is. A long-lived
//! client meets these shapes: fields it does not know, `null` where a list
//! usually is, fields that come and go between API versions, newer statuses
//! (`needs_client_trust`, `pending` with `tasks`), other `object` names
//! (`sign_in_attempt`), a bare array (`/v1/me/sessions/active`) and a client
//! with no envelope. None of them may be a decode error for the whole client.
//! The browser reads the same files through the same routes in
//! `e2e/recorded.test.mjs`.

mod common;

use clerk_dioxus::prelude::*;
use clerk_dioxus::{ClerkError, SessionStatus};
use clerk_emulator::{Emulator, Fault, Route};
use common::emulator::*;
use serde_json::Value;

fn recorded(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/recorded/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(name: &str) -> Value {
    serde_json::from_str(&recorded(name)).unwrap()
}

/// The emulator answers `route` with the recorded `name`, as it is.
fn answer(emulator: &Emulator, route: Route, status: u16, name: &str) {
    emulator.clear_faults();
    let body = recorded(name);
    emulator.inject(route, Fault::Answer { status, body });
}

/// The recorded client of an answer: its `response`, or the whole body.
fn recorded_client(name: &str) -> Value {
    let body = json(name);
    match body.get("response") {
        Some(response) => response.clone(),
        None => body,
    }
}

#[tokio::test]
async fn every_recorded_client_loads_with_its_sessions_and_active_one() {
    let emulator = emulator().await;
    for name in [
        "client-signed-in",
        "client-signed-in-2024",
        "client-organization-membership",
        "client-pending-session-tasks",
        "client-bare-expired-session-needs-second-factor",
        "client-signed-out",
    ] {
        answer(&emulator, Route::GetClient, 200, name);
        let (clerk, _store) = native_clerk(&emulator);
        clerk.load().await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let state = clerk.state();
        let client = state.client.as_deref().expect(name);
        let expected = recorded_client(name);
        assert_eq!(client.id, expected["id"].as_str().unwrap(), "{name}");
        let sessions: Vec<(String, String)> = expected["sessions"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|s| {
                        (
                            s["id"].as_str().unwrap().to_owned(),
                            s["status"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let read: Vec<(String, String)> = client
            .sessions
            .iter()
            .map(|s| {
                let status = serde_json::to_value(s.status).unwrap();
                (s.id.clone(), status.as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(read, sessions, "{name}: every session, its status read");
        let active = expected["last_active_session_id"].as_str();
        let signed_in = sessions
            .iter()
            .any(|(id, status)| Some(id.as_str()) == active && status == "active");
        assert_eq!(state.is_signed_in(), signed_in, "{name}");
        if signed_in {
            let session = state.active_session().unwrap();
            let user = expected["sessions"][0]["user"]["id"].as_str();
            assert_eq!(session.user_id(), user, "{name}");
            assert!(!session.display_name().is_empty());
        }
    }
}

#[tokio::test]
async fn a_recorded_pending_session_names_its_task_and_counts_as_signed_out() {
    let emulator = emulator().await;
    answer(
        &emulator,
        Route::GetClient,
        200,
        "client-pending-session-tasks",
    );
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let state = clerk.state();
    assert_eq!(
        state.active_session().map(|s| s.status),
        Some(SessionStatus::Pending)
    );
    assert!(!state.is_signed_in());
    assert_eq!(
        state.pending_task().map(|t| t.key.as_str()),
        Some("choose-organization")
    );
}

#[tokio::test]
async fn a_client_an_answer_to_another_route_carries_reads_too() {
    // `/v1/me/email_addresses` answers with the user's client beside it: the
    // same client, recorded from another route's envelope.
    let emulator = emulator().await;
    let body = json("me-email-address-created");
    let envelope = serde_json::json!({ "response": body["client"], "client": null });
    emulator.inject(
        Route::GetClient,
        Fault::Answer {
            status: 200,
            body: envelope.to_string(),
        },
    );
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    assert!(clerk.state().is_signed_in());
}

#[tokio::test]
async fn every_recorded_environment_gives_its_pages() {
    let emulator = emulator().await;
    for name in [
        "environment",
        "environment-2024",
        "environment-no-organization-settings",
    ] {
        answer(&emulator, Route::Environment, 200, name);
        let (clerk, _store) = native_clerk(&emulator);
        let environment = clerk
            .environment()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = json(name);
        assert_eq!(
            environment.display_config.sign_in_url,
            expected["display_config"]["sign_in_url"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            environment.display_config.user_profile_url,
            expected["display_config"]["user_profile_url"]
                .as_str()
                .unwrap(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn every_recorded_sign_in_is_a_typed_step() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();

    answer(&emulator, Route::SignIn, 200, "sign-in-needs-first-factor");
    let step = clerk
        .sign_in_with_password("someone@example.com", "pw")
        .await;
    assert!(
        matches!(step, Ok(SignInStep::NeedsFirstFactor(_))),
        "{step:?}"
    );

    // `needs_client_trust`: a second check on a new device, as a second factor.
    answer(&emulator, Route::SignIn, 200, "sign-in-needs-client-trust");
    let step = clerk
        .sign_in_with_password("someone@example.com", "pw")
        .await;
    let Ok(SignInStep::NeedsSecondFactor(attempt)) = step else {
        panic!("{step:?}")
    };
    assert!(
        !attempt.supported_second_factors.is_empty(),
        "the checks offered"
    );

    // A handle of its own, so the recorded client (stamped when it was
    // recorded) is the newest it has seen, and lands.
    answer(&emulator, Route::SignIn, 200, "sign-in-complete");
    let (clerk, _store) = native_clerk(&emulator);
    let step = clerk
        .sign_in_with_password("someone@example.com", "pw")
        .await;
    let expected = json("sign-in-complete");
    let session = expected["response"]["created_session_id"].as_str().unwrap();
    assert_eq!(
        step.unwrap(),
        SignInStep::Complete {
            session_id: session.to_owned()
        }
    );
    assert_eq!(
        clerk.state().active_session_id.as_deref(),
        Some(session),
        "the answer's client is the state's"
    );
}

#[tokio::test]
async fn the_recorded_active_sessions_are_a_bare_array_of_devices() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    answer(&emulator, Route::ActiveSessions, 200, "me-sessions-active");
    let devices = clerk.active_devices().await.unwrap();
    let expected = json("me-sessions-active");
    assert_eq!(devices.len(), expected.as_array().unwrap().len());
    for device in &devices {
        assert!(!device.describe().is_empty());
    }
}

#[tokio::test]
async fn the_recorded_token_answer_gives_its_jwt() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    answer(&emulator, Route::SessionToken, 200, "token");
    let jwt = clerk
        .get_token(GetTokenOptions::new().skip_cache(true))
        .await
        .unwrap();
    assert_eq!(
        jwt.as_deref(),
        json("token")["jwt"].as_str(),
        "the token, handed out"
    );
}

#[tokio::test]
async fn recorded_errors_are_typed_with_their_code_with_or_without_meta() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let grace = clerk.state().session_list()[1].session.id.clone();
    for (name, status) in [
        ("error-signed-out", 401),
        ("error-url-based-session-syncing-disabled", 400),
        ("error-already-subscribed-meta", 422),
    ] {
        answer(&emulator, Route::RemoveSession, status, name);
        let error = clerk
            .sign_out(SignOutOptions::new().session_id(grace.clone()))
            .await
            .unwrap_err();
        let expected = json(name);
        let ClerkError::Api(api) = &error else {
            panic!("{name}: {error:?}")
        };
        assert_eq!(api.status, status, "{name}");
        assert_eq!(api.code(), expected["errors"][0]["code"].as_str(), "{name}");
        // A 401 `signed_out` makes the handle reload: let it land.
        clerk.load().await.unwrap();
    }
}
