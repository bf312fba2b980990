//! The calls to Clerk's Backend API the server side makes, with the
//! instance's secret key: exchanging a handshake's nonce for the cookies to
//! set (`GET /v1/clients/handshake_payload?nonce=…`, as `@clerk/backend`'s
//! `clients.getHandshakePayload`), and the user a server-rendered page
//! shows (`GET /v1/users/{user_id}`, as `users.getUser`).

use serde::de::DeserializeOwned;
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

    /// The user with this id (the Backend API's user reads as the Frontend
    /// API's). The error says why not, for the log; it never holds the key.
    pub(crate) async fn user(&self, user_id: &str) -> Result<crate::User, String> {
        let segment: String = form_urlencoded::byte_serialize(user_id.as_bytes()).collect();
        self.get("the user", &format!("/v1/users/{segment}"), &[])
            .await
    }

    /// The `Set-Cookie` directives a handshake's nonce stands for. The
    /// error says why not, for the log; it never holds the key or the nonce.
    pub(crate) async fn handshake_payload(&self, nonce: &str) -> Result<Vec<String>, String> {
        let payload: HandshakePayload = self
            .get(
                "the handshake payload",
                "/v1/clients/handshake_payload",
                &[("nonce", nonce)],
            )
            .await?;
        Ok(payload.directives)
    }

    /// `GET {path}?{query}` with the secret key, read as `T`; the error
    /// names `what` and why, never the key or the query.
    async fn get<T: DeserializeOwned>(
        &self,
        what: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, String> {
        let response = self
            .http
            .get(format!("{}{path}", self.url))
            .query(query)
            .bearer_auth(&self.secret_key)
            .header("clerk-api-version", API_VERSION)
            .send()
            .await
            .map_err(|error| format!("the Backend API did not answer: {}", error.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the Backend API answered {status}"));
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| format!("{what} did not arrive: {}", error.without_url()))?;
        serde_json::from_slice(&body).map_err(|error| format!("{what} does not read: {error}"))
    }
}
