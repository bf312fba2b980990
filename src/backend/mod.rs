//! The pluggable backend behind a [`Clerk`](crate::Clerk) handle.
//!
//! A backend speaks to wherever the client and its sessions live: Clerk's
//! Frontend API, or [`MemoryBackend`] for tests and demos. It holds no UI state:
//! every call returns the client as the server has it after the call, and the
//! handle replaces its state with that answer.

pub mod fapi;
mod memory;
mod ops;
mod unconfigured;

pub use memory::{BackendCall, CallKind, Hold, MemoryBackend};
pub(crate) use ops::BackendOps;
pub(crate) use unconfigured::Unconfigured;

use async_trait::async_trait;

use crate::model::{ActiveSession, Client, Environment, SignIn};
use crate::ClerkError;

/// One Frontend API call of a sign-in, for [`ClerkBackend::sign_in`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInCall<'a> {
    /// `POST /v1/client/sign_ins`: a new attempt.
    Create,
    /// `GET /v1/client/sign_ins/{id}`; after OAuth on a native app, with the
    /// callback's `rotating_token_nonce`, which finishes the attempt.
    Get {
        /// The nonce the OAuth callback carried.
        rotating_token_nonce: Option<&'a str>,
    },
    /// `POST …/{id}/prepare_first_factor` (sends an email code, say).
    PrepareFirstFactor,
    /// `POST …/{id}/attempt_first_factor` (a code, a password).
    AttemptFirstFactor,
    /// `POST …/{id}/prepare_second_factor`.
    PrepareSecondFactor,
    /// `POST …/{id}/attempt_second_factor` (TOTP, a code, a backup code).
    AttemptSecondFactor,
}

impl SignInCall<'_> {
    /// The call's name (`Create`, `Get`, `AttemptFirstFactor`, ...), without
    /// its nonce.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Create => "Create",
            Self::Get { .. } => "Get",
            Self::PrepareFirstFactor => "PrepareFirstFactor",
            Self::AttemptFirstFactor => "AttemptFirstFactor",
            Self::PrepareSecondFactor => "PrepareSecondFactor",
            Self::AttemptSecondFactor => "AttemptSecondFactor",
        }
    }
}

/// A sign-in call's answer: the attempt, and the client after the call
/// (with the new session once the attempt is complete).
#[derive(Debug, Clone, PartialEq)]
pub struct SignInAnswer {
    /// The attempt as the server has it now.
    pub sign_in: SignIn,
    /// The client after the call, when the server sent it.
    pub client: Option<Client>,
}

/// What a [`Clerk`](crate::Clerk) handle needs from a server.
///
/// Futures are not `Send` (browsers are single-threaded), so implement it with
/// `#[async_trait(?Send)]`:
///
/// ```
/// use clerk_dioxus::{async_trait, ClerkBackend, ClerkError, Client};
///
/// struct AlwaysSignedOut;
///
/// #[async_trait(?Send)]
/// impl ClerkBackend for AlwaysSignedOut {
///     async fn load_client(&self) -> Result<Option<Client>, ClerkError> { Ok(None) }
///     async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError> { Ok(None) }
///     async fn remove_session(&self, id: &str) -> Result<Option<Client>, ClerkError> {
///         Err(ClerkError::SessionNotFound { session_id: id.into() })
///     }
///     async fn set_active_session(&self, id: &str) -> Result<Option<Client>, ClerkError> {
///         Err(ClerkError::SessionNotFound { session_id: id.into() })
///     }
/// }
/// ```
#[async_trait(?Send)]
pub trait ClerkBackend: 'static {
    /// The current client (`GET /v1/client`); `None` when the server has none.
    async fn load_client(&self) -> Result<Option<Client>, ClerkError>;

    /// Signs out every session and keeps the client (`DELETE /v1/client/sessions`).
    async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError>;

    /// Signs out one session and removes it from the client
    /// (`POST /v1/client/sessions/{id}/remove`).
    async fn remove_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError>;

    /// Makes a session the active one
    /// (`POST /v1/client/sessions/{id}/touch`, `intent=select_session`).
    async fn set_active_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError>;

    /// One call of a sign-in: creating the attempt (`POST
    /// /v1/client/sign_ins` with `form`, `sign_in_id` `None`), reading it back
    /// (`GET /v1/client/sign_ins/{id}`, with an OAuth callback's
    /// `rotating_token_nonce`), or preparing and attempting a factor (`POST
    /// …/{id}/prepare_first_factor` and the like, with `form`). Returns the
    /// attempt and the client as the server has it after the call. Backends
    /// that cannot sign in keep this default.
    async fn sign_in(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let _ = (sign_in_id, call, form);
        Err(ClerkError::Unsupported(
            "this backend cannot sign in".into(),
        ))
    }

    /// A session token (JWT) for the app's own API
    /// (`POST /v1/client/sessions/{id}/tokens`, or `/tokens/{template}`;
    /// `organization_id` as the spec says: absent leaves the server's choice).
    /// Backends without tokens keep this default.
    async fn session_token(
        &self,
        session_id: &str,
        template: Option<&str>,
        organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        let _ = (session_id, template, organization_id);
        Err(ClerkError::Unsupported(
            "this backend issues no session tokens".into(),
        ))
    }

    /// Whether the handle fetches the active session's token from the start,
    /// so that on the web the app origin's `__session` cookie holds it (as
    /// clerk-js keeps it) for a server on the same site to verify. The
    /// Frontend API backend does. With the default `false`, tokens are
    /// fetched, refreshed and kept in the cookie from the app's first
    /// [`Clerk::get_token`](crate::Clerk::get_token) on, and an app that
    /// never asks for one carries none of that code (the in-memory backend's
    /// tokens are unsigned: no server could verify them anyway).
    fn keeps_session_cookie(&self) -> bool {
        false
    }

    /// The publishable key of the Clerk instance this backend speaks to,
    /// when it is one: on the web the handle names the app's cookies after
    /// it (`__session_<suffix>`, ...) and writes `__client_uat` for a
    /// development instance, as clerk-js does, so that Clerk's backend SDKs
    /// read them. The Frontend API backend has one; others keep `None`.
    fn publishable_key(&self) -> Option<&fapi::PublishableKey> {
        None
    }

    /// `url` ready to leave the app for: clerk-js's `buildUrlWithAuth`. On
    /// a development instance in the browser, a URL of another origin (the
    /// Account Portal's sign-in or profile page) gets the dev browser as
    /// `__clerk_db_jwt`, so the page there acts for this browser's client;
    /// anything else is returned as it is (the default).
    async fn url_with_auth(&self, url: &str) -> Result<String, ClerkError> {
        Ok(url.to_owned())
    }

    /// Tells the server the user is back on a session (`POST
    /// /v1/client/sessions/{id}/touch`, `intent=focus`), returning the client
    /// it answers with; `Ok(None)` means nothing to apply. The default sends
    /// nothing.
    async fn touch_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let _ = session_id;
        Ok(None)
    }

    /// The instance's settings (`GET /v1/environment`): its pages, such as the
    /// user profile and sign-in URLs. Backends without one keep this default,
    /// an environment with every page unset.
    async fn environment(&self) -> Result<Environment, ClerkError> {
        Ok(Environment::default())
    }

    /// The active sessions of the user signed in as `acting_session_id`, on
    /// every client, with their latest activity (`GET /v1/me/sessions/active`,
    /// `_clerk_session_id` naming the acting session). Backends that know no
    /// other devices keep this default.
    async fn active_sessions(
        &self,
        acting_session_id: &str,
    ) -> Result<Vec<ActiveSession>, ClerkError> {
        let _ = acting_session_id;
        Err(ClerkError::Unsupported(
            "this backend lists no other devices".into(),
        ))
    }

    /// Revokes `session_id`, a session of the same user on another client
    /// (`POST /v1/me/sessions/{id}/revoke`, `_clerk_session_id` naming the
    /// acting session), returning this client as the server has it after.
    async fn revoke_session(
        &self,
        acting_session_id: &str,
        session_id: &str,
    ) -> Result<Option<Client>, ClerkError> {
        let _ = (acting_session_id, session_id);
        Err(ClerkError::Unsupported(
            "this backend revokes no other devices".into(),
        ))
    }
}
