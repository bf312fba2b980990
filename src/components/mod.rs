//! Components: the provider, the control components, `SignOutButton` and `UserButton`.

mod click;
mod control;
mod devices;
mod provider;
mod sign_in;
mod sign_out_button;
mod user_button;

pub use control::{ClerkFailed, ClerkLoaded, ClerkLoading, SignedIn, SignedOut};
pub use devices::{ActiveDevices, SignOutOtherDevicesButton};
pub use provider::{ClerkProvider, PublishableKeyProp};
pub use sign_in::{EmailCodeSignIn, SignInButton};
pub use sign_out_button::SignOutButton;
pub use user_button::{UserAvatar, UserButton, USER_BUTTON_CSS};
