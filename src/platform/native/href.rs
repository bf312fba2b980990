//! URLs natively: the `url` crate (WHATWG parsing, as browsers do).

use url::{Position, Url};

/// An absolute URL, parsed as browsers parse them.
#[derive(Clone)]
pub(crate) struct Href(Url);

impl Href {
    /// `input` as an absolute URL.
    pub(crate) fn parse(input: &str) -> Option<Self> {
        Url::parse(input).ok().map(Self)
    }

    /// `input` resolved against this URL (a path, `//host`, or absolute).
    pub(crate) fn join(&self, input: &str) -> Option<Self> {
        self.0.join(input).ok().map(Self)
    }

    /// The scheme, without its `:` (`https`).
    pub(crate) fn scheme(&self) -> String {
        self.0.scheme().to_owned()
    }

    /// Whether the scheme is `http` or `https`.
    pub(crate) fn is_http(&self) -> bool {
        matches!(self.0.scheme(), "http" | "https")
    }

    /// The origin as browsers write it (`https://app.example.com`), `null`
    /// for URLs without one (`data:`, `file:`).
    pub(crate) fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }

    /// The host as a URL writes it: a lowercase domain, a dotted IPv4
    /// address, or an IPv6 one in brackets. Empty when there is none.
    pub(crate) fn hostname(&self) -> String {
        self.0.host_str().unwrap_or_default().to_owned()
    }

    /// The port, when it is not the scheme's default.
    pub(crate) fn port(&self) -> Option<u16> {
        self.0.port()
    }

    /// Whether a `user:password@` part is present.
    pub(crate) fn has_credentials(&self) -> bool {
        !self.0.username().is_empty() || self.0.password().is_some()
    }

    /// The path (`/` at least for http(s) URLs).
    pub(crate) fn path(&self) -> String {
        self.0.path().to_owned()
    }

    /// The path with its query and fragment: what stays of the URL on its own origin.
    pub(crate) fn path_onwards(&self) -> String {
        self.0[Position::BeforePath..].to_owned()
    }

    /// The first value of the query parameter `name`, decoded.
    #[cfg(feature = "sign-in")]
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.0
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// Adds `name=value` to the query, form-encoded.
    #[cfg(feature = "sign-in")]
    pub(crate) fn append_query_pair(&mut self, name: &str, value: &str) {
        self.0.query_pairs_mut().append_pair(name, value);
    }

    /// The URL with its `user:password@` part replaced by `redacted@`.
    pub(crate) fn redacted(&self) -> String {
        let mut shown = self.0.clone();
        // Both only fail for URLs that cannot have credentials at all.
        let _ = shown.set_username("redacted");
        let _ = shown.set_password(None);
        shown.into()
    }

    /// The whole URL.
    pub(crate) fn as_string(&self) -> String {
        self.0.as_str().to_owned()
    }
}
