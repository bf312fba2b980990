//! Components: the provider, the control components, `SignOutButton` and `UserButton`.

mod click;
mod control;
#[cfg(feature = "devices")]
mod devices;
mod provider;
#[cfg(feature = "sign-in")]
mod sign_in;
mod sign_out_button;
#[cfg(feature = "user-button")]
mod user_button;

pub use control::{ClerkFailed, ClerkLoaded, ClerkLoading, SignedIn, SignedOut};
#[cfg(feature = "devices")]
pub use devices::{ActiveDevices, SignOutOtherDevicesButton};
pub use provider::{ClerkProvider, PublishableKeyProp};
#[cfg(feature = "sign-in")]
pub use sign_in::{EmailCodeSignIn, SignInButton};
pub use sign_out_button::SignOutButton;
#[cfg(feature = "user-button")]
pub use user_button::{UserAvatar, UserButton, USER_BUTTON_CSS};
