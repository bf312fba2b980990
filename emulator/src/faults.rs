//! Per-route fault injection: Clerk errors, HTML error pages, delays,
//! dropped connections, malformed and truncated bodies.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::error::ApiFailure;
use crate::Shared;

/// The operations the emulator serves, to aim faults at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// `GET /v1/environment` (and clerk-js's `PATCH`).
    Environment,
    /// `GET /v1/client`.
    GetClient,
    /// `DELETE /v1/client`.
    DeleteClient,
    /// `DELETE /v1/client/sessions`.
    DeleteSessions,
    /// `POST /v1/client/sessions/{id}/remove`.
    RemoveSession,
    /// `POST /v1/client/sessions/{id}/end`.
    EndSession,
    /// `POST /v1/client/sessions/{id}/touch`.
    TouchSession,
    /// `POST /v1/client/sessions/{id}/tokens` (and `/tokens/{template}`).
    SessionToken,
    /// `POST /v1/client/sign_ins`.
    SignIn,
    /// `GET /v1/client/sign_ins/{id}` (the OAuth nonce exchange).
    GetSignIn,
    /// `POST /v1/client/sign_ins/{id}/prepare_*` and `attempt_*`.
    SignInStep,
    /// `POST /v1/dev_browser`.
    DevBrowser,
    /// `GET /v1/me/sessions/active`.
    ActiveSessions,
    /// `POST /v1/me/sessions/{id}/revoke`.
    RevokeSession,
}

impl Route {
    /// The route a method (with `_method` applied) and path stand for.
    pub fn classify(method: &str, path: &str) -> Option<Self> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        Some(
            match (method.to_ascii_uppercase().as_str(), segments.as_slice()) {
                ("GET" | "PATCH", ["v1", "environment"]) => Self::Environment,
                ("GET", ["v1", "client"]) => Self::GetClient,
                ("DELETE", ["v1", "client"]) => Self::DeleteClient,
                ("DELETE", ["v1", "client", "sessions"]) => Self::DeleteSessions,
                ("POST", ["v1", "client", "sessions", _, "remove"]) => Self::RemoveSession,
                ("POST", ["v1", "client", "sessions", _, "end"]) => Self::EndSession,
                ("POST", ["v1", "client", "sessions", _, "touch"]) => Self::TouchSession,
                ("POST", ["v1", "client", "sessions", _, "tokens"])
                | ("POST", ["v1", "client", "sessions", _, "tokens", _]) => Self::SessionToken,
                ("POST", ["v1", "client", "sign_ins"]) => Self::SignIn,
                ("GET", ["v1", "client", "sign_ins", _]) => Self::GetSignIn,
                ("POST", ["v1", "client", "sign_ins", _, _]) => Self::SignInStep,
                ("POST", ["v1", "dev_browser"]) => Self::DevBrowser,
                ("GET", ["v1", "me", "sessions", "active"]) => Self::ActiveSessions,
                ("POST", ["v1", "me", "sessions", _, "revoke"]) => Self::RevokeSession,
                _ => return None,
            },
        )
    }
}

/// Something to go wrong on a route, until the faults are cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer with this status and a Clerk error body.
    Error {
        /// HTTP status.
        status: u16,
        /// Clerk error code (`signed_out`, `native_api_disabled`, …).
        code: String,
        /// Message.
        message: String,
        /// A `Retry-After` to send with it, in seconds (Clerk sends one with a `429`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Answer with this status and an HTML page (a proxy's error page).
    Html {
        /// HTTP status.
        status: u16,
    },
    /// Wait this long, then answer normally (or apply the next fault).
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Send headers, then break the connection before any body.
    Drop,
    /// Answer 200 with a body that is not JSON.
    MalformedJson,
    /// Answer 200 with JSON of the wrong shape: a client (as `response` and
    /// `client`) whose `id` is a number.
    WrongShape,
    /// Answer 200, announce a long body, send half of a JSON object, break the connection.
    TruncatedBody,
    /// Answer with this status and this JSON body as it is: an answer a real
    /// instance gave, as Clerk's SDKs record them, to see that a client reads it.
    Answer {
        /// HTTP status.
        status: u16,
        /// The body, sent as `application/json`.
        body: String,
    },
}

impl Fault {
    /// A Clerk error answer.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::Error {
            status,
            code: code.into(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// Clerk's `429 too_many_requests`, asking to wait `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        Self::Error {
            status: 429,
            code: "too_many_requests".into(),
            message: "Too many requests, please try again later.".into(),
            retry_after: Some(seconds),
        }
    }
}

fn broken_body(prefix: &'static [u8]) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(prefix)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault: connection dropped",
        )),
    ];
    Body::from_stream(futures_util::stream::iter(chunks))
}

fn answer(fault: &Fault) -> Option<Response> {
    let json = [(header::CONTENT_TYPE, "application/json")];
    Some(match fault {
        Fault::Delay { .. } => return None,
        Fault::Error { status, code, message, retry_after } => {
            let mut response = ApiFailure::new(*status, code, message).into_response();
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, (*seconds).into());
            }
            response
        }
        Fault::Html { status } => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY),
            [(header::CONTENT_TYPE, "text/html")],
            format!("<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1><p>nginx</p></body></html>"),
        )
            .into_response(),
        Fault::MalformedJson => (StatusCode::OK, json, "{\"response\": {\"object\": \"client\", \"id\": 42,, }").into_response(),
        Fault::WrongShape => (
            StatusCode::OK,
            json,
            "{\"response\": {\"object\": \"client\", \"id\": 42, \"sessions\": []}, \"client\": {\"object\": \"client\", \"id\": 42, \"sessions\": []}}",
        )
            .into_response(),
        Fault::Answer { status, body } => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::OK),
            json,
            body.clone(),
        )
            .into_response(),
        Fault::Drop => (StatusCode::OK, json, [(header::CONTENT_LENGTH, "4096")], broken_body(b"")).into_response(),
        Fault::TruncatedBody => {
            (StatusCode::OK, json, [(header::CONTENT_LENGTH, "4096")], broken_body(b"{\"response\":{\"object\":\"client\",\"id\":\"cli")).into_response()
        }
    })
}

pub(crate) async fn inject(
    State(shared): State<std::sync::Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let route = Route::classify(request.method().as_str(), request.uri().path());
    let faults = route
        .map(|r| {
            shared
                .faults
                .lock()
                .expect("faults lock")
                .get(&r)
                .cloned()
                .unwrap_or_default()
        })
        .unwrap_or_default();
    for fault in &faults {
        if let Fault::Delay { ms } = fault {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
        } else if let Some(response) = answer(fault) {
            return response;
        }
    }
    next.run(request).await
}
