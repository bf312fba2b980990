//! The sign-in routes: the Frontend API's `/v1/client/sign_ins…`, and the
//! OAuth provider stand-in's pages under `/oauth/{provider}/…`.

use axum::extract::{Path, Query as UrlQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form as PostedForm, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::factors::Which;
use super::shape;
use crate::credentials::is_native;
use crate::error::ApiFailure;
use crate::json as shapes;
use crate::serving::{escape, own_origin, query, query_and_form, require_client, serve, App};
use crate::store::Store;
use crate::Shared;

/// The routes, for the app's router.
pub(crate) fn routes() -> Router<std::sync::Arc<Shared>> {
    Router::new()
        .route("/v1/client/sign_ins", post(create))
        .route("/v1/client/sign_ins/{sign_in_id}", get(read))
        .route("/v1/client/sign_ins/{sign_in_id}/{action}", post(step))
        .route("/oauth/{provider}/authorize", get(consent_page))
        .route("/oauth/{provider}/consent", post(consent))
}

/// `{response: sign_in, client}`.
fn answer(store: &Store, client_id: &str, id: &str, origin: &str) -> Value {
    let sign_in = store
        .sign_ins
        .get(id)
        .map(|record| shape::sign_in(store, record, origin))
        .unwrap_or(Value::Null);
    json!({ "response": sign_in, "client": shapes::client_by_id(store, client_id) })
}

async fn create(State(shared): App, headers: HeaderMap, request: Request) -> Response {
    let (query, form) = query_and_form(request).await;
    let origin = own_origin(&headers).unwrap_or_default();
    let native = is_native(&query);
    serve(&shared, &headers, &query, true, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        let id = store.create_sign_in(client_id, &form, &shared.redirect_allowlist, native)?;
        Ok(answer(store, client_id, &id, &origin))
    })
}

async fn read(
    State(shared): App,
    Path(id): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let query = query(request.uri().query());
    let origin = own_origin(&headers).unwrap_or_default();
    let nonce = query.get("rotating_token_nonce").cloned();
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        store.read_sign_in(client_id, &id, nonce.as_deref())?;
        Ok(answer(store, client_id, &id, &origin))
    })
}

async fn step(
    State(shared): App,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let (query, form) = query_and_form(request).await;
    let origin = own_origin(&headers).unwrap_or_default();
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        match action.as_str() {
            "prepare_first_factor" => store.prepare_factor(client_id, &id, Which::First, &form)?,
            "prepare_second_factor" => {
                store.prepare_factor(client_id, &id, Which::Second, &form)?
            }
            "attempt_first_factor" => store.attempt_factor(client_id, &id, Which::First, &form)?,
            "attempt_second_factor" => {
                store.attempt_factor(client_id, &id, Which::Second, &form)?
            }
            _ => return Err(ApiFailure::not_found("Sign-in action")),
        }
        Ok(answer(store, client_id, &id, &origin))
    })
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    sign_in_id: String,
}

/// The provider's consent page: continue as one of the accounts, or cancel.
async fn consent_page(
    State(shared): App,
    Path(provider): Path<String>,
    UrlQuery(query): UrlQuery<AuthorizeQuery>,
) -> Response {
    let consent = shared
        .store
        .lock()
        .expect("store lock")
        .consent(&query.sign_in_id);
    let consent = match consent {
        Ok(consent) => consent,
        Err(failure) => return failure.into_response(),
    };
    let id = escape(&query.sign_in_id);
    let provider = escape(&provider);
    let buttons: String = consent
        .accounts
        .iter()
        .map(|(user_id, name)| {
            format!(
                r#"<button name="user_id" value="{}" id="continue-{}">Continue as {}</button>"#,
                escape(user_id),
                escape(user_id),
                escape(name)
            )
        })
        .collect();
    Html(format!(
        r#"<!doctype html><meta charset=utf-8><title>{provider} (clerk-emulator)</title>
<h1>Sign in with {} (emulator)</h1>
<p>The emulator's stand-in for the provider's consent screen.</p>
<p data-redirect="{back}">You will go back to {back}</p>
<form method="post" action="/oauth/{provider}/consent">
<input type="hidden" name="sign_in_id" value="{id}">{buttons}
<button name="deny" value="1" id="cancel">Cancel</button>
</form>"#,
        escape(&consent.provider),
        back = escape(&consent.redirect_url),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct ConsentForm {
    sign_in_id: String,
    user_id: Option<String>,
}

/// The user's choice: back to the app, signed in or refused.
async fn consent(State(shared): App, PostedForm(form): PostedForm<ConsentForm>) -> Response {
    let target = shared
        .store
        .lock()
        .expect("store lock")
        .consented(&form.sign_in_id, form.user_id.as_deref());
    match target {
        Ok(target) => (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response(),
        Err(failure) => failure.into_response(),
    }
}
