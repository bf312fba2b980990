//! [`FapiBuilder`]: how a [`FapiBackend`] is configured, and made.

use std::rc::Rc;
use std::time::Duration;

use super::transport::{CredentialSettings, FapiCredentials};
use super::{
    frontend_api, holds, FapiBackend, InstanceType, PublishableKey, TokenStore, DEFAULT_TIMEOUT,
};

/// Configures a [`FapiBackend`].
pub struct FapiBuilder {
    pub(super) base: String,
    pub(super) key: Option<PublishableKey>,
    instance: InstanceType,
    timeout: Duration,
    token_store: Option<Rc<dyn TokenStore>>,
}

impl FapiBuilder {
    pub(super) fn new(base: String, instance: InstanceType) -> Self {
        Self {
            base,
            key: None,
            instance,
            timeout: DEFAULT_TIMEOUT,
            token_store: None,
        }
    }

    /// The Frontend API base URL the backend will use (`https://clerk.example.com/`).
    pub fn frontend_api_url(&self) -> &str {
        &self.base
    }

    /// How long each request may take (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Where a native app keeps its client token (default: in memory). Not
    /// used in browsers, where the cookie is the credential.
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.token_store = Some(Rc::new(store));
        self
    }

    /// Treat the instance as a development one (browsers then use a
    /// dev-browser token). Set by the key's prefix; useful with explicit URLs.
    pub fn development(mut self, development: bool) -> Self {
        self.instance = if development {
            InstanceType::Development
        } else {
            InstanceType::Production
        };
        self
    }

    /// The backend.
    pub fn build(self) -> FapiBackend {
        let instance = self.instance;
        let key = self
            .key
            .filter(|key| key.instance_type() == instance)
            .or_else(|| frontend_api::key_for_url(&self.base, instance));
        let settings = CredentialSettings {
            base: self.base.clone(),
            instance,
            cookie_suffix: key.as_ref().map(PublishableKey::cookie_suffix),
            token_store: self.token_store,
            timeout: self.timeout,
        };
        FapiBackend {
            base: self.base,
            key,
            timeout: self.timeout,
            credentials: FapiCredentials::new(settings),
            holds: holds::RouteHolds::default(),
        }
    }
}
