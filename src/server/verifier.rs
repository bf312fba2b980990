//! [`Verifier`]: checks a Clerk session token as Clerk's backend SDKs do,
//! with the checks they leave out (`iss`, a refresh cooldown).

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::keys::{JwksCache, Keys};
use super::{Auth, Rejection, SessionClaims};
use crate::backend::fapi::FapiBackend;
use crate::ClerkError;

/// Longer tokens are refused before any parsing: a session token is about a
/// kilobyte, and a cookie holds at most 4 KB.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The clock skew allowed on `exp`, `nbf` and `iat` unless set: Clerk's 5 s.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);

/// The least time between two JWKS fetches for an unknown `kid` unless set.
pub const DEFAULT_JWKS_MIN_REFRESH: Duration = Duration::from_secs(60);

/// How long a fetched JWKS is trusted before it is fetched again unless
/// set: Clerk's SDKs' 5 minutes.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);

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
/// - `azp`, when the token has one, must be one of the authorized parties you
///   set (your app's origins); with none set it is not checked.
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
    inner: Arc<Inner>,
}

struct Inner {
    issuer: String,
    authorized_parties: Vec<String>,
    audiences: Vec<String>,
    leeway: Duration,
    accept_pending: bool,
    validation: Validation,
    keys: Keys,
}

/// Configures a [`Verifier`].
pub struct VerifierBuilder {
    issuer: String,
    authorized_parties: Vec<String>,
    audiences: Vec<String>,
    leeway: Duration,
    accept_pending: bool,
    pem: Option<String>,
    jwks_url: String,
    jwks_min_refresh: Duration,
    jwks_ttl: Duration,
    http: Option<reqwest::Client>,
}

impl Verifier {
    /// A verifier for the instance whose Frontend API is `frontend_api_url`
    /// (`https://clerk.example.com`, or the emulator's loopback URL): the
    /// tokens' `iss`, and where the JWKS is (`/.well-known/jwks.json`).
    pub fn builder(frontend_api_url: &str) -> Result<VerifierBuilder, ClerkError> {
        let builder = FapiBackend::from_frontend_api_url(frontend_api_url)?;
        let issuer = builder.frontend_api_url().trim_end_matches('/').to_owned();
        Ok(VerifierBuilder {
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            issuer,
            authorized_parties: Vec::new(),
            audiences: Vec::new(),
            leeway: DEFAULT_LEEWAY,
            accept_pending: false,
            pem: None,
            jwks_min_refresh: DEFAULT_JWKS_MIN_REFRESH,
            jwks_ttl: DEFAULT_JWKS_TTL,
            http: None,
        })
    }

    /// A verifier for the instance a publishable key names.
    pub fn from_publishable_key(key: &str) -> Result<VerifierBuilder, ClerkError> {
        let backend = FapiBackend::from_publishable_key(key)?;
        Self::builder(backend.frontend_api_url())
    }

    /// From the environment, as Clerk's backend SDKs read it: the instance from
    /// `CLERK_FRONTEND_API` (a URL) or `CLERK_PUBLISHABLE_KEY`; `CLERK_JWT_KEY`
    /// (PEM) to verify with no network; `CLERK_AUTHORIZED_PARTIES`
    /// (comma-separated origins).
    pub fn from_env() -> Result<Self, ClerkError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut builder = match (var("CLERK_FRONTEND_API"), var("CLERK_PUBLISHABLE_KEY")) {
            (Some(url), _) => Self::builder(&url)?,
            (None, Some(key)) => Self::from_publishable_key(&key)?,
            (None, None) => {
                return Err(ClerkError::InvalidPublishableKey(crate::KeyError::Missing))
            }
        };
        if let Some(pem) = var("CLERK_JWT_KEY") {
            builder = builder.pem_key(pem);
        }
        if let Some(parties) = var("CLERK_AUTHORIZED_PARTIES") {
            builder = builder.authorized_parties(parties.split(',').map(str::trim));
        }
        builder.build()
    }

    /// The origins set as authorized parties.
    pub(crate) fn authorized_parties(&self) -> &[String] {
        &self.inner.authorized_parties
    }

    /// The instance's Frontend API URL, which tokens must name as `iss`.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
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
        let inner = &self.inner;
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(Rejection::Malformed);
        }
        let kid = check_kind(token)?;
        let key: DecodingKey = inner.keys.key(kid.as_deref()).await?;
        let claims = jsonwebtoken::decode::<SessionClaims>(token, &key, &inner.validation)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidSignature => Rejection::InvalidSignature,
                ErrorKind::ExpiredSignature => Rejection::Expired,
                ErrorKind::ImmatureSignature => Rejection::NotYetValid,
                ErrorKind::InvalidIssuer => Rejection::WrongIssuer,
                ErrorKind::InvalidAlgorithm => Rejection::InvalidAlgorithm,
                _ => Rejection::Malformed,
            })?
            .claims;
        let now = web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        if let (Some(aud), false) = (&claims.aud, inner.audiences.is_empty()) {
            if !aud
                .iter()
                .any(|a| inner.audiences.iter().any(|want| want == a))
            {
                return Err(Rejection::WrongAudience);
            }
        }
        if claims.iat > now + inner.leeway.as_secs() as i64 {
            return Err(Rejection::IssuedInFuture);
        }
        if claims.sid.as_deref().is_none_or(str::is_empty) {
            return Err(Rejection::TokenTypeMismatch);
        }
        if let Some(azp) = &claims.azp {
            if !inner.authorized_parties.is_empty()
                && !inner.authorized_parties.iter().any(|p| p == azp)
            {
                return Err(Rejection::WrongAuthorizedParty);
            }
        }
        if claims.sts.as_deref() == Some("pending") && !inner.accept_pending {
            return Err(Rejection::PendingSession);
        }
        Ok(Auth::from(claims))
    }
}

/// Clerk's session-token category (header `cat`); none means a session token too.
const SESSION_CATEGORY: &str = "cl_B7d4PD111AAA";
/// A category Clerk's SDKs treat as a session token's.
const IGNORED_CATEGORY: &str = "cl_I7d4PD111III";
/// The subjects of machine (M2M) tokens.
const MACHINE_SUBJECT: &str = "mch_";

/// The header and the kind of token, read before any key is chosen, in the
/// order `authenticateRequest` reads them: a token of another kind (a
/// template's or machine's `cat`, an OAuth `typ`, a machine `sub`) is
/// [`Rejection::TokenTypeMismatch`] whatever its signature; then `alg`
/// must be `RS256` (so `none` and `HS256` never reach a key), and `typ`, if
/// present, `JWT`. Returns the `kid`.
fn check_kind(token: &str) -> Result<Option<String>, Rejection> {
    #[derive(serde::Deserialize)]
    struct Header {
        alg: String,
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
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejection::Malformed);
    };
    let json = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| Rejection::Malformed)
    };
    let header: Header =
        serde_json::from_slice(&json(header)?).map_err(|_| Rejection::Malformed)?;
    let subject: Subject =
        serde_json::from_slice(&json(payload)?).map_err(|_| Rejection::Malformed)?;
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
    if oauth || other_category || machine {
        return Err(Rejection::TokenTypeMismatch);
    }
    if header.alg != "RS256" {
        return Err(Rejection::InvalidAlgorithm);
    }
    if header.typ.as_deref().is_some_and(|t| t != "JWT") {
        return Err(Rejection::Malformed);
    }
    Ok(header.kid)
}

impl VerifierBuilder {
    /// An origin your web app runs on: a token with an `azp` must name one of
    /// them. With none set, `azp` is not checked (as in Clerk's SDKs); set
    /// them for web apps.
    pub fn authorized_party(mut self, origin: impl Into<String>) -> Self {
        self.authorized_parties
            .push(origin.into().trim_end_matches('/').to_owned());
        self
    }

    /// Several authorized parties at once.
    pub fn authorized_parties<S: Into<String>>(
        mut self,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        for origin in origins {
            self = self.authorized_party(origin);
        }
        self
    }

    /// An audience your server accepts: a token with an `aud` claim must
    /// name one of them. With none set, `aud` is not checked (as in Clerk's
    /// SDKs); a token without `aud` passes either way.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// The clock skew allowed on `exp`, `nbf` and `iat` (default 5 s; whole seconds).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Whether a session with a task left (`sts: pending`, such as one that
    /// must choose an organization) counts as signed out: `true` by
    /// default, as in Clerk's SDKs (`treatPendingAsSignedOut`) and on the
    /// client (`ClerkBuilder::treat_pending_as_signed_out`), so that both
    /// sides agree. A refused pending token is
    /// [`Rejection::PendingSession`](super::Rejection::PendingSession).
    pub fn treat_pending_as_signed_out(mut self, treat: bool) -> Self {
        self.accept_pending = !treat;
        self
    }

    /// Let sessions with a pending task (`sts: pending`) count as signed in.
    #[deprecated(
        note = "use `treat_pending_as_signed_out(false)`, the name Clerk's SDKs and the client use"
    )]
    pub fn accept_pending(self, accept: bool) -> Self {
        self.treat_pending_as_signed_out(!accept)
    }

    /// Verify with this RSA public key (PEM, the dashboard's "JWT public
    /// key", `CLERK_JWT_KEY`) and never fetch the JWKS.
    pub fn pem_key(mut self, pem: impl Into<String>) -> Self {
        self.pem = Some(pem.into());
        self
    }

    /// Fetch the JWKS from this URL instead of the Frontend API's
    /// `/.well-known/jwks.json`.
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        self.jwks_url = url.into();
        self
    }

    /// The least time between two JWKS fetches (default 60 s): a token with
    /// an unknown `kid` fetches the JWKS again only this long after the last
    /// fetch, so a flood of forged `kid`s cannot make the server fetch it on
    /// every request. A key rotated in within the interval is picked up after it.
    pub fn jwks_min_refresh(mut self, interval: Duration) -> Self {
        self.jwks_min_refresh = interval;
        self
    }

    /// How long a fetched JWKS is trusted (default 5 minutes, as Clerk's
    /// SDKs): then it is fetched again, so a key Clerk withdraws stops
    /// verifying. While that fetch fails, the keys it held keep verifying.
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.jwks_ttl = ttl;
        self
    }

    /// The HTTP client that fetches the JWKS (default: one with a 10 s timeout).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The verifier. A PEM key that is not an RSA public key is
    /// [`ClerkError::InvalidJwtKey`].
    pub fn build(self) -> Result<Verifier, ClerkError> {
        let keys = match &self.pem {
            Some(pem) => Keys::Pem(DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
                ClerkError::InvalidJwtKey {
                    message: e.to_string(),
                }
            })?),
            None => {
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder()
                        .timeout(Duration::from_secs(10))
                        .build()
                        .map_err(|e| ClerkError::Network(e.to_string()))?,
                };
                Keys::Jwks(JwksCache::new(
                    self.jwks_url,
                    http,
                    self.jwks_ttl,
                    self.jwks_min_refresh,
                ))
            }
        };
        let mut validation = Validation::new(Algorithm::RS256);
        // `aud` is the verifier's to check, and only when an audience is set.
        validation.validate_aud = false;
        validation.leeway = self.leeway.as_secs();
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        Ok(Verifier {
            inner: Arc::new(Inner {
                issuer: self.issuer,
                authorized_parties: self.authorized_parties,
                audiences: self.audiences,
                leeway: self.leeway,
                accept_pending: self.accept_pending,
                validation,
                keys,
            }),
        })
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.inner.issuer)
            .field("authorized_parties", &self.inner.authorized_parties)
            .field("leeway", &self.inner.leeway)
            .finish_non_exhaustive()
    }
}
