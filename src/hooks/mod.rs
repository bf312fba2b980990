//! Hooks that read the [`ClerkProvider`](crate::components::ClerkProvider)'s state.
//!
//! Each hook must be called inside a `ClerkProvider`; outside one it panics with
//! a message that says how to fix it. Hooks that derive data return a [`Memo`](dioxus::prelude::Memo),
//! so a component re-renders only when what it reads changes.

mod callback;
mod context;
#[cfg(feature = "devices")]
mod devices;
#[cfg(feature = "sign-in")]
mod oauth;
mod set_active;
mod sign_out;
mod state;
mod trigger;

pub use callback::{SignOutCallback, SuccessCallback};
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) use context::use_copy_handle;
pub use context::{use_auth_state, use_clerk};
pub(crate) use context::{ClerkContext, SignedInStatus};
#[cfg(feature = "devices")]
pub(crate) use devices::use_active_devices_if;
#[cfg(feature = "devices")]
pub use devices::{use_active_devices, DevicesStatus, UseActiveDevices};
#[cfg(feature = "sign-in")]
pub use oauth::{use_oauth_sign_in, UseOAuthSignIn};
pub use set_active::{use_set_active, UseSetActive};
pub use sign_out::{use_sign_out, UseSignOut};
pub(crate) use state::use_signed_in_status;
pub use state::{use_auth, use_session, use_session_list, use_user};
