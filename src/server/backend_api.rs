//! The one call to Clerk's Backend API the request rules make: exchanging
//! a handshake's nonce for the cookies to set
//! (`GET /v1/clients/handshake_payload?nonce=…`, with the instance's secret
//! key), as `@clerk/backend`'s `clients.getHandshakePayload` does.

use serde::Deserialize;

/// Where the Backend API is unless set: Clerk's.
pub const DEFAULT_BACKEND_API_URL: &str = "https://api.clerk.com";

/// The Backend API version named on every call, as `@clerk/backend` 3.25.
const API_VERSION: &str = "2026-05-12";

/// The Backend API, and the secret key it is called with.
pub(crate) struct BackendApi {
    url: String,
    secret_key: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for BackendApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendApi")
            .field("url", &self.url)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

#[derive(Deserialize)]
struct HandshakePayload {
    directives: Vec<String>,
}

impl BackendApi {
    pub(crate) fn new(url: &str, secret_key: String, http: reqwest::Client) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            secret_key,
            http,
        }
    }

    /// The `Set-Cookie` directives a handshake's nonce stands for. The
    /// error says why not, for the log; it never holds the key or the nonce.
    pub(crate) async fn handshake_payload(&self, nonce: &str) -> Result<Vec<String>, String> {
        let response = self
            .http
            .get(format!("{}/v1/clients/handshake_payload", self.url))
            .query(&[("nonce", nonce)])
            .bearer_auth(&self.secret_key)
            .header("clerk-api-version", API_VERSION)
            .send()
            .await
            .map_err(|error| format!("the Backend API did not answer: {}", error.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the Backend API answered {status}"));
        }
        let payload: HandshakePayload = response.json().await.map_err(|error| {
            format!(
                "the handshake payload does not read: {}",
                error.without_url()
            )
        })?;
        Ok(payload.directives)
    }
}
