//! The pluggable backend behind a [`Clerk`](crate::Clerk) handle.
//!
//! A backend speaks to wherever the client and its sessions live: Clerk's
//! Frontend API, or [`MemoryBackend`] for tests and demos. It holds no UI state:
//! every call returns the client as the server has it after the call, and the
//! handle replaces its state with that answer.

pub mod fapi;
mod memory;

pub use memory::{BackendCall, CallKind, Hold, MemoryBackend};

use async_trait::async_trait;

use crate::model::Client;
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
}
