//! Where a request was sent, as the browser sees it behind proxies: the
//! first `X-Forwarded-Host` (else `Host`, else the URI's authority) and the
//! first `X-Forwarded-Proto`. The CSRF check compares an `Origin` with it;
//! the request rules rebuild the page's URL from it.

use http::{HeaderMap, Uri};

/// The host and scheme the browser used, as far as the request says.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Target<'a> {
    /// `host[:port]`.
    pub(crate) authority: Option<&'a str>,
    /// The scheme a proxy says it received (`X-Forwarded-Proto`).
    pub(crate) forwarded_proto: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// Read from the request's headers and URI.
    pub(crate) fn of(uri: &'a Uri, headers: &'a HeaderMap) -> Self {
        // The first of a list (a proxy chain appends), trimmed; empty is none.
        let first = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        Self {
            authority: first("x-forwarded-host")
                .or_else(|| first("host"))
                .or_else(|| uri.authority().map(|a| a.as_str())),
            forwarded_proto: first("x-forwarded-proto"),
        }
    }
}
