//! `clerk_dioxus::server` (feature `server`) over real HTTP: an axum app on
//! loopback behind `ClerkLayer`, tokens the emulator really signed or crafted
//! from its key, and every refusal a typed 401 with no panic.
#![cfg(feature = "server")]

mod common;

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use clerk_dioxus::server::{ClerkLayer, OptionalAuth, RequireAuth, Verifier};
use clerk_dioxus::GetTokenOptions;
use clerk_emulator::Emulator;
use common::emulator::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

/// The app's own API: `/api/me` needs a signed-in user, `/api/hello` does not.
async fn serve(verifier: Verifier) -> String {
    async fn me(RequireAuth(auth): RequireAuth) -> String {
        format!("{} {}", auth.user_id, auth.session_id.unwrap_or_default())
    }
    async fn hello(OptionalAuth(auth): OptionalAuth) -> String {
        match auth {
            Some(auth) => format!("hello {}", auth.user_id),
            None => "hello stranger".into(),
        }
    }
    let app = Router::new()
        .route("/api/me", get(me))
        .route("/api/hello", get(hello))
        .layer(ClerkLayer::new(verifier));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// `GET /api/me` with a bearer token: the status and the body.
async fn me(api: &str, token: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!("{api}/api/me"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Asserts a typed 401 with Clerk's reason name.
async fn refused(api: &str, token: &str, reason: &str) {
    let (status, body) = me(api, token).await;
    assert_eq!(status, 401, "{reason}: {body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["reason"], reason, "{body}");
    assert_eq!(body["error"], "unauthorized");
}

/// A session token the emulator issued to the seeded native client.
async fn issued(emulator: &Emulator) -> String {
    let (clerk, _store) = native_clerk(emulator);
    clerk.load().await.unwrap();
    clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Claims as the emulator would issue them, to change one at a time.
fn claims(emulator: &Emulator) -> Value {
    let iat = now();
    json!({ "sub": "user_ada", "sid": "sess_x", "iss": emulator.url(), "iat": iat,
            "nbf": iat - 10, "exp": iat + 60, "v": 2, "sts": "active" })
}

/// Signs `claims` with the emulator's own key and `kid`, as it would.
fn forge(emulator: &Emulator, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(emulator.key_id());
    let key = EncodingKey::from_rsa_pem(emulator.signing_key_pem().as_bytes()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

fn verifier(emulator: &Emulator) -> clerk_dioxus::server::VerifierBuilder {
    Verifier::builder(emulator.url()).unwrap()
}

#[tokio::test]
async fn a_token_the_emulator_issued_is_accepted_and_every_bad_one_refused_with_its_reason() {
    let emulator = emulator().await;
    let api = serve(
        verifier(&emulator)
            .authorized_party("http://127.0.0.1:8080")
            .build()
            .unwrap(),
    )
    .await;
    let token = issued(&emulator).await;
    let (status, body) = me(&api, &token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("user_ada sess_"), "{body}");

    let mut c = claims(&emulator);
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "the forging works"
    );

    c["exp"] = json!(now() - 30);
    refused(&api, &forge(&emulator, &c), "token-expired").await;
    let mut c = claims(&emulator);
    c["exp"] = json!(now() - 2);
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "within the 5 s leeway"
    );
    let mut c = claims(&emulator);
    c["nbf"] = json!(now() + 30);
    refused(&api, &forge(&emulator, &c), "token-not-active-yet").await;
    let mut c = claims(&emulator);
    c["iat"] = json!(now() + 30);
    refused(&api, &forge(&emulator, &c), "token-not-active-yet").await;
    let mut c = claims(&emulator);
    c["iss"] = json!("https://clerk.other.example");
    refused(&api, &forge(&emulator, &c), "token-invalid-issuer").await;
    let mut c = claims(&emulator);
    c["azp"] = json!("https://evil.example");
    refused(
        &api,
        &forge(&emulator, &c),
        "token-invalid-authorized-parties",
    )
    .await;
    c["azp"] = json!("http://127.0.0.1:8080");
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "an authorized party"
    );
    let mut c = claims(&emulator);
    c["sts"] = json!("pending");
    refused(&api, &forge(&emulator, &c), "session-pending").await;

    // Tampered: a payload naming another user with the old signature, and a
    // signature with one character changed.
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["sub"] = json!("user_grace");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    refused(&api, &tampered, "token-invalid-signature").await;
    // A character inside the signature: the last one of a 2048-bit
    // signature also holds padding bits, and changing those is malformed
    // base64, not a wrong signature.
    let mut signature = parts[2].to_owned();
    let other = if signature[10..11] == *"A" { "B" } else { "A" };
    signature.replace_range(10..11, other);
    refused(
        &api,
        &format!("{}.{}.{signature}", parts[0], parts[1]),
        "token-invalid-signature",
    )
    .await;

    // `alg: none`, and HS256 keyed with the RSA public key (the classic confusion).
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    refused(&api, &none, "token-invalid-algorithm").await;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(emulator.key_id());
    let hs256 = jsonwebtoken::encode(
        &header,
        &claims(&emulator),
        &EncodingKey::from_secret(emulator.public_key_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    refused(&api, &hs256, "token-invalid-algorithm").await;

    refused(&api, "garbage", "token-invalid").await;
    refused(&api, "a.b.c", "token-invalid").await;
    refused(&api, &"a".repeat(100 * 1024), "token-invalid").await;

    // A key the instance never had.
    let other = Emulator::start().await.unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(other.key_id());
    let foreign = jsonwebtoken::encode(
        &header,
        &claims(&emulator),
        &EncodingKey::from_rsa_pem(other.signing_key_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    refused(&api, &foreign, "jwk-kid-mismatch").await;

    let missing = reqwest::get(format!("{api}/api/me")).await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["reason"], "session-token-missing");
}

#[tokio::test]
async fn web_requests_authenticate_with_the_session_cookie_and_optional_routes_never_refuse() {
    let emulator = emulator().await;
    let api = serve(verifier(&emulator).build().unwrap()).await;
    let token = issued(&emulator).await;
    let http = reqwest::Client::new();
    let with_cookie = http
        .get(format!("{api}/api/me"))
        .header("cookie", format!("theme=dark; __session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_cookie.status().as_u16(), 200);
    let hello = http
        .get(format!("{api}/api/hello"))
        .header("cookie", format!("__session={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(hello, "hello user_ada");
    let stranger = http
        .get(format!("{api}/api/hello"))
        .header("authorization", "Bearer garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 200);
    assert_eq!(stranger.text().await.unwrap(), "hello stranger");
}

#[tokio::test]
async fn a_pem_key_verifies_with_no_network() {
    let emulator = emulator().await;
    let token = issued(&emulator).await;
    let offline = verifier(&emulator)
        .pem_key(emulator.public_key_pem())
        .jwks_url("http://127.0.0.1:9/unreachable")
        .build()
        .unwrap();
    let auth = offline.verify(&token).await.unwrap();
    assert_eq!(auth.user_id, "user_ada");
    assert_eq!(offline.jwks_fetches(), 0);
    assert!(matches!(
        Verifier::builder(emulator.url())
            .unwrap()
            .pem_key("not a key")
            .build(),
        Err(clerk_dioxus::ClerkError::InvalidJwtKey { .. })
    ));
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_and_a_flood_of_unknown_kids_fetches_the_jwks_once() {
    let emulator = emulator().await;
    let rotating = verifier(&emulator)
        .jwks_min_refresh(Duration::ZERO)
        .build()
        .unwrap();
    let before = issued(&emulator).await;
    rotating.verify(&before).await.unwrap();
    assert_eq!(rotating.jwks_fetches(), 1);
    emulator.rotate_signing_key();
    let after = issued(&emulator).await;
    assert_ne!(
        jsonwebtoken::decode_header(&after).unwrap().kid,
        jsonwebtoken::decode_header(&before).unwrap().kid
    );
    rotating
        .verify(&after)
        .await
        .expect("the new key is fetched");
    assert_eq!(rotating.jwks_fetches(), 2);
    rotating
        .verify(&before)
        .await
        .expect("the old key is still listed");

    // The default interval (60 s): 1,000 concurrent tokens with made-up kids,
    // right after the first fetch, cost the instance no fetch at all.
    let guarded = verifier(&emulator).build().unwrap();
    guarded.verify(&after).await.unwrap();
    let mut c = claims(&emulator);
    c["sub"] = json!("user_forged");
    let forged: Vec<String> = (0..1000)
        .map(|n| {
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some(format!("kid_{n}"));
            jsonwebtoken::encode(
                &header,
                &c,
                &EncodingKey::from_rsa_pem(emulator.signing_key_pem().as_bytes()).unwrap(),
            )
            .unwrap()
        })
        .collect();
    let results = futures_util::future::join_all(forged.iter().map(|t| guarded.verify(t))).await;
    assert!(results
        .iter()
        .all(|r| *r == Err(clerk_dioxus::server::Rejection::UnknownKey)));
    assert_eq!(guarded.jwks_fetches(), 1, "the flood fetched nothing more");

    // Past the interval, a flood fetches once for all of it.
    let short = verifier(&emulator)
        .jwks_min_refresh(Duration::from_millis(200))
        .build()
        .unwrap();
    short.verify(&after).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let results = futures_util::future::join_all(forged.iter().map(|t| short.verify(t))).await;
    assert!(results.iter().all(Result::is_err));
    assert_eq!(
        short.jwks_fetches(),
        2,
        "one at start, one for the whole flood"
    );
}

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
