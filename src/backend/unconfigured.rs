//! The backend of a handle that could not be configured (a malformed
//! publishable key, or none): every call fails with the reason.
//!
//! It implements the handle's [`BackendOps`] directly, not [`ClerkBackend`]:
//! every call answers the same way, so one small function serves them all,
//! instead of a state machine per method and a forwarding layer over them.
//! Every app with a `ClerkProvider` links it (for a provider given no
//! handle and no key), so it is kept this small.
//!
//! [`ClerkBackend`]: super::ClerkBackend

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::LocalBoxFuture;

use super::BackendOps;
#[cfg(feature = "sign-in")]
use super::{SignInAnswer, SignInCall};
use crate::{ClerkError, Client};

pub(crate) struct Unconfigured(ClerkError);

impl Unconfigured {
    pub(crate) fn new(error: ClerkError) -> Self {
        Self(error)
    }

    /// The answer to every call: the reason, at once.
    fn refuse<T: 'static>(&self) -> LocalBoxFuture<'static, Result<T, ClerkError>> {
        Box::pin(Refusal(Some(self.0.clone()), PhantomData))
    }
}

/// A future that fails with its error when first polled (and stays pending
/// if polled again, which a caller must not do): `std::future::ready`
/// without its panic.
struct Refusal<T>(Option<ClerkError>, PhantomData<fn() -> T>);

impl<T> Future for Refusal<T> {
    type Output = Result<T, ClerkError>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut().0.take() {
            Some(error) => Poll::Ready(Err(error)),
            None => Poll::Pending,
        }
    }
}

impl BackendOps for Unconfigured {
    fn publishable_key(&self) -> Option<&crate::backend::fapi::PublishableKey> {
        None
    }
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn url_with_auth<'a>(&'a self, _: &'a str) -> LocalBoxFuture<'a, Result<String, ClerkError>> {
        self.refuse()
    }
    fn load_client(&self) -> LocalBoxFuture<'_, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
    fn sign_out_all(&self) -> LocalBoxFuture<'_, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
    fn remove_session<'a>(
        &'a self,
        _: &'a str,
    ) -> LocalBoxFuture<'a, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
    fn set_active_session<'a>(
        &'a self,
        _: &'a str,
    ) -> LocalBoxFuture<'a, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
    fn touch_session<'a>(
        &'a self,
        _: &'a str,
    ) -> LocalBoxFuture<'a, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
    fn session_token<'a>(
        &'a self,
        _: &'a str,
        _: Option<&'a str>,
        _: Option<&'a str>,
    ) -> LocalBoxFuture<'a, Result<String, ClerkError>> {
        self.refuse()
    }
    #[cfg(feature = "sign-in")]
    fn sign_in<'a>(
        &'a self,
        _: Option<&'a str>,
        _: SignInCall<'a>,
        _: &'a [(&'a str, &'a str)],
    ) -> LocalBoxFuture<'a, Result<SignInAnswer, ClerkError>> {
        self.refuse()
    }
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    fn environment(&self) -> LocalBoxFuture<'_, Result<crate::model::Environment, ClerkError>> {
        self.refuse()
    }
    #[cfg(feature = "devices")]
    fn active_sessions<'a>(
        &'a self,
        _: &'a str,
    ) -> LocalBoxFuture<'a, Result<Vec<crate::model::ActiveSession>, ClerkError>> {
        self.refuse()
    }
    #[cfg(feature = "devices")]
    fn revoke_session<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
    ) -> LocalBoxFuture<'a, Result<Option<Client>, ClerkError>> {
        self.refuse()
    }
}
