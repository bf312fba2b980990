//! Publishable keys (`pk_test_…`, `pk_live_…`), where they point, and the
//! cookie suffix Clerk's SDKs derive from them.
//!
//! A key names its Frontend API host: `https://{host}`. One exception, for
//! the emulator: a loopback address (`127.0.0.1:9400`, which
//! `clerk-emulator` prints its key for) is `http://{host}`, since loopback
//! needs no TLS and Clerk's own keys never name one.

use std::fmt;

use crate::platform::Href;

pub use crate::error::KeyError;

/// Clerk's instance kinds, told apart by the key's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceType {
    /// `pk_test_`: a development instance (browsers use a dev-browser token).
    Development,
    /// `pk_live_`: a production instance.
    Production,
}

/// A validated publishable key.
///
/// ```
/// use clerk_dioxus::backend::fapi::{InstanceType, PublishableKey};
/// let key = PublishableKey::parse("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk").unwrap();
/// assert_eq!(key.frontend_api_host(), "example.accounts.dev");
/// assert_eq!(key.instance_type(), InstanceType::Development);
/// assert!(PublishableKey::parse("sk_test_nope").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublishableKey {
    /// The key as given (trimmed): the input of the cookie suffix.
    text: String,
    host: String,
    instance: InstanceType,
}

impl PublishableKey {
    /// Parses and validates a key as Clerk does.
    pub fn parse(key: &str) -> Result<Self, KeyError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(KeyError::Missing);
        }
        let parts: Vec<&str> = key.split('_').collect();
        let instance = match parts.as_slice() {
            ["pk", "test", encoded] if !encoded.is_empty() => InstanceType::Development,
            ["pk", "live", encoded] if !encoded.is_empty() => InstanceType::Production,
            _ => return Err(KeyError::NotValid),
        };
        let decoded = crate::codec::decode_base64(parts[2]).ok_or(KeyError::DecodeFailed)?;
        let decoded = String::from_utf8(decoded).map_err(|_| KeyError::DecodeFailed)?;
        let host = decoded.strip_suffix('$').ok_or(KeyError::InvalidFormat)?;
        if !is_host_and_port(host) {
            return Err(KeyError::InvalidFormat);
        }
        Ok(Self {
            text: key.to_owned(),
            host: host.to_owned(),
            instance,
        })
    }

    /// The key Clerk would issue for a Frontend API on `host` (`host` or
    /// `host:port`): what a backend built from a URL stands for, so that its
    /// cookies are named as with the key (the emulator prints the same key).
    pub fn for_frontend_api(host: &str, instance: InstanceType) -> Result<Self, KeyError> {
        let prefix = match instance {
            InstanceType::Development => "pk_test_",
            InstanceType::Production => "pk_live_",
        };
        let encoded = crate::codec::encode_base64(format!("{host}$").as_bytes(), false);
        Self::parse(&format!("{prefix}{encoded}"))
    }

    /// The key itself (`pk_test_…`): public, as its name says.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The Frontend API's base URL: `https://{host}`, or `http://{host}` on
    /// a loopback address (the emulator).
    pub fn frontend_api_url(&self) -> String {
        let hostname = self.host.split(':').next().unwrap_or_default();
        match hostname.starts_with("127.") {
            true => format!("http://{}", self.host),
            false => format!("https://{}", self.host),
        }
    }

    /// The suffix of the cookies' second names (`__session_<suffix>`,
    /// `__client_uat_<suffix>`, `__clerk_db_jwt_<suffix>`): the first 8
    /// characters of base64url(SHA-1(key)), as `@clerk/shared`'s
    /// `getCookieSuffix` computes it, so that Clerk's backends find them.
    pub fn cookie_suffix(&self) -> String {
        let digest = sha1_smol::Sha1::from(self.text.as_bytes()).digest().bytes();
        let mut suffix = crate::codec::encode_base64(&digest, true);
        suffix.truncate(8);
        suffix
    }

    /// The Frontend API host the key points at (`clerk.example.com`).
    pub fn frontend_api_host(&self) -> &str {
        &self.host
    }

    /// Development or production.
    pub fn instance_type(&self) -> InstanceType {
        self.instance
    }
}

/// `host` or `host:port` naming a domain (Clerk's rule: it has a `.`), in the
/// form a URL keeps it, so that every key that parses names its Frontend API URL.
fn is_host_and_port(authority: &str) -> bool {
    let plain = authority
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    let host = authority.split(':').next().unwrap_or_default();
    if !plain || !host.contains('.') || host.split('.').any(str::is_empty) {
        return false;
    }
    let Some(url) = Href::parse(&format!("https://{authority}/")) else {
        return false;
    };
    let domain = url.hostname();
    // A domain, not an address (`1.2.3.4`, or `0x7f.1`, which a URL reads
    // as one), but for a loopback address written as such (the emulator's).
    if super::frontend_api::is_ipv4(&domain)
        && !(domain.starts_with("127.") && authority.starts_with(&domain))
    {
        return false;
    }
    // `:443` is https's default, which a URL drops: compare with it put back.
    let kept = match authority.contains(':') {
        true => format!("{domain}:{}", url.port().unwrap_or(443)),
        false => domain,
    };
    kept.eq_ignore_ascii_case(authority)
}

impl fmt::Debug for PublishableKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishableKey")
            .field("frontend_api_host", &self.host)
            .field("instance_type", &self.instance)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn encode(text: &str) -> String {
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(text)
    }

    #[test]
    fn valid_keys() {
        let dev =
            PublishableKey::parse(&format!("pk_test_{}", encode("clerk.example.dev$"))).unwrap();
        assert_eq!(dev.frontend_api_host(), "clerk.example.dev");
        assert_eq!(dev.instance_type(), InstanceType::Development);
        let live =
            PublishableKey::parse(&format!(" pk_live_{} ", encode("clerk.example.com$"))).unwrap();
        assert_eq!(live.instance_type(), InstanceType::Production);
        let port =
            PublishableKey::parse(&format!("pk_test_{}", encode("clerk.ex.com:8443$"))).unwrap();
        assert_eq!(port.frontend_api_host(), "clerk.ex.com:8443");
        let default_port =
            PublishableKey::parse(&format!("pk_test_{}", encode("clerk.ex.com:443$"))).unwrap();
        assert_eq!(default_port.frontend_api_host(), "clerk.ex.com:443");
        let padded = base64::engine::general_purpose::STANDARD.encode("clerk.ex.com$");
        assert!(
            PublishableKey::parse(&format!("pk_live_{padded}")).is_ok(),
            "{padded}"
        );
    }

    #[test]
    fn the_cookie_suffix_is_clerks() {
        // `@clerk/shared` 4.41's `getCookieSuffix` gives this for this key.
        let key = PublishableKey::parse("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk").unwrap();
        assert_eq!(key.cookie_suffix(), "PXVV4PZn");
        assert_eq!(key.as_str(), "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk");
    }

    #[test]
    fn a_key_can_name_the_emulator_on_loopback() {
        let key =
            PublishableKey::for_frontend_api("127.0.0.1:9400", InstanceType::Production).unwrap();
        assert_eq!(
            key.as_str(),
            format!("pk_live_{}", encode("127.0.0.1:9400$"))
        );
        assert_eq!(key.frontend_api_url(), "http://127.0.0.1:9400");
        let clerk =
            PublishableKey::for_frontend_api("clerk.example.com", InstanceType::Development)
                .unwrap();
        assert_eq!(clerk.frontend_api_url(), "https://clerk.example.com");
        assert_eq!(clerk.instance_type(), InstanceType::Development);
    }

    #[test]
    fn malformed_keys_have_typed_errors() {
        let cases: Vec<(String, KeyError)> = vec![
            ("".into(), KeyError::Missing),
            ("   ".into(), KeyError::Missing),
            ("pk_test_".into(), KeyError::NotValid),
            ("sk_test_abc".into(), KeyError::NotValid),
            ("pk_prod_abc".into(), KeyError::NotValid),
            ("pk_test_abc_def".into(), KeyError::NotValid),
            ("pk_test".into(), KeyError::NotValid),
            ("pk_test_!!!".into(), KeyError::DecodeFailed),
            (
                format!(
                    "pk_test_{}",
                    base64::engine::general_purpose::STANDARD_NO_PAD.encode([0xff, 0xfe, b'$'])
                ),
                KeyError::DecodeFailed,
            ),
            (
                format!("pk_test_{}", encode("clerk.example.com")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("clerk.example.com$$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("localhost$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("evil.com/path$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("a b.com$")),
                KeyError::InvalidFormat,
            ),
            (format!("pk_test_{}", encode("$")), KeyError::InvalidFormat),
            // Found by fuzz/fuzz_targets/publishable_key.rs: a colon inside the
            // host passed, and no URL could be made of it.
            (
                format!("pk_test_{}", encode("examplem:s.dev$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("clerk.example.com:99999$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("clerk.example.com:$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("clerk..example.com$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("cLee-cnk.3$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("10.0.0.1$")),
                KeyError::InvalidFormat,
            ),
            (
                format!("pk_test_{}", encode("0x7f.1$")),
                KeyError::InvalidFormat,
            ),
        ];
        for (key, expected) in cases {
            assert_eq!(PublishableKey::parse(&key), Err(expected), "{key:?}");
        }
    }
}
