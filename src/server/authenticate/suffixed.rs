//! Which of the cookies' two names count (`__session` or
//! `__session_<suffix>`, and so on): `usesSuffixedCookies`, rule by rule.

use super::instance::Instance;
use crate::server::jwt::{now_secs, Jwt};

/// Which names count: `usesSuffixedCookies`, rule by rule.
pub(super) fn uses_suffixed_cookies(
    instance: &Instance,
    session: Option<Option<&Jwt<'_>>>,
    suffixed_session: Option<Option<&Jwt<'_>>>,
    client_uat: Option<&str>,
    suffixed_client_uat: Option<&str>,
) -> bool {
    if let Some(plain) = session {
        let Some(iss) = plain.and_then(Jwt::iss) else {
            return false; // no issuer, or does not decode
        };
        let issuer = iss.replace("https://", "").replace("http://", "");
        if issuer != instance.host {
            return true;
        }
    }
    if suffixed_client_uat.is_none() && suffixed_session.is_none() {
        return false;
    }
    let iat = |jwt: Option<Option<&Jwt<'_>>>| jwt.flatten().and_then(Jwt::iat).unwrap_or(0);
    let (session_iat, suffixed_iat) = (iat(session), iat(suffixed_session));
    let not_zero = |uat: Option<&str>| uat != Some("0");
    if not_zero(suffixed_client_uat) && not_zero(client_uat) && session_iat > suffixed_iat {
        return false;
    }
    if suffixed_client_uat == Some("0") && not_zero(client_uat) {
        return false;
    }
    if instance.development {
        let expired = suffixed_session
            .flatten()
            .and_then(Jwt::exp)
            .is_some_and(|exp| exp <= now_secs());
        if not_zero(suffixed_client_uat) && client_uat == Some("0") && expired {
            return false;
        }
    }
    if suffixed_client_uat.is_none() && suffixed_session.is_some() {
        return false;
    }
    true
}
