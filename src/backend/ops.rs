//! What a [`Clerk`](crate::Clerk) handle calls on its backend: the
//! [`ClerkBackend`] methods the crate's enabled features use, and no others.
//!
//! A handle keeps its backend as a trait object, and a trait object's vtable
//! links every method it has. Through [`ClerkBackend`] itself, an app that
//! never signs in would still carry its backend's sign-in decoders (or, on
//! [`MemoryBackend`](super::MemoryBackend), its fake sign-in server). This
//! trait has the same methods, each behind the Cargo feature that calls it
//! (`sign-in`, `devices`, `user-button`), and one blanket implementation that
//! forwards to [`ClerkBackend`] without boxing again: `async_trait` methods
//! already return boxed futures.

use futures_util::future::LocalBoxFuture;

use super::ClerkBackend;
#[cfg(feature = "sign-in")]
use super::{SignInAnswer, SignInCall};
#[cfg(any(feature = "sign-in", feature = "user-button"))]
use crate::model::Environment;
use crate::{ClerkError, Client};

/// A call's boxed answer.
type Answer<'a, T> = LocalBoxFuture<'a, Result<T, ClerkError>>;

/// The backend as a handle uses it; implemented for every [`ClerkBackend`].
pub(crate) trait BackendOps: 'static {
    fn publishable_key(&self) -> Option<&super::fapi::PublishableKey>;
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn url_with_auth<'a>(&'a self, url: &'a str) -> Answer<'a, String>;
    fn load_client(&self) -> Answer<'_, Option<Client>>;
    fn sign_out_all(&self) -> Answer<'_, Option<Client>>;
    fn remove_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>>;
    fn set_active_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>>;
    fn touch_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>>;
    fn session_token<'a>(
        &'a self,
        session_id: &'a str,
        template: Option<&'a str>,
        organization_id: Option<&'a str>,
    ) -> Answer<'a, String>;
    #[cfg(feature = "sign-in")]
    fn sign_in<'a>(
        &'a self,
        sign_in_id: Option<&'a str>,
        call: SignInCall<'a>,
        form: &'a [(&'a str, &'a str)],
    ) -> Answer<'a, SignInAnswer>;
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn environment(&self) -> Answer<'_, Environment>;
    #[cfg(feature = "devices")]
    fn active_sessions<'a>(
        &'a self,
        acting_session_id: &'a str,
    ) -> Answer<'a, Vec<crate::model::ActiveSession>>;
    #[cfg(feature = "devices")]
    fn revoke_session<'a>(
        &'a self,
        acting_session_id: &'a str,
        session_id: &'a str,
    ) -> Answer<'a, Option<Client>>;
}

impl<B: ClerkBackend> BackendOps for B {
    fn publishable_key(&self) -> Option<&super::fapi::PublishableKey> {
        ClerkBackend::publishable_key(self)
    }
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn url_with_auth<'a>(&'a self, url: &'a str) -> Answer<'a, String> {
        ClerkBackend::url_with_auth(self, url)
    }
    fn load_client(&self) -> Answer<'_, Option<Client>> {
        ClerkBackend::load_client(self)
    }
    fn sign_out_all(&self) -> Answer<'_, Option<Client>> {
        ClerkBackend::sign_out_all(self)
    }
    fn remove_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>> {
        ClerkBackend::remove_session(self, session_id)
    }
    fn set_active_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>> {
        ClerkBackend::set_active_session(self, session_id)
    }
    fn touch_session<'a>(&'a self, session_id: &'a str) -> Answer<'a, Option<Client>> {
        ClerkBackend::touch_session(self, session_id)
    }
    fn session_token<'a>(
        &'a self,
        session_id: &'a str,
        template: Option<&'a str>,
        organization_id: Option<&'a str>,
    ) -> Answer<'a, String> {
        ClerkBackend::session_token(self, session_id, template, organization_id)
    }
    #[cfg(feature = "sign-in")]
    fn sign_in<'a>(
        &'a self,
        sign_in_id: Option<&'a str>,
        call: SignInCall<'a>,
        form: &'a [(&'a str, &'a str)],
    ) -> Answer<'a, SignInAnswer> {
        ClerkBackend::sign_in(self, sign_in_id, call, form)
    }
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn environment(&self) -> Answer<'_, Environment> {
        ClerkBackend::environment(self)
    }
    #[cfg(feature = "devices")]
    fn active_sessions<'a>(
        &'a self,
        acting_session_id: &'a str,
    ) -> Answer<'a, Vec<crate::model::ActiveSession>> {
        ClerkBackend::active_sessions(self, acting_session_id)
    }
    #[cfg(feature = "devices")]
    fn revoke_session<'a>(
        &'a self,
        acting_session_id: &'a str,
        session_id: &'a str,
    ) -> Answer<'a, Option<Client>> {
        ClerkBackend::revoke_session(self, acting_session_id, session_id)
    }
}
