//! What `authenticateRequest` reads of a request, read as `@clerk/backend`
//! 3.25 reads it (`authenticateContext.ts`, `clerkRequest.ts`): the URL
//! rebuilt from the forwarding headers, the headers, the cookies (first
//! occurrence wins, percent-decoded, as the `cookie` package parses), and
//! which of the cookies' two names count (`usesSuffixedCookies`).

use std::borrow::Cow;

use http::{HeaderMap, Method, Uri};

use super::cookies::Cookies;
use super::instance::Instance;
use super::suffixed::uses_suffixed_cookies;
use crate::server::forwarded::Target;
use crate::server::jwt::Jwt;

/// The request, as the decision reads it.
pub(super) struct Context<'a> {
    pub method: &'a Method,
    /// The URL the browser asked for (`X-Forwarded-Host`/`-Proto`
    /// applied), built when first read: most requests never need it.
    url: std::sync::OnceLock<url::Url>,
    uri: &'a Uri,
    target: Target<'a>,
    pub instance: &'a Instance,
    /// `Authorization`: `Bearer <t>` gives `t`, one word is used whole.
    pub token_in_header: Option<&'a str>,
    pub referrer: Option<&'a str>,
    pub sec_fetch_dest: Option<&'a str>,
    pub accept: Option<&'a str>,
    /// `__session`, by the name in use.
    pub session_in_cookie: Option<String>,
    /// That cookie's token, decoded once (`None` when it is not a JWT).
    pub session_jwt: Option<Jwt<'a>>,
    /// `__refresh_<suffix>`.
    pub refresh_in_cookie: bool,
    /// `__client_uat` as JavaScript's `parseInt(…) || 0`.
    pub client_uat: i64,
    pub uses_suffixed: bool,
    /// `__clerk_db_jwt`, from the query or the cookie.
    pub dev_browser: Option<String>,
    /// `__clerk_redirect_count`, as `Number(…) || 0`.
    pub redirect_count: i64,
    /// A handshake's nonce came back (`__clerk_handshake_nonce`, query or cookie).
    pub handshake_nonce: Option<String>,
    /// A handshake's token came back (`__clerk_handshake`, query or cookie).
    pub handshake_token: Option<String>,
    /// `?__clerk_redirect_url=`: a satellite asks the primary domain to sync.
    pub satellite_redirect: Option<String>,
}

impl<'a> Context<'a> {
    pub(super) fn read(
        method: &'a Method,
        uri: &'a Uri,
        headers: &'a HeaderMap,
        instance: &'a Instance,
    ) -> Self {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
        };
        let cookies = Cookies::parse(headers);
        let suffix = &instance.suffix;
        let suffixed = |name: &str| cookies.get_suffixed(name, suffix).cloned();
        let plain = |name: &str| cookies.get(name).cloned();
        let decoded = |session: Option<Cow<'a, str>>| {
            session.map(|token| {
                let jwt = Jwt::parse(token.clone());
                (token.into_owned(), jwt)
            })
        };
        let (plain_session, suffixed_session) =
            (decoded(plain("__session")), decoded(suffixed("__session")));
        let uses_suffixed = uses_suffixed_cookies(
            instance,
            jwt_of(&plain_session),
            jwt_of(&suffixed_session),
            plain("__client_uat").as_deref(),
            suffixed("__client_uat").as_deref(),
        );
        let (session_in_cookie, session_jwt) = match uses_suffixed {
            true => suffixed_session,
            false => plain_session,
        }
        .map_or((None, None), |(token, jwt)| (Some(token), jwt));
        let either = |name: &str| {
            if uses_suffixed {
                suffixed(name)
            } else {
                plain(name)
            }
        };
        let either = |name: &str| either(name).map(Cow::into_owned);
        let plain = |name: &str| plain(name).map(Cow::into_owned);
        let query = |name: &str| {
            url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            method,
            instance,
            token_in_header: header("authorization").and_then(bearer),
            referrer: header("referer"),
            sec_fetch_dest: header("sec-fetch-dest"),
            accept: header("accept"),
            uses_suffixed,
            session_in_cookie,
            session_jwt,
            refresh_in_cookie: suffixed("__refresh").is_some(),
            client_uat: js_parse_int(either("__client_uat").as_deref().unwrap_or_default()),
            dev_browser: query("__clerk_db_jwt").or_else(|| either("__clerk_db_jwt")),
            redirect_count: plain("__clerk_redirect_count")
                .and_then(|count| count.trim().parse::<f64>().ok())
                .filter(|count| count.is_finite())
                .map_or(0, |count| count as i64),
            handshake_nonce: query("__clerk_handshake_nonce")
                .or_else(|| plain("__clerk_handshake_nonce")),
            handshake_token: query("__clerk_handshake").or_else(|| plain("__clerk_handshake")),
            satellite_redirect: query("__clerk_redirect_url"),
            url: std::sync::OnceLock::new(),
            uri,
            target: Target::of(uri, headers),
        }
    }

    /// The URL the browser asked for.
    pub(super) fn url(&self) -> &url::Url {
        self.url.get_or_init(|| clerk_url(self.uri, self.target))
    }

    /// The session token, from the cookie, else the header.
    pub(super) fn session_token(&self) -> Option<&str> {
        self.session_in_cookie.as_deref().or(self.token_in_header)
    }

    pub(super) fn is_development(&self) -> bool {
        self.instance.development
    }

    /// The Frontend API's URL.
    pub(super) fn frontend_api_url(&self) -> &str {
        &self.instance.url
    }

    /// Whether the page came from another site (`Referer`'s origin is not the URL's).
    pub(super) fn is_cross_origin_referrer(&self) -> bool {
        let Some(referrer) = self.referrer.and_then(|r| url::Url::parse(r).ok()) else {
            return false;
        };
        referrer.origin() != self.url().origin()
    }

    /// Whether `Referer` is Clerk's: the Frontend API's host, the Account
    /// Portal derived from it, or (not in production) a development
    /// Account Portal.
    pub(super) fn is_known_clerk_referrer(&self) -> bool {
        let Some(referrer) = self.referrer.and_then(|r| url::Url::parse(r).ok()) else {
            return false;
        };
        let host = referrer.host_str().unwrap_or_default();
        // The host as the key names it, port and all, against the
        // referrer's hostname (so a Frontend API on a port never matches,
        // as in Clerk's code; Clerk's own hosts have none).
        let fapi = self.instance.host.as_str();
        if host == fapi {
            return true;
        }
        if self.is_development() {
            let legacy = [".lcl.dev", ".lclstage.dev", ".lclclerk.com"];
            let current = [
                ".accounts.dev",
                ".accountsstage.dev",
                ".accounts.lclclerk.com",
            ];
            if legacy
                .iter()
                .any(|s| host.starts_with("accounts.") && host.ends_with(s))
                || current
                    .iter()
                    .any(|s| host.ends_with(s) && !host.ends_with(&format!(".clerk{s}")))
            {
                return true;
            }
        }
        url::Url::parse(&format!("https://{}", accounts_host(fapi)))
            .is_ok_and(|accounts| accounts.origin() == referrer.origin())
    }
}

/// The Account Portal's host for a Frontend API host, as `buildAccountsBaseUrl`.
fn accounts_host(fapi: &str) -> String {
    if let Some(at) = fapi.find("clerk.accountsstage.") {
        return format!(
            "{}accountsstage.{}",
            &fapi[..at],
            &fapi[at + "clerk.accountsstage.".len()..]
        );
    }
    if let Some(at) = fapi.find("clerk.accounts.") {
        return format!(
            "{}accounts.{}",
            &fapi[..at],
            &fapi[at + "clerk.accounts.".len()..]
        );
    }
    fapi.replacen("clerk.", "accounts.", 1)
}

/// The URL as the browser asked for it: the [`Target`]'s host and scheme
/// (else the URI's scheme, else `http`) over the request's path and query.
fn clerk_url(uri: &Uri, target: Target<'_>) -> url::Url {
    let scheme = target
        .forwarded_proto
        .or(uri.scheme_str())
        .unwrap_or("http");
    let authority = target.authority.unwrap_or("localhost");
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    url::Url::parse(&format!("{scheme}://{authority}{path}"))
        .or_else(|_| url::Url::parse(&format!("http://localhost{path}")))
        .unwrap_or_else(|_| url::Url::parse("http://localhost/").expect("a valid URL"))
}

/// `Authorization` as `parseAuthorizationHeader`: split at the first space;
/// one word is the token; `Bearer <t>` (that case) is `t`; else none.
fn bearer(value: &str) -> Option<&str> {
    let mut parts = value.splitn(3, ' ');
    let scheme = parts.next().unwrap_or_default();
    match parts.next().filter(|t| !t.is_empty()) {
        None => Some(scheme).filter(|s| !s.is_empty()),
        Some(token) if scheme == "Bearer" => Some(token),
        Some(_) => None,
    }
}

/// JavaScript's `parseInt(text) || 0`: leading whitespace, a sign, digits.
fn js_parse_int(text: &str) -> i64 {
    let text = text.trim_start();
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    let end = digits.bytes().take_while(u8::is_ascii_digit).count();
    digits[..end].parse::<i64>().map_or(0, |n| sign * n)
}

/// A session cookie's decoded token: present or not, then decoded or not.
fn jwt_of<'s, 'a>(session: &'s Option<(String, Option<Jwt<'a>>)>) -> Option<Option<&'s Jwt<'a>>> {
    session.as_ref().map(|(_, jwt)| jwt.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_split_as_clerk_splits_it() {
        assert_eq!(bearer("Bearer a.b.c"), Some("a.b.c"));
        assert_eq!(bearer("a.b.c"), Some("a.b.c"));
        assert_eq!(bearer("bearer a.b.c"), None, "the scheme's case counts");
        assert_eq!(bearer("Basic x"), None);
        assert_eq!(
            bearer("Bearer "),
            Some("Bearer"),
            "an empty token: the scheme whole"
        );
    }

    #[test]
    fn parse_int_reads_as_javascript_does() {
        assert_eq!(js_parse_int("1700000000"), 1_700_000_000);
        assert_eq!(js_parse_int(" 12abc"), 12);
        assert_eq!(js_parse_int("-5"), -5);
        assert_eq!(js_parse_int("abc"), 0);
        assert_eq!(js_parse_int(""), 0);
    }

    #[test]
    fn the_url_follows_the_forwarding_headers() {
        let url_of = |uri: &str, pairs: &[(&'static str, &str)]| {
            let uri: Uri = uri.parse().unwrap();
            let headers = crate::server::test_support::headers(pairs);
            clerk_url(&uri, Target::of(&uri, &headers)).to_string()
        };
        let proxied = [
            ("x-forwarded-host", "app.example.com, proxy"),
            ("x-forwarded-proto", "https"),
            ("host", "10.0.0.1:80"),
        ];
        assert_eq!(
            url_of("/page?x=1", &proxied),
            "https://app.example.com/page?x=1"
        );
        let direct = [("host", "127.0.0.1:3000")];
        assert_eq!(
            url_of("/page?x=1", &direct),
            "http://127.0.0.1:3000/page?x=1"
        );
        assert_eq!(
            url_of("https://app.example.com/a", &[]),
            "https://app.example.com/a"
        );
    }

    #[test]
    fn the_account_portal_is_named_after_the_frontend_api() {
        assert_eq!(accounts_host("clerk.example.com"), "accounts.example.com");
        assert_eq!(
            accounts_host("foo-bar-13.clerk.accounts.dev"),
            "foo-bar-13.accounts.dev"
        );
        assert_eq!(
            accounts_host("x.clerk.accountsstage.dev"),
            "x.accountsstage.dev"
        );
    }
}
