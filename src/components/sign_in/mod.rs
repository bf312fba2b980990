//! Signing in: `SignInButton` (clerk-react's), and the headless
//! `EmailCodeSignIn` form.

mod button;
mod email_code;

pub use button::SignInButton;
pub use email_code::EmailCodeSignIn;
