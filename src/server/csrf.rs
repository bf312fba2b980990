//! Cross-site request forgery: a request authenticated by the `__session`
//! cookie alone that changes something (`POST`, `PUT`, `PATCH`, `DELETE`, …)
//! must come from the app's own pages. The browser says where it comes from
//! (`Sec-Fetch-Site`, `Origin`); `SameSite=Lax` on the cookie is not enough
//! against a sibling subdomain or an old browser, which is why Clerk warns
//! against leaving `authorizedParties` unset.
//!
//! A request passes when:
//! - its method is safe (`GET`, `HEAD`, `OPTIONS`, `TRACE`), or its token
//!   came in `Authorization` (a page on another site cannot set that header
//!   for a victim), or
//! - `Sec-Fetch-Site: same-origin`, or
//! - its `Origin` (or, from a browser that sends none, its `Referer`'s
//!   origin) is the request's own (the first `X-Forwarded-Host`, else
//!   `Host`, else the URI's authority as HTTP/2 carries it; the scheme too
//!   when `X-Forwarded-Proto` says it), or one of the verifier's
//!   authorized parties, or
//! - it has none of these headers: not a browser's request, so no victim's cookie.

use http::{HeaderMap, Method, Uri};

use super::forwarded::Target;
use super::Rejection;

/// Whether a cookie-authenticated request of `method` with `headers` may act
/// as its user (see the module doc).
pub(crate) fn check(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    authorized_parties: &[String],
) -> Result<(), Rejection> {
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return Ok(());
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_site = header("sec-fetch-site");
    if fetch_site == Some("same-origin") {
        return Ok(());
    }
    let referrer_origin = header("referer")
        .and_then(|r| url::Url::parse(r).ok())
        .map(|r| r.origin().ascii_serialization());
    let Some(origin) = header("origin").map(str::to_owned).or(referrer_origin) else {
        // Neither: a browser that sent `Sec-Fetch-Site` would have sent an
        // Origin on a cross-site unsafe request; none of them is not a browser.
        return match fetch_site {
            None => Ok(()),
            Some(_) => Err(Rejection::CrossSiteRequest),
        };
    };
    let origin = origin.trim_end_matches('/');
    if authorized_parties.iter().any(|party| party == origin) || is_own(origin, uri, headers) {
        Ok(())
    } else {
        Err(Rejection::CrossSiteRequest)
    }
}

/// Whether `origin` (`scheme://host[:port]`) is the one the request was sent to.
fn is_own(origin: &str, uri: &Uri, headers: &HeaderMap) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false; // `null`, or not an origin at all
    };
    let target = Target::of(uri, headers);
    let Some(host) = target.authority else {
        return false;
    };
    let scheme_matches = target
        .forwarded_proto
        .is_none_or(|proto| proto.eq_ignore_ascii_case(scheme));
    scheme_matches && authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::test_support::headers;

    const APP: &[(&str, &str)] = &[("host", "app.example.com")];

    fn post(pairs: &[(&'static str, &str)], parties: &[&str]) -> Result<(), Rejection> {
        let parties: Vec<String> = parties.iter().map(|p| p.to_string()).collect();
        check(
            &Method::POST,
            &Uri::from_static("/"),
            &headers(pairs),
            &parties,
        )
    }

    #[test]
    fn same_origin_passes_and_another_site_is_refused() {
        let own = [APP[0], ("origin", "https://app.example.com")];
        assert_eq!(post(&own, &[]), Ok(()));
        let evil = [APP[0], ("origin", "https://evil.example")];
        assert_eq!(post(&evil, &[]), Err(Rejection::CrossSiteRequest));
        let sibling = [
            APP[0],
            ("origin", "https://blog.example.com"),
            ("sec-fetch-site", "same-site"),
        ];
        assert_eq!(
            post(&sibling, &[]),
            Err(Rejection::CrossSiteRequest),
            "SameSite=Lax lets a sibling through; this does not"
        );
        assert_eq!(
            post(&[APP[0], ("origin", "null")], &[]),
            Err(Rejection::CrossSiteRequest)
        );
        assert_eq!(
            post(&[APP[0], ("sec-fetch-site", "same-origin")], &[]),
            Ok(())
        );
        assert_eq!(
            post(&[APP[0], ("sec-fetch-site", "cross-site")], &[]),
            Err(Rejection::CrossSiteRequest)
        );
        assert_eq!(post(APP, &[]), Ok(()), "not a browser");
        let referred = [APP[0], ("referer", "https://evil.example/form")];
        assert_eq!(
            post(&referred, &[]),
            Err(Rejection::CrossSiteRequest),
            "a Referer stands in for Origin"
        );
        let own_referrer = [APP[0], ("referer", "https://app.example.com/notes?id=1")];
        assert_eq!(post(&own_referrer, &[]), Ok(()));
    }

    #[test]
    fn authorized_parties_and_proxies_count_as_the_app() {
        let other = [APP[0], ("origin", "https://admin.example.com")];
        assert_eq!(post(&other, &["https://admin.example.com"]), Ok(()));
        let proxied = [
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-host", "app.example.com, proxy.internal"),
            ("x-forwarded-proto", "https"),
            ("origin", "https://app.example.com"),
        ];
        assert_eq!(post(&proxied, &[]), Ok(()));
        let downgraded = [
            ("host", "app.example.com"),
            ("x-forwarded-proto", "https"),
            ("origin", "http://app.example.com"),
        ];
        assert_eq!(post(&downgraded, &[]), Err(Rejection::CrossSiteRequest));
    }

    #[test]
    fn over_http2_the_authority_is_the_host() {
        let uri: Uri = "https://app.example.com/api/notes".parse().unwrap();
        let own = headers(&[("origin", "https://app.example.com")]);
        assert_eq!(check(&Method::POST, &uri, &own, &[]), Ok(()));
        let evil = headers(&[("origin", "https://evil.example")]);
        assert_eq!(
            check(&Method::POST, &uri, &evil, &[]),
            Err(Rejection::CrossSiteRequest)
        );
    }

    #[test]
    fn safe_methods_are_not_checked() {
        let evil = headers(&[APP[0], ("origin", "https://evil.example")]);
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert_eq!(check(&method, &Uri::from_static("/"), &evil, &[]), Ok(()));
        }
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(
                check(&method, &Uri::from_static("/"), &evil, &[]),
                Err(Rejection::CrossSiteRequest)
            );
        }
    }
}
