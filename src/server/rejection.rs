//! Why a request is not signed in: typed, with Clerk's reason names.

use std::fmt;

/// Why a session token was refused. [`reason`](Self::reason) gives the name
/// Clerk's backend SDKs use (`token-expired`, `token-invalid-signature`, ...),
/// and the axum extractors answer `401` with it (`403` for a cross-site
/// request, `503` when the keys could not be loaded). No variant holds the
/// token or any part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// No token: no `Authorization: Bearer …` header and no `__session` cookie.
    #[error("no session token in the request")]
    Missing,
    /// Not a JWT, over the size limit, a `typ` other than `JWT`, or claims
    /// that do not parse.
    #[error("the session token is malformed")]
    Malformed,
    /// Not RS256 (`none`, any `HS*`, ...).
    #[error("the session token is not signed with RS256")]
    InvalidAlgorithm,
    /// Its `kid` is not among the instance's keys, even after a JWKS refresh.
    #[error("the session token's key is not one of the instance's")]
    UnknownKey,
    /// The signature does not match the payload.
    #[error("the session token's signature is invalid")]
    InvalidSignature,
    /// `exp` has passed (beyond the clock-skew leeway).
    #[error("the session token has expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("the session token is not valid yet")]
    NotYetValid,
    /// `iat` is in the future (beyond the leeway).
    #[error("the session token was issued in the future")]
    IssuedInFuture,
    /// A `sub` that is not a string, or an `exp` that is not a number.
    #[error("the session token's claims could not be verified")]
    VerificationFailed,
    /// `aud` names none of the audiences the verifier accepts.
    #[error("the session token is for another audience")]
    WrongAudience,
    /// Not a session token: a JWT template's, an OAuth access token, a
    /// machine's, or one with no session (`sid`).
    #[error("the token is not a session token")]
    TokenTypeMismatch,
    /// `iss` is not the instance's Frontend API.
    #[error("the session token was issued by another instance")]
    WrongIssuer,
    /// `azp` is not one of the app's authorized parties.
    #[error("the session token was issued for another origin")]
    WrongAuthorizedParty,
    /// `sts: pending`: the session has a task left (choosing an organization,
    /// say) and counts as signed out unless the verifier accepts pending sessions.
    #[error("the session has a pending task")]
    PendingSession,
    /// A request authenticated by its cookie that changes something (`POST`,
    /// `DELETE`, …) came from another site: its `Origin` is neither the
    /// app's own nor an authorized party (cross-site request forgery). `403`.
    #[error("a cookie-authenticated request came from another site")]
    CrossSiteRequest,
    /// The instance's JWKS could not be fetched or read (a server problem, not the token's).
    #[error("the instance's keys could not be loaded")]
    KeysUnavailable,
}

impl Rejection {
    /// Clerk's name for the reason (its backend SDK's `TokenVerificationErrorReason`
    /// and `AuthErrorReason`: `session-token-missing`, `token-type-mismatch`;
    /// `session-pending`, and `cross-site-request`, which Clerk has no name for).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Missing => "session-token-missing",
            Self::Malformed => "token-invalid",
            Self::InvalidAlgorithm => "token-invalid-algorithm",
            Self::UnknownKey => "jwk-kid-mismatch",
            Self::InvalidSignature => "token-invalid-signature",
            Self::Expired => "token-expired",
            Self::NotYetValid => "token-not-active-yet",
            Self::IssuedInFuture => "token-iat-in-the-future",
            Self::WrongAudience | Self::VerificationFailed => "token-verification-failed",
            Self::TokenTypeMismatch => "token-type-mismatch",
            Self::WrongIssuer => "token-invalid-issuer",
            Self::WrongAuthorizedParty => "token-invalid-authorized-parties",
            Self::PendingSession => "session-pending",
            Self::KeysUnavailable => "jwk-remote-failed-to-load",
            Self::CrossSiteRequest => "cross-site-request",
        }
    }

    /// The HTTP status to answer with: `401`; `403` for a cross-site
    /// request; `503` when the keys could not be loaded.
    pub fn status(&self) -> u16 {
        match self {
            Self::KeysUnavailable => 503,
            Self::CrossSiteRequest => 403,
            _ => 401,
        }
    }
}

/// Written as the reason alone, for logs.
pub(crate) struct Reason<'a>(pub(crate) &'a Rejection);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.reason())
    }
}
