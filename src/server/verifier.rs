//! [`Verifier`]: checks a Clerk session token as Clerk's backend SDKs do,
//! with the checks they leave out (`iss`, a refresh cooldown).

use std::sync::Arc;
use std::time::Duration;

use super::authenticate::Instance;
use super::backend_api::BackendApi;
use super::jwt::Jwt;
use super::keys::Keys;
#[cfg(doc)]
use super::VerifierBuilder;
use super::{Auth, Rejection, SessionClaims};

/// Longer tokens are refused before any parsing: a session token is about a
/// kilobyte, and a cookie holds at most 4 KB.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Verifies Clerk session tokens. Cheap to clone (shared), `Send + Sync`.
///
/// - RS256 only: `none`, every `HS*` and any other `alg` are refused before a
///   key is looked at.
/// - The signature, then `exp` and `nbf` (and `iat` not in the future), with
///   a clock-skew leeway (5 s by default).
/// - `iss` must be the instance's Frontend API URL.
/// - `aud`, when the token has one and you set
///   [`audience`](VerifierBuilder::audience)s, must name one of them; it is
///   not checked otherwise (as in Clerk's SDKs).
/// - Only session tokens pass: a JWT-template token (header `cat`), an
///   OAuth access token (`typ: at+jwt`), a machine token (`sub: mch_…`) or
///   a token with no session (`sid`) is [`Rejection::TokenTypeMismatch`].
/// - `azp` must be one of the authorized parties you set (your web app's
///   origins), as in Clerk's SDKs; with none set it is not checked. A token
///   with no `azp` (a native app's) is refused too when parties are set,
///   unless you [allow it](VerifierBuilder::allow_tokens_without_azp).
/// - `sts: pending` counts as signed out unless
///   [`treat_pending_as_signed_out(false)`](VerifierBuilder::treat_pending_as_signed_out),
///   as on the client (`ClerkBuilder::treat_pending_as_signed_out`) and in
///   Clerk's SDKs.
///
/// ```no_run
/// # async fn handler(headers: http::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_dioxus::server::Verifier;
/// let verifier = Verifier::builder("https://clerk.example.com")?
///     .authorized_party("https://example.com")
///     .build()?;
/// let auth = verifier.authenticate(&headers).await?;
/// println!("{} ({:?})", auth.user_id, auth.session_id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Verifier {
    pub(super) inner: Arc<Inner>,
}

/// What a built verifier holds (see [`VerifierBuilder`]).
pub(super) struct Inner {
    pub(super) issuer: String,
    pub(super) instance: Instance,
    pub(super) authorized_parties: Vec<String>,
    pub(super) audiences: Vec<String>,
    pub(super) leeway: Duration,
    pub(super) accept_pending: bool,
    pub(super) allow_missing_azp: bool,
    pub(super) keys: Keys,
    pub(super) backend_api: Option<BackendApi>,
}

impl Verifier {
    /// The instance's Frontend API URL, which tokens must name as `iss`.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The instance, as the request rules need it.
    pub(crate) fn instance(&self) -> &Instance {
        &self.inner.instance
    }

    /// How many times the JWKS was fetched (0 with a PEM key): for monitoring.
    pub fn jwks_fetches(&self) -> usize {
        match &self.inner.keys {
            Keys::Jwks(cache) => cache.fetches(),
            Keys::Pem(_) => 0,
        }
    }

    /// Verifies the session token of a request (`Authorization: Bearer …`,
    /// else the `__session` cookie).
    pub async fn authenticate(&self, headers: &http::HeaderMap) -> Result<Auth, Rejection> {
        let token = super::request::session_token(headers).ok_or(Rejection::Missing)?;
        self.verify(token).await
    }

    /// Verifies a session token.
    pub async fn verify(&self, token: &str) -> Result<Auth, Rejection> {
        let claims = self.verify_claims(token).await?;
        if claims.sts.as_deref() == Some("pending") && !self.inner.accept_pending {
            return Err(Rejection::PendingSession);
        }
        Ok(Auth::from(claims))
    }

    /// Whether pending sessions count as signed in.
    pub(crate) fn accepts_pending(&self) -> bool {
        self.inner.accept_pending
    }

    /// A session token's claims once every check but the pending one
    /// holds, in the order of Clerk's `verifyToken`: the kind and header,
    /// the signature, then `aud`, `azp`, `iss`, `exp`, `nbf`, `iat` (with
    /// the leeway, to the millisecond), and a session.
    pub(crate) async fn verify_claims(&self, token: &str) -> Result<SessionClaims, Rejection> {
        self.verify_claims_with_leeway(token, self.inner.leeway)
            .await
    }

    /// [`verify_claims`](Self::verify_claims) with another clock skew
    /// allowed: the handshake retries a development token with a day's.
    pub(crate) async fn verify_claims_with_leeway(
        &self,
        token: &str,
        leeway: Duration,
    ) -> Result<SessionClaims, Rejection> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(Rejection::Malformed);
        }
        let jwt = Jwt::parse(token).ok_or(Rejection::Malformed)?;
        self.check(&jwt, leeway).await?;
        jwt.into_claims().ok_or(Rejection::Malformed)
    }

    /// [`verify_claims`](Self::verify_claims) of a token decoded already.
    pub(crate) async fn verify_jwt(&self, jwt: &Jwt<'_>) -> Result<SessionClaims, Rejection> {
        self.check(jwt, self.inner.leeway).await?;
        jwt.claims().cloned().ok_or(Rejection::Malformed)
    }

    /// Every check of [`verify_claims`](Self::verify_claims): once it
    /// passes, the token's claims read.
    async fn check(&self, jwt: &Jwt<'_>, leeway: Duration) -> Result<(), Rejection> {
        let inner = &self.inner;
        if jwt.as_str().len() > MAX_TOKEN_BYTES || !jwt.payload_is_json() {
            return Err(Rejection::Malformed);
        }
        jwt.check_kind()?;
        let key = inner.keys.key(jwt.kid()).await?;
        jwt.check_header()?;
        key.verify(jwt)?;
        let claims = jwt.claims().ok_or_else(|| {
            if jwt.claims_mistyped() {
                Rejection::VerificationFailed
            } else {
                Rejection::Malformed
            }
        })?;
        if let (Some(aud), false) = (&claims.aud, inner.audiences.is_empty()) {
            let mut named = aud.iter().peekable();
            if named.peek().is_some() && !named.any(|a| inner.audiences.iter().any(|w| w == a)) {
                return Err(Rejection::WrongAudience);
            }
        }
        if !inner.authorized_parties.is_empty() {
            match &claims.azp {
                Some(azp) if inner.authorized_parties.iter().any(|p| p == azp) => {}
                None if inner.allow_missing_azp => {}
                _ => return Err(Rejection::WrongAuthorizedParty),
            }
        }
        if claims.iss != inner.issuer {
            return Err(Rejection::WrongIssuer);
        }
        // Clerk compares in milliseconds: `exp·1000 ≤ now − leeway` has expired.
        let now_ms = web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default();
        let leeway_ms = leeway.as_millis() as i64;
        let after_now = |at: i64| at.saturating_mul(1000) > now_ms + leeway_ms;
        if claims.exp.saturating_mul(1000) <= now_ms - leeway_ms {
            return Err(Rejection::Expired);
        }
        if claims.nbf.is_some_and(after_now) {
            return Err(Rejection::NotYetValid);
        }
        if after_now(claims.iat) {
            return Err(Rejection::IssuedInFuture);
        }
        if claims.sid.as_deref().is_none_or(str::is_empty) {
            return Err(Rejection::TokenTypeMismatch);
        }
        Ok(())
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.inner.issuer)
            .field("authorized_parties", &self.inner.authorized_parties)
            .field("leeway", &self.inner.leeway)
            .field("backend_api", &self.inner.backend_api)
            .finish_non_exhaustive()
    }
}
