//! # clerk-dioxus
//!
//! [Clerk](https://clerk.com) authentication for [Dioxus](https://dioxuslabs.com)
//! 0.7 on every renderer (web, desktop, mobile), in pure Rust: no clerk-js.
//!
//! - [`Clerk`]: a cheap, cloneable handle over a pluggable [`ClerkBackend`]
//!   that holds the auth state and does the signing out.
//! - [`ClerkProvider`](components::ClerkProvider): puts the handle and a
//!   `Signal` of [`AuthState`] in context, and loads the client.
//! - Hooks ([`use_auth`](hooks::use_auth), [`use_user`](hooks::use_user),
//!   [`use_sign_out`](hooks::use_sign_out), ...) and components
//!   ([`SignOutButton`](components::SignOutButton), [`UserButton`](components::UserButton),
//!   [`SignedIn`](components::SignedIn),
//!   [`SignedOut`](components::SignedOut)).
//! - [`MemoryBackend`]: a real in-process server for tests and demos.
//!
//! ```no_run
//! use clerk_dioxus::prelude::*;
//!
//! fn main() {
//!     # #[cfg(any())]
//!     dioxus::launch(App);
//! }
//!
//! fn App() -> Element {
//!     let clerk = use_hook(|| Clerk::new(MemoryBackend::demo()));
//!     rsx! {
//!         ClerkProvider { clerk,
//!             SignedIn { SignOutButton { class: "btn" } }
//!             SignedOut { "You are signed out." }
//!         }
//!     }
//! }
//! ```
#![warn(missing_docs)]

// Read from verified claims on the server for now; once the client's
// `has()` reads it too, the gate goes.
#[cfg(feature = "server")]
pub mod authorization;
pub mod backend;
mod cell;
mod clerk;
mod codec;
pub mod components;
mod error;
pub mod hooks;
mod log;
pub mod model;
pub mod navigation;
mod platform;
#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
pub mod server;
mod shared_task;
mod small_map;
mod state;

pub use async_trait::async_trait;
pub use backend::{BackendCall, CallKind, ClerkBackend, Hold, MemoryBackend};
pub use clerk::{
    AuthSnapshot, Clerk, ClerkBuilder, GetTokenOptions, SignOutOptions, SignOutOutcome,
    Subscription, SyncReason,
};
#[cfg(all(feature = "sign-in", not(target_arch = "wasm32")))]
pub use clerk::{DefaultBrowser, SystemBrowser};
#[cfg(feature = "sign-in")]
pub use clerk::{FirstFactor, OAuthOptions, OAuthStart, SecondFactor, SignInStep};
pub use error::{
    ApiError, ApiErrorDetail, ApiErrorMeta, ClerkError, KeyError, RedirectError, TokenStoreError,
};
pub use hooks::{SignOutCallback, SuccessCallback, UseSetActive, UseSignOut};
pub use model::{
    ActiveDevice, Client, DeviceRevocation, RevokeOutcome, Session, SessionStatus, User,
};
pub use state::{Auth, AuthState, SessionListItem};

/// Everything an app usually needs: `use clerk_dioxus::prelude::*;` (it also
/// brings in `dioxus::prelude::*`).
pub mod prelude {
    pub use crate::components::*;
    pub use crate::hooks::*;
    pub use crate::{
        Auth, AuthState, Clerk, ClerkError, GetTokenOptions, MemoryBackend, SessionListItem,
        SignOutOptions, SignOutOutcome,
    };
    #[cfg(feature = "sign-in")]
    pub use crate::{FirstFactor, OAuthOptions, SecondFactor, SignInStep};
    pub use dioxus::prelude::*;
}
