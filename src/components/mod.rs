//! Components: the provider, the control components and `SignOutButton`.

mod control;
mod provider;
mod sign_out_button;

pub use control::{ClerkFailed, ClerkLoaded, ClerkLoading, SignedIn, SignedOut};
pub use provider::ClerkProvider;
pub use sign_out_button::SignOutButton;
