//! The HTTP surface: Frontend API routes, the `_method` override, CORS, and
//! the emulator's own control endpoints under `/__emulator`.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::credentials;
use crate::error::ApiFailure;
use crate::log::query_map;
use crate::serving::{own_origin, query, query_and_form, require_client, serve, App};
use crate::tokens::TokenIssuer;
use crate::{json as shapes, Shared};

/// The whole service, layered outside-in: log, CORS, `_method`, faults, routes.
pub(crate) fn service(shared: Arc<Shared>, allowed_origins: &[HeaderValue]) -> Router {
    let routes = Router::new()
        .route("/v1/environment", get(environment).patch(environment))
        .route("/v1/client", get(get_client).delete(delete_client))
        .route("/v1/client/sessions", delete(delete_sessions))
        .route(
            "/v1/client/sessions/{session_id}/{action}",
            post(session_action),
        )
        .route(
            "/v1/client/sessions/{session_id}/tokens/{template}",
            post(template_token),
        )
        .merge(crate::sign_in::routes::routes())
        .route(
            "/v1/me/sessions/active",
            get(crate::devices::active_sessions),
        )
        .route(
            "/v1/me/sessions/{session_id}/revoke",
            post(crate::devices::revoke),
        )
        .route("/v1/dev_browser", post(dev_browser))
        .route("/.well-known/jwks.json", get(jwks))
        .merge(crate::portal::routes())
        .merge(crate::handshake::routes())
        .merge(crate::backend_api::routes())
        .merge(crate::controls::routes())
        .fallback(|| async {
            ApiFailure::new(
                404,
                "resource_not_found",
                "The emulator does not serve this path",
            )
        })
        .with_state(shared.clone());
    let cors = (!allowed_origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed_origins.iter().cloned()))
            .allow_credentials(true)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([axum::http::header::CONTENT_TYPE])
            .expose_headers([
                HeaderName::from_static("clerk-db-jwt"),
                axum::http::header::RETRY_AFTER,
            ])
    });
    let layers = ServiceBuilder::new()
        .layer(from_fn_with_state(shared.clone(), crate::log::record))
        .option_layer(cors)
        .layer(from_fn_with_state(shared.clone(), crate::rate_limit::limit))
        .layer(from_fn(override_method))
        .layer(from_fn_with_state(shared, crate::faults::inject));
    Router::new().fallback_service(layers.service(routes))
}

/// Browsers send `DELETE` as `POST ?_method=DELETE` (no CORS preflight).
/// Only on the Frontend API: the emulator's own controls take real methods, so
/// a plain cross-site form post cannot clear its faults or its log.
async fn override_method(mut request: Request, next: Next) -> Response {
    if request.method() == Method::POST && request.uri().path().starts_with("/v1/") {
        let wanted = query_map(&request)
            .get("_method")
            .and_then(|m| Method::from_bytes(m.to_uppercase().as_bytes()).ok());
        if let Some(method) = wanted {
            *request.method_mut() = method;
        }
    }
    next.run(request).await
}

/// The request's `Origin`: a token minted for it carries it as `azp`.
fn origin(headers: &HeaderMap) -> Option<&str> {
    headers.get("origin").and_then(|o| o.to_str().ok())
}

/// `GET /v1/environment` (and clerk-js's `PATCH`): public, but on a
/// development instance a browser needs its dev browser even here.
async fn environment(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    if shared.development {
        let store = shared.store.lock().expect("store lock");
        if let Err(failure) = credentials::dev_browser_present(&store, &query) {
            return failure.into_response();
        }
    }
    let origin = own_origin(&headers);
    Json(shapes::environment(shared.development, origin.as_deref())).into_response()
}

async fn get_client(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client = client_id
            .map(|id| shapes::client_by_id(store, id))
            .unwrap_or(Value::Null);
        Ok(json!({ "response": client, "client": client }))
    })
}

async fn delete_client(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    serve(
        &shared,
        &headers,
        &query,
        false,
        |store, client_id, extra| {
            let client_id = require_client(client_id)?;
            store.remove_all_sessions(client_id);
            let gone = shapes::client_by_id(store, client_id);
            store.destroy_client(client_id);
            credentials::clear_cookie(extra);
            Ok(json!({ "response": gone, "client": null }))
        },
    )
}

async fn delete_sessions(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let query = query(request.uri().query());
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        store.remove_all_sessions(client_id);
        Ok(json!({ "response": shapes::client_by_id(store, client_id), "client": null }))
    })
}

/// `POST /v1/client/sessions/{id}/remove|end|touch`: the same envelope
/// `{response: session, client}`, a different change to the store.
async fn session_action(
    State(shared): App,
    Path((session_id, action)): Path<(String, String)>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let (query, form) = query_and_form(request).await;
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        match action.as_str() {
            "tokens" => {
                let jwt = store.session_token(client_id, &session_id, None, origin(&headers))?;
                return Ok(TokenIssuer::answer(jwt));
            }
            "remove" => store.remove_session(client_id, &session_id)?,
            "end" => store.end_session(client_id, &session_id)?,
            "touch" => store.touch_session(
                client_id,
                &session_id,
                form.get("intent").map(String::as_str),
            )?,
            _ => {
                return Err(ApiFailure::new(
                    404,
                    "resource_not_found",
                    "The emulator does not serve this path",
                ))
            }
        }
        let session = store
            .sessions
            .get(&session_id)
            .map(|s| shapes::session(store, s))
            .unwrap_or(Value::Null);
        Ok(json!({ "response": session, "client": shapes::client_by_id(store, client_id) }))
    })
}

/// `POST /v1/client/sessions/{id}/tokens/{template}`: a JWT template's token.
async fn template_token(
    State(shared): App,
    Path((session_id, template)): Path<(String, String)>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let query = query(request.uri().query());
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        let jwt = store.session_token(client_id, &session_id, Some(&template), origin(&headers))?;
        Ok(TokenIssuer::answer(jwt))
    })
}

/// `GET /.well-known/jwks.json`: the keys that verify session tokens.
async fn jwks(State(shared): App) -> Json<Value> {
    Json(shared.store.lock().expect("store lock").issuer.keys.jwks())
}

async fn dev_browser(State(shared): App) -> Json<Value> {
    let id = shared
        .store
        .lock()
        .expect("store lock")
        .create_dev_browser();
    Json(json!({ "object": "dev_browser", "id": id }))
}
