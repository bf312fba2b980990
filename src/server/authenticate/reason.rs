//! Why a request is signed out or needs a handshake: `@clerk/backend`'s
//! `AuthErrorReason`, with the token's own reasons inside.

use std::fmt;

use crate::server::Rejection;

/// Why [`authenticate_request`](crate::server::Verifier::authenticate_request)
/// answered signed-out or handshake. [`as_str`](Self::as_str) is the reason
/// `@clerk/backend` gives for the same request (`x-clerk-auth-reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthReason {
    /// No `__client_uat` and no `__session`: never signed in here.
    SessionTokenAndUatMissing,
    /// A session cookie but no `__client_uat` (or `0`).
    SessionTokenWithoutClientUat,
    /// A `__client_uat` but no session cookie.
    ClientUatWithoutSessionToken,
    /// The session token is older than the client's last change.
    SessionTokenIatBeforeClientUat,
    /// The session token has expired; `refresh` says why it was not
    /// refreshed on the spot (`non-eligible-non-get`, …).
    SessionTokenExpired {
        /// Clerk's `RefreshTokenErrorReason`.
        refresh: &'static str,
    },
    /// The session token's `nbf` is in the future.
    SessionTokenNbf,
    /// The session token's `iat` is in the future.
    SessionTokenIatInTheFuture,
    /// A development instance's page with no dev-browser token.
    DevBrowserMissing,
    /// A development instance's page with `?__clerk_db_jwt=` to take in.
    DevBrowserSync,
    /// A page loaded from another site: one handshake to sync the session.
    PrimaryDomainCrossOriginSync,
    /// A handshake's answer brought no session token (or, for a nonce,
    /// could not be fetched: that takes Clerk's Backend API).
    SessionTokenMissing,
    /// A development primary domain sends a satellite back, synced.
    PrimaryRespondsToSyncing,
    /// Not a session token (a JWT template's, an OAuth or machine token).
    TokenTypeMismatch,
    /// The session token was refused for this reason.
    Token(Rejection),
}

impl AuthReason {
    /// Clerk's name for it (`session-token-and-uat-missing`, `token-expired`, …).
    pub fn as_str(&self) -> std::borrow::Cow<'static, str> {
        use std::borrow::Cow::{Borrowed, Owned};
        match self {
            Self::SessionTokenAndUatMissing => Borrowed("session-token-and-uat-missing"),
            Self::SessionTokenWithoutClientUat => Borrowed("session-token-but-no-client-uat"),
            Self::ClientUatWithoutSessionToken => Borrowed("client-uat-but-no-session-token"),
            Self::SessionTokenIatBeforeClientUat => Borrowed("session-token-iat-before-client-uat"),
            Self::SessionTokenExpired { refresh } => {
                Owned(format!("session-token-expired-refresh-{refresh}"))
            }
            Self::SessionTokenNbf => Borrowed("session-token-nbf"),
            Self::SessionTokenIatInTheFuture => Borrowed("session-token-iat-in-the-future"),
            Self::DevBrowserMissing => Borrowed("dev-browser-missing"),
            Self::DevBrowserSync => Borrowed("dev-browser-sync"),
            Self::PrimaryDomainCrossOriginSync => Borrowed("primary-domain-cross-origin-sync"),
            Self::SessionTokenMissing => Borrowed("session-token-missing"),
            Self::PrimaryRespondsToSyncing => Borrowed("primary-responds-to-syncing"),
            Self::TokenTypeMismatch => Borrowed("token-type-mismatch"),
            Self::Token(rejection) => Borrowed(rejection.reason()),
        }
    }
}

impl fmt::Display for AuthReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}
