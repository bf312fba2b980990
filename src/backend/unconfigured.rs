//! The backend of a handle that could not be configured (a malformed
//! publishable key): every call fails with the reason.

use async_trait::async_trait;

use super::ClerkBackend;
use crate::{ClerkError, Client};

pub(crate) struct Unconfigured(ClerkError);

impl Unconfigured {
    pub(crate) fn new(error: ClerkError) -> Self {
        Self(error)
    }
}

#[async_trait(?Send)]
impl ClerkBackend for Unconfigured {
    async fn load_client(&self) -> Result<Option<Client>, ClerkError> {
        Err(self.0.clone())
    }
    async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError> {
        Err(self.0.clone())
    }
    async fn remove_session(&self, _: &str) -> Result<Option<Client>, ClerkError> {
        Err(self.0.clone())
    }
    async fn set_active_session(&self, _: &str) -> Result<Option<Client>, ClerkError> {
        Err(self.0.clone())
    }
}
