//! Requests to the app's own API, carrying the session: the token in
//! `Authorization` natively and to other origins from the web, the
//! `__session` cookie to the page's own origin.

use super::Clerk;
use crate::{ClerkError, GetTokenOptions};

impl Clerk {
    /// Sends a request to your own API as the signed-in user: natively with
    /// `Authorization: Bearer <session token>`. On the web, to the page's own
    /// origin with the browser's cookies (`credentials: include`), which hold
    /// the `__session` token; to any other origin (`api.example.com` from
    /// `example.com`) with `Authorization: Bearer`, since `__session` is
    /// host-only and never goes there. That API must allow the page's
    /// origin and the `authorization` header in its CORS answer.
    ///
    /// A `401` from your server gets one retry with a freshly fetched token
    /// (the cached one may have been refused for its age, or a key rotation).
    /// A second `401`, or no signed-in session, is [`ClerkError::SignedOut`],
    /// after a reload of the client so the state shows whether the session
    /// is gone. Other statuses are your server's answer, returned as they are.
    ///
    /// ```no_run
    /// # async fn notes(clerk: clerk_dioxus::Clerk) -> Result<(), clerk_dioxus::ClerkError> {
    /// let http = reqwest::Client::new();
    /// let response = clerk
    ///     .send_with_session(http.get("https://api.example.com/notes"))
    ///     .await?;
    /// println!("{}", response.status());
    /// # Ok(()) }
    /// ```
    pub async fn send_with_session(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, ClerkError> {
        let retry = request.try_clone();
        let token = self
            .get_token(GetTokenOptions::new())
            .await?
            .ok_or(ClerkError::SignedOut)?;
        let response = send(request, &token).await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        // A body that cannot be replayed (a stream) gets no second try.
        let Some(retry) = retry else {
            return Ok(response);
        };
        crate::log::debug!("the app's server refused the session token; fetching a new one");
        let fresh = self
            .get_token(GetTokenOptions::new().skip_cache(true))
            .await?
            .ok_or(ClerkError::SignedOut)?;
        let response = send(retry, &fresh).await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        // Refused twice: see whether the session still exists.
        let _ = self.load().await;
        Err(ClerkError::SignedOut)
    }
}

async fn send(
    request: reqwest::RequestBuilder,
    token: &str,
) -> Result<reqwest::Response, ClerkError> {
    use crate::backend::fapi::wire::transport_error;
    // Built first, so that where it goes decides how the session goes with it.
    let (client, request) = request.build_split();
    let request = request.map_err(transport_error)?;
    crate::platform::with_session(client, request, token)
        .send()
        .await
        .map_err(transport_error)
}
