//! The Frontend API's base URL: HTTPS, or plain HTTP on loopback only.

use std::net::IpAddr;

use url::{Host, Url};

use crate::ClerkError;

/// Checks a Frontend API URL (a Clerk domain, a proxy, or the emulator) and
/// returns it normalised without a trailing slash. Only `https`, or `http` to a
/// loopback host (`127.0.0.0/8`, `::1`, `localhost`), is accepted.
pub(crate) fn parse_frontend_api_url(url: &str) -> Result<Url, ClerkError> {
    let insecure = || ClerkError::InsecureUrl {
        url: without_credentials(url),
    };
    let mut parsed = Url::parse(url.trim()).map_err(|_| insecure())?;
    let loopback = match parsed.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(insecure()),
    };
    let secure = match parsed.scheme() {
        "https" => true,
        "http" => loopback,
        _ => false,
    };
    if !secure || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(insecure());
    }
    parsed.set_query(None);
    parsed.set_fragment(None);
    let trimmed = parsed.path().trim_end_matches('/').to_owned();
    parsed.set_path(&trimmed);
    Ok(parsed)
}

/// The URL as an error may show it: a `user:password@` part is redacted,
/// wherever the parser puts it (a URL without a scheme reads `user` as one).
fn without_credentials(url: &str) -> String {
    if let Ok(mut parsed) = Url::parse(url.trim()) {
        if !parsed.username().is_empty() || parsed.password().is_some() {
            // Both only fail for URLs that cannot have credentials at all.
            let _ = parsed.set_username("redacted");
            let _ = parsed.set_password(None);
            return parsed.into();
        }
    }
    // Anything else with an `@` may carry credentials before it: keep what follows.
    match url.rsplit_once('@') {
        Some((_, rest)) => format!("redacted@{rest}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_pass() {
        for (url, normalised) in [
            ("https://clerk.example.com", "https://clerk.example.com/"),
            (
                "https://example.com/__clerk/",
                "https://example.com/__clerk",
            ),
            ("http://127.0.0.1:9400", "http://127.0.0.1:9400/"),
            ("http://127.8.9.10:1", "http://127.8.9.10:1/"),
            ("http://localhost:3000", "http://localhost:3000/"),
            ("http://[::1]:9400", "http://[::1]:9400/"),
        ] {
            assert_eq!(
                parse_frontend_api_url(url).map(String::from),
                Ok(normalised.to_owned()),
                "{url}"
            );
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for url in [
            "http://clerk.example.com",
            "http://10.0.0.1",
            "http://192.168.1.2:9400",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "javascript:alert(1)",
            "https://user:pass@clerk.example.com",
            "not a url",
            "",
        ] {
            assert!(
                matches!(
                    parse_frontend_api_url(url),
                    Err(ClerkError::InsecureUrl { .. })
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn refusals_do_not_repeat_a_password() {
        for url in [
            "https://user:s3cret-pass@clerk.example.com",
            "http://s3cret-pass@127.0.0.1:9400",
            "https://user:s3cret-pass@[bad",
            "user:s3cret-pass@clerk.example.com",
        ] {
            let error = parse_frontend_api_url(url).unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
    }
}
