//! The real Clerk Frontend API, over HTTP.
//!
//! One implementation for every platform, with the credential mode chosen by
//! the target: in browsers (wasm32) the `__client` cookie (`credentials:
//! include`, never an `Authorization` header) and, on development instances,
//! the dev-browser token; on desktop and mobile Clerk's native mode
//! (`_is_native=1`, the client token in `Authorization`, kept in a
//! [`TokenStore`]).
//!
//! ```no_run
//! use clerk_dioxus::backend::fapi::FapiBackend;
//! use clerk_dioxus::Clerk;
//! # fn main() -> Result<(), clerk_dioxus::ClerkError> {
//! let backend = FapiBackend::from_publishable_key("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk")?
//!     .timeout(std::time::Duration::from_secs(5))
//!     .build();
//! let clerk = Clerk::new(backend);
//! # drop(clerk); Ok(()) }
//! ```

mod builder;
mod frontend_api;
mod holds;
mod key;
mod token_store;
mod transport;
pub(crate) mod wire;

pub use builder::FapiBuilder;
pub use key::{InstanceType, KeyError, PublishableKey};
#[cfg(not(target_arch = "wasm32"))]
pub use token_store::FileTokenStore;
#[cfg(all(not(target_arch = "wasm32"), feature = "keyring"))]
pub use token_store::KeyringTokenStore;
pub use token_store::{MemoryTokenStore, TokenStore, TokenStoreError};
pub use wire::API_VERSION;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;

use super::{ClerkBackend, SignInAnswer, SignInCall};
use crate::model::{ActiveSession, Client, Environment, SignIn};
use crate::{ApiError, ClerkError};
use transport::{endpoint, form_body, FapiCredentials, Method};
use wire::{
    decode, decode_active_sessions, decode_environment, decode_token, with_timeout, Envelope,
};

/// How long a request may take unless set with [`FapiBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`ClerkBackend`] that talks to Clerk's Frontend API.
pub struct FapiBackend {
    base: String,
    /// The instance's key: given, or the one Clerk would issue for the URL.
    key: Option<PublishableKey>,
    timeout: Duration,
    credentials: FapiCredentials,
    /// Routes a `429` closed for a while.
    holds: holds::RouteHolds,
}

impl FapiBackend {
    /// Points at the Frontend API named by a publishable key. The key is
    /// validated as Clerk does; a bad key is [`ClerkError::InvalidPublishableKey`].
    ///
    /// The key names the Frontend API's host (`https://{host}`); a key that
    /// names a loopback address is the emulator's (`clerk-emulator` prints
    /// it), reached over `http`.
    pub fn from_publishable_key(key: &str) -> Result<FapiBuilder, ClerkError> {
        let key = PublishableKey::parse(key)?;
        let base = frontend_api::parse_frontend_api_url(&key.frontend_api_url())?;
        let mut builder = FapiBuilder::new(base, key.instance_type());
        builder.key = Some(key);
        Ok(builder)
    }

    /// Points at an explicit Frontend API URL: a proxy, or the emulator. Only
    /// `https`, or `http` on a loopback host, is accepted
    /// ([`ClerkError::InsecureUrl`] otherwise). Production mode unless
    /// [`FapiBuilder::development`] says otherwise.
    pub fn from_frontend_api_url(url: &str) -> Result<FapiBuilder, ClerkError> {
        let base = frontend_api::parse_frontend_api_url(url)?;
        Ok(FapiBuilder::new(base, InstanceType::Production))
    }

    /// The Frontend API base URL in use (`https://clerk.example.com/`).
    pub fn frontend_api_url(&self) -> &str {
        &self.base
    }

    /// The instance's publishable key: the one given, or for a backend made
    /// from a URL, the key Clerk would issue for that URL's host (what
    /// `clerk-emulator` prints for itself). `None` for a host no key can
    /// name (`localhost`, which has no dot).
    pub fn publishable_key(&self) -> Option<&PublishableKey> {
        self.key.as_ref()
    }
}

impl FapiBackend {
    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        form: &[(&str, &str)],
    ) -> Result<Envelope, ClerkError> {
        self.call_with(method, segments, &[], form, decode).await
    }

    /// Sends a request (once more after a renewed dev-browser token) and reads
    /// its answer with `read`.
    async fn call_with<T>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        form: &[(&str, &str)],
        read: fn(u16, &str) -> Result<T, ClerkError>,
    ) -> Result<T, ClerkError> {
        if let Some(held) = self
            .holds
            .check(method, segments, crate::platform::now_secs())
        {
            return Err(held);
        }
        let attempt = || async {
            let (status, body, retry_after) = self.send(method, segments, query, form).await?;
            read(status, &body).map_err(|error| with_retry_after(error, retry_after))
        };
        let result = match attempt().await {
            Err(error) if self.credentials.should_retry(&error) => attempt().await,
            result => result,
        };
        if let Err(error) = &result {
            self.holds
                .note(method, segments, error, crate::platform::now_secs());
        }
        result
    }

    /// One request: the URL of `segments` under the base (each segment
    /// percent-encoded, so a session id cannot escape its path), with the API
    /// version and `query`, and `form` as the body of anything but a `GET`.
    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<(u16, String, Option<Duration>), ClerkError> {
        let url = endpoint(&self.base, segments, query);
        let body = (method != Method::Get).then(|| form_body(form));
        let exchange = self.credentials.send(method, url, body);
        let answer = match with_timeout(self.timeout, exchange).await {
            Ok(answer) => answer,
            Err(error) => {
                // One line per request tried, answered or not (and none for
                // a call a rate limit held back): every request accounted for.
                crate::log::debug!(
                    method = method.as_str(),
                    path = %segments.join("/"),
                    %error,
                    "Clerk Frontend API: no answer"
                );
                return Err(error);
            }
        };
        crate::log::debug!(
            method = method.as_str(),
            path = %segments.join("/"),
            status = answer.status,
            "Clerk Frontend API"
        );
        Ok((answer.status, answer.body, answer.retry_after))
    }

    /// `POST /v1/client/sessions/{id}/touch` with an `intent` (the spec's
    /// `focus`, `select_session` or `select_org`).
    async fn touch(&self, session_id: &str, intent: &str) -> Result<Envelope, ClerkError> {
        let segments = ["client", "sessions", session_id, "touch"];
        self.call(Method::Post, &segments, &[("intent", intent)])
            .await
    }

    /// The client an envelope carries, or a fresh load when the server left it out.
    async fn client_of(&self, envelope: Envelope) -> Result<Option<Client>, ClerkError> {
        match envelope.client {
            Some(client) => Ok(Some(client)),
            None => self.load_client().await,
        }
    }
}

/// An error answer keeps the server's `Retry-After`.
fn with_retry_after(error: ClerkError, retry_after: Option<Duration>) -> ClerkError {
    match error {
        ClerkError::Api(api) => ClerkError::Api(ApiError { retry_after, ..api }),
        other => other,
    }
}

/// What the decoding of one Frontend API answer gives, for the fuzz targets
/// in `fuzz/` and the decode benchmark. Not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[derive(Debug)]
pub struct DecodedAnswer {
    /// `response` read as a client (`GET /v1/client`, sign out of all).
    pub response_client: Result<Option<Client>, ClerkError>,
    /// The piggybacked `client` (every other route).
    pub client: Option<Client>,
    /// `response` read as a sign-in attempt.
    pub sign_in: Result<(), ClerkError>,
}

/// Decodes an answer every way the backend reads one; the outer error is the
/// envelope's (a status or body that is not an answer at all).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn decode_answer(status: u16, body: &str) -> Result<DecodedAnswer, ClerkError> {
    let envelope = decode(status, body)?;
    Ok(DecodedAnswer {
        response_client: envelope.response_client(),
        sign_in: envelope.response_as::<SignIn>("sign-in answer").map(|_| ()),
        client: envelope.client,
    })
}

/// Decodes a client answer as `load_client` does, for the decode benchmark.
/// Not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn decode_client_answer(status: u16, body: &str) -> Result<Option<Client>, ClerkError> {
    decode(status, body)?.response_client()
}

#[async_trait(?Send)]
impl ClerkBackend for FapiBackend {
    /// Clerk's own: the active session's token is in `__session` from the
    /// start, for the app's server.
    fn keeps_session_cookie(&self) -> bool {
        true
    }

    fn publishable_key(&self) -> Option<&PublishableKey> {
        self.key.as_ref()
    }

    async fn url_with_auth(&self, url: &str) -> Result<String, ClerkError> {
        self.credentials.url_with_auth(url).await
    }

    async fn load_client(&self) -> Result<Option<Client>, ClerkError> {
        self.call(Method::Get, &["client"], &[])
            .await?
            .response_client()
    }

    async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError> {
        let envelope = self
            .call(Method::Delete, &["client", "sessions"], &[])
            .await?;
        let client = match envelope.client {
            Some(client) => Some(client),
            None => envelope.response_client()?,
        };
        self.credentials.forget();
        Ok(client)
    }

    async fn remove_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let envelope = self
            .call(
                Method::Post,
                &["client", "sessions", session_id, "remove"],
                &[],
            )
            .await?;
        self.client_of(envelope).await
    }

    async fn session_token(
        &self,
        session_id: &str,
        template: Option<&str>,
        organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        let mut segments = vec!["client", "sessions", session_id, "tokens"];
        segments.extend(template);
        // Absent: the server's choice (the session's last active organization).
        // A template's route takes no form (the spec's), so no organization;
        // in the browser the tab's state, as clerk-js sends it.
        let form: Vec<(&str, &str)> = organization_id
            .map(|org| ("organization_id", org))
            .into_iter()
            .chain(crate::platform::tab_state().map(|state| ("tab_state", state)))
            .filter(|_| template.is_none())
            .collect();
        self.call_with(Method::Post, &segments, &[], &form, decode_token)
            .await
    }

    async fn environment(&self) -> Result<Environment, ClerkError> {
        let method = match self.credentials.patches_environment() {
            true => Method::Patch,
            false => Method::Get,
        };
        self.call_with(method, &["environment"], &[], &[], decode_environment)
            .await
    }

    async fn active_sessions(
        &self,
        acting_session_id: &str,
    ) -> Result<Vec<ActiveSession>, ClerkError> {
        let acting = [("_clerk_session_id", acting_session_id)];
        let segments = ["me", "sessions", "active"];
        self.call_with(Method::Get, &segments, &acting, &[], decode_active_sessions)
            .await
    }

    async fn revoke_session(
        &self,
        acting_session_id: &str,
        session_id: &str,
    ) -> Result<Option<Client>, ClerkError> {
        let acting = [("_clerk_session_id", acting_session_id)];
        let segments = ["me", "sessions", session_id, "revoke"];
        let envelope = self
            .call_with(Method::Post, &segments, &acting, &[], decode)
            .await?;
        self.client_of(envelope).await
    }

    async fn touch_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        Ok(self.touch(session_id, "focus").await?.client)
    }

    async fn set_active_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let envelope = self.touch(session_id, "select_session").await?;
        self.client_of(envelope).await
    }

    async fn sign_in(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let (method, action, nonce) = match call {
            SignInCall::Create => (Method::Post, None, None),
            // The nonce is not in the spec, but every Clerk SDK sends it after OAuth.
            SignInCall::Get {
                rotating_token_nonce,
            } => (Method::Get, None, rotating_token_nonce),
            SignInCall::PrepareFirstFactor => (Method::Post, Some("prepare_first_factor"), None),
            SignInCall::AttemptFirstFactor => (Method::Post, Some("attempt_first_factor"), None),
            SignInCall::PrepareSecondFactor => (Method::Post, Some("prepare_second_factor"), None),
            SignInCall::AttemptSecondFactor => (Method::Post, Some("attempt_second_factor"), None),
        };
        let mut segments = vec!["client", "sign_ins"];
        segments.extend(sign_in_id);
        segments.extend(action);
        let query: Vec<_> = nonce
            .map(|nonce| ("rotating_token_nonce", nonce))
            .into_iter()
            .collect();
        let envelope = self
            .call_with(method, &segments, &query, form, decode)
            .await?;
        let sign_in: SignIn = envelope.response_as("sign-in answer")?;
        let client = self.client_of(envelope).await?;
        Ok(SignInAnswer { sign_in, client })
    }
}

impl fmt::Debug for FapiBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FapiBackend")
            .field("frontend_api_url", &self.base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
