//! A JWT read without checking it, as `decodeJwt` reads one: three parts,
//! a header and a payload that are base64url JSON, a signature that is
//! base64url. For choosing cookies and ordering checks only; nothing read
//! here is trusted.

use base64::Engine;
use serde::Deserialize;

use crate::server::kind::LOOSE;

/// What the decision reads of a token before verifying it.
#[derive(Debug, Default)]
pub(super) struct Peeked {
    /// `iss`, when a string.
    pub iss: Option<String>,
    /// `iat`, when a number.
    pub iat: Option<i64>,
    /// `exp`, when a number.
    pub exp: Option<i64>,
}

/// The token's claims of interest, or `None` when it does not decode.
pub(super) fn peek(token: &str) -> Option<Peeked> {
    #[derive(Deserialize)]
    struct Claims {
        #[serde(default)]
        iss: Option<serde_json::Value>,
        #[serde(default)]
        iat: Option<serde_json::Value>,
        #[serde(default)]
        exp: Option<serde_json::Value>,
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    serde_json::from_slice::<serde_json::Value>(&LOOSE.decode(header).ok()?).ok()?;
    LOOSE.decode(signature).ok()?;
    let payload: serde_json::Value = serde_json::from_slice(&LOOSE.decode(payload).ok()?).ok()?;
    let Ok(claims) = Claims::deserialize(&payload) else {
        // A payload that is JSON but not an object: it decodes, with nothing in it.
        return Some(Peeked::default());
    };
    let number = |value: &Option<serde_json::Value>| value.as_ref().and_then(|v| v.as_f64());
    Some(Peeked {
        iss: claims
            .iss
            .as_ref()
            .and_then(|iss| iss.as_str())
            .filter(|iss| !iss.is_empty())
            .map(str::to_owned),
        iat: number(&claims.iat).map(|iat| iat as i64),
        exp: number(&claims.exp).map(|exp| exp as i64),
    })
}

/// Now, in whole Unix seconds.
pub(super) fn now_secs() -> i64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
