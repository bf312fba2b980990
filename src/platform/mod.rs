//! The one seam between platforms. Everything that differs between the browser
//! (`wasm32`) and native renderers (desktop, mobile) lives below this module:
//! the page URL and navigation, the Frontend API credential mode, and
//! telling other tabs about a sign-out.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{
    app_url, default_navigator, http_client, spawn_local, FapiCredentials, TabSync,
};
#[cfg(target_arch = "wasm32")]
pub(crate) use web::{
    app_url, default_navigator, http_client, spawn_local, FapiCredentials, TabSync,
};

#[cfg(not(target_arch = "wasm32"))]
pub use native::FileTokenStore;
#[cfg(all(not(target_arch = "wasm32"), feature = "keyring"))]
pub use native::KeyringTokenStore;
