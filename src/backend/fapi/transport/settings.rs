//! What a credential mode needs to know about the instance.

use std::rc::Rc;
use std::time::Duration;

use crate::backend::fapi::key::InstanceType;
use crate::backend::fapi::token_store::TokenStore;

/// What the platform's credential mode needs to know (browsers use the URL,
/// instance and timeout for the dev-browser token; native apps the store).
#[allow(dead_code)] // each platform reads the fields it needs
pub(crate) struct CredentialSettings {
    /// The Frontend API's base URL, normalised (`frontend_api::parse_frontend_api_url`).
    pub(crate) base: String,
    pub(crate) instance: InstanceType,
    /// The publishable key's cookie suffix (the dev browser's second cookie).
    pub(crate) cookie_suffix: Option<String>,
    pub(crate) token_store: Option<Rc<dyn TokenStore>>,
    pub(crate) timeout: Duration,
}
