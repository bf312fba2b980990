//! Types that mirror the JSON objects of Clerk's Frontend API.
//!
//! Field names follow Clerk's published spec (`Client.Client`, `Client.Session`,
//! `Client.User`, `Environment.Environment`). Every field the crate does not need is ignored on decode, and
//! every field Clerk may omit has a default, so a newer Clerk answer still decodes.

mod client;
mod device;
mod environment;
mod session;
mod sign_in;
mod user;

pub use client::Client;

/// A field that Clerk may send as `null` as well as leave out: its default
/// then (an empty list, `""`, `0`, `false`). Long-lived clients meet both
/// (`"tasks": null` on an active session, `"supported_second_factors": null`
/// on a finished sign-in), so every defaulted field that is not an `Option`
/// is read through this.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(deserializer)?.unwrap_or_default())
}
pub use device::{ActiveDevice, ActiveSession, DeviceRevocation, RevokeOutcome, SessionActivity};
pub use environment::{DisplayConfig, Environment};
pub use session::{PublicUserData, Session, SessionStatus, SessionTask, SessionToken};
pub use sign_in::{SignIn, SignInFactor, SignInStatus, Verification};
pub use user::{EmailAddress, User};
