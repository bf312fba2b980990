//! The handle's backend, wrapped to count the calls in flight (for
//! [`Clerk::requests_in_flight`](super::Clerk::requests_in_flight)).

use std::cell::Cell;
use std::rc::Rc;

use async_trait::async_trait;

use crate::backend::{ClerkBackend, SignInAnswer, SignInCall};
use crate::model::{ActiveSession, Environment};
use crate::{ClerkError, Client};

/// Forwards every call, counting it while it runs (and when dropped mid-flight).
pub(super) struct Counting {
    pub(super) inner: Box<dyn ClerkBackend>,
    pub(super) in_flight: Rc<Cell<usize>>,
}

/// One call in flight until dropped.
struct InFlight(Rc<Cell<usize>>);

impl InFlight {
    fn start(counter: &Rc<Cell<usize>>) -> Self {
        counter.set(counter.get() + 1);
        Self(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

#[async_trait(?Send)]
impl ClerkBackend for Counting {
    async fn load_client(&self) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.load_client().await
    }

    async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.sign_out_all().await
    }

    async fn remove_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.remove_session(session_id).await
    }

    async fn set_active_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.set_active_session(session_id).await
    }

    async fn sign_in(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.sign_in(sign_in_id, call, form).await
    }

    async fn session_token(
        &self,
        session_id: &str,
        template: Option<&str>,
        organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner
            .session_token(session_id, template, organization_id)
            .await
    }

    async fn touch_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.touch_session(session_id).await
    }

    async fn environment(&self) -> Result<Environment, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.environment().await
    }

    async fn active_sessions(
        &self,
        acting_session_id: &str,
    ) -> Result<Vec<ActiveSession>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner.active_sessions(acting_session_id).await
    }

    async fn revoke_session(
        &self,
        acting_session_id: &str,
        session_id: &str,
    ) -> Result<Option<Client>, ClerkError> {
        let _counted = InFlight::start(&self.in_flight);
        self.inner
            .revoke_session(acting_session_id, session_id)
            .await
    }
}
