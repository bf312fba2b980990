//! The instance a verifier serves, as the request rules need it: its
//! Frontend API's host and URL, the cookie suffix, and its type.

use crate::backend::fapi::{InstanceType, PublishableKey};

/// The instance a verifier serves, as the request rules need it.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    /// The Frontend API's host (`clerk.example.com`, `127.0.0.1:9400`): what
    /// a token's `iss` names, scheme aside.
    pub(super) host: String,
    /// The Frontend API's URL, where the handshake is.
    pub(super) url: String,
    /// The cookies' second names' suffix (from the publishable key).
    pub(super) suffix: String,
    /// A development instance (`pk_test_`).
    pub(super) development: bool,
}

impl Instance {
    /// From the publishable key, or for one made from a URL the key Clerk
    /// would issue for its host (the emulator's).
    pub(crate) fn new(
        frontend_api_url: &str,
        key: Option<&PublishableKey>,
        development: bool,
    ) -> Self {
        let url = frontend_api_url.trim_end_matches('/').to_owned();
        let host = url::Url::parse(&url)
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_owned();
                Some(match u.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                })
            })
            .unwrap_or_default();
        let instance = match development {
            true => InstanceType::Development,
            false => InstanceType::Production,
        };
        let key = key
            .filter(|k| k.instance_type() == instance)
            .cloned()
            .or_else(|| PublishableKey::for_frontend_api(&host, instance).ok());
        Self {
            suffix: key
                .as_ref()
                .map(PublishableKey::cookie_suffix)
                .unwrap_or_default(),
            host,
            url,
            development,
        }
    }
}
