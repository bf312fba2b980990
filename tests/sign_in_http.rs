//! Signing in over loopback HTTP, in native mode, against the emulator: email
//! codes, second factors (TOTP and email code), wrong and expired codes, and
//! OAuth in a "system browser" that a test drives, through a loopback
//! listener that only takes its own `state`, and lets go of its port.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use clerk_dioxus::backend::fapi::{MemoryTokenStore, TokenStore};
use clerk_dioxus::model::SignIn;
use clerk_dioxus::{Clerk, ClerkError, FirstFactor, OAuthOptions, SecondFactor, SignInStep};
use clerk_emulator::Emulator;
use common::emulator::*;

/// A handle on a new client (nobody signed in).
fn fresh(emulator: &Emulator) -> Clerk {
    native_clerk_with(emulator, MemoryTokenStore::new(), Duration::from_secs(5))
}

fn needs_first(step: SignInStep) -> SignIn {
    match step {
        SignInStep::NeedsFirstFactor(sign_in) => sign_in,
        other => panic!("expected a first factor, got {other:?}"),
    }
}

fn needs_second(step: SignInStep) -> SignIn {
    match step {
        SignInStep::NeedsSecondFactor(sign_in) => sign_in,
        other => panic!("expected a second factor, got {other:?}"),
    }
}

/// The newest code the emulator sent to `to`.
fn code_for(emulator: &Emulator, to: &str) -> String {
    let codes = emulator.sent_codes();
    codes
        .iter()
        .rev()
        .find(|c| c.to == to)
        .map(|c| c.code.clone())
        .expect("a code was sent")
}

/// Starts an email-code sign-in for `email`: the attempt, and the code sent.
async fn code_sent(clerk: &Clerk, emulator: &Emulator, email: &str) -> (SignIn, String) {
    let sign_in = needs_first(clerk.sign_in_with_email_code(email).await.unwrap());
    (sign_in, code_for(emulator, email))
}

fn active_user(clerk: &Clerk) -> Option<String> {
    clerk.state().auth().user_id
}

#[tokio::test]
async fn an_email_code_adds_the_account_to_the_client_and_makes_it_active() {
    let emulator = emulator().await;
    let (clerk, store) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let grace = clerk
        .state()
        .session_list()
        .into_iter()
        .find(|i| i.session.user_id() == Some("user_grace"))
        .unwrap();
    clerk
        .sign_out(clerk_dioxus::SignOutOptions::new().session_id(grace.session.id.clone()))
        .await
        .unwrap();
    assert_eq!(clerk.state().signed_in_sessions().len(), 2);

    let sign_in = needs_first(
        clerk
            .sign_in_with_email_code("grace@example.com")
            .await
            .unwrap(),
    );
    let verification = sign_in.first_factor_verification.clone().unwrap();
    assert_eq!(
        (
            verification.status.as_str(),
            verification.strategy.as_deref()
        ),
        ("unverified", Some("email_code"))
    );
    let code = code_for(&emulator, "grace@example.com");
    let step = clerk
        .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(&code))
        .await
        .unwrap();
    let SignInStep::Complete { session_id } = step else {
        panic!("{step:?}")
    };
    assert_eq!(clerk.state().active_session_id, Some(session_id));
    assert_eq!(active_user(&clerk).as_deref(), Some("user_grace"));
    assert_eq!(
        clerk.state().signed_in_sessions().len(),
        3,
        "Grace is back beside the others"
    );
    assert!(store.load().unwrap().is_some(), "the client token was kept");
}

#[tokio::test]
async fn a_wrong_code_is_typed_attempts_count_and_too_many_fail_the_verification() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let (sign_in, code) = code_sent(&clerk, &emulator, "ada@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        let error = clerk
            .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(wrong))
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some("form_code_incorrect"), "{error:?}");
    }
    let error = clerk
        .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(&code))
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some("verification_failed"),
        "three wrong codes fail it, even for the right one"
    );
    assert!(!clerk.state().is_signed_in());

    // A new code: one wrong attempt, then the right one; both counted.
    let again = needs_first(
        clerk
            .sign_in_with_email_code("mia@example.com")
            .await
            .unwrap(),
    );
    clerk
        .attempt_first_factor(&again.id, FirstFactor::EmailCode(wrong))
        .await
        .unwrap_err();
    let code = code_for(&emulator, "mia@example.com");
    let next = needs_second(
        clerk
            .attempt_first_factor(&again.id, FirstFactor::EmailCode(&code))
            .await
            .unwrap(),
    );
    assert_eq!(next.first_factor_verification.unwrap().attempts, Some(2));
}

#[tokio::test]
async fn an_expired_code_is_refused_and_a_new_one_works() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let (sign_in, code) = code_sent(&clerk, &emulator, "ada@example.com").await;
    assert!(emulator.expire_sign_in_codes(&sign_in.id));
    let error = clerk
        .attempt_first_factor(&sign_in.id, FirstFactor::EmailCode(&code))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("verification_expired"));
    let (fresh_sign_in, code) = code_sent(&clerk, &emulator, "ada@example.com").await;
    let step = clerk
        .attempt_first_factor(&fresh_sign_in.id, FirstFactor::EmailCode(&code))
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::Complete { .. }));
}

#[tokio::test]
async fn a_password_then_totp_signs_in_a_user_with_a_second_factor() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let sign_in = needs_second(
        clerk
            .sign_in_with_password("mia@example.com", "pw-mia")
            .await
            .unwrap(),
    );
    assert!(sign_in.second_factor("totp").is_some());
    assert!(
        !clerk.state().is_signed_in(),
        "not before the second factor"
    );
    let error = clerk
        .attempt_second_factor(&sign_in.id, SecondFactor::Totp("123"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("form_code_incorrect"));
    let code = emulator.totp_code("user_mia").unwrap();
    let step = clerk
        .attempt_second_factor(&sign_in.id, SecondFactor::Totp(&code))
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::Complete { .. }), "{step:?}");
    assert_eq!(active_user(&clerk).as_deref(), Some("user_mia"));
}

#[tokio::test]
async fn an_email_code_can_be_the_second_factor() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let sign_in = needs_second(
        clerk
            .sign_in_with_password("mia@example.com", "pw-mia")
            .await
            .unwrap(),
    );
    let prepared = clerk
        .prepare_second_factor(&sign_in, "email_code")
        .await
        .unwrap();
    assert_eq!(
        prepared.second_factor_verification.unwrap().status,
        "unverified"
    );
    let sent = emulator.sent_codes().pop().unwrap();
    assert_eq!(
        (sent.to.as_str(), sent.purpose.as_str()),
        ("mia@example.com", "email_code_second_factor")
    );
    let step = clerk
        .attempt_second_factor(&sign_in.id, SecondFactor::EmailCode(&sent.code))
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::Complete { .. }));
    assert_eq!(active_user(&clerk).as_deref(), Some("user_mia"));
}

/// A "system browser" that consents on the provider page as `user_id` (or
/// refuses, `None`) and follows the redirect to the app's callback. Returns
/// the callback URL it went to.
async fn consent(provider_page: String, user_id: Option<&'static str>) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(&provider_page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Continue as Grace"), "{page}");
    let url = url::Url::parse(&provider_page).unwrap();
    let sign_in_id = url
        .query_pairs()
        .find(|(k, _)| k == "sign_in_id")
        .unwrap()
        .1
        .into_owned();
    let consent_url = provider_page
        .replace("/authorize", "/consent")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut form = vec![("sign_in_id", sign_in_id)];
    match user_id {
        Some(user) => form.push(("user_id", user.to_owned())),
        None => form.push(("deny", "1".to_owned())),
    }
    let answer = http.post(consent_url).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    let callback = answer.headers()["location"].to_str().unwrap().to_owned();
    let landed = http.get(&callback).send().await.unwrap();
    assert_eq!(landed.status(), 200, "the app's listener took it");
    callback
}

/// Whether `port` on loopback can be bound again once its listener has
/// gone (the HTTP server's accept thread lets go of it as it ends): waits
/// up to 5 s for that.
async fn port_is_free(port: u16) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while TcpListener::bind(("127.0.0.1", port)).is_err() {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

fn port_of(url: &str) -> u16 {
    url::Url::parse(url).unwrap().port().unwrap()
}

#[tokio::test]
async fn oauth_in_the_system_browser_signs_in_through_the_loopback_callback_and_frees_the_port() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let (sender, receiver) = std::sync::mpsc::channel();
    let browser = move |url: &str| {
        let url = url.to_owned();
        let sender = sender.clone();
        tokio::spawn(async move { sender.send(consent(url, Some("user_grace")).await).unwrap() });
        Ok(())
    };
    let step = clerk
        .sign_in_with_oauth("github", &browser, OAuthOptions::default())
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::Complete { .. }), "{step:?}");
    assert_eq!(active_user(&clerk).as_deref(), Some("user_grace"));
    let callback = receiver.recv().unwrap();
    assert!(
        callback.starts_with("http://127.0.0.1:") && callback.contains("rotating_token_nonce="),
        "{callback}"
    );
    assert!(
        port_is_free(port_of(&callback)).await,
        "the listener is gone"
    );
    let exchange = emulator
        .requests()
        .into_iter()
        .find(|r| r.query_value("rotating_token_nonce").is_some())
        .unwrap();
    assert_eq!(
        (
            exchange.method.as_str(),
            exchange.path.starts_with("/v1/client/sign_ins/")
        ),
        ("GET", true)
    );
}

#[tokio::test]
async fn a_callback_without_this_attempts_state_is_refused_and_the_real_one_still_works() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let browser = |url: &str| {
        let url = url.to_owned();
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let page = http.get(&url).send().await.unwrap().text().await.unwrap();
            let back = page
                .split("data-redirect=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .replace("&amp;", "&");
            let port = port_of(&back);
            for forged in [
                format!("http://127.0.0.1:{port}/callback?state=guess&rotating_token_nonce=x"),
                format!("http://127.0.0.1:{port}/callback"),
            ] {
                assert_eq!(
                    http.get(&forged).send().await.unwrap().status(),
                    400,
                    "{forged} is refused"
                );
            }
            consent(url, Some("user_grace")).await;
        });
        Ok(())
    };
    let step = clerk
        .sign_in_with_oauth("github", &browser, OAuthOptions::default())
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::Complete { .. }));
}

#[tokio::test]
async fn cancelling_or_timing_out_stops_the_listener_and_releases_the_port() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let (sender, receiver) = tokio::sync::oneshot::channel::<String>();
    let sender = std::cell::Cell::new(Some(sender));
    let browser = move |url: &str| {
        if let Some(sender) = sender.take() {
            let _ = sender.send(url.to_owned());
        }
        Ok(())
    };
    let flow = clerk.sign_in_with_oauth("github", &browser, OAuthOptions::default());
    // Cancel: the app drops the flow once the browser was opened.
    let provider_page = tokio::select! {
        _ = flow => panic!("finished without a callback"),
        url = receiver => url.unwrap(),
    };
    let page = reqwest::get(&provider_page)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let back = page
        .split("data-redirect=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        port_is_free(port_of(&back)).await,
        "cancelled: the port is released"
    );

    let nothing = |_: &str| Ok(());
    let options = OAuthOptions {
        timeout: Duration::from_millis(300),
    };
    let error = clerk
        .sign_in_with_oauth("github", &nothing, options)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ClerkError::BrowserTimeout(Duration::from_millis(300))
    );
    assert!(!clerk.state().is_signed_in());
}

#[tokio::test]
async fn a_refused_consent_is_a_typed_oauth_error() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let browser = |url: &str| {
        tokio::spawn(consent(url.to_owned(), None));
        Ok(())
    };
    let error = clerk
        .sign_in_with_oauth("github", &browser, OAuthOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ClerkError::OAuth {
            code: "oauth_access_denied".into()
        }
    );
}

#[tokio::test]
async fn redirect_urls_off_the_allowlist_are_refused() {
    let emulator = emulator().await;
    let clerk = fresh(&emulator);
    let error = clerk
        .start_oauth("github", "https://evil.example/callback")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("redirect_url_not_allowed"));
    let error = clerk
        .start_oauth("github", "myapp://oauth-callback")
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some("redirect_url_not_allowed"),
        "custom schemes need an allowlist entry"
    );
    let allowed = Emulator::builder()
        .seed(seed())
        .allow_redirect_url("myapp://oauth-callback")
        .start()
        .await
        .unwrap();
    let start = fresh(&allowed)
        .start_oauth("github", "myapp://oauth-callback")
        .await
        .unwrap();
    assert!(start.url.starts_with(allowed.url()), "{}", start.url);
}
