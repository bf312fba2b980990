//! The request log: what reached the emulator, with every secret masked.

use std::collections::HashMap;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, ORIGIN};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::faults::Route;
use crate::Shared;

/// One request to `/v1/…`, as received (before the `_method` override).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// The HTTP method on the wire (`POST` for a browser's `?_method=DELETE`).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// Query parameters in order; dev-browser tokens, session tokens and
    /// handshake nonces are `<redacted>`.
    pub query: Vec<(String, String)>,
    /// `None` without an `Authorization` header, else `<empty>` or `<redacted>`.
    pub authorization: Option<String>,
    /// The `Origin` header.
    pub origin: Option<String>,
    /// The names of the cookies sent (never their values).
    pub cookies: Vec<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// Form fields; `password` is `<redacted>`.
    pub form: Vec<(String, String)>,
    /// Which operation it was, if the emulator knows it.
    pub route: Option<Route>,
    /// The status answered.
    pub status: u16,
}

impl LoggedRequest {
    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The method the request stands for (`_method` applied).
    pub fn effective_method(&self) -> &str {
        self.query_value("_method").unwrap_or(&self.method)
    }
}

const SECRET_QUERY: [&str; 4] = ["__clerk_db_jwt", "__dev_session", "__session", "nonce"];

fn masked_pairs(pairs: Vec<(String, String)>, secret: &[&str]) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(k, v)| {
            if secret.contains(&k.as_str()) {
                (k, "<redacted>".into())
            } else {
                (k, v)
            }
        })
        .collect()
}

pub(crate) fn parse_pairs(text: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(text).unwrap_or_default()
}

pub(crate) fn query_map(request: &Request) -> HashMap<String, String> {
    parse_pairs(request.uri().query().unwrap_or_default().as_bytes())
        .into_iter()
        .collect()
}

pub(crate) async fn record(
    State(shared): State<std::sync::Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/v1/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(CONTENT_TYPE);
    let form = if content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        masked_pairs(parse_pairs(&bytes), &["password"])
    } else {
        Vec::new()
    };
    let query = parse_pairs(parts.uri.query().unwrap_or_default().as_bytes());
    let effective = query
        .iter()
        .find(|(k, _)| k == "_method")
        .map(|(_, v)| v.to_uppercase())
        .unwrap_or_else(|| parts.method.to_string());
    let mut entry = LoggedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        route: Route::classify(&effective, parts.uri.path()),
        query: masked_pairs(query, &SECRET_QUERY),
        authorization: parts.headers.get(AUTHORIZATION).map(|v| {
            if v.is_empty() {
                "<empty>".into()
            } else {
                "<redacted>".into()
            }
        }),
        origin: header(ORIGIN),
        cookies: parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|p| p.trim().split_once('=').map(|(k, _)| k.to_owned()))
            .collect(),
        content_type,
        form,
        status: 0,
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    entry.status = response.status().as_u16();
    shared.log.lock().expect("log lock").push(entry);
    response
}
