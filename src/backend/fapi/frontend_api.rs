//! The Frontend API's base URL: HTTPS, or plain HTTP on loopback only.

use crate::platform::Href;
use crate::ClerkError;

/// Checks a Frontend API URL (a Clerk domain, a proxy, or the emulator) and
/// returns it normalised: no query, fragment or trailing slash on its path
/// (`https://clerk.example.com/`, `https://example.com/__clerk`). Only
/// `https`, or `http` to a loopback host (`127.0.0.0/8`, `::1`, `localhost`),
/// is accepted.
pub(crate) fn parse_frontend_api_url(url: &str) -> Result<String, ClerkError> {
    let parsed = Href::parse(url.trim());
    let insecure = || ClerkError::InsecureUrl {
        url: without_credentials(url, parsed.as_ref()),
    };
    let Some(href) = &parsed else {
        return Err(insecure());
    };
    let secure = match href.scheme().as_str() {
        "https" => true,
        "http" => is_loopback(&href.hostname()),
        _ => false,
    };
    if !secure || href.hostname().is_empty() || href.has_credentials() {
        return Err(insecure());
    }
    let path = href.path();
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    Ok(format!("{}{path}", href.origin()))
}

/// The key Clerk would issue for the Frontend API at `base` (a URL
/// [`parse_frontend_api_url`] gave): its host and port, and the instance type.
pub(crate) fn key_for_url(
    base: &str,
    instance: super::InstanceType,
) -> Option<super::PublishableKey> {
    let href = Href::parse(base)?;
    let host = match href.port() {
        Some(port) => format!("{}:{port}", href.hostname()),
        None => href.hostname(),
    };
    super::PublishableKey::for_frontend_api(&host, instance).ok()
}

/// `localhost`, or an IPv4 or IPv6 loopback address, as a URL writes its
/// host: URLs write every IPv4 address as four decimal numbers
/// (`0x7f.1` is `127.0.0.1`) and IPv6 ones compressed (`[::1]`).
fn is_loopback(hostname: &str) -> bool {
    hostname.eq_ignore_ascii_case("localhost")
        || hostname == "[::1]"
        || (is_ipv4(hostname) && hostname.starts_with("127."))
}

/// Whether a URL's host is an IPv4 address (four decimal numbers, as URLs write them).
pub(crate) fn is_ipv4(hostname: &str) -> bool {
    let parts: Vec<&str> = hostname.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The URL as an error may show it: a `user:password@` part is redacted,
/// wherever the parser puts it (a URL without a scheme reads `user` as one).
fn without_credentials(url: &str, parsed: Option<&Href>) -> String {
    if let Some(parsed) = parsed.filter(|parsed| parsed.has_credentials()) {
        return parsed.redacted();
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
            // Judged on the host as URLs write it.
            ("http://0x7f.1:9400", "http://127.0.0.1:9400/"),
            ("http://[0:0::1]:9400", "http://[::1]:9400/"),
            ("http://LOCALHOST:1", "http://localhost:1/"),
        ] {
            assert_eq!(
                parse_frontend_api_url(url),
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
            "http://128.0.0.1",
            "http://127.0.0.1.evil.com",
            "http://[::2]",
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
