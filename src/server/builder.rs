//! [`VerifierBuilder`]: how a [`Verifier`] is configured, and made.

use std::sync::Arc;
use std::time::Duration;

use super::authenticate::Instance;
use super::backend_api::{BackendApi, DEFAULT_BACKEND_API_URL};
use super::keys::{JwksCache, Keys};
use super::signature::VerifyingKey;
use super::verifier::{Inner, Verifier};
use crate::backend::fapi::{FapiBackend, InstanceType, PublishableKey};
use crate::ClerkError;

/// The clock skew allowed on `exp`, `nbf` and `iat` unless set: Clerk's 5 s.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);

/// The least time between two JWKS fetches for an unknown `kid` unless set.
pub const DEFAULT_JWKS_MIN_REFRESH: Duration = Duration::from_secs(60);

/// How long a fetched JWKS is trusted before it is fetched again unless
/// set: Clerk's SDKs' 5 minutes.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(5 * 60);

/// Configures a [`Verifier`].
pub struct VerifierBuilder {
    pub(super) issuer: String,
    pub(super) key: Option<PublishableKey>,
    pub(super) development: bool,
    authorized_parties: Vec<String>,
    audiences: Vec<String>,
    leeway: Duration,
    accept_pending: bool,
    allow_missing_azp: bool,
    pem: Option<String>,
    jwks_url: String,
    jwks_min_refresh: Duration,
    jwks_ttl: Duration,
    http: Option<reqwest::Client>,
    secret_key: Option<String>,
    backend_api_url: String,
}

impl Verifier {
    /// A verifier for the instance whose Frontend API is `frontend_api_url`
    /// (`https://clerk.example.com`, or the emulator's loopback URL): the
    /// tokens' `iss`, and where the JWKS is (`/.well-known/jwks.json`).
    pub fn builder(frontend_api_url: &str) -> Result<VerifierBuilder, ClerkError> {
        let builder = FapiBackend::from_frontend_api_url(frontend_api_url)?;
        let issuer = builder.frontend_api_url().trim_end_matches('/').to_owned();
        Ok(VerifierBuilder::new(issuer))
    }

    /// A verifier for the instance a publishable key names.
    pub fn from_publishable_key(key: &str) -> Result<VerifierBuilder, ClerkError> {
        let key = PublishableKey::parse(key)?;
        let backend = FapiBackend::from_publishable_key(key.as_str())?;
        let mut builder = Self::builder(backend.frontend_api_url())?;
        let key = Some(key);
        builder.development = key
            .as_ref()
            .is_some_and(|k| k.instance_type() == InstanceType::Development);
        builder.key = key;
        Ok(builder)
    }

    /// From the environment, as Clerk's backend SDKs read it: the instance from
    /// `CLERK_FRONTEND_API` (a URL) or `CLERK_PUBLISHABLE_KEY`; `CLERK_JWT_KEY`
    /// (PEM) to verify with no network; `CLERK_AUTHORIZED_PARTIES`
    /// (comma-separated origins); `CLERK_SECRET_KEY` and `CLERK_API_URL`
    /// for the handshake's nonce.
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
        if let Some(key) = var("CLERK_SECRET_KEY") {
            builder = builder.secret_key(key);
        }
        if let Some(url) = var("CLERK_API_URL") {
            builder = builder.backend_api_url(url);
        }
        builder.build()
    }

    /// The origins set as authorized parties.
    pub(crate) fn authorized_parties(&self) -> &[String] {
        &self.inner.authorized_parties
    }
}

impl VerifierBuilder {
    /// Defaults, for tokens that `issuer` issued.
    pub(super) fn new(issuer: String) -> Self {
        Self {
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            issuer,
            key: None,
            development: false,
            authorized_parties: Vec::new(),
            audiences: Vec::new(),
            leeway: DEFAULT_LEEWAY,
            accept_pending: false,
            allow_missing_azp: false,
            pem: None,
            jwks_min_refresh: DEFAULT_JWKS_MIN_REFRESH,
            jwks_ttl: DEFAULT_JWKS_TTL,
            http: None,
            secret_key: None,
            backend_api_url: DEFAULT_BACKEND_API_URL.to_owned(),
        }
    }

    /// An origin your web app runs on: a token's `azp` must name one of
    /// them (a token without one is refused, as in Clerk's SDKs). With none
    /// set, `azp` is not checked; set them for web apps.
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
        let audience = audience.into();
        // An empty one names nothing, as in Clerk's SDKs.
        if !audience.is_empty() {
            self.audiences.push(audience);
        }
        self
    }

    /// Whether the instance is a development one (`pk_test_`; set by the
    /// key for [`Verifier::from_publishable_key`]): its browsers carry a
    /// dev-browser token, which
    /// [`authenticate_request`](Verifier::authenticate_request) asks for.
    pub fn development(mut self, development: bool) -> Self {
        self.development = development;
        self
    }

    /// Whether a token without `azp` passes when authorized parties are set
    /// (default `false`, as in Clerk's SDKs). Native apps' tokens carry no
    /// `azp` (they send no `Origin`): allow them for an API that desktop or
    /// mobile apps call beside the web app. A token that names another
    /// origin is refused either way.
    pub fn allow_tokens_without_azp(mut self, allow: bool) -> Self {
        self.allow_missing_azp = allow;
        self
    }

    /// The clock skew allowed on `exp`, `nbf` and `iat` (default 5 s, as
    /// Clerk's `clockSkewInMs`; applied to the millisecond).
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

    /// The instance's secret key (`sk_…`, `CLERK_SECRET_KEY`): with it,
    /// [`authenticate_request`](Verifier::authenticate_request) exchanges a
    /// handshake's nonce for the session's cookies at the Backend API, as
    /// Clerk's SDKs do. Without it, a nonce cannot be exchanged and the page
    /// is signed out (`session-token-missing`), as in Clerk's SDKs. It is
    /// never logged nor shown by `Debug`.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into()).filter(|key| !key.trim().is_empty());
        self
    }

    /// Where Clerk's Backend API is (default `https://api.clerk.com`,
    /// `CLERK_API_URL`): the emulator's URL in tests and demos.
    pub fn backend_api_url(mut self, url: impl Into<String>) -> Self {
        self.backend_api_url = url.into();
        self
    }

    /// The HTTP client that fetches the JWKS and calls the Backend API
    /// (default: one with a 10 s timeout).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The verifier. A PEM key that is not an RSA public key is
    /// [`ClerkError::InvalidJwtKey`].
    pub fn build(self) -> Result<Verifier, ClerkError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| ClerkError::Network(e.to_string()))?,
        };
        let backend_api = self
            .secret_key
            .map(|key| BackendApi::new(&self.backend_api_url, key, http.clone()));
        let keys = match &self.pem {
            Some(pem) => {
                let key = VerifyingKey::from_pem(pem)
                    .map_err(|message| ClerkError::InvalidJwtKey { message })?;
                Keys::Pem(Arc::new(key))
            }
            None => Keys::Jwks(Box::new(JwksCache::new(
                self.jwks_url,
                http,
                self.jwks_ttl,
                self.jwks_min_refresh,
            ))),
        };
        Ok(Verifier {
            inner: Arc::new(Inner {
                instance: Instance::new(&self.issuer, self.key.as_ref(), self.development),
                issuer: self.issuer,
                authorized_parties: self.authorized_parties,
                audiences: self.audiences,
                leeway: self.leeway,
                accept_pending: self.accept_pending,
                allow_missing_azp: self.allow_missing_azp,
                keys,
                backend_api,
            }),
        })
    }
}
