//! What the emulated instance is: development or production, the host of its
//! Frontend API, the publishable key that names that host, and the cookie
//! suffix Clerk's SDKs derive from the key.
//!
//! A publishable key is `pk_test_` (development) or `pk_live_` (production)
//! and the unpadded base64 of `{frontend_api_host}$`. The emulator's host is
//! `127.0.0.1:PORT`, so its key is what an app (or `@clerk/backend`) is
//! given to talk about this emulator as about any Clerk instance.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;

/// The instance behind the emulator, its key and suffix worked out once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instance {
    /// A development instance (dev browsers, no `__client` cookie).
    pub(crate) development: bool,
    /// `host:port` of the Frontend API.
    pub(crate) host: String,
    /// The publishable key naming this instance.
    pub(crate) publishable_key: String,
    /// The suffix of the cookies' second names (`__client_uat_<suffix>`).
    pub(crate) cookie_suffix: String,
}

impl Instance {
    /// The instance of this type whose Frontend API is at `host`.
    pub(crate) fn new(development: bool, host: String) -> Self {
        let prefix = if development { "pk_test_" } else { "pk_live_" };
        let publishable_key = format!("{prefix}{}", STANDARD_NO_PAD.encode(format!("{host}$")));
        Self {
            development,
            cookie_suffix: cookie_suffix(&publishable_key),
            publishable_key,
            host,
        }
    }
}

/// The cookie suffix of a publishable key: the first 8 characters of
/// base64url(SHA-1(key)), as `@clerk/shared`'s `getCookieSuffix` computes it.
pub(crate) fn cookie_suffix(publishable_key: &str) -> String {
    let digest = sha1_smol::Sha1::from(publishable_key).digest().bytes();
    let mut encoded = URL_SAFE_NO_PAD.encode(digest);
    encoded.truncate(8);
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_is_clerks() {
        // The value `@clerk/shared` 4.41 gives for this key (the reference's).
        assert_eq!(
            cookie_suffix("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"),
            "PXVV4PZn"
        );
    }

    #[test]
    fn the_key_names_the_host() {
        let instance = Instance::new(true, "example.accounts.dev".into());
        assert_eq!(
            instance.publishable_key,
            "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"
        );
        assert_eq!(instance.cookie_suffix, "PXVV4PZn");
        let production = Instance::new(false, "example.accounts.dev".into());
        assert!(production.publishable_key.starts_with("pk_live_"));
    }
}
