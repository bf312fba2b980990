//! What travels over HTTP: the `{response, client}` envelope, Clerk's error
//! bodies, and timeouts that work the same in browsers and natively.

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::codec::{self, Raw};
use crate::error::ApiError;
use crate::model::{ActiveSession, Client, Environment};
use crate::ClerkError;

/// The Frontend API version this client speaks (sent as `__clerk_api_version`).
pub const API_VERSION: &str = "2026-05-12";

/// The Frontend API's answer to every call: `{response, client}`.
///
/// `response` stays raw JSON until we know what it is, so it is parsed once,
/// straight into the typed model, skipping the fields we do not keep.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default)]
    pub(crate) response: Option<Raw>,
    #[serde(default)]
    pub(crate) client: Option<Client>,
}

impl Envelope {
    /// `response` as a client (`GET /v1/client`, `DELETE /v1/client/sessions`).
    pub(crate) fn response_client(&self) -> Result<Option<Client>, ClerkError> {
        let Some(raw) = &self.response else {
            return Ok(None);
        };
        // Only a JSON object is a client (a derived struct would also take an array).
        match codec::object_kind(raw) {
            Some(object) if object == "client" => codec::from_raw(raw)
                .map(Some)
                .map_err(|e| decode_error(&e, &codec::raw_text(raw))),
            _ => Err(ClerkError::Decode {
                message: format!(
                    "expected a client in `response`, got {}",
                    excerpt(&codec::raw_text(raw))
                ),
            }),
        }
    }

    /// `response` as `T` (a sign-in attempt, ...).
    pub(crate) fn response_as<T: DeserializeOwned>(&self, what: &str) -> Result<T, ClerkError> {
        let decoded = match &self.response {
            Some(raw) => codec::from_raw(raw),
            None => codec::from_text("null"),
        };
        decoded.map_err(|e| ClerkError::Decode {
            message: format!("{what}: {}", excerpt(&e)),
        })
    }
}

/// Turns a status and body into a result: the envelope on success, a typed
/// error otherwise (Clerk's error JSON or not).
///
/// A client with no envelope (`{"object": "client", …}` as the whole body,
/// which Clerk has answered) is read as the envelope's `response`.
pub(crate) fn decode(status: u16, body: &str) -> Result<Envelope, ClerkError> {
    if !(200..300).contains(&status) {
        return Err(api_error(status, body));
    }
    let envelope: Envelope = codec::from_text(body).map_err(|e| decode_error(&e, body))?;
    if envelope.response.is_some() || envelope.client.is_some() {
        return Ok(envelope);
    }
    let whole: Raw = codec::from_text(body).map_err(|e| decode_error(&e, body))?;
    match codec::object_kind(&whole).as_deref() {
        Some("client") => Ok(Envelope {
            response: Some(whole),
            client: None,
        }),
        _ => Ok(envelope),
    }
}

/// An answer that is the object itself, not an envelope: the environment,
/// the active sessions.
fn decode_bare<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ClerkError> {
    if !(200..300).contains(&status) {
        return Err(api_error(status, body));
    }
    codec::from_text(body).map_err(|e| decode_error(&e, body))
}

/// The environment answer.
pub(crate) fn decode_environment(status: u16, body: &str) -> Result<Environment, ClerkError> {
    decode_bare(status, body)
}

/// The active sessions answer: an array of sessions with their activity.
pub(crate) fn decode_active_sessions(
    status: u16,
    body: &str,
) -> Result<Vec<ActiveSession>, ClerkError> {
    decode_bare(status, body)
}

/// A session token answer (`{object: "token", jwt}`; the spec's `{jwt}`).
pub(crate) fn decode_token(status: u16, body: &str) -> Result<String, ClerkError> {
    #[derive(Deserialize)]
    struct Token {
        jwt: String,
    }
    if !(200..300).contains(&status) {
        return Err(api_error(status, body));
    }
    let token: Token = codec::from_text(body).map_err(|e| decode_error(&e, body))?;
    if token.jwt.split('.').count() != 3 {
        return Err(ClerkError::Decode {
            message: "the session token answer holds no JWT".into(),
        });
    }
    Ok(token.jwt)
}

/// The dev-browser answer (`POST /v1/dev_browser`): its token.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn decode_dev_browser(status: u16, body: &str) -> Result<String, ClerkError> {
    #[derive(Deserialize)]
    struct DevBrowser {
        id: String,
    }
    decode_bare::<DevBrowser>(status, body).map(|d| d.id)
}

pub(crate) fn api_error(status: u16, body: &str) -> ClerkError {
    match codec::from_text::<ApiError>(body) {
        Ok(parsed) if !parsed.errors.is_empty() => ClerkError::Api(ApiError { status, ..parsed }),
        // An HTML 502 from a proxy, an empty 500, …: still a typed error.
        _ => ClerkError::Api(ApiError {
            status,
            errors: Vec::new(),
            clerk_trace_id: None,
            body_excerpt: Some(excerpt(body)),
            retry_after: None,
        }),
    }
}

pub(crate) fn decode_error(error: &str, body: &str) -> ClerkError {
    // serde quotes the offending value, which may be a token: mask it too.
    ClerkError::Decode {
        message: format!("{}; body starts: {}", excerpt(error), excerpt(body)),
    }
}

/// The start of a body, safe to log: about 160 characters, and every long
/// token-like run (JWTs, client tokens) replaced by `…`. A run is judged whole,
/// so a token that crosses the limit is masked, not cut to a short prefix.
pub(crate) fn excerpt(body: &str) -> String {
    const LIMIT: usize = 160;
    const TOKEN_RUN: usize = 40;
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '/' | '=');
    let mut out = String::new();
    let mut shown = 0;
    let mut cut = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if shown >= LIMIT {
            cut = true;
            break;
        }
        if !is_token_char(c) {
            out.push(c);
            shown += 1;
            continue;
        }
        let mut run = String::from(c);
        while let Some(&next) = chars.peek() {
            if !is_token_char(next) {
                break;
            }
            run.push(next);
            chars.next();
        }
        let length = run.chars().count();
        if length >= TOKEN_RUN {
            out.push('…');
        } else {
            let room = LIMIT - shown;
            cut |= length > room;
            out.extend(run.chars().take(room));
        }
        shown += length;
    }
    if cut {
        out.push_str(" [truncated]");
    }
    out
}

/// Runs `future`, or fails with [`ClerkError::Timeout`] after `limit`.
pub(crate) async fn with_timeout<T>(
    limit: Duration,
    future: impl Future<Output = Result<T, ClerkError>>,
) -> Result<T, ClerkError> {
    let mut future = std::pin::pin!(future);
    let mut timer = crate::platform::sleep(limit);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = future.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        std::pin::Pin::new(&mut timer)
            .poll(cx)
            .map(|()| Err(ClerkError::Timeout(limit)))
    })
    .await
}

/// Maps a transport failure to a typed error without leaking the URL's query
/// (which may carry a dev-browser token).
pub(crate) fn transport_error(error: reqwest::Error) -> ClerkError {
    let kind = if error.is_body() || error.is_decode() {
        "the answer did not arrive whole"
    } else if error.is_timeout() {
        "timed out"
    } else {
        "request failed"
    };
    // The innermost cause says it best ("Connection refused", "connection closed before message completed").
    let mut detail = String::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    ClerkError::Network(if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerk_error_bodies_become_api_errors() {
        let body = r#"{"errors":[{"code":"signed_out","message":"Signed out","long_message":"You are signed out","meta":{}}],"clerk_trace_id":"trace_1"}"#;
        let ClerkError::Api(error) = decode(401, body).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            (error.status, error.code(), error.clerk_trace_id.as_deref()),
            (401, Some("signed_out"), Some("trace_1"))
        );
    }

    #[test]
    fn an_error_keeps_the_meta_clerk_js_reads_and_ignores_the_rest() {
        let body = r#"{"errors":[
            {"code":"form_identifier_not_found","message":"Not found","long_message":"No account",
             "meta":{"param_name":"identifier","zxcvbn":{"suggestions":[]},"plan":{"id":"x"}}},
            {"code":"session_exists","message":"Exists","meta":{"session_id":"sess_1","email_addresses":["a@b.c"]}},
            {"code":"signed_out","message":"Signed out","meta":null}]}"#;
        let ClerkError::Api(error) = decode(422, body).unwrap_err() else {
            panic!()
        };
        let metas: Vec<_> = error.errors.iter().map(|e| e.meta.clone()).collect();
        assert_eq!(
            metas,
            [
                Some(crate::ApiErrorMeta {
                    param_name: Some("identifier".into()),
                    ..Default::default()
                }),
                Some(crate::ApiErrorMeta {
                    session_id: Some("sess_1".into()),
                    email_addresses: vec!["a@b.c".into()],
                    ..Default::default()
                }),
                None,
            ]
        );
    }

    #[test]
    fn html_error_pages_still_give_a_typed_error() {
        let ClerkError::Api(error) =
            decode(502, "<html><body>Bad gateway</body></html>").unwrap_err()
        else {
            panic!()
        };
        assert_eq!(error.status, 502);
        assert!(error.errors.is_empty());
        assert_eq!(
            error.body_excerpt.as_deref(),
            Some("<html><body>Bad gateway</body></html>")
        );
    }

    #[test]
    fn excerpts_hide_tokens_and_truncate() {
        let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", "a".repeat(80));
        let body = format!(r#"{{"jwt":"{jwt}","x":1}}"#);
        let out = excerpt(&body);
        assert!(!out.contains("eyJ"), "{out}");
        assert_eq!(out, r#"{"jwt":"…","x":1}"#);
        assert!(excerpt(&"x ".repeat(200)).ends_with("[truncated]"));
        assert_eq!(excerpt("short"), "short");
    }

    #[test]
    fn a_token_across_the_limit_is_masked_not_cut() {
        let body = format!("{} {}", "x".repeat(150), "t".repeat(60));
        let out = excerpt(&body);
        assert!(!out.contains('t'), "no prefix of the token: {out}");
        assert!(out.ends_with('…'), "{out}");
        let long = format!("{}{}", "y ".repeat(79), "z".repeat(30));
        assert!(
            excerpt(&long).ends_with("z [truncated]"),
            "a short run is cut"
        );
    }

    #[test]
    fn only_an_object_is_a_client() {
        let envelope = decode(200, r#"{"response": ["client", "c1"], "client": null}"#).unwrap();
        assert!(matches!(
            envelope.response_client(),
            Err(ClerkError::Decode { .. })
        ));
    }

    #[test]
    fn malformed_json_is_a_decode_error_naming_the_body() {
        let ClerkError::Decode { message } = decode(200, "{\"response\": [1, 2").unwrap_err()
        else {
            panic!()
        };
        assert!(
            message.contains("body starts: {\"response\": [1, 2"),
            "{message}"
        );
    }
}
