//! Dioxus fullstack (the `fullstack` feature): the state a page was
//! rendered with on the server travels to the browser in the page's
//! hydration data, as Dioxus fullstack carries any server value
//! (`use_server_cached`).
//!
//! On the server (the crate's `server` feature, as a fullstack app's server
//! build enables it) the snapshot is the one `ClerkLayer`'s server rendering
//! kept in the request ([`ClerkLayer::with_server_rendering`](crate::server::ClerkLayer::with_server_rendering));
//! in the browser it is read back from the page. Anywhere else (a route
//! without the layer, a client-rendered page) there is none, and the
//! provider loads as usual.

use dioxus::fullstack::use_server_cached;

use crate::AuthSnapshot;

/// What the provider starts from when the page was rendered on the server.
pub(crate) struct Rendered {
    /// The state the server rendered the page with, if it did.
    pub(crate) snapshot: Option<AuthSnapshot>,
    /// Whether this render is the server's: no Frontend API calls then
    /// (the browser makes them after hydration).
    pub(crate) on_server: bool,
}

/// The provider's first hook: same order on the server and in the browser.
pub(crate) fn use_server_rendered() -> Rendered {
    let snapshot = use_server_cached(from_request);
    Rendered {
        snapshot,
        on_server: rendering_on_server(),
    }
}

#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
fn from_request() -> Option<AuthSnapshot> {
    dioxus::fullstack::FullstackContext::current()?.extension::<AuthSnapshot>()
}

#[cfg(not(all(feature = "server", not(target_arch = "wasm32"))))]
fn from_request() -> Option<AuthSnapshot> {
    None
}

#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
fn rendering_on_server() -> bool {
    dioxus::fullstack::FullstackContext::current().is_some()
}

#[cfg(not(all(feature = "server", not(target_arch = "wasm32"))))]
fn rendering_on_server() -> bool {
    false
}
