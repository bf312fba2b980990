//! Verifying Clerk session tokens on your server (feature `server`, native
//! targets), so that a sign-out ends access to your API too.
//!
//! - [`Verifier`]: RS256 session tokens checked against the instance's JWKS
//!   (fetched, cached 5 minutes, refreshed at most once per interval on an
//!   unknown `kid`, a failed fetch a `503` retried with backoff) or a PEM key
//!   (`CLERK_JWT_KEY`, no network): signature, `exp`, `nbf` and `iat` with a
//!   leeway, `iss`, `azp`, `aud` when asked, `sts`, and only session tokens
//!   (not a JWT template's, an OAuth or a machine token). Refusals are typed
//!   ([`Rejection`], with Clerk's reason names).
//! - axum: [`ClerkLayer`] verifies each request once (`Authorization: Bearer`
//!   from native apps, else the `__session` cookie from web apps on the same
//!   site; a cookie-authenticated `POST` from another site is refused as
//!   cross-site request forgery); handlers take [`RequireAuth`] (`401` with the reason otherwise) or
//!   [`OptionalAuth`]. [`Auth`] holds what Clerk's `auth()` does (the user,
//!   the session and its status, the organization with its role, slug and
//!   permissions, the factors' ages, the impersonator) and answers Clerk's
//!   `has()` ([`Auth::has`]).
//!
//! - [`Verifier::authenticate_request`]: Clerk's request rules for a whole
//!   request (signed-in, signed-out or handshake, with Clerk's reason), as
//!   `@clerk/backend`'s `authenticateRequest` decides them.
//!
//! The revocation window: a token stays valid until its `exp`, about 60 s
//! after it was issued, so a request made with it in that window passes even
//! after the user signed out (the signed-out client has dropped it, but a copy
//! may live elsewhere). To shorten it, shorten the instance's token lifetime
//! (Clerk's dashboard, "Customize session token"); for routes that must not
//! wait, check the session against Clerk's Backend API
//! (`GET /v1/sessions/{sid}`) as well.

mod authenticate;
mod backend_api;
mod builder;
mod claims;
mod csrf;
mod forwarded;
mod jwt;
mod keys;
mod layer;
mod rejection;
mod rendering;
mod request;
mod signature;
#[cfg(test)]
mod test_support;
mod verifier;

pub use authenticate::{AuthReason, AuthStatus, RequestState};
pub use backend_api::DEFAULT_BACKEND_API_URL;
pub use builder::{VerifierBuilder, DEFAULT_JWKS_MIN_REFRESH, DEFAULT_JWKS_TTL, DEFAULT_LEEWAY};
pub use claims::{Actor, Audience, Auth, OrganizationClaims, SessionClaims};
pub use layer::{ClerkLayer, ClerkService, OptionalAuth, RequireAuth};
pub use rejection::Rejection;
pub use request::session_token;
pub use verifier::Verifier;
