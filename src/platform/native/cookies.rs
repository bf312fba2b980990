//! Native apps have no cookie jar shared with a server: their tokens go in
//! `Authorization` headers. The web's cookie calls do nothing here.

use crate::platform::CookieKind;

/// No cookies natively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AuthCookies;

impl AuthCookies {
    /// Cookies for the instance whose key has this suffix: none natively.
    pub(crate) fn new(_suffix: Option<String>) -> Self {
        Self
    }

    /// Nothing is ever kept.
    #[allow(dead_code)] // the web reads its dev-browser cookie; native apps have none
    pub(crate) fn read(&self, _name: &str) -> Option<String> {
        None
    }

    /// Nothing is written.
    pub(crate) fn write(&self, _name: &str, _value: Option<&str>, _kind: CookieKind) {}
}

/// Nothing is ever kept.
pub(crate) fn read_cookie(_name: &str) -> Option<String> {
    None
}

/// Nothing is written.
pub(crate) fn write_cookie(_name: &str, _value: Option<&str>, _kind: CookieKind) {}
