//! Signing in on the in-memory backend: an email code adds an account to a
//! client and makes it active, as "Add account" in a switcher does; wrong
//! codes and unknown people are typed errors. (Second factors and OAuth are
//! the emulator's: `tests/sign_in_http.rs`.)

use clerk_dioxus::{BackendCall, Clerk, FirstFactor, MemoryBackend, SignInStep, SignOutOptions};

async fn with_grace_signed_out() -> (Clerk, MemoryBackend) {
    let backend = MemoryBackend::demo();
    let clerk = Clerk::new(backend.clone());
    clerk.load().await.unwrap();
    let grace = clerk
        .state()
        .session_list()
        .into_iter()
        .find(|item| item.session.user_id() == Some("user_grace"))
        .unwrap();
    clerk
        .sign_out(SignOutOptions::new().session_id(grace.session.id.clone()))
        .await
        .unwrap();
    backend.clear_calls();
    (clerk, backend)
}

#[tokio::test]
async fn an_email_code_adds_the_account_and_makes_it_active() {
    let (clerk, backend) = with_grace_signed_out().await;
    let SignInStep::NeedsFirstFactor(sign_in) = clerk
        .sign_in_with_email_code("grace@example.com")
        .await
        .unwrap()
    else {
        panic!("a code is sent first")
    };
    let code = backend
        .last_email_code("grace@example.com")
        .expect("Grace got a code");
    let step = clerk
        .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(&code))
        .await
        .unwrap();
    let SignInStep::Complete { session_id } = step else {
        panic!("{step:?}")
    };
    let state = clerk.state();
    assert_eq!(
        state.active_session_id.as_deref(),
        Some(session_id.as_str())
    );
    assert_eq!(state.auth().user_id.as_deref(), Some("user_grace"));
    assert_eq!(state.signed_in_sessions().len(), 3);
    assert_eq!(
        backend.calls(),
        [
            BackendCall::SignIn("Create".into()),
            BackendCall::SignIn("PrepareFirstFactor".into()),
            BackendCall::SignIn("AttemptFirstFactor".into()),
        ]
    );
}

#[tokio::test]
async fn wrong_codes_and_unknown_people_are_typed_errors_and_change_nothing() {
    let (clerk, _) = with_grace_signed_out().await;
    let before = clerk.state();
    let unknown = clerk
        .sign_in_with_email_code("nobody@example.com")
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("form_identifier_not_found"));
    let SignInStep::NeedsFirstFactor(sign_in) = clerk
        .sign_in_with_email_code("grace@example.com")
        .await
        .unwrap()
    else {
        panic!("a code is sent first")
    };
    let wrong = clerk
        .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode("not-the-code"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some("form_code_incorrect"));
    assert_eq!(clerk.state(), before, "nothing changed");
}
