//! The emulator's own controls, under `/__emulator`: the request log, faults,
//! acting as another device or an admin (ending sessions out of band), and
//! rotating the signing key. No authentication: loopback tests only.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::{Fault, Route};
use crate::Shared;

type App = State<Arc<Shared>>;

/// The control routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route(
            "/__emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/__emulator/sessions/end", post(end_all))
        .route(
            "/__emulator/sessions/{session_id}/{action}",
            post(end_session),
        )
        .route("/__emulator/users/{user_id}/sessions/end", post(end_user))
        .route(
            "/__emulator/users/{user_id}/devices",
            post(sign_in_elsewhere),
        )
        .route(
            "/__emulator/clients/{client_id}/sessions/end",
            post(end_client),
        )
        .route("/__emulator/keys/rotate", post(rotate_key))
        .route("/__emulator/codes", get(list_codes))
        .route(
            "/__emulator/sign_ins/{sign_in_id}/expire",
            post(expire_codes),
        )
        .route("/__emulator/users/{user_id}/totp", get(totp_code))
        .route("/__emulator/health", get(|| async { "ok" }))
        .route("/__emulator/instance", get(instance))
}

/// What a test partner (Clerk's own backend SDK, say) needs to know of the
/// instance: `{publishable_key, cookie_suffix, development, frontend_api,
/// public_key_pem}` (the PEM is what Clerk's dashboard offers as
/// `CLERK_JWT_KEY`).
async fn instance(State(shared): App) -> Json<Value> {
    let instance = shared.instance();
    let pem = shared
        .store
        .lock()
        .expect("store lock")
        .issuer
        .keys
        .public_pem()
        .to_owned();
    Json(json!({
        "publishable_key": instance.publishable_key,
        "cookie_suffix": instance.cookie_suffix,
        "development": instance.development,
        "frontend_api": format!("http://{}", instance.host),
        "public_key_pem": pem,
    }))
}

async fn list_requests(State(shared): App) -> Json<Value> {
    Json(json!(*shared.log.lock().expect("log lock")))
}

async fn clear_requests(State(shared): App) -> &'static str {
    shared.log.lock().expect("log lock").clear();
    "cleared"
}

#[derive(Deserialize)]
struct FaultRequest {
    route: Route,
    fault: Fault,
}

async fn add_fault(State(shared): App, Json(request): Json<FaultRequest>) -> &'static str {
    shared
        .faults
        .lock()
        .expect("faults lock")
        .entry(request.route)
        .or_default()
        .push(request.fault);
    "added"
}

/// The faults set, by route: `{"delete_sessions": [{"kind": "delay", "ms": 1000}]}`.
async fn list_faults(State(shared): App) -> Json<HashMap<Route, Vec<Fault>>> {
    Json(shared.faults.lock().expect("faults lock").clone())
}

async fn clear_faults(State(shared): App) -> &'static str {
    shared.faults.lock().expect("faults lock").clear();
    "cleared"
}

/// `{"ended": N}`: how many sessions a control ended.
fn ended(count: usize) -> Json<Value> {
    Json(json!({ "ended": count }))
}

/// `POST /__emulator/sessions/{id}/end` or `/revoke`.
async fn end_session(
    State(shared): App,
    Path((session_id, action)): Path<(String, String)>,
) -> Result<Json<Value>, crate::error::ApiFailure> {
    let revoke = match action.as_str() {
        "end" => false,
        "revoke" => true,
        _ => return Err(crate::error::ApiFailure::not_found("Control")),
    };
    let mut store = shared.store.lock().expect("store lock");
    Ok(ended(store.end_out_of_band(|s| s.id == session_id, revoke)))
}

async fn end_user(State(shared): App, Path(user_id): Path<String>) -> Json<Value> {
    let mut store = shared.store.lock().expect("store lock");
    ended(store.end_out_of_band(|s| s.user_id == user_id, false))
}

/// Signs the user in on another device (seeded metadata in the body): the
/// new client, session and a native token to act as it.
async fn sign_in_elsewhere(
    State(shared): App,
    Path(user_id): Path<String>,
    body: Option<Json<crate::device::Device>>,
) -> Result<Json<crate::devices::OtherDevice>, crate::error::ApiFailure> {
    let device = body.map(|Json(device)| device).unwrap_or_default();
    let mut store = shared.store.lock().expect("store lock");
    store.sign_in_elsewhere(&user_id, device).map(Json)
}

/// The codes "sent" so far (sign-in emails), oldest first.
async fn list_codes(State(shared): App) -> Json<Value> {
    Json(json!(shared.store.lock().expect("store lock").codes))
}

/// Makes a sign-in attempt's codes expire now.
async fn expire_codes(State(shared): App, Path(sign_in_id): Path<String>) -> Json<Value> {
    let expired = shared
        .store
        .lock()
        .expect("store lock")
        .expire_codes(&sign_in_id);
    Json(json!({ "expired": expired }))
}

/// A user's current authenticator code, as their phone shows it.
async fn totp_code(State(shared): App, Path(user_id): Path<String>) -> Json<Value> {
    let code = shared.store.lock().expect("store lock").totp_code(&user_id);
    Json(json!({ "code": code }))
}

async fn end_client(State(shared): App, Path(client_id): Path<String>) -> Json<Value> {
    let mut store = shared.store.lock().expect("store lock");
    let ids: Vec<String> = store
        .clients
        .get(&client_id)
        .map(|c| c.session_ids.clone())
        .unwrap_or_default();
    ended(store.end_out_of_band(|s| ids.contains(&s.id), false))
}

async fn end_all(State(shared): App) -> Json<Value> {
    let mut store = shared.store.lock().expect("store lock");
    ended(store.end_out_of_band(|_| true, false))
}

async fn rotate_key(State(shared): App) -> Json<Value> {
    let mut store = shared.store.lock().expect("store lock");
    store.issuer.keys.rotate();
    Json(json!({ "kid": store.issuer.keys.kid() }))
}
