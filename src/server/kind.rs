//! The kind of a JWT, told apart as `authenticateRequest` does before it
//! verifies anything: a session token, or a JWT template's, a machine's or
//! an OAuth access token; and the header checks `verifyJwt` makes once the
//! key is found.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use super::Rejection;

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

/// A token's header, as far as the checks read it.
#[derive(serde::Deserialize)]
struct Header {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    cat: Option<String>,
}

/// Only `sub`: the payload is read whole after the signature check.
#[derive(serde::Deserialize)]
struct Subject {
    #[serde(default)]
    sub: Option<serde_json::Value>,
}

/// The header and `sub` of a JWT, unverified; `None` when it is not one.
fn read_unverified(token: &str) -> Option<(Header, Subject)> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header = serde_json::from_slice(&LOOSE.decode(header).ok()?).ok()?;
    let subject = serde_json::from_slice(&LOOSE.decode(payload).ok()?).ok()?;
    Some((header, subject))
}

/// Whether a token is of another kind than a session token, as
/// `authenticateRequest` tells them apart before verifying: a JWT
/// template's or a machine's `cat`, an OAuth `typ`, a machine's `sub`.
fn other_kind(header: &Header, subject: &Subject) -> bool {
    let oauth = matches!(header.typ.as_deref(), Some("at+jwt" | "application/at+jwt"));
    let other_category = header
        .cat
        .as_deref()
        .is_some_and(|cat| cat != SESSION_CATEGORY && cat != IGNORED_CATEGORY);
    let machine = subject
        .sub
        .as_ref()
        .and_then(|sub| sub.as_str())
        .is_some_and(|sub| sub.starts_with(MACHINE_SUBJECT));
    oauth || other_category || machine
}

/// [`other_kind`] for a token that may not even be a JWT (then `false`).
pub(crate) fn is_other_kind(token: &str) -> bool {
    read_unverified(token).is_some_and(|(header, subject)| other_kind(&header, &subject))
}

/// A session token's header, once its kind is known: the `kid` that picks
/// the key, and the checks that follow the key.
pub(super) struct SessionHeader(Header);

impl SessionHeader {
    /// The key the token names.
    pub(super) fn kid(&self) -> Option<&str> {
        self.0.kid.as_deref()
    }

    /// `verifyJwt`'s header checks, in its order: `typ`, if present, must
    /// be `JWT` (else `token-invalid`); `alg` must be `RS256` (so `none`
    /// and `HS256` never get to the signature).
    pub(super) fn check(&self) -> Result<(), Rejection> {
        if self.0.typ.as_deref().is_some_and(|t| t != "JWT") {
            return Err(Rejection::Malformed);
        }
        if self.0.alg.as_deref() != Some("RS256") {
            return Err(Rejection::InvalidAlgorithm);
        }
        Ok(())
    }
}

/// The token's kind, read before any key is chosen, as `authenticateRequest`
/// reads it: not a JWT is [`Rejection::Malformed`]; a token of another kind
/// [`Rejection::TokenTypeMismatch`], whatever its signature.
pub(super) fn check_kind(token: &str) -> Result<SessionHeader, Rejection> {
    let (header, subject) = read_unverified(token).ok_or(Rejection::Malformed)?;
    if other_kind(&header, &subject) {
        return Err(Rejection::TokenTypeMismatch);
    }
    Ok(SessionHeader(header))
}

/// A handshake token's header, read as `verifyHandshakeJwt` reads it:
/// not a JWT is [`Rejection::Malformed`], and so is one whose `cat` is not
/// a session token's. Then [`SessionHeader::check`] and the signature.
pub(super) fn check_handshake(token: &str) -> Result<SessionHeader, Rejection> {
    let (header, _) = read_unverified(token).ok_or(Rejection::Malformed)?;
    let other_category = header
        .cat
        .as_deref()
        .is_some_and(|cat| cat != SESSION_CATEGORY && cat != IGNORED_CATEGORY);
    if other_category {
        return Err(Rejection::Malformed);
    }
    Ok(SessionHeader(header))
}
