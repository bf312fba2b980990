//! How a Frontend API route answers: the caller identified by its
//! credentials (and its device noted), the store changed under one lock, and
//! the credentials the answer carries back.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use crate::credentials::{self, is_native, Query};
use crate::device::Device;
use crate::error::ApiFailure;
use crate::log::parse_pairs;
use crate::store::Store;
use crate::Shared;

/// The state every route extracts.
pub(crate) type App = State<Arc<Shared>>;

pub(crate) fn query(request_query: Option<&str>) -> Query {
    parse_pairs(request_query.unwrap_or_default().as_bytes())
        .into_iter()
        .collect()
}

/// Identifies the caller, runs `op` on their client, and answers with its JSON
/// and the caller's credential.
pub(crate) fn serve(
    shared: &Shared,
    headers: &HeaderMap,
    query: &Query,
    create: bool,
    op: impl FnOnce(&mut Store, Option<&str>, &mut HeaderMap) -> Result<Value, ApiFailure>,
) -> Response {
    let mut store = shared.store.lock().expect("store lock");
    store.request_origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let instance = shared.instance();
    let caller = match credentials::identify(&mut store, instance, headers, query, create) {
        Ok(caller) => caller,
        Err(failure) => return failure.into_response(),
    };
    if let Some(client_id) = &caller.client_id {
        store.saw_device(client_id, Device::from_request(headers, is_native(query)));
    }
    let mut extra = HeaderMap::new();
    let mut response = match op(&mut store, caller.client_id.as_deref(), &mut extra) {
        Ok(body) => Json(body).into_response(),
        Err(failure) => failure.into_response(),
    };
    credentials::answer(&mut store, instance, &caller, response.headers_mut());
    // The origin was this request's: nothing rendered later takes it.
    store.request_origin = None;
    for (name, value) in extra.iter() {
        response.headers_mut().append(name, value.clone());
    }
    response
}

pub(crate) fn require_client(client_id: Option<&str>) -> Result<&str, ApiFailure> {
    client_id.ok_or_else(|| {
        ApiFailure::new(
            404,
            "resource_not_found",
            "No client was found for this request",
        )
    })
}

/// The request's query, and its form-encoded body as a map.
pub(crate) async fn query_and_form(
    request: Request,
) -> (Query, std::collections::HashMap<String, String>) {
    let query = query(request.uri().query());
    let body: Bytes = axum::body::to_bytes(request.into_body(), 1 << 16)
        .await
        .unwrap_or_default();
    (query, parse_pairs(&body).into_iter().collect())
}

/// The emulator's own origin as the caller reached it (its `Host`): where
/// its stand-in pages (the profile page, the OAuth provider) live.
pub(crate) fn own_origin(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic()))
        .map(|host| format!("http://{host}"))
}

/// Text safe inside HTML: the emulator's stand-in pages.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
