//! Where a request carries its session token, as Clerk's backend SDKs read it.

use http::header::{AUTHORIZATION, COOKIE};
use http::HeaderMap;

/// The session token of a request: an `Authorization` header wins outright
/// (`Bearer <token>`, or a value with no space used whole; any other scheme
/// gives no token); otherwise the `__session` cookie.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        return match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
                Some(token.trim()).filter(|t| !t.is_empty())
            }
            Some(_) => None,
            None => Some(value).filter(|t| !t.is_empty()),
        };
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "__session")
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::test_support::headers;

    #[test]
    fn the_header_wins_then_the_cookie() {
        assert_eq!(
            session_token(&headers(&[("authorization", "Bearer a.b.c")])),
            Some("a.b.c")
        );
        assert_eq!(
            session_token(&headers(&[("authorization", "bearer  a.b.c ")])),
            Some("a.b.c")
        );
        assert_eq!(
            session_token(&headers(&[("authorization", "a.b.c")])),
            Some("a.b.c")
        );
        assert_eq!(
            session_token(&headers(&[("authorization", "Basic abc")])),
            None
        );
        assert_eq!(
            session_token(&headers(&[
                ("authorization", "Basic abc"),
                ("cookie", "__session=x.y.z")
            ])),
            None,
            "a header of another scheme: no token, and the cookie is not read"
        );
        assert_eq!(
            session_token(&headers(&[("cookie", "a=1; __session=x.y.z; b=2")])),
            Some("x.y.z")
        );
        assert_eq!(
            session_token(&headers(&[
                ("cookie", "a=1"),
                ("cookie", "__session=x.y.z")
            ])),
            Some("x.y.z")
        );
        assert_eq!(
            session_token(&headers(&[("cookie", "__session_abc=x; __session=")])),
            None
        );
        assert_eq!(session_token(&HeaderMap::new()), None);
    }
}
