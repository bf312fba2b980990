//! Which of the cookies' two names count (`__session` or
//! `__session_<suffix>`, and so on): `usesSuffixedCookies`, rule by rule.

use super::instance::Instance;
use super::peek::{now_secs, peek, Peeked};

/// Which names count: `usesSuffixedCookies`, rule by rule.
pub(super) fn uses_suffixed_cookies(
    instance: &Instance,
    session: Option<&str>,
    suffixed_session: Option<&str>,
    client_uat: Option<&str>,
    suffixed_client_uat: Option<&str>,
) -> bool {
    let plain = session.map(peek);
    if let Some(plain) = &plain {
        let Some(Peeked { iss: Some(iss), .. }) = plain else {
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
    let iat = |peeked: Option<&Option<Peeked>>| {
        peeked
            .and_then(Option::as_ref)
            .and_then(|p| p.iat)
            .unwrap_or(0)
    };
    let suffixed = suffixed_session.map(peek);
    let (session_iat, suffixed_iat) = (iat(plain.as_ref()), iat(suffixed.as_ref()));
    let not_zero = |uat: Option<&str>| uat != Some("0");
    if not_zero(suffixed_client_uat) && not_zero(client_uat) && session_iat > suffixed_iat {
        return false;
    }
    if suffixed_client_uat == Some("0") && not_zero(client_uat) {
        return false;
    }
    if instance.development {
        let expired = suffixed
            .as_ref()
            .and_then(Option::as_ref)
            .is_some_and(|p| p.exp.is_some_and(|exp| exp <= now_secs()));
        if not_zero(suffixed_client_uat) && client_uat == Some("0") && expired {
            return false;
        }
    }
    if suffixed_client_uat.is_none() && suffixed_session.is_some() {
        return false;
    }
    true
}
