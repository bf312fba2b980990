//! Session tokens over real HTTP: RS256 with Clerk's v2 claims, verified
//! against the emulator's own JWKS; templates, lifetimes, loaded and rotated
//! keys; and ending sessions out of band, as another device or an admin.

use std::time::Duration;

use base64::Engine;
use clerk_emulator::{Emulator, Seed, SeedClient, SeedUser};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use reqwest::header::{COOKIE, ORIGIN};
use serde_json::Value;

const COOKIE_VALUE: &str = "__client=cookie-1";

fn seed() -> Seed {
    Seed::default()
        .user(SeedUser::new(
            "user_1",
            "One",
            "User",
            "one@example.com",
            "pw",
        ))
        .user(SeedUser::new(
            "user_2",
            "Two",
            "User",
            "two@example.com",
            "pw",
        ))
        .client(SeedClient {
            id: Some("client_seeded".into()),
            cookie: Some("cookie-1".into()),
            users: vec!["user_1".into(), "user_2".into()],
            ..SeedClient::default()
        })
}

async fn start(lifetime: Duration) -> Emulator {
    Emulator::builder()
        .seed(seed())
        .token_lifetime(lifetime)
        .start()
        .await
        .unwrap()
}

async fn client(emulator: &Emulator) -> Value {
    reqwest::Client::new()
        .get(format!("{}/v1/client", emulator.url()))
        .header(COOKIE, COOKIE_VALUE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The session ids of the seeded client, the active one first.
async fn sessions(emulator: &Emulator) -> Vec<String> {
    let client = client(emulator).await;
    let mut ids: Vec<String> = client["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let active = client["response"]["last_active_session_id"]
        .as_str()
        .unwrap();
    ids.sort_by_key(|id| id != active);
    ids
}

async fn token(emulator: &Emulator, path: &str, origin: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/v1/client/sessions/{path}", emulator.url()))
        .header(COOKIE, COOKIE_VALUE);
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// `POST /__emulator/{path}` over HTTP, as a test acting for another device or an admin.
async fn control(emulator: &Emulator, path: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/__emulator/{path}", emulator.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Verifies `jwt` with the emulator's JWKS (served over HTTP) as a server would.
async fn verify(emulator: &Emulator, jwt: &str) -> Result<Value, jsonwebtoken::errors::Error> {
    let jwks: Value = reqwest::get(format!("{}/.well-known/jwks.json", emulator.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = decode_header(jwt)?.kid.expect("a kid");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("the token's kid is in the JWKS");
    let key =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[emulator.url()]);
    validation.validate_nbf = true;
    Ok(decode::<Value>(jwt, &key, &validation)?.claims)
}

#[tokio::test]
async fn session_tokens_are_rs256_with_clerks_v2_claims_and_verify_against_the_jwks() {
    let emulator = start(Duration::from_secs(60)).await;
    let ids = sessions(&emulator).await;
    let (status, body) = token(
        &emulator,
        &format!("{}/tokens", ids[0]),
        Some("http://127.0.0.1:8080"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["object"], "token");
    let jwt = body["jwt"].as_str().unwrap();
    let header = decode_header(jwt).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some(emulator.key_id().as_str()));

    let claims = verify(&emulator, jwt).await.expect("verifies");
    assert_eq!(claims["sid"], ids[0].as_str());
    assert_eq!(claims["sub"], "user_1");
    assert_eq!(claims["iss"], emulator.url());
    assert_eq!(
        claims["azp"], "http://127.0.0.1:8080",
        "the request's Origin"
    );
    assert_eq!(claims["v"], 2);
    assert_eq!(claims["sts"], "active");
    assert!(claims["fva"].as_array().is_some_and(|f| f.len() == 2));
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 60);
    assert_eq!(claims["nbf"].as_i64().unwrap(), iat - 10);
    assert!(claims["jti"].is_string());

    let (_, other) = token(&emulator, &format!("{}/tokens", ids[1]), None).await;
    let other = verify(&emulator, other["jwt"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        other["sub"], "user_2",
        "any signed-in session of the client"
    );
    assert!(
        other.get("azp").is_none(),
        "no Origin, no azp (native apps)"
    );
}

#[tokio::test]
async fn templates_lifetimes_and_tampering() {
    let emulator = start(Duration::from_secs(3)).await;
    let ids = sessions(&emulator).await;
    let (status, body) = token(&emulator, &format!("{}/tokens/supabase", ids[0]), None).await;
    assert_eq!(status, 200);
    let claims = verify(&emulator, body["jwt"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3
    );
    assert!(claims.get("sid").is_none(), "template tokens carry no sid");
    assert_eq!(claims["tpl"], "supabase");

    // One changed character of the payload, and the signature no longer holds.
    let jwt = body["jwt"].as_str().unwrap();
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(engine.decode(&parts[1]).unwrap()).unwrap();
    parts[1] = engine.encode(payload.replace("user_1", "user_2"));
    assert!(verify(&emulator, &parts.join(".")).await.is_err());
}

#[tokio::test]
async fn a_loaded_key_signs_and_a_rotated_one_keeps_the_old_tokens_valid() {
    let first = start(Duration::from_secs(60)).await;
    let loaded = Emulator::builder()
        .seed(seed())
        .signing_key_pem(first.signing_key_pem())
        .start()
        .await
        .unwrap();
    assert_eq!(
        loaded.key_id(),
        first.key_id(),
        "the same key, the same kid"
    );
    assert!(Emulator::builder()
        .signing_key_pem("not a key")
        .start()
        .await
        .is_err());

    let ids = sessions(&loaded).await;
    let (_, before) = token(&loaded, &format!("{}/tokens", ids[0]), None).await;
    let old_kid = loaded.key_id();
    let rotated = control(&loaded, "keys/rotate").await;
    assert_ne!(rotated["kid"], old_kid.as_str());
    assert_eq!(loaded.jwks()["keys"].as_array().unwrap().len(), 2);
    let (_, after) = token(&loaded, &format!("{}/tokens", ids[0]), None).await;
    let after_jwt = after["jwt"].as_str().unwrap();
    assert_eq!(
        decode_header(after_jwt).unwrap().kid,
        Some(rotated["kid"].as_str().unwrap().to_owned())
    );
    assert!(verify(&loaded, after_jwt).await.is_ok());
    assert!(
        verify(&loaded, before["jwt"].as_str().unwrap())
            .await
            .is_ok(),
        "a token of the previous key verifies until it expires"
    );
}

#[tokio::test]
async fn sessions_ended_out_of_band_are_gone_for_their_client() {
    let emulator = start(Duration::from_secs(60)).await;
    let ids = sessions(&emulator).await;
    let stamp = client(&emulator).await["response"]["updated_at"]
        .as_i64()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2)).await;

    let ended = control(&emulator, &format!("sessions/{}/revoke", ids[1])).await;
    assert_eq!(ended["ended"], 1);
    let after = client(&emulator).await;
    let statuses: Vec<(&str, &str)> = after["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses.contains(&(ids[1].as_str(), "revoked")),
        "{statuses:?}"
    );
    assert!(
        after["response"]["updated_at"].as_i64().unwrap() > stamp,
        "the client's stamp moved on"
    );
    let (status, body) = token(&emulator, &format!("{}/tokens", ids[1]), None).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["errors"][0]["code"], "resource_not_found");
    let remove = reqwest::Client::new()
        .post(format!(
            "{}/v1/client/sessions/{}/remove",
            emulator.url(),
            ids[1]
        ))
        .header(COOKIE, COOKIE_VALUE)
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status().as_u16(), 404, "signing it out again: gone");

    assert_eq!(emulator.end_user_sessions("user_1"), 1);
    assert_eq!(emulator.end_all_sessions(), 0, "nothing left to end");
    let last = client(&emulator).await;
    assert_eq!(last["response"]["last_active_session_id"], Value::Null);
}
