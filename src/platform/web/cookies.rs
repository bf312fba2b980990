//! The cookies clerk-js writes on the app's own domain, written the same way
//! so that Clerk's backends (`@clerk/backend`'s `authenticateRequest`, and
//! every SDK on it) read this app as they read a clerk-js one:
//!
//! | cookie | value | domain | `SameSite` |
//! |---|---|---|---|
//! | `__session`, `__session_<sfx>` | the active session's token | host-only | `Lax` |
//! | `__client_uat`, `__client_uat_<sfx>` | the client's `updated_at` in seconds, `0` signed out (development instances) | the registrable domain | `Strict` |
//! | `__clerk_db_jwt`, `__clerk_db_jwt_<sfx>` | the dev browser (development instances) | host-only | `Lax` |
//! | `clerk_active_context` | `<session id>:` | host-only | unset, for the browser session |
//!
//! `<sfx>` is the publishable key's suffix; readers prefer the suffixed name.
//! In a cross-origin iframe `SameSite` is `None` (with `Secure`, which
//! browsers require for it), as clerk-js does; on `https` pages every
//! cookie is `Secure`. None is `HttpOnly`: scripts write them. Cookies that
//! live are kept a year (the token inside `__session` lives a minute).
//!
//! Not done (clerk-js does them): `Partitioned` cookies when the instance's
//! environment asks for them, and the exception for Safari, which refuses
//! `SameSite=None; Secure` on `http://localhost`.

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

/// A year, as clerk-js keeps its cookies.
const YEAR_SECS: u32 = 365 * 24 * 3600;

use crate::platform::CookieKind;

/// The app's Clerk cookies under their plain and suffixed names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AuthCookies {
    /// The publishable key's cookie suffix; `None` for a backend with no key
    /// (the in-memory one), whose cookies go by their plain names only.
    suffix: Option<String>,
}

impl AuthCookies {
    /// Cookies for the instance whose key has this suffix.
    pub(crate) fn new(suffix: Option<String>) -> Self {
        Self { suffix }
    }

    /// The value under `name`: the suffixed cookie first, as Clerk reads them.
    pub(crate) fn read(&self, name: &str) -> Option<String> {
        let suffixed = self.suffix.as_ref().map(|s| format!("{name}_{s}"));
        suffixed.and_then(|name| read(&name)).or_else(|| read(name))
    }

    /// Writes `value` under `name` and its suffixed twin, or removes both.
    pub(crate) fn write(&self, name: &str, value: Option<&str>, kind: CookieKind) {
        let suffixed = self.suffix.as_ref().map(|s| format!("{name}_{s}"));
        for name in std::iter::once(name.to_owned()).chain(suffixed) {
            write(&name, value, kind);
        }
    }
}

/// `document.cookie` as an `HtmlDocument` sees it.
fn document() -> Option<HtmlDocument> {
    web_sys::window()?
        .document()?
        .dyn_into::<HtmlDocument>()
        .ok()
}

/// The first cookie named `name` (as Clerk's readers take the first).
pub(crate) fn read(name: &str) -> Option<String> {
    let all = document()?.cookie().ok()?;
    all.split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| {
            js_sys::decode_uri_component(value)
                .map(String::from)
                .unwrap_or_else(|_| value.to_owned())
        })
}

/// Sets (or, with `None`, expires) one cookie with clerk-js's attributes.
pub(crate) fn write(name: &str, value: Option<&str>, kind: CookieKind) {
    let Some(document) = document() else {
        return;
    };
    let mut cookie = match value {
        Some(value) => format!("{name}={}; path=/", js_sys::encode_uri_component(value)),
        None => format!("{name}=; path=/; max-age=0"),
    };
    if value.is_some() && kind != CookieKind::BrowserSession {
        cookie.push_str(&format!("; max-age={YEAR_SECS}"));
    }
    let cross_site = in_cross_origin_frame();
    match (kind, cross_site) {
        (CookieKind::BrowserSession, _) => {}
        (_, true) => cookie.push_str("; SameSite=None"),
        (CookieKind::HostOnly, false) => cookie.push_str("; SameSite=Lax"),
        (CookieKind::SiteWide, false) => cookie.push_str("; SameSite=Strict"),
    }
    if is_https() || (cross_site && is_secure_context()) {
        cookie.push_str("; Secure");
    }
    if kind == CookieKind::SiteWide {
        let domain = site_domain(&document);
        // A host-only copy would shadow the site-wide one for this host.
        let _ = document.set_cookie(&format!("{name}=; path=/; max-age=0"));
        if let Some(domain) = domain {
            cookie.push_str(&format!("; domain={domain}"));
        }
    }
    let _ = document.set_cookie(&cookie);
}

fn is_https() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .as_deref()
        == Some("https:")
}

fn is_secure_context() -> bool {
    web_sys::window().is_some_and(|w| w.is_secure_context())
}

/// Whether the app runs in an iframe of another origin (reading the top
/// window's URL then fails), where only `SameSite=None` cookies are sent.
fn in_cross_origin_frame() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.top() {
        Ok(Some(top)) if top != window => top.location().href().is_err(),
        _ => false,
    }
}

/// The registrable domain to set site-wide cookies on, found as clerk-js
/// finds it: a probe cookie set on the last two labels of the host, then
/// three, and so on, until one reads back. `None` (host-only) for
/// `localhost`, IP addresses and one-label hosts.
fn site_domain(document: &HtmlDocument) -> Option<String> {
    const PROBE: &str = "__clerk_test_etld";
    let host = web_sys::window()?.location().hostname().ok()?;
    let is_ip = host.contains(':')
        || host
            .split('.')
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if is_ip || !host.contains('.') {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    for take in 2..=labels.len() {
        let domain = labels[labels.len() - take..].join(".");
        let _ = document.set_cookie(&format!("{PROBE}=1; path=/; domain={domain}"));
        if read(PROBE).is_some() {
            let _ = document.set_cookie(&format!("{PROBE}=; path=/; domain={domain}; max-age=0"));
            return Some(domain);
        }
    }
    None
}
