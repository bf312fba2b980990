//! `authenticate_request`: signed-in, signed-out or handshake for a whole
//! request, decided by `@clerk/backend` 3.25's rules (`tokens/request.ts`)
//! for session tokens: the header token alone when there is one, else the
//! cookies (`__session` and `__client_uat`, plain or suffixed, the dev
//! browser), the kind of request (a page load may be sent through the
//! handshake, a `fetch` may not), where it came from, and the redirect
//! counter. Every verdict carries Clerk's reason, and the headers Clerk's
//! SDKs send with it.
//!
//! A page that comes back from the handshake (`__clerk_handshake_nonce`,
//! exchanged at the Backend API with the secret key, or a signed
//! `__clerk_handshake`) is resolved: its cookies are set and its session
//! decides (`resolve.rs`).
//!
//! Not yet: satellite domains, organization sync, and refreshing through `__refresh_<suffix>` (which needs Clerk's Backend API;
//! such a request gets the reason Clerk gives without an API client,
//! `session-token-expired-refresh-missing-api-client`).

mod context;
mod cookies;
mod handshake;
mod instance;
mod reason;
mod resolve;
mod suffixed;

use http::{HeaderMap, HeaderValue, Method, Request};

pub(crate) use instance::Instance;
pub use reason::AuthReason;

use self::context::Context;
use self::resolve::{Resolved, Unresolved};
use super::{Auth, Rejection, Verifier};

/// What `authenticate_request` found: Clerk's `RequestState`.
#[derive(Debug, Clone)]
pub struct RequestState {
    status: AuthStatus,
    reason: Option<AuthReason>,
    auth: Option<Auth>,
    headers: HeaderMap,
    accept_pending: bool,
}

/// The three verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStatus {
    /// A verified session token.
    SignedIn,
    /// No usable session: answer as for a visitor (or `401` for an API).
    SignedOut,
    /// A page load whose session must be refreshed through the Frontend
    /// API first: answer `307` with [`RequestState::headers`] (`Location`).
    Handshake,
}

impl AuthStatus {
    /// Clerk's name: `signed-in`, `signed-out`, `handshake`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed-in",
            Self::SignedOut => "signed-out",
            Self::Handshake => "handshake",
        }
    }
}

impl RequestState {
    /// The verdict.
    pub fn status(&self) -> AuthStatus {
        self.status
    }

    /// Why it is signed out or a handshake; `None` when signed in.
    pub fn reason(&self) -> Option<&AuthReason> {
        self.reason.as_ref()
    }

    /// Who the request is from, as Clerk's `toAuth()`: `None` unless signed
    /// in, and for a pending session (`sts: pending`) unless the verifier
    /// lets pending sessions through.
    pub fn auth(&self) -> Option<&Auth> {
        let auth = self.auth.as_ref()?;
        let pending = auth.session_status.as_deref() == Some("pending");
        (!pending || self.accept_pending).then_some(auth)
    }

    /// The headers to answer with: for a handshake `Location`,
    /// `Cache-Control: no-store` and the redirect counter's cookie; for
    /// signed-out and handshake, Clerk's debug headers
    /// (`x-clerk-auth-status`, `x-clerk-auth-reason`).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The handshake's `Location`, when the status is handshake.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl Verifier {
    /// Reads a whole request as `@clerk/backend`'s `authenticateRequest`
    /// does for session tokens, and decides signed-in, signed-out or
    /// handshake with Clerk's reason: the header token alone when there is
    /// one, else the cookies (`__session` and `__client_uat`, plain or
    /// suffixed, the dev browser), the kind of request (a page load may be
    /// sent through the handshake, a `fetch` may not), where it came from,
    /// and the redirect counter. Only the method, URI and headers are
    /// read. The URI may be a path (as a server receives it): `Host` and
    /// `X-Forwarded-Host`/`-Proto` give the rest.
    ///
    /// A page back from the handshake is resolved: the nonce exchanged at
    /// the Backend API (with the [secret key](super::VerifierBuilder::secret_key))
    /// or the signed token verified, its cookies in [`RequestState::headers`]
    /// (`Set-Cookie`; in development a `Location` without the handshake's
    /// parameters too), its session token deciding.
    ///
    /// Not yet: satellite domains, organization sync,
    /// and refreshing through `__refresh_<suffix>` (which needs Clerk's
    /// Backend API; such a request gets the reason Clerk gives without an
    /// API client, `session-token-expired-refresh-missing-api-client`).
    ///
    /// ```no_run
    /// # async fn page(verifier: clerk_dioxus::server::Verifier, request: http::Request<()>) {
    /// use clerk_dioxus::server::AuthStatus;
    /// let state = verifier.authenticate_request(&request).await;
    /// match state.status() {
    ///     AuthStatus::Handshake => { /* 307 with state.headers() */ }
    ///     AuthStatus::SignedIn => println!("{:?}", state.auth().map(|a| &a.user_id)),
    ///     AuthStatus::SignedOut => println!("visitor: {:?}", state.reason()),
    /// }
    /// # }
    /// ```
    pub fn authenticate_request<'a, B>(
        &'a self,
        request: &'a Request<B>,
    ) -> impl std::future::Future<Output = RequestState> + Send + 'a {
        // The parts, not the request: a body need not be `Sync` for the
        // future to be `Send`.
        self.authenticate_parts(request.method(), request.uri(), request.headers())
    }

    /// [`authenticate_request`](Self::authenticate_request) from a
    /// request's method, URI and headers.
    pub async fn authenticate_parts(
        &self,
        method: &Method,
        uri: &http::Uri,
        headers: &HeaderMap,
    ) -> RequestState {
        let context = Context::read(method, uri, headers, self.instance());
        let decision = Decision {
            verifier: self,
            context,
        };
        match decision.context.token_in_header {
            Some(token) => decision.header(token).await,
            None => decision.cookies().await,
        }
    }
}

/// One request's way through the rules.
struct Decision<'a> {
    verifier: &'a Verifier,
    context: Context<'a>,
}

impl Decision<'_> {
    /// A token in `Authorization`: only it counts (`authenticateRequestWithTokenInHeader`).
    async fn header(&self, token: &str) -> RequestState {
        match self.verifier.verify_claims(token).await {
            Ok(claims) => self.signed_in(Auth::from(claims)),
            Err(rejection) => self.token_error(rejection),
        }
    }

    /// The cookies (`authenticateRequestWithTokenInCookie`), row by row.
    async fn cookies(&self) -> RequestState {
        let context = &self.context;
        let has_client = context.client_uat != 0;
        if context.handshake_nonce.is_some() || context.handshake_token.is_some() {
            match resolve::resolve(self.verifier, context).await {
                Ok(Resolved { claims, headers }) => {
                    let Some(claims) = claims else {
                        let reason = Some(AuthReason::SessionTokenMissing);
                        return self.state(AuthStatus::SignedOut, reason, None, headers);
                    };
                    let auth = Some(Auth::from(claims));
                    return self.state(AuthStatus::SignedIn, None, auth, headers);
                }
                // Where Clerk's SDK throws out of `authenticateRequest`
                // (a development instance's handshake token that fails its
                // checks), the request is signed out with the token's reason.
                Err(Unresolved::Token(rejection)) if context.is_development() => {
                    tracing::error!(reason = %super::rejection::Reason(&rejection),
                        "Clerk: the handshake token did not verify; if the instance's keys changed, clear the cookies");
                    return self.signed_out(AuthReason::Token(rejection));
                }
                // Otherwise logged, and the request's own cookies decide.
                Err(_) => tracing::warn!("Clerk: unable to resolve the handshake"),
            }
        }
        let back = context
            .satellite_redirect
            .as_deref()
            .filter(|_| context.is_development());
        if let Some(back) = back.and_then(|url| handshake::back_to_satellite(context, url)) {
            return self.maybe_handshake_to(AuthReason::PrimaryRespondsToSyncing, Some(back));
        }
        if context.is_development()
            && context
                .url()
                .query_pairs()
                .any(|(k, _)| k == "__clerk_db_jwt")
        {
            return self.maybe_handshake(AuthReason::DevBrowserSync);
        }
        if context.is_development() && context.dev_browser.is_none() {
            return self.maybe_handshake(AuthReason::DevBrowserMissing);
        }
        match (has_client, context.session_in_cookie.is_some()) {
            (false, false) => return self.signed_out(AuthReason::SessionTokenAndUatMissing),
            (false, true) => return self.maybe_handshake(AuthReason::SessionTokenWithoutClientUat),
            (true, false) => return self.maybe_handshake(AuthReason::ClientUatWithoutSessionToken),
            (true, true) => {}
        }
        let Some(session) = context.session_jwt.as_ref().filter(|j| j.payload_is_json()) else {
            return self.token_error(Rejection::Malformed);
        };
        if session.is_other_kind() {
            return self.signed_out(AuthReason::TokenTypeMismatch);
        }
        if session.iat().is_some_and(|iat| iat < context.client_uat) {
            return self.maybe_handshake(AuthReason::SessionTokenIatBeforeClientUat);
        }
        let claims = match self.verifier.verify_jwt(session).await {
            Ok(claims) => claims,
            Err(rejection) => return self.token_error(rejection),
        };
        // A page arriving from any other site costs one handshake.
        let from_elsewhere = *context.method == Method::GET
            && context.sec_fetch_dest == Some("document")
            && context.is_cross_origin_referrer()
            && !context.is_known_clerk_referrer()
            && context.redirect_count == 0;
        if from_elsewhere {
            return self.maybe_handshake(AuthReason::PrimaryDomainCrossOriginSync);
        }
        self.signed_in(Auth::from(claims))
    }

    /// `handleSessionTokenError`: an expired, not-yet-valid or future token
    /// may be refreshed through the handshake; anything else is signed out
    /// with the token's reason.
    fn token_error(&self, rejection: Rejection) -> RequestState {
        let context = &self.context;
        match rejection {
            Rejection::Expired => {
                let refresh = match (*context.method == Method::GET, context.refresh_in_cookie) {
                    (false, _) => "non-eligible-non-get",
                    (true, false) => "non-eligible-no-refresh-cookie",
                    // Eligible, but refreshing needs Clerk's Backend API.
                    (true, true) => "missing-api-client",
                };
                self.maybe_handshake(AuthReason::SessionTokenExpired { refresh })
            }
            Rejection::NotYetValid => self.maybe_handshake(AuthReason::SessionTokenNbf),
            Rejection::IssuedInFuture => {
                self.maybe_handshake(AuthReason::SessionTokenIatInTheFuture)
            }
            Rejection::TokenTypeMismatch => self.signed_out(AuthReason::TokenTypeMismatch),
            other => self.signed_out(AuthReason::Token(other)),
        }
    }

    /// `handleMaybeHandshakeStatus`: a handshake for a page load, unless the
    /// redirect counter says loop; signed out otherwise.
    fn maybe_handshake(&self, reason: AuthReason) -> RequestState {
        self.maybe_handshake_to(reason, None)
    }

    /// [`maybe_handshake`](Self::maybe_handshake) to `to` rather than the
    /// Frontend API's handshake.
    fn maybe_handshake_to(&self, reason: AuthReason, to: Option<url::Url>) -> RequestState {
        if !handshake::eligible(&self.context) {
            return self.signed_out(reason);
        }
        match handshake::redirect(&self.context, &reason, to) {
            Some(headers) => self.state(AuthStatus::Handshake, Some(reason), None, headers),
            None => self.signed_out(reason),
        }
    }

    fn signed_in(&self, auth: Auth) -> RequestState {
        self.state(AuthStatus::SignedIn, None, Some(auth), HeaderMap::new())
    }

    fn signed_out(&self, reason: AuthReason) -> RequestState {
        self.state(AuthStatus::SignedOut, Some(reason), None, HeaderMap::new())
    }

    fn state(
        &self,
        status: AuthStatus,
        reason: Option<AuthReason>,
        auth: Option<Auth>,
        mut headers: HeaderMap,
    ) -> RequestState {
        // Clerk's debug headers, on every verdict but signed-in.
        if let Some(reason) = &reason {
            if let Ok(value) = HeaderValue::from_str(&reason.as_str()) {
                headers.insert("x-clerk-auth-reason", value);
            }
            headers.insert(
                "x-clerk-auth-status",
                HeaderValue::from_static(status.as_str()),
            );
        }
        RequestState {
            status,
            reason,
            auth,
            headers,
            accept_pending: self.verifier.accepts_pending(),
        }
    }
}

#[cfg(test)]
mod tests;
