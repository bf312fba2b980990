//! The handshake, both halves: the Frontend API's `GET /v1/client/handshake`
//! (spec lines 2115–2172), where an app's server sends a page load whose
//! session cookie it cannot trust, and the Backend API's
//! `GET /v1/clients/handshake_payload`, where that server exchanges the
//! nonce it got back for the cookies to set.
//!
//! The handshake reads the browser's client (its dev browser from
//! `__clerk_db_jwt` on a development instance, its `__client` cookie on a
//! production one) and answers `307` back to `redirect_url` with the
//! session's cookies as `Set-Cookie` directives: `__session` (a fresh token
//! for the client's last active session, `azp` the app's origin) and
//! `__client_uat`, under the suffixed names too when the app asked with
//! `suffixed_cookies=true`, the plain ones last (`@clerk/backend` takes the
//! last `__session*` directive); the dev browser's cookie in development.
//! Signed out, `__session` is deleted and `__client_uat` is `0`.
//!
//! `format=token` (the spec's default) carries the directives in a JWT,
//! `{handshake: [...]}`, signed with the instance's key; `format=nonce` (what
//! `@clerk/backend` asks for) keeps them for one exchange under a nonce. In
//! development either comes back as a query parameter (`__clerk_handshake`,
//! `__clerk_handshake_nonce`), in production as a cookie of that name (the
//! spec: "In production, the handshake payload is set as a cookie"), which
//! the directives then delete.
//!
//! As strict as Clerk: `redirect_url` is required and must be one of the
//! instance's origins (loopback, or allowed), `format` one of the two, a
//! development request needs a dev browser the instance knows, and the
//! payload needs the instance's secret key and a nonce not used before.

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::credentials::{self, dev_browser_param};
use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::serving::{query, App};
use crate::store::Store;
use crate::Shared;

/// How long a nonce can be exchanged, and a handshake cookie lives.
const PAYLOAD_LIFETIME_MS: i64 = 60_000;

/// The cookies' lifetime, as clerk-js writes them: a year.
const COOKIE_MAX_AGE: &str = "Max-Age=31536000";

/// Directives kept for one exchange, by nonce, with when they expire.
pub(crate) type Nonces = HashMap<String, (i64, Vec<String>)>;

pub(crate) fn routes() -> Router<std::sync::Arc<Shared>> {
    Router::new()
        .route("/v1/client/handshake", get(handshake))
        .route("/v1/clients/handshake_payload", get(payload))
}

/// The two ways the directives travel back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Token,
    Nonce,
}

/// `GET /v1/client/handshake`.
async fn handshake(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    match answer(&shared, &headers, &query) {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

fn answer(
    shared: &Shared,
    headers: &HeaderMap,
    query: &credentials::Query,
) -> Result<Response, ApiFailure> {
    let back = query.get("redirect_url").filter(|url| !url.is_empty());
    let back = back.ok_or_else(|| {
        ApiFailure::new(400, "form_param_missing", "redirect_url must be included")
    })?;
    let mut back = url::Url::parse(back)
        .ok()
        .filter(|_| crate::sign_in::redirect_allowed(back, &shared.redirect_allowlist))
        .ok_or_else(|| {
            ApiFailure::new(
                400,
                "invalid_url_scheme",
                "redirect_url is not one of the instance's origins",
            )
        })?;
    let format = match query.get("format").map(String::as_str) {
        None | Some("token") => Format::Token,
        Some("nonce") => Format::Nonce,
        Some(_) => {
            return Err(ApiFailure::new(
                422,
                "form_param_value_invalid",
                "format must be token or nonce",
            ))
        }
    };
    let instance = shared.instance();
    let suffixed = query.get("suffixed_cookies").is_some_and(|v| v == "true");
    let origin = back.origin().ascii_serialization();
    let store = shared.store.lock().expect("store lock");
    let (client_id, dev_browser) = if instance.development {
        credentials::dev_browser_present(&store, query)?;
        let dev_browser = dev_browser_param(query).cloned();
        let client = dev_browser
            .as_ref()
            .and_then(|id| store.dev_browsers.get(id).cloned().flatten());
        (client, dev_browser)
    } else {
        let client = credentials::cookie_value(headers, "__client")
            .and_then(|cookie| store.cookies.get(cookie).cloned());
        (client, None)
    };
    let names = Names {
        suffix: suffixed.then_some(instance.cookie_suffix.as_str()),
    };
    let mut directives = session_directives(&store, client_id.as_deref(), &origin, &names);
    if let Some(dev_browser) = &dev_browser {
        directives.extend(names.each("__clerk_db_jwt", |name| {
            format!("{name}={dev_browser}; Path=/; SameSite=Lax; {COOKIE_MAX_AGE}")
        }));
    }
    let (name, value) = match format {
        Format::Token => (
            "__clerk_handshake",
            signed(&store, &directives, instance.development),
        ),
        Format::Nonce => {
            let nonce = random_id("nonce");
            let kept = with_deletions(directives, instance.development);
            let mut nonces = shared.handshake_nonces.lock().expect("nonce lock");
            let now = now_ms();
            nonces.retain(|_, (expires, _)| *expires > now);
            nonces.insert(nonce.clone(), (now + PAYLOAD_LIFETIME_MS, kept));
            ("__clerk_handshake_nonce", nonce)
        }
    };
    drop(store);
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if instance.development {
        back.query_pairs_mut().append_pair(name, &value);
    } else {
        let cookie = format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            PAYLOAD_LIFETIME_MS / 1000
        );
        append(response.headers_mut(), SET_COOKIE, &cookie);
    }
    append(response.headers_mut(), LOCATION, back.as_str());
    append(response.headers_mut(), CACHE_CONTROL, "no-store");
    Ok(response)
}

/// The cookie names a handshake writes: the suffixed one too when asked.
struct Names<'a> {
    suffix: Option<&'a str>,
}

impl Names<'_> {
    /// One directive per name `base` goes by, the plain name last.
    fn each(&self, base: &str, directive: impl Fn(&str) -> String) -> Vec<String> {
        let suffixed = self.suffix.map(|suffix| format!("{base}_{suffix}"));
        suffixed
            .iter()
            .map(|name| directive(name))
            .chain([directive(base)])
            .collect()
    }
}

/// `__session` and `__client_uat` as the client now is.
fn session_directives(
    store: &Store,
    client_id: Option<&str>,
    origin: &str,
    names: &Names<'_>,
) -> Vec<String> {
    let token = client_id.and_then(|client_id| {
        let session_id = store
            .clients
            .get(client_id)?
            .last_active_session_id
            .clone()?;
        store
            .session_token(client_id, &session_id, None, Some(origin))
            .ok()
    });
    let uat = client_id.map_or(0, |client_id| store.client_uat(client_id));
    let mut directives = match &token {
        Some(token) => names.each("__session", |name| {
            format!("{name}={token}; Path=/; SameSite=Lax; {COOKIE_MAX_AGE}")
        }),
        None => names.each("__session", |name| format!("{name}=; Path=/; Max-Age=0")),
    };
    directives.extend(names.each("__client_uat", |name| {
        format!("{name}={uat}; Path=/; SameSite=Lax; {COOKIE_MAX_AGE}")
    }));
    directives
}

/// In production the payload came as a cookie: the directives delete it.
fn with_deletions(mut directives: Vec<String>, development: bool) -> Vec<String> {
    if !development {
        for name in ["__clerk_handshake", "__clerk_handshake_nonce"] {
            directives.push(format!(
                "{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
            ));
        }
    }
    directives
}

/// The directives as a handshake token, signed with the instance's key.
fn signed(store: &Store, directives: &[String], development: bool) -> String {
    let now = now_ms() / 1000;
    let claims = json!({
        "handshake": with_deletions(directives.to_vec(), development),
        "iat": now,
        "exp": now + PAYLOAD_LIFETIME_MS / 1000,
    });
    store.issuer.keys.sign(&claims)
}

fn append(headers: &mut HeaderMap, name: axum::http::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.append(name, value);
    }
}

/// `GET /v1/clients/handshake_payload?nonce=…` (Backend API): the
/// directives kept under the nonce, once, for the instance's secret key.
async fn payload(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    if let Err(refused) = crate::backend_api::require_secret_key(&shared, &headers) {
        return refused.into_response();
    }
    let Some(nonce) = query.get("nonce").filter(|n| !n.is_empty()) else {
        return ApiFailure::new(422, "form_param_missing", "nonce must be included")
            .into_response();
    };
    let mut nonces = shared.handshake_nonces.lock().expect("nonce lock");
    match nonces.remove(nonce) {
        Some((expires, directives)) if expires > now_ms() => {
            Json(json!({ "object": "handshake_payload", "directives": directives })).into_response()
        }
        _ => ApiFailure::not_found("Handshake payload").into_response(),
    }
}
