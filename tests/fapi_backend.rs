//! The Frontend API backend against the emulator, over real HTTP on loopback,
//! in Clerk's native credential mode.

mod common;

use std::time::Duration;

use clerk_dioxus::backend::fapi::{FapiBackend, KeyError, MemoryTokenStore, TokenStore};
use clerk_dioxus::{Clerk, ClerkError, SignInStep, SignOutOptions, SignOutOutcome};
use clerk_emulator::{Fault, Route};
use common::emulator::*;
use futures_util::future::join_all;

#[tokio::test]
async fn load_sends_the_native_shape_and_keeps_the_rotated_token() {
    let emulator = emulator().await;
    let (clerk, store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let state = clerk.state();
    assert_eq!(state.signed_in_sessions().len(), 3);
    assert_eq!(
        state.user().and_then(|u| u.first_name.as_deref()),
        Some("Ada")
    );
    assert_eq!(local_summary(&clerk), server_summary(&emulator));

    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    let load = &requests[0];
    assert_eq!(
        (load.method.as_str(), load.path.as_str()),
        ("GET", "/v1/client")
    );
    assert_eq!(load.query_value("__clerk_api_version"), Some("2026-05-12"));
    assert_eq!(load.query_value("_is_native"), Some("1"));
    assert_eq!(load.authorization.as_deref(), Some("<redacted>"));
    assert_eq!(load.origin, None, "native apps send no Origin");
    let rotated = store.load().unwrap().unwrap();
    assert_ne!(
        rotated, SEEDED_TOKEN,
        "the emulator rotates the token and the client keeps the new one"
    );
    assert_eq!(
        emulator.client_id_for_native_token(&rotated).as_deref(),
        Some(SEEDED_CLIENT)
    );
}

#[tokio::test]
async fn signing_out_another_session_removes_only_it() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let active = clerk.state().active_session_id.unwrap();
    let other = clerk.state().session_list()[1].session.id.clone();
    emulator.clear_requests();
    let outcome = clerk
        .sign_out(SignOutOptions::new().session_id(other.clone()))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        SignOutOutcome::SessionRemoved {
            session_id: other.clone(),
            was_active: false,
            activated: None
        }
    );
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.clone()),
        ("POST", format!("/v1/client/sessions/{other}/remove"))
    );
    assert_eq!(clerk.state().active_session_id, Some(active));
    assert_eq!(local_summary(&clerk), server_summary(&emulator));
}

#[tokio::test]
async fn sessions_the_server_did_not_change_keep_their_shared_copy() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let before = clerk.state().session_list();
    let removed = before[1].session.id.clone();
    clerk
        .sign_out(SignOutOptions::new().session_id(removed.clone()))
        .await
        .unwrap();
    let after = clerk.state().session_list();
    assert_eq!(after.len(), before.len() - 1);
    for item in &after {
        let old = before.iter().find(|b| b.session.id == item.session.id);
        let old = old.expect("a kept session was listed before");
        assert!(
            std::sync::Arc::ptr_eq(&old.session, &item.session),
            "{} was decoded afresh but is unchanged, so the old copy is kept \
             (its row's props compare equal by pointer)",
            item.session.id
        );
    }
}

#[tokio::test]
async fn signing_out_the_active_session_leaves_none_active() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let active = clerk.state().active_session_id.unwrap();
    clerk
        .sign_out(SignOutOptions::new().session_id(active))
        .await
        .unwrap();
    assert_eq!(clerk.state().active_session_id, None);
    assert_eq!(clerk.state().signed_in_sessions().len(), 2);
    assert_eq!(local_summary(&clerk), server_summary(&emulator));
}

#[tokio::test]
async fn signing_out_everywhere_forgets_the_token_and_the_next_sign_in_works() {
    let emulator = emulator().await;
    let (clerk, store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let used_token = store.load().unwrap().unwrap();
    emulator.clear_requests();
    assert_eq!(
        clerk.sign_out(SignOutOptions::new()).await,
        Ok(SignOutOutcome::SignedOutAll)
    );
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("DELETE", "/v1/client/sessions")
    );
    assert!(!clerk.state().is_signed_in());
    assert!(!store.has_token(), "no stored credential is left");
    assert!(
        server_summary(&emulator).0.is_empty(),
        "the server signed all out"
    );

    clerk
        .sign_in_with_password("grace@example.com", "pw-grace")
        .await
        .unwrap();
    assert_eq!(clerk.state().auth().user_id.as_deref(), Some("user_grace"));
    let sign_in = emulator.requests().pop().unwrap();
    assert_eq!(sign_in.path, "/v1/client/sign_ins");
    assert_eq!(
        sign_in.authorization.as_deref(),
        Some("<empty>"),
        "a fresh start: empty token, new client"
    );
    // Had the old token been kept, Grace would have signed in on its client.
    assert_eq!(
        sessions_reached_by(&emulator, &used_token).await,
        0,
        "the token used before the sign-out acts for no user, Grace included"
    );
    assert!(sign_in
        .form
        .contains(&("strategy".into(), "password".into())));
    assert!(sign_in
        .form
        .contains(&("password".into(), "<redacted>".into())));
    assert!(store.has_token());
}

#[tokio::test]
async fn set_active_touches_with_select_session() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let alan = clerk
        .state()
        .session_list()
        .into_iter()
        .find(|i| i.session.user_id() == Some("user_alan"))
        .unwrap()
        .session
        .id
        .clone();
    emulator.clear_requests();
    clerk.set_active(&alan).await.unwrap();
    let touch = &emulator.requests()[0];
    assert_eq!(touch.path, format!("/v1/client/sessions/{alan}/touch"));
    assert_eq!(
        touch.form,
        vec![("intent".to_owned(), "select_session".to_owned())]
    );
    assert_eq!(clerk.state().auth().user_id.as_deref(), Some("user_alan"));
    assert_eq!(local_summary(&clerk), server_summary(&emulator));
}

#[tokio::test]
async fn password_sign_in_adds_an_account_then_signs_out() {
    let emulator = emulator().await;
    let clerk = native_clerk_with(&emulator, MemoryTokenStore::new(), Duration::from_secs(5));
    clerk.load().await.unwrap();
    assert!(
        !clerk.state().is_signed_in(),
        "a new install has an empty client"
    );
    clerk
        .sign_in_with_password("ada@example.com", "pw-ada")
        .await
        .unwrap();
    clerk
        .sign_in_with_password("alan@example.com", "pw-alan")
        .await
        .unwrap();
    let state = clerk.state();
    assert_eq!(state.signed_in_sessions().len(), 2);
    assert_eq!(
        state.auth().user_id.as_deref(),
        Some("user_alan"),
        "the newest session is active"
    );
    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    assert!(!clerk.state().is_signed_in());
}

#[tokio::test]
async fn wrong_passwords_are_typed_errors_and_a_second_factor_is_the_next_step() {
    let emulator = emulator().await;
    let clerk = native_clerk_with(&emulator, MemoryTokenStore::new(), Duration::from_secs(5));
    let wrong = clerk
        .sign_in_with_password("ada@example.com", "nope")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some("form_password_incorrect"));
    let unknown = clerk
        .sign_in_with_password("who@example.com", "x")
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("form_identifier_not_found"));
    let mfa = clerk
        .sign_in_with_password("mia@example.com", "pw-mia")
        .await
        .unwrap();
    assert!(
        matches!(&mfa, SignInStep::NeedsSecondFactor(sign_in) if sign_in.second_factor("totp").is_some()),
        "{mfa:?}"
    );
    assert!(
        !clerk.state().is_signed_in(),
        "not before the second factor"
    );
}

#[tokio::test]
async fn one_hundred_concurrent_sign_outs_send_one_request() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    emulator.clear_requests();
    let results = join_all((0..100).map(|_| clerk.sign_out(SignOutOptions::new()))).await;
    assert!(results
        .iter()
        .all(|r| *r == Ok(SignOutOutcome::SignedOutAll)));
    assert_eq!(emulator.requests().len(), 1, "{:?}", emulator.requests());
}

/// Signs out one session with `fault` on the remove route and checks that
/// the error is typed, nothing panicked, and the state is what the server holds.
async fn fault_case(fault: Fault, timeout: Duration, check: impl Fn(&ClerkError)) {
    let emulator = emulator().await;
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    let clerk = native_clerk_with(&emulator, store.clone(), timeout);
    clerk.load().await.unwrap();
    let before = clerk.state();
    let other = before.session_list()[1].session.id.clone();
    emulator.inject(Route::RemoveSession, fault);
    let error = clerk
        .sign_out(SignOutOptions::new().session_id(other))
        .await
        .unwrap_err();
    check(&error);
    assert_eq!(clerk.state(), before, "the state is untouched");
    assert_eq!(
        local_summary(&clerk),
        server_summary(&emulator),
        "and it is what the server holds"
    );
    let shown = format!("{error} {error:?}");
    for token in [SEEDED_TOKEN.to_owned(), store.load().unwrap().unwrap()] {
        assert!(!shown.contains(&token), "no token in the error: {shown}");
    }
}

fn api(status: u16, code: Option<&'static str>) -> impl Fn(&ClerkError) {
    move |error| match error {
        ClerkError::Api(api) => {
            assert_eq!(api.status, status, "{error:?}");
            assert_eq!(api.code(), code, "{error:?}");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

const TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn fault_500_with_a_clerk_body() {
    fault_case(
        Fault::error(500, "internal_clerk_error", "Oops"),
        TIMEOUT,
        api(500, Some("internal_clerk_error")),
    )
    .await;
}

#[tokio::test]
async fn fault_html_502() {
    fault_case(Fault::Html { status: 502 }, TIMEOUT, |error| {
        api(502, None)(error);
        assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn fault_401_signed_out() {
    fault_case(
        Fault::error(401, "signed_out", "Signed out"),
        TIMEOUT,
        api(401, Some("signed_out")),
    )
    .await;
}

#[tokio::test]
async fn fault_404_resource_not_found() {
    fault_case(
        Fault::error(404, "resource_not_found", "Not found"),
        TIMEOUT,
        api(404, Some("resource_not_found")),
    )
    .await;
}

#[tokio::test]
async fn fault_400_native_api_disabled() {
    fault_case(
        Fault::error(400, "native_api_disabled", "Native API is disabled"),
        TIMEOUT,
        api(400, Some("native_api_disabled")),
    )
    .await;
}

#[tokio::test]
async fn fault_timeout() {
    let limit = Duration::from_millis(300);
    fault_case(Fault::Delay { ms: 3_000 }, limit, |error| {
        assert_eq!(*error, ClerkError::Timeout(limit))
    })
    .await;
}

#[tokio::test]
async fn fault_malformed_json() {
    fault_case(Fault::MalformedJson, TIMEOUT, |error| {
        assert!(
            matches!(error, ClerkError::Decode { message } if message.contains("body starts")),
            "{error:?}"
        )
    })
    .await;
}

#[tokio::test]
async fn fault_wrong_shape_names_what_was_expected() {
    fault_case(Fault::WrongShape, TIMEOUT, |error| {
        assert!(
            matches!(error, ClerkError::Decode { message } if message.contains("invalid type")
                && message.contains("expected a string")),
            "{error:?}"
        )
    })
    .await;
}

#[tokio::test]
async fn fault_truncated_body() {
    fault_case(Fault::TruncatedBody, TIMEOUT, |error| {
        assert!(matches!(error, ClerkError::Network(_)), "{error:?}")
    })
    .await;
}

#[tokio::test]
async fn fault_dropped_connection() {
    fault_case(Fault::Drop, TIMEOUT, |error| {
        assert!(matches!(error, ClerkError::Network(_)), "{error:?}")
    })
    .await;
}

#[tokio::test]
async fn connection_refused_is_the_offline_error_and_marks_the_state_stale() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let backend = FapiBackend::from_frontend_api_url(&format!("http://{closed}"))
        .unwrap()
        .build();
    let clerk = Clerk::new(backend);
    let error = clerk.load().await.unwrap_err();
    assert!(
        matches!(&error, ClerkError::Offline(m) if m.to_lowercase().contains("refused")),
        "{error:?}"
    );
    assert!(error.is_unreachable());
    assert!(!clerk.is_loaded());
    assert!(
        clerk.state().stale_since.is_some(),
        "stale since the failure"
    );
    assert_eq!(clerk.state().last_error, Some(error));
}

#[tokio::test]
async fn malformed_publishable_keys_are_typed_errors_and_send_nothing() {
    let encode =
        |s: &str| base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, s);
    let cases = [
        ("".to_owned(), KeyError::Missing),
        ("  ".to_owned(), KeyError::Missing),
        ("pk_test".to_owned(), KeyError::NotValid),
        ("sk_live_abc".to_owned(), KeyError::NotValid),
        ("pk_staging_abc".to_owned(), KeyError::NotValid),
        ("pk_test_a_b".to_owned(), KeyError::NotValid),
        ("pk_live_***".to_owned(), KeyError::DecodeFailed),
        ("pk_live_%%%%".to_owned(), KeyError::DecodeFailed),
        (
            format!("pk_test_{}", encode("no-dollar.example.com")),
            KeyError::InvalidFormat,
        ),
        (
            format!("pk_test_{}", encode("two.dollars.example.com$$")),
            KeyError::InvalidFormat,
        ),
        (
            format!("pk_test_{}", encode("nodot$")),
            KeyError::InvalidFormat,
        ),
        (
            format!("pk_live_{}", encode("evil.com/x?y$")),
            KeyError::InvalidFormat,
        ),
    ];
    for (key, expected) in cases {
        let error = FapiBackend::from_publishable_key(&key)
            .err()
            .expect("refused");
        assert_eq!(
            error,
            ClerkError::InvalidPublishableKey(expected),
            "{key:?}"
        );
    }
    for url in [
        "http://clerk.example.com",
        "http://192.168.0.10:9400",
        "ftp://127.0.0.1",
        "http://user:password@127.0.0.1:9400",
    ] {
        assert!(
            matches!(
                FapiBackend::from_frontend_api_url(url).err(),
                Some(ClerkError::InsecureUrl { .. })
            ),
            "{url}"
        );
    }
    // Refused means no backend was built, so nothing could be sent.
}

#[tokio::test]
async fn a_valid_key_points_at_its_frontend_api() {
    let encode =
        |s: &str| base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, s);
    let backend =
        FapiBackend::from_publishable_key(&format!("pk_live_{}", encode("clerk.example.com$")))
            .unwrap()
            .build();
    assert_eq!(backend.frontend_api_url(), "https://clerk.example.com/");
}

/// A one-shot HTTP server on loopback that answers `307` to `location`, and
/// counts the connections a second listener receives.
fn redirecting_server() -> (String, std::net::TcpListener) {
    use std::io::{Read, Write};
    let target = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    target.set_nonblocking(true).unwrap();
    let location = format!("http://{}/v1/client", target.local_addr().unwrap());
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = server.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let answer = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, target)
}

#[tokio::test]
async fn a_redirect_is_an_error_and_nothing_follows_it() {
    let (url, target) = redirecting_server();
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    let backend = FapiBackend::from_frontend_api_url(&url)
        .unwrap()
        .token_store(store)
        .timeout(Duration::from_secs(5))
        .build();
    let clerk = Clerk::new(backend);
    let error = clerk
        .sign_in_with_password("ada@example.com", "pw-ada")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ClerkError::Api(api) if api.status == 307),
        "{error:?}"
    );
    assert!(
        matches!(target.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the password and the token were not sent on to the redirect's target"
    );
}

#[tokio::test]
async fn the_environment_is_fetched_once_and_a_failure_is_typed_and_not_kept() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    emulator.inject(
        Route::Environment,
        Fault::error(500, "internal_clerk_error", "Oops"),
    );
    let error = clerk.environment().await.unwrap_err();
    api(500, Some("internal_clerk_error"))(&error);
    assert!(
        clerk.cached_environment().is_none(),
        "a failure is not kept"
    );
    emulator.clear_faults();
    let (first, second) = futures_util::join!(clerk.environment(), clerk.environment());
    let profile = &first.unwrap().display_config.user_profile_url;
    assert_eq!(*profile, format!("{}/user", emulator.url()));
    assert!(second.is_ok());
    clerk.environment().await.unwrap();
    assert_eq!(
        emulator.count(Route::Environment),
        2,
        "the failed call and one shared fetch"
    );
}
