//! A redirect URL as the app gives it, carrying the check that vets it.

use std::fmt;
use std::ops::Deref;

use dioxus::core::SuperFrom;
use serde::{Deserialize, Serialize};

use super::policy::{RedirectPolicy, RedirectTarget};
use crate::error::RedirectError;

/// Vets a URL against a handle's policy and the page it runs on.
type Check = fn(&RedirectPolicy, &str) -> Result<RedirectTarget, RedirectError>;

/// Where to go after a sign-out
/// ([`SignOutOptions::redirect_url`](crate::SignOutOptions::redirect_url),
/// `SignOutButton`'s `redirect_url`): a path (`/goodbye`) or an absolute
/// `http(s)` URL. The handle checks it with its [`RedirectPolicy`] before
/// anything is sent, and refuses it with
/// [`ClerkError::InvalidRedirect`](crate::ClerkError::InvalidRedirect).
///
/// Made from a `&str` or a `String`, it reads as a `&str`, and it is a plain
/// string in serde formats.
///
/// ```
/// use clerk_dioxus::navigation::RedirectUrl;
/// let url = RedirectUrl::from("/goodbye");
/// assert_eq!(url, "/goodbye");
/// assert!(url.starts_with('/'));
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct RedirectUrl {
    url: String,
    /// The check travels with the URL: only code that names a redirect URL
    /// refers to it, so a web app that never redirects does not carry URL
    /// parsing in its wasm.
    check: Check,
}

impl RedirectUrl {
    /// A redirect to `url`, to be checked when it is used.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            check: check_on_this_page,
        }
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Checks the URL against `policy` and the page's URL.
    pub(crate) fn validate(
        &self,
        policy: &RedirectPolicy,
    ) -> Result<RedirectTarget, RedirectError> {
        (self.check)(policy, &self.url)
    }
}

/// The check every [`RedirectUrl`] carries.
fn check_on_this_page(policy: &RedirectPolicy, url: &str) -> Result<RedirectTarget, RedirectError> {
    policy.validate(url, crate::platform::page_url().as_deref())
}

impl Deref for RedirectUrl {
    type Target = str;

    fn deref(&self) -> &str {
        &self.url
    }
}

impl AsRef<str> for RedirectUrl {
    fn as_ref(&self) -> &str {
        &self.url
    }
}

impl From<String> for RedirectUrl {
    fn from(url: String) -> Self {
        Self::new(url)
    }
}

impl From<&str> for RedirectUrl {
    fn from(url: &str) -> Self {
        Self::new(url)
    }
}

impl From<&String> for RedirectUrl {
    fn from(url: &String) -> Self {
        Self::new(url.as_str())
    }
}

impl From<RedirectUrl> for String {
    fn from(url: RedirectUrl) -> Self {
        url.url
    }
}

/// Lets an optional `redirect_url` prop take text: `redirect_url: "/bye"`,
/// `redirect_url: "/users/{id}"`, or a `String`.
#[doc(hidden)]
pub struct RedirectUrlFromText;

impl SuperFrom<&str, RedirectUrlFromText> for Option<RedirectUrl> {
    fn super_from(url: &str) -> Self {
        Some(url.into())
    }
}

impl SuperFrom<String, RedirectUrlFromText> for Option<RedirectUrl> {
    fn super_from(url: String) -> Self {
        Some(url.into())
    }
}

impl SuperFrom<fmt::Arguments<'_>, RedirectUrlFromText> for Option<RedirectUrl> {
    fn super_from(url: fmt::Arguments<'_>) -> Self {
        Some(url.to_string().into())
    }
}

impl PartialEq for RedirectUrl {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Eq for RedirectUrl {}

impl PartialEq<str> for RedirectUrl {
    fn eq(&self, other: &str) -> bool {
        self.url == other
    }
}

impl PartialEq<&str> for RedirectUrl {
    fn eq(&self, other: &&str) -> bool {
        self.url == *other
    }
}

impl fmt::Debug for RedirectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.url, f)
    }
}

impl fmt::Display for RedirectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serializes_as_the_string_it_was_made_from() {
        let url = RedirectUrl::from(String::from("/bye?x=1"));
        assert_eq!(url.as_str(), "/bye?x=1");
        assert_eq!(url, RedirectUrl::new("/bye?x=1"));
        assert_ne!(url, RedirectUrl::new("/bye"));
        assert_eq!(format!("{url} {url:?}"), r#"/bye?x=1 "/bye?x=1""#);
        let json = serde_json::to_string(&url).unwrap();
        assert_eq!(json, r#""/bye?x=1""#);
        let back: RedirectUrl = serde_json::from_str(&json).unwrap();
        assert_eq!(back, url);
    }

    #[test]
    fn a_deserialized_url_is_checked_like_any_other() {
        let policy = RedirectPolicy::default();
        let url: RedirectUrl = serde_json::from_str(r#""javascript:alert(1)""#).unwrap();
        assert_eq!(url.validate(&policy), Err(RedirectError::UnsupportedScheme));
        let url: RedirectUrl = serde_json::from_str(r#""/bye""#).unwrap();
        assert_eq!(
            url.validate(&policy).map(|t| t.as_str().to_owned()),
            Ok("/bye".into())
        );
    }
}
