//! A JWT read once, as `@clerk/backend`'s `decodeJwt` reads one (three
//! parts; a header and a payload that are base64url JSON, decoded loosely;
//! a signature that is base64url), and what the checks read of it before
//! any key is chosen: its kind (a session token, or a JWT template's, a
//! machine's or an OAuth access token) and the claims the request rules
//! compare (`iss`, `iat`, `exp`). Nothing read here is trusted until
//! [`Jwt::signed_parts`] has passed the signature check.
//!
//! Read once because it is on every request's path: before, the header
//! and payload were decoded up to six times a request (cookie choice, the
//! rules' glimpse, the kind, then jsonwebtoken's own two passes), a third
//! of `authenticate_request`'s time (BENCHMARKS.md, "Server"). Now the
//! parts are decoded once and the payload parsed once for a session token.

use std::borrow::Cow;
use std::sync::OnceLock;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use super::{Rejection, SessionClaims};

/// base64url with or without padding, and lenient trailing bits, as
/// `@clerk/backend` decodes a JWT's parts (`base64url.parse(…, { loose: true })`).
pub(super) const LOOSE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Clerk's session-token category (header `cat`); none means a session token too.
const SESSION_CATEGORY: &str = "cl_B7d4PD111AAA";
/// A category Clerk's SDKs treat as a session token's.
const IGNORED_CATEGORY: &str = "cl_I7d4PD111III";
/// The subjects of machine (M2M) tokens.
const MACHINE_SUBJECT: &str = "mch_";

/// A token's header as it reads, borrowed from its decoded bytes (a
/// header that is JSON but not an object reads as empty, as JavaScript
/// reads its fields).
#[derive(Deserialize, Default)]
struct RawHeader<'h> {
    #[serde(default, borrow)]
    alg: Option<Cow<'h, str>>,
    #[serde(default, borrow)]
    typ: Option<Cow<'h, str>>,
    #[serde(default, borrow)]
    kid: Option<Cow<'h, str>>,
    #[serde(default, borrow)]
    cat: Option<Cow<'h, str>>,
}

/// What the checks read of a header: the `kid`, and the rest as answers.
#[derive(Default)]
struct Header {
    kid: Option<String>,
    /// `typ` is there and is not `JWT`.
    typ_not_jwt: bool,
    /// `typ` names an OAuth access token.
    oauth: bool,
    /// `alg` is `RS256`.
    rs256: bool,
    /// `cat` names another kind's category than a session token's.
    other_category: bool,
}

impl Header {
    fn read(bytes: &[u8]) -> Option<Self> {
        let object = bytes.trim_ascii_start().starts_with(b"{");
        let raw = match object.then(|| serde_json::from_slice::<RawHeader<'_>>(bytes)) {
            Some(Ok(raw)) => raw,
            _ => {
                serde_json::from_slice::<IgnoredAny>(bytes).ok()?;
                RawHeader::default()
            }
        };
        let typ = raw.typ.as_deref();
        Some(Self {
            kid: raw.kid.map(Cow::into_owned),
            typ_not_jwt: typ.is_some_and(|t| t != "JWT"),
            oauth: matches!(typ, Some("at+jwt" | "application/at+jwt")),
            rs256: raw.alg.as_deref() == Some("RS256"),
            other_category: raw
                .cat
                .as_deref()
                .is_some_and(|cat| cat != SESSION_CATEGORY && cat != IGNORED_CATEGORY),
        })
    }
}

/// The payload's claims the checks read before the signature, in the
/// types they come in.
#[derive(Deserialize, Default)]
struct Glimpse {
    #[serde(default)]
    sub: Option<Value>,
    #[serde(default)]
    iss: Option<Value>,
    #[serde(default)]
    iat: Option<Value>,
    #[serde(default)]
    exp: Option<Value>,
    /// The payload is a JSON object (not an array, a string, …).
    #[serde(skip)]
    object: bool,
}

/// A JWT, decoded once. Its payload is read into [`SessionClaims`] when
/// first asked (one pass, which also answers `iss`, `iat`, `exp` and `sub`
/// for the checks before the signature); claims that do not read as a
/// session token's are read again loosely ([`Glimpse`]), as JavaScript
/// reads any JSON.
pub(crate) struct Jwt<'a> {
    token: Cow<'a, str>,
    /// Where the signature starts (after the second `.`).
    signature_at: usize,
    /// The signature's bytes.
    signature: Vec<u8>,
    header: Header,
    payload: Vec<u8>,
    claims: OnceLock<Option<SessionClaims>>,
    glimpse: OnceLock<Glimpse>,
}

/// `T` from JSON `bytes`; `T::default()` for JSON of another shape
/// (JavaScript reads a missing field); `None` when it is not JSON.
/// (serde would read a struct from an array too: only an object counts.)
fn read_json<T: for<'de> Deserialize<'de> + Default>(bytes: &[u8]) -> Option<(T, bool)> {
    let object = bytes.trim_ascii_start().starts_with(b"{");
    match object.then(|| serde_json::from_slice::<T>(bytes)) {
        Some(Ok(value)) => Some((value, true)),
        _ => serde_json::from_slice::<IgnoredAny>(bytes)
            .ok()
            .map(|_| (T::default(), false)),
    }
}

impl<'a> Jwt<'a> {
    /// The token's parts decoded, or `None` when they are not base64url or
    /// the header is not JSON; whether the payload is JSON is
    /// [`payload_is_json`](Self::payload_is_json).
    pub(crate) fn parse(token: impl Into<Cow<'a, str>>) -> Option<Self> {
        let token = token.into();
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let header = Header::read(&LOOSE.decode(header).ok()?)?;
        let payload = LOOSE.decode(payload).ok()?;
        let signature_at = token.len() - signature.len();
        let signature = LOOSE.decode(signature).ok()?;
        Some(Self {
            signature_at,
            signature,
            token,
            header,
            payload,
            claims: OnceLock::new(),
            glimpse: OnceLock::new(),
        })
    }

    /// The claims, if they read as a session token's (unverified until
    /// the signature is checked).
    pub(super) fn claims(&self) -> Option<&SessionClaims> {
        // An object only: serde would read a struct from an array too.
        let object = self.payload.trim_ascii_start().starts_with(b"{");
        self.claims
            .get_or_init(|| object.then(|| serde_json::from_slice(&self.payload).ok())?)
            .as_ref()
    }

    /// The claims, taken.
    pub(super) fn into_claims(self) -> Option<SessionClaims> {
        let _ = self.claims();
        self.claims.into_inner().flatten()
    }

    /// Whether the payload is JSON, as `decodeJwt` requires (a session
    /// token's claims read, so only another token needs the scan).
    pub(crate) fn payload_is_json(&self) -> bool {
        self.claims().is_some() || serde_json::from_slice::<IgnoredAny>(&self.payload).is_ok()
    }

    /// The claims read loosely, field by field.
    fn glimpse(&self) -> &Glimpse {
        self.glimpse.get_or_init(|| {
            read_json::<Glimpse>(&self.payload).map_or_else(
                Glimpse::default,
                |(mut glimpse, object)| {
                    glimpse.object = object;
                    glimpse
                },
            )
        })
    }

    /// The token as it came.
    pub(crate) fn as_str(&self) -> &str {
        &self.token
    }

    /// `header.payload`, the signed message, and the signature's bytes.
    pub(super) fn signed_parts(&self) -> (&str, &[u8]) {
        (&self.token[..self.signature_at - 1], &self.signature)
    }

    /// The payload's JSON, as decoded.
    pub(super) fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The key the header names.
    pub(super) fn kid(&self) -> Option<&str> {
        self.header.kid.as_deref()
    }

    /// `iss`, when a non-empty string.
    pub(crate) fn iss(&self) -> Option<&str> {
        let iss = match self.claims() {
            Some(claims) => claims.iss.as_str(),
            None => self.glimpse().iss.as_ref()?.as_str()?,
        };
        (!iss.is_empty()).then_some(iss)
    }

    /// `iat`, when a number.
    pub(crate) fn iat(&self) -> Option<i64> {
        // The claims read a missing `iat` as 0: only the loose read tells.
        match self.claims() {
            Some(claims) if claims.iat != 0 => Some(claims.iat),
            _ => number(&self.glimpse().iat),
        }
    }

    /// `exp`, when a number.
    pub(crate) fn exp(&self) -> Option<i64> {
        match self.claims() {
            Some(claims) => Some(claims.exp),
            None => number(&self.glimpse().exp),
        }
    }

    /// Whether the claims would fail `verifyJwt`'s type checks (`sub` not a
    /// string, `exp` not a number): `token-verification-failed` rather
    /// than `token-invalid` when they do not read.
    pub(super) fn claims_mistyped(&self) -> bool {
        let glimpse = self.glimpse();
        glimpse.object
            && (!glimpse.sub.as_ref().is_some_and(Value::is_string)
                || !glimpse.exp.as_ref().is_some_and(Value::is_number))
    }

    /// Whether the header's `cat` is another kind's than a session token's.
    fn other_category(&self) -> bool {
        self.header.other_category
    }

    /// Whether it is another kind of token than a session token, as
    /// `authenticateRequest` tells them apart before verifying: a JWT
    /// template's or a machine's `cat`, an OAuth `typ`, a machine's `sub`.
    pub(crate) fn is_other_kind(&self) -> bool {
        let oauth = self.header.oauth;
        let sub = match self.claims() {
            Some(claims) => Some(claims.sub.as_str()),
            None => self.glimpse().sub.as_ref().and_then(Value::as_str),
        };
        let machine = sub.is_some_and(|sub| sub.starts_with(MACHINE_SUBJECT));
        oauth || self.other_category() || machine
    }

    /// A session token's kind, checked before any key is chosen: another
    /// kind is [`Rejection::TokenTypeMismatch`], whatever its signature.
    pub(super) fn check_kind(&self) -> Result<(), Rejection> {
        if self.is_other_kind() {
            return Err(Rejection::TokenTypeMismatch);
        }
        Ok(())
    }

    /// A handshake token's category, as `verifyHandshakeJwt` checks it:
    /// another kind's is [`Rejection::Malformed`].
    pub(super) fn check_handshake_kind(&self) -> Result<(), Rejection> {
        if self.other_category() {
            return Err(Rejection::Malformed);
        }
        Ok(())
    }

    /// `verifyJwt`'s header checks once the key is found, in its order:
    /// `typ`, if present, must be `JWT` (else `token-invalid`); `alg` must
    /// be `RS256` (so `none` and `HS256` never get to the signature).
    pub(super) fn check_header(&self) -> Result<(), Rejection> {
        if self.header.typ_not_jwt {
            return Err(Rejection::Malformed);
        }
        if !self.header.rs256 {
            return Err(Rejection::InvalidAlgorithm);
        }
        Ok(())
    }
}

fn number(value: &Option<Value>) -> Option<i64> {
    value.as_ref().and_then(Value::as_f64).map(|n| n as i64)
}

/// Now, in whole Unix seconds.
pub(crate) fn now_secs() -> i64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(header: &str, payload: &str) -> String {
        let part = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        format!("{}.{}.c2ln", part(header), part(payload))
    }

    #[test]
    fn a_jwt_is_read_as_decode_jwt_reads_it() {
        assert!(Jwt::parse("a.b").is_none());
        assert!(Jwt::parse("a.b.c.d").is_none());
        assert!(
            Jwt::parse(token("{", "{}")).is_none(),
            "a header that is not JSON"
        );
        assert!(!Jwt::parse(token("{}", "nope")).unwrap().payload_is_json());
        // JSON of another shape reads as empty, as JavaScript reads it.
        let odd = Jwt::parse(token("\"x\"", "[1]")).unwrap();
        assert_eq!((odd.kid(), odd.iss(), odd.iat()), (None, None, None));
        assert!(!odd.claims_mistyped(), "not an object: token-invalid");
        let jwt = Jwt::parse(token(
            r#"{"alg":"RS256","kid":"k"}"#,
            r#"{"iss":"https://x","iat":5.5,"exp":"9","sub":1}"#,
        ))
        .unwrap();
        assert_eq!(jwt.kid(), Some("k"));
        assert_eq!(
            (jwt.iss(), jwt.iat(), jwt.exp()),
            (Some("https://x"), Some(5), None)
        );
        assert!(jwt.claims_mistyped());
        let (message, signature) = jwt.signed_parts();
        assert_eq!(signature, b"sig");
        assert_eq!(message.matches('.').count(), 1);
    }

    #[test]
    fn kinds_are_told_apart_as_clerk_tells_them() {
        let kind = |header: &str, payload: &str| Jwt::parse(token(header, payload)).unwrap();
        assert!(!kind("{}", r#"{"sub":"user_1"}"#).is_other_kind());
        assert!(!kind(r#"{"cat":"cl_B7d4PD111AAA"}"#, "{}").is_other_kind());
        assert!(!kind(r#"{"cat":"cl_I7d4PD111III"}"#, "{}").is_other_kind());
        assert!(kind(r#"{"cat":"cl_B7d4PD222AAA"}"#, "{}").is_other_kind());
        assert!(kind(r#"{"typ":"at+jwt"}"#, "{}").is_other_kind());
        assert!(kind("{}", r#"{"sub":"mch_1"}"#).is_other_kind());
    }
}
