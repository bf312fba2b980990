//! The crate's one error type.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Everything that can go wrong when talking to Clerk or acting on its state.
///
/// Errors are `Clone` so that one failed request can be shared by every caller
/// that waited on it, kept in [`AuthState::last_error`](crate::AuthState), and
/// handed to an `on_error` handler. The crate puts no token or cookie in them;
/// Clerk's own error messages and `meta` are passed on as Clerk sent them, and
/// a body that is not Clerk's JSON is kept only as a short excerpt with anything
/// token-like masked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkError {
    /// The session id is not one of the client's signed-in sessions. Nothing was sent.
    #[error("no signed-in session has the id `{session_id}`")]
    SessionNotFound {
        /// The id that was asked for.
        session_id: String,
    },
    /// The redirect URL was refused. Nothing was sent.
    #[error("refused to redirect to `{url}`: {reason}")]
    InvalidRedirect {
        /// The URL that was asked for.
        url: String,
        /// Why it was refused.
        reason: RedirectError,
    },
    /// Clerk answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The Frontend API could not be reached: the device is offline (the
    /// browser says so, `navigator.onLine`, and then nothing was sent), or
    /// no connection to it could be made (refused, no route, no DNS): Core
    /// 3's `ClerkOfflineError`. The handle keeps what the server last said,
    /// marked stale ([`AuthState::stale_since`](crate::AuthState::stale_since));
    /// nobody is signed out by it, and the background sync tries again
    /// (at once when the browser is back online).
    #[error("offline: {0}")]
    Offline(String),
    /// A connection to Clerk was made but broke, or its answer did not
    /// arrive whole.
    #[error("network error: {0}")]
    Network(String),
    /// Clerk did not answer in time.
    #[error("Clerk did not answer within {}", Seconds(*.0))]
    Timeout(Duration),
    /// The answer could not be decoded.
    #[error("could not decode Clerk's answer: {message}")]
    Decode {
        /// What was wrong, with the start of the offending body.
        message: String,
    },
    /// The publishable key is malformed. Nothing was sent.
    #[error("invalid publishable key: {0}")]
    InvalidPublishableKey(#[from] KeyError),
    /// The Frontend API URL is neither HTTPS nor loopback HTTP. Nothing was sent.
    #[error("refused insecure Frontend API URL `{url}`: use https, or http on a loopback host")]
    InsecureUrl {
        /// The URL that was refused.
        url: String,
    },
    /// The native token store could not be read (a locked keychain, no
    /// keychain service, a file the app may not read), or held a value no
    /// request can carry. Nothing was sent, so a temporary failure cannot
    /// replace the stored sign-in with a new client; the next call reads the
    /// store again. (A failed write after a successful answer is only logged:
    /// the server has already acted.)
    #[error(transparent)]
    TokenStore(#[from] TokenStoreError),
    /// The session is one of this client's own (this device): revoking it is
    /// refused, and nothing was sent. Sign it out with `SignOutButton`.
    #[error("`{session_id}` is this device's own session: sign it out with SignOutButton, not by revoking it")]
    ThisDevice {
        /// The session asked for.
        session_id: String,
    },
    /// An OAuth sign-in came back failed: `code` is Clerk's
    /// `__clerk_error_code` (`oauth_access_denied` when the user refused).
    #[error("the OAuth sign-in failed: {code}")]
    OAuth {
        /// Clerk's error code.
        code: String,
    },
    /// An OAuth sign-in in the system browser was not finished in time (see
    /// `OAuthOptions::timeout`); its listener stopped.
    #[error("the sign-in in the browser was not finished within {}", Seconds(*.0))]
    BrowserTimeout(Duration),
    /// The system browser could not be opened for an OAuth sign-in.
    #[error("could not open the browser: {0}")]
    Browser(String),
    /// No session is signed in, or the app's own server refused the session's
    /// token twice (see [`Clerk::send_with_session`](crate::Clerk::send_with_session)).
    #[error("not signed in")]
    SignedOut,
    /// A key for verifying session tokens (`CLERK_JWT_KEY`) is not an RSA
    /// public key in PEM.
    #[error("invalid JWT verification key: {message}")]
    InvalidJwtKey {
        /// What was wrong with it.
        message: String,
    },
    /// The backend cannot do what was asked (for example a sign-in that needs
    /// a second factor).
    #[error("not supported: {0}")]
    Unsupported(String),
}

/// A duration as seconds, to the millisecond (`10s`, `1.5s`, `0.25s`), in
/// integer arithmetic: no float formatting code comes with the message.
struct Seconds(Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.subsec_millis();
        write!(f, "{}", self.0.as_secs())?;
        if millis > 0 {
            let fraction = format!("{millis:03}");
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("s")
    }
}

impl ClerkError {
    /// Whether Clerk could not be reached or could not serve: offline, a
    /// broken connection, no answer in time, a `5xx` or a `429`. Such a
    /// failure says nothing about the user's sessions: the state is kept
    /// (and marked stale) and the request is tried again later.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::Offline(_) | Self::Network(_) | Self::Timeout(_) => true,
            Self::Api(api) => api.status >= 500 || api.status == 429,
            _ => false,
        }
    }

    /// The first Clerk error code, for API errors (`signed_out`, `resource_not_found`, ...).
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api(api) => api.code(),
            _ => None,
        }
    }
}

/// Why a redirect URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectError {
    /// Not `http`, `https` or a relative path (`javascript:`, `data:`, ...).
    UnsupportedScheme,
    /// Another origin than the app's, and not in the allowed list.
    CrossOrigin,
    /// Empty or not a URL.
    Malformed,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnsupportedScheme => "only http(s) URLs and relative paths are allowed",
            Self::CrossOrigin => {
                "it leads to another origin; allow it with ClerkBuilder::allow_redirect_origin"
            }
            Self::Malformed => "it is not a valid URL",
        })
    }
}

/// An error answer from Clerk: the HTTP status and the body
/// `{errors: [{code, message, long_message, meta}], clerk_trace_id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiError {
    /// HTTP status.
    #[serde(default)]
    pub status: u16,
    /// Clerk's errors, most important first. Empty when the body was not Clerk JSON.
    #[serde(default, deserialize_with = "crate::model::null_as_default")]
    pub errors: Vec<ApiErrorDetail>,
    /// Clerk's trace id, for support requests.
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
    /// The start of the body when it was not Clerk's error JSON (an HTML error
    /// page from a proxy, say), with anything token-like removed.
    #[serde(skip)]
    pub body_excerpt: Option<String>,
    /// How long the server asked to wait before the next request (its
    /// `Retry-After`, in whole seconds, as Clerk sends it with a `429`).
    #[serde(skip)]
    pub retry_after: Option<std::time::Duration>,
}

impl ApiError {
    /// An error with one Clerk error entry.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status,
            errors: vec![ApiErrorDetail {
                code: code.into(),
                long_message: message.clone(),
                message,
                meta: None,
            }],
            clerk_trace_id: None,
            body_excerpt: None,
            retry_after: None,
        }
    }

    /// The first error's code.
    pub fn code(&self) -> Option<&str> {
        self.errors.first().map(|e| e.code.as_str())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clerk answered {}", self.status)?;
        if let Some(first) = self.errors.first() {
            write!(f, " ({}): {}", first.code, first.long_message)?;
        } else if let Some(body) = &self.body_excerpt {
            write!(f, ": {body}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// One entry of Clerk's `errors` array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    /// Machine-readable code (`signed_out`, `resource_not_found`, ...).
    pub code: String,
    /// Short message.
    pub message: String,
    /// Message with more detail.
    #[serde(default, deserialize_with = "crate::model::null_as_default")]
    pub long_message: String,
    /// What Clerk attached to the error, when it did.
    #[serde(default)]
    pub meta: Option<ApiErrorMeta>,
}

/// What Clerk attaches to an error (its `meta`), the fields clerk-js reads.
/// Other fields are ignored; each of these is empty when Clerk left it out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiErrorMeta {
    /// The form field the error is about (`identifier`, `code`, ...).
    pub param_name: Option<String>,
    /// The session the error is about (`session_exists`, say).
    pub session_id: Option<String>,
    /// The email addresses the error is about.
    #[serde(deserialize_with = "crate::model::null_as_default")]
    pub email_addresses: Vec<String>,
    /// The identifiers the error is about.
    #[serde(deserialize_with = "crate::model::null_as_default")]
    pub identifiers: Vec<String>,
    /// The permissions the request lacked.
    #[serde(deserialize_with = "crate::model::null_as_default")]
    pub permissions: Vec<String>,
}

/// Why a publishable key was refused. The messages are Clerk's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Empty or blank.
    #[error("Publishable key is missing")]
    Missing,
    /// Not `pk_test_…` or `pk_live_…` in three parts.
    #[error("Publishable key not valid")]
    NotValid,
    /// The third part is not base64.
    #[error("Failed to decode key")]
    DecodeFailed,
    /// It decodes, but not to `host$` (or `host:port$`) with one trailing `$`,
    /// where the host is a domain name with a `.` (not an IP address).
    #[error("Decoded key has invalid format")]
    InvalidFormat,
}

/// A failure to read or write a stored token. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store: {0}")]
pub struct TokenStoreError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds() {
        for (millis, shown) in [
            (10_000, "10s"),
            (1_500, "1.5s"),
            (250, "0.25s"),
            (1_001, "1.001s"),
        ] {
            let error = ClerkError::Timeout(Duration::from_millis(millis));
            assert_eq!(
                error.to_string(),
                format!("Clerk did not answer within {shown}")
            );
        }
    }
}
