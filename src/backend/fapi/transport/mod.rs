//! How a Frontend API request carries the client's credential: the one seam
//! between the browser and native apps inside the FAPI backend, as reqwest
//! splits `wasm/` from `async_impl/`. Everything above it (routes, answers,
//! errors) is one implementation for every platform.
//!
//! - `web.rs` (wasm32): the `__client` cookie, `credentials: include`,
//!   `DELETE` as `POST ?_method=DELETE`, and the dev-browser token.
//! - `native.rs` (desktop, mobile): `_is_native=1` and the client token in
//!   `Authorization`, kept in a [`TokenStore`](super::TokenStore).

#[cfg(not(target_arch = "wasm32"))]
mod native;
mod settings;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{http_client, FapiCredentials};
pub(crate) use settings::CredentialSettings;
#[cfg(target_arch = "wasm32")]
pub(crate) use web::{http_client, FapiCredentials};
