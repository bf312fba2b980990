//! The client and the server together: sign-out, retries, pending sessions.

use super::*;

/// A sign-out ends the app's access: the client has no token to send, and
/// the one it had stops working when it expires (the revocation window).
#[tokio::test]
async fn after_sign_out_the_client_has_no_token_for_the_api() {
    let emulator = common::emulator::emulator_with_lifetime(Duration::from_secs(2)).await;
    let api = serve(verifier(&emulator).leeway(Duration::ZERO).build().unwrap()).await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let token = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me(&api, &token).await.0, 200);
    clerk
        .sign_out(clerk_dioxus::SignOutOptions::new())
        .await
        .unwrap();
    assert_eq!(clerk.get_token(GetTokenOptions::new()).await.unwrap(), None);
    // The copy taken before the sign-out lasts until its `exp` (2 s here).
    let exp = jsonwebtoken::dangerous::insecure_decode::<Value>(&token)
        .map(|t| t.claims["exp"].as_i64().unwrap())
        .unwrap_or_else(|_| now() + 2);
    while now() <= exp {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    refused(&api, &token, "token-expired").await;
}

/// Rotates the emulator's key and serves an API that trusts only the new one.
async fn serve_for_a_new_key(emulator: &Emulator) -> String {
    emulator.rotate_signing_key();
    serve(
        verifier(emulator)
            .pem_key(emulator.public_key_pem())
            .build()
            .unwrap(),
    )
    .await
}

/// The client side: a native app's request to its own API carries the
/// session token; a 401 gets one retry with a fresh token; a session gone
/// everywhere ends in `SignedOut`, with the state showing it.
#[tokio::test]
async fn native_requests_carry_the_token_retry_once_on_401_and_report_signed_out() {
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let http = reqwest::Client::new();

    let api = serve(verifier(&emulator).build().unwrap()).await;
    let response = clerk
        .send_with_session(http.get(format!("{api}/api/me")))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.text().await.unwrap().starts_with("user_ada "));

    // The API now trusts only a newer key: the cached token (old key) is
    // refused once, and a fresh one (new key) goes through.
    let strict = serve_for_a_new_key(&emulator).await;
    emulator.clear_requests();
    let response = clerk
        .send_with_session(http.get(format!("{strict}/api/me")))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        emulator.count(clerk_emulator::Route::SessionToken),
        1,
        "one fresh token"
    );

    // Every session ended elsewhere, and the API refuses what the client holds.
    let stricter = serve_for_a_new_key(&emulator).await;
    emulator.end_all_sessions();
    let refused = clerk
        .send_with_session(http.get(format!("{stricter}/api/me")))
        .await;
    assert_eq!(refused.unwrap_err(), clerk_dioxus::ClerkError::SignedOut);
    assert!(
        !clerk.state().is_signed_in(),
        "the state followed the server"
    );
    let after = clerk
        .send_with_session(http.get(format!("{api}/api/me")))
        .await;
    assert_eq!(
        after.unwrap_err(),
        clerk_dioxus::ClerkError::SignedOut,
        "nothing sent"
    );
}

/// A session with a task left (`choose-organization`): one rule on both
/// sides, as Clerk's SDKs have it (`treatPendingAsSignedOut`, on by
/// default). The client shows it signed out, keeps it active with tokens,
/// and names its task; the server refuses its token; both accept it when
/// told to treat pending sessions as signed in.
#[tokio::test]
async fn a_pending_session_is_signed_out_on_the_client_and_the_server_unless_both_are_told() {
    use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore};
    use clerk_dioxus::{Clerk, SessionStatus};
    use clerk_emulator::{Seed, SeedUser};
    let pending = SeedUser {
        session_tasks: vec!["choose-organization".into()],
        ..SeedUser::new("user_pat", "Pat", "Pending", "pat@example.com", "pw-pat")
    };
    let emulator = Emulator::builder()
        .seed(Seed {
            sign_in_new_clients: vec!["user_pat".into()],
            ..Seed::default().user(pending)
        })
        .start()
        .await
        .unwrap();
    let handle = |treat: bool| {
        let backend = FapiBackend::from_frontend_api_url(emulator.url())
            .unwrap()
            .token_store(MemoryTokenStore::new())
            .build();
        Clerk::builder(backend)
            .treat_pending_as_signed_out(treat)
            .build()
    };

    let clerk = handle(true);
    clerk.load().await.unwrap();
    let state = clerk.state();
    assert_eq!(
        state.active_session().map(|s| s.status),
        Some(SessionStatus::Pending),
        "the session is the active one"
    );
    assert!(!state.is_signed_in(), "but the app counts it as signed out");
    assert_eq!(
        state.pending_task().map(|t| t.key.as_str()),
        Some("choose-organization")
    );
    let auth = state.auth();
    assert_eq!(
        (
            auth.is_signed_in,
            auth.user_id,
            auth.session_id,
            auth.session_status
        ),
        (false, None, None, Some(SessionStatus::Pending)),
        "Clerk's signed-out answer, with the status kept"
    );
    let token = clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .expect("a pending session has tokens, as in clerk-js");

    let strict = serve(verifier(&emulator).build().unwrap()).await;
    refused(&strict, &token, "session-pending").await;
    let lenient = serve(
        verifier(&emulator)
            .treat_pending_as_signed_out(false)
            .build()
            .unwrap(),
    )
    .await;
    let (status, body) = me(&lenient, &token).await;
    assert_eq!(
        (status, body.starts_with("user_pat ")),
        (200, true),
        "{body}"
    );

    let told = handle(false);
    told.load().await.unwrap();
    let state = told.state();
    assert!(
        state.is_signed_in(),
        "told to, the client counts it signed in"
    );
    assert_eq!(state.auth().user_id.as_deref(), Some("user_pat"));
}
