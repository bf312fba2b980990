//! The pluggable backend behind a [`Clerk`](crate::Clerk) handle.
//!
//! A backend speaks to wherever the client and its sessions live: Clerk's
//! Frontend API, or [`MemoryBackend`] for tests and demos. It holds no UI state:
//! every call returns the client as the server has it after the call, and the
//! handle replaces its state with that answer.

pub mod fapi;
mod memory;
mod unconfigured;

pub use memory::{BackendCall, CallKind, Hold, MemoryBackend};
pub(crate) use unconfigured::Unconfigured;

use async_trait::async_trait;

use crate::model::{ActiveSession, Client, Environment};
use crate::ClerkError;

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

    /// Signs in with an identifier (email or username) and a password, adding
    /// a session to the client and making it active (`POST /v1/client/sign_ins`,
    /// `strategy=password`). Backends that cannot sign in keep this default.
    async fn sign_in_with_password(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<Option<Client>, ClerkError> {
        let _ = (identifier, password);
        Err(ClerkError::Unsupported(
            "this backend cannot sign in with a password".into(),
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
