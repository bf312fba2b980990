//! Clerk's error answers: `{errors: [{code, message, long_message, meta}], clerk_trace_id}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answer the emulator sends, shaped as Clerk's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// HTTP status.
    pub status: StatusCode,
    /// Clerk error code.
    pub code: String,
    /// Short message.
    pub message: String,
    /// Long message.
    pub long_message: String,
}

impl ApiFailure {
    /// A failure with one message used as both short and long message.
    pub fn new(status: u16, code: &str, message: &str) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.into(),
            message: message.into(),
            long_message: message.into(),
        }
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(404, "resource_not_found", &format!("{what} not found"))
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let trace = crate::ids::random_id("trace");
        let body = json!({
            "errors": [{
                "code": self.code,
                "message": self.message,
                "long_message": self.long_message,
                "meta": {},
            }],
            "clerk_trace_id": trace,
        });
        (self.status, Json(body)).into_response()
    }
}
