//! Desktop and mobile: no page URL, no browser location.

use std::rc::Rc;

use url::Url;

use crate::navigation::{Navigator, RedirectTarget};

/// Native apps have no web origin; only paths and allowed origins pass validation.
pub(crate) fn app_url() -> Option<Url> {
    None
}

struct WarnNavigator;

impl Navigator for WarnNavigator {
    fn navigate(&self, target: &RedirectTarget) {
        tracing::warn!(
            target = target.as_str(),
            "sign-out redirect ignored: native apps have no page to leave; \
             set a navigator with ClerkBuilder::navigator or use the `router` feature"
        );
    }
}

pub(crate) fn default_navigator() -> Rc<dyn Navigator> {
    Rc::new(WarnNavigator)
}

/// The HTTP client for the Frontend API. It follows no redirect: a `3xx` is
/// an error, so no answer can move a request (and its token or password) to
/// another host or to plain HTTP.
pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

mod credentials;
mod file_store;
#[cfg(feature = "keyring")]
mod keyring_store;
mod tabs;

pub(crate) use credentials::FapiCredentials;
pub use file_store::FileTokenStore;
#[cfg(feature = "keyring")]
pub use keyring_store::KeyringTokenStore;
pub(crate) use tabs::{spawn_local, TabSync};
