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
pub use device::{ActiveDevice, ActiveSession, DeviceRevocation, RevokeOutcome, SessionActivity};
pub use environment::{DisplayConfig, Environment};
pub use session::{PublicUserData, Session, SessionStatus, SessionToken};
pub use sign_in::{SignIn, SignInFactor, SignInStatus, Verification};
pub use user::{EmailAddress, User};
