//! URLs in the browser: its own `URL`, so no URL parser is compiled in.

use web_sys::Url;

/// An absolute URL, parsed by the browser.
#[derive(Clone)]
pub(crate) struct Href(Url);

impl Href {
    /// `input` as an absolute URL.
    pub(crate) fn parse(input: &str) -> Option<Self> {
        Url::new(input).ok().map(Self)
    }

    /// `input` resolved against this URL (a path, `//host`, or absolute).
    pub(crate) fn join(&self, input: &str) -> Option<Self> {
        Url::new_with_base(input, &self.0.href()).ok().map(Self)
    }

    /// The scheme, without its `:` (`https`).
    pub(crate) fn scheme(&self) -> String {
        let protocol = self.0.protocol();
        match protocol.strip_suffix(":") {
            Some(scheme) => scheme.to_owned(),
            None => protocol,
        }
    }

    /// Whether the scheme is `http` or `https`.
    pub(crate) fn is_http(&self) -> bool {
        matches!(self.0.protocol().as_str(), "http:" | "https:")
    }

    /// The origin as browsers write it (`https://app.example.com`), `null`
    /// for URLs without one (`data:`, `file:`).
    pub(crate) fn origin(&self) -> String {
        self.0.origin()
    }

    /// The host as a URL writes it: a lowercase domain, a dotted IPv4
    /// address, or an IPv6 one in brackets. Empty when there is none.
    pub(crate) fn hostname(&self) -> String {
        self.0.hostname()
    }

    /// The port, when it is not the scheme's default.
    pub(crate) fn port(&self) -> Option<u16> {
        self.0.port().parse().ok()
    }

    /// Whether a `user:password@` part is present.
    pub(crate) fn has_credentials(&self) -> bool {
        !self.0.username().is_empty() || !self.0.password().is_empty()
    }

    /// The path (`/` at least for http(s) URLs).
    pub(crate) fn path(&self) -> String {
        self.0.pathname()
    }

    /// The path with its query and fragment: what stays of the URL on its own origin.
    pub(crate) fn path_onwards(&self) -> String {
        let mut out = self.0.pathname();
        out.push_str(&self.0.search());
        out.push_str(&self.0.hash());
        out
    }

    /// The first value of the query parameter `name`, decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.0.search_params().get(name)
    }

    /// Adds `name=value` to the query, form-encoded.
    pub(crate) fn append_query_pair(&mut self, name: &str, value: &str) {
        self.0.search_params().append(name, value);
    }

    /// The URL with its `user:password@` part replaced by `redacted@`.
    pub(crate) fn redacted(&self) -> String {
        let shown = Url::new(&self.0.href()).unwrap_or_else(|_| self.0.clone());
        shown.set_username("redacted");
        shown.set_password("");
        shown.href()
    }

    /// The whole URL.
    pub(crate) fn as_string(&self) -> String {
        self.0.href()
    }
}
