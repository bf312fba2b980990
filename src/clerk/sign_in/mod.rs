//! Signing in: a password, an email code, second factors (`steps`), and
//! OAuth (`oauth`): in the system browser on desktop (`system_browser`, with a
//! `loopback` listener), through a deep link on mobile, by a page redirect on
//! the web. Every flow ends the same way: the new session joins the client's
//! others and becomes the active one, "Add account" in a switcher.

#[cfg(not(target_arch = "wasm32"))]
mod loopback;
mod oauth;
mod steps;
#[cfg(not(target_arch = "wasm32"))]
mod system_browser;

pub use oauth::{OAuthOptions, OAuthStart};
pub use steps::{FirstFactor, SecondFactor, SignInStep};
#[cfg(not(target_arch = "wasm32"))]
pub use system_browser::{DefaultBrowser, SystemBrowser};
