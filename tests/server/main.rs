//! `clerk_dioxus::server` (feature `server`) over real HTTP: an axum app on
//! loopback behind `ClerkLayer`, tokens the emulator really signed or crafted
//! from its key, and every refusal a typed 401 with no panic. This file
//! holds the app and the token helpers; each module one concern.
#![cfg(feature = "server")]

mod claims;
#[path = "../common/mod.rs"]
mod common;
mod handshake;
mod keys;
mod rendering;
mod sessions;
mod verify;

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use clerk_dioxus::server::{ClerkLayer, OptionalAuth, Rejection, RequireAuth, Verifier};
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
        .route("/api/me", get(me).post(me))
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

/// Signs `claims` under a header of the test's choosing (a `cat`, a `typ`:
/// fields `jsonwebtoken::Header` has no room for) with the emulator's key.
fn forge_with_header(emulator: &Emulator, header: &Value, claims: &Value) -> String {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = EncodingKey::from_rsa_pem(emulator.signing_key_pem().as_bytes()).unwrap();
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::RS256).unwrap();
    format!("{message}.{signature}")
}

/// The emulator's own header, with `extra` fields.
fn header_with(emulator: &Emulator, extra: Value) -> Value {
    let mut header = json!({ "alg": "RS256", "typ": "JWT", "kid": emulator.key_id() });
    for (name, value) in extra.as_object().unwrap() {
        header[name] = value.clone();
    }
    header
}
