//! `POST /v1/client/sessions/{id}/tokens[/{template}]`: RS256 session tokens
//! with the claims of Clerk's session token v2.

use axum::http::HeaderMap;
use serde_json::{json, Value};

use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::store::Store;
use crate::Shared;

/// How far `nbf` lies before `iat`: Clerk's default allowed clock skew.
const NOT_BEFORE_SKEW_SECS: i64 = 10;

/// The claims of a session token for the active session `session_id` of the
/// caller's client: `sid`, `sub`, `iss`, `azp` (the request's `Origin`, when
/// it has one, as Clerk does), `iat`, `nbf`, `exp`, `jti`, `v: 2`, `sts` and
/// `fva`. A JWT template's token has no `sid` (as Clerk's) and names the template.
pub(crate) fn claims(
    shared: &Shared,
    store: &Store,
    client_id: &str,
    session_id: &str,
    template: Option<&str>,
    headers: &HeaderMap,
) -> Result<Value, ApiFailure> {
    let session = store.session_for_token(client_id, session_id)?;
    let now_ms = now_ms();
    let iat = now_ms / 1000;
    let issuer = shared
        .issuer
        .get()
        .cloned()
        .or_else(|| {
            let host = headers.get("host")?.to_str().ok()?;
            Some(format!("http://{host}"))
        })
        .unwrap_or_default();
    // Minutes since the first factor; no second factor yet (-1).
    let first_factor_minutes = (now_ms - session.created_at).max(0) / 60_000;
    let mut claims = json!({
        "sub": session.user_id,
        "iss": issuer,
        "iat": iat,
        "nbf": iat - NOT_BEFORE_SKEW_SECS,
        "exp": iat + shared.token_lifetime.as_secs() as i64,
        "jti": random_id("jwt"),
        "v": 2,
        "sts": "active",
        "fva": [first_factor_minutes, -1],
    });
    match template {
        None => claims["sid"] = json!(session.id),
        Some(name) => claims["tpl"] = json!(name),
    }
    if let Some(origin) = headers.get("origin").and_then(|o| o.to_str().ok()) {
        claims["azp"] = json!(origin);
    }
    Ok(claims)
}

/// The answer: the spec's `{jwt}`, typed `token` as clerk-js reads it.
pub(crate) fn answer(shared: &Shared, claims: &Value) -> Value {
    let jwt = shared.keys.lock().expect("keys lock").sign(claims);
    json!({ "object": "token", "jwt": jwt })
}
