//! The Backend API routes a server calls with the instance's secret key
//! (`Authorization: Bearer sk_…`), beside the Frontend API the browser
//! calls: `GET /v1/users/{user_id}`, what `@clerk/backend`'s
//! `users.getUser` (and so `currentUser()`) reads to render a page with
//! the user's name. The handshake's nonce exchange is in `handshake.rs`
//! and checks the key here too.

use axum::extract::{Path, State};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::ApiFailure;
use crate::serving::App;
use crate::Shared;

pub(crate) fn routes() -> Router<std::sync::Arc<Shared>> {
    Router::new().route("/v1/users/{user_id}", get(user))
}

/// `Ok` when the request carries this instance's secret key, else
/// Clerk's `401 authentication_invalid`.
pub(crate) fn require_secret_key(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiFailure> {
    let secret = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if secret == Some(shared.secret_key.as_str()) {
        return Ok(());
    }
    Err(ApiFailure::new(
        401,
        "authentication_invalid",
        "The secret key is missing or not this instance's",
    ))
}

/// `GET /v1/users/{user_id}`: the user, as the Backend API answers it
/// (the Frontend API's user, with the metadata only a server sees).
async fn user(State(shared): App, Path(user_id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(refused) = require_secret_key(&shared, &headers) {
        return refused.into_response();
    }
    let store = shared.store.lock().expect("store lock");
    let Some(record) = store.user(&user_id) else {
        return ApiFailure::not_found("User").into_response();
    };
    let mut body = crate::json::user(record);
    body["private_metadata"] = serde_json::json!({});
    Json(body).into_response()
}
