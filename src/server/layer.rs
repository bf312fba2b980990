//! axum: a layer that verifies each request's session token once, and the
//! extractors handlers take it with. [`ClerkLayer::with_handshake`] runs
//! Clerk's whole request rules instead, for server-rendered pages.
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use clerk_dioxus::server::{ClerkLayer, OptionalAuth, RequireAuth, Verifier};
//!
//! # fn app(verifier: Verifier) -> Router {
//! async fn me(RequireAuth(auth): RequireAuth) -> String {
//!     format!("user {}", auth.user_id)
//! }
//! async fn home(OptionalAuth(auth): OptionalAuth) -> &'static str {
//!     if auth.is_some() { "welcome back" } else { "hello" }
//! }
//! Router::new()
//!     .route("/api/me", get(me))
//!     .route("/", get(home))
//!     .layer(ClerkLayer::new(verifier))
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::rejection::Reason;
use super::{Auth, AuthReason, AuthStatus, Rejection, RequestState, Verifier};

/// What the layer found for a request, in its extensions.
#[derive(Clone)]
struct Verified(Result<Auth, Refusal>);

/// Why a request is not signed in, as the extractors answer it: the
/// status, and the reason in Clerk's words.
#[derive(Clone)]
struct Refusal {
    status: StatusCode,
    reason: std::borrow::Cow<'static, str>,
    message: String,
}

impl From<Rejection> for Refusal {
    fn from(rejection: Rejection) -> Self {
        Self {
            status: StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            reason: rejection.reason().into(),
            message: rejection.to_string(),
        }
    }
}

impl Refusal {
    /// A request the rules did not sign in: its reason (`503` when the
    /// keys could not be loaded, else `401`); a pending session's is
    /// [`Rejection::PendingSession`].
    fn of(state: &RequestState) -> Self {
        match state.reason() {
            Some(AuthReason::Token(rejection)) => rejection.clone().into(),
            Some(reason) => Self {
                status: StatusCode::UNAUTHORIZED,
                reason: reason.as_str(),
                message: "the request is not signed in".into(),
            },
            None => Rejection::PendingSession.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({
            "error": match self.status {
                StatusCode::UNAUTHORIZED => "unauthorized",
                StatusCode::FORBIDDEN => "forbidden",
                _ => "unavailable",
            },
            "reason": self.reason,
            "message": self.message,
        });
        (self.status, Json(body)).into_response()
    }
}

/// Verifies every request's session token (`Authorization: Bearer …`, else
/// the `__session` cookie) with a [`Verifier`], and keeps the outcome for
/// [`RequireAuth`] and [`OptionalAuth`]. It refuses nothing by itself: routes
/// choose with the extractor they take.
///
/// A request authenticated by the cookie whose method changes something
/// (`POST`, `PUT`, `PATCH`, `DELETE`) counts only when it comes from the
/// app's own pages: `Sec-Fetch-Site: same-origin`, or an `Origin` that is
/// the request's own host or one of the verifier's authorized parties;
/// otherwise it is [`Rejection::CrossSiteRequest`] (`403`).
#[derive(Clone, Debug)]
pub struct ClerkLayer {
    verifier: Verifier,
    handshake: bool,
    rendering: bool,
}

impl ClerkLayer {
    /// A layer over `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            handshake: false,
            rendering: false,
        }
    }

    /// Runs Clerk's request rules ([`Verifier::authenticate_request`]) on
    /// every request instead of verifying the token alone, as Clerk's
    /// `clerkMiddleware` does, for apps that render pages on the server:
    ///
    /// - a page load whose session must be refreshed (the 60 s token has
    ///   expired, the client changed, it arrived from another site) is
    ///   answered `307` to the Frontend API's handshake, and the handler is
    ///   not run;
    /// - a page back from the handshake gets the session's cookies
    ///   (`Set-Cookie`); in development it is sent on (`307`) to its URL
    ///   without the handshake's parameters, in production it renders
    ///   signed in at once;
    /// - every other request reaches the handler with the verdict
    ///   ([`RequireAuth`], [`OptionalAuth`], or the whole
    ///   [`RequestState`] as `Extension<RequestState>`), and the answer
    ///   carries Clerk's headers for it (`x-clerk-auth-status`, …).
    ///
    /// Give the verifier the instance's
    /// [secret key](super::VerifierBuilder::secret_key): the handshake
    /// answers with a nonce that only the Backend API can exchange.
    pub fn with_handshake(mut self) -> Self {
        self.handshake = true;
        self
    }

    /// For Dioxus fullstack apps that render pages on the server: the
    /// request rules of [`with_handshake`](Self::with_handshake), and for
    /// every page load (a `GET` for a document) the
    /// [`AuthSnapshot`](crate::AuthSnapshot) it renders with
    /// ([`Verifier::auth_snapshot`]: the user comes from the Backend API,
    /// so give the verifier the secret key), kept in the request's
    /// extensions. `ClerkProvider` (feature `fullstack`) renders the first
    /// HTML from it, and the browser hydrates from the same state.
    ///
    /// ```no_run
    /// # #[cfg(any())] {
    /// use clerk_dioxus::server::{ClerkLayer, Verifier};
    /// dioxus::serve(|| async move {
    ///     let verifier = Verifier::from_env()?;
    ///     Ok(dioxus::server::router(App).layer(ClerkLayer::new(verifier).with_server_rendering()))
    /// });
    /// # }
    /// ```
    pub fn with_server_rendering(mut self) -> Self {
        self.handshake = true;
        self.rendering = true;
        self
    }
}

impl<S> tower_layer::Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            verifier: self.verifier.clone(),
            handshake: self.handshake,
            rendering: self.rendering,
        }
    }
}

/// The service [`ClerkLayer`] wraps routes in.
#[derive(Clone, Debug)]
pub struct ClerkService<S> {
    inner: S,
    verifier: Verifier,
    handshake: bool,
    rendering: bool,
}

impl<S> tower_service::Service<Request> for ClerkService<S>
where
    S: tower_service::Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // The clone that was made ready serves this request (tower's rule).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let verifier = self.verifier.clone();
        let handshake = self.handshake;
        let rendering = self.rendering;
        Box::pin(async move {
            let headers = request.headers();
            let by_cookie = !headers.contains_key(http::header::AUTHORIZATION)
                && super::request::session_token(headers).is_some();
            let forged = by_cookie
                .then(|| {
                    let parties = verifier.authorized_parties();
                    super::csrf::check(request.method(), request.uri(), headers, parties)
                })
                .and_then(Result::err);
            if let Some(rejection) = forged {
                tracing::debug!(reason = %Reason(&rejection), "cross-site request refused");
                request
                    .extensions_mut()
                    .insert(Verified(Err(rejection.into())));
                return inner.call(request).await;
            }
            if !handshake {
                let verified = verifier.authenticate(headers).await;
                if let Err(rejection) = &verified {
                    tracing::debug!(reason = %Reason(rejection), "request not signed in");
                }
                request
                    .extensions_mut()
                    .insert(Verified(verified.map_err(Refusal::from)));
                return inner.call(request).await;
            }
            let state = verifier.authenticate_request(&request).await;
            // The handshake, or (development) on from it to the clean URL.
            if state.status() == AuthStatus::Handshake || state.location().is_some() {
                let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
                response.headers_mut().extend(state.headers().clone());
                return Ok(response);
            }
            let verified = state.auth().cloned().ok_or_else(|| Refusal::of(&state));
            if rendering && super::rendering::is_page_load(request.method(), request.headers()) {
                if let Some(snapshot) = verifier.auth_snapshot(&state).await {
                    request.extensions_mut().insert(snapshot);
                }
            }
            let headers = state.headers().clone();
            request.extensions_mut().insert(Verified(verified));
            request.extensions_mut().insert(state);
            let mut response = inner.call(request).await?;
            for (name, value) in &headers {
                let taken = response.headers().contains_key(name);
                if name == http::header::SET_COOKIE || !taken {
                    response.headers_mut().append(name, value.clone());
                }
            }
            Ok(response)
        })
    }
}

impl IntoResponse for Rejection {
    /// `401` (`403` for a cross-site request, `503` when the keys could not be loaded) with
    /// `{"error": "unauthorized", "reason": "token-expired", "message": "…"}`.
    fn into_response(self) -> Response {
        Refusal::from(self).into_response()
    }
}

/// The signed-in user, or the request is refused with a typed `401` (`403`
/// for a cross-site request, `503` when the keys could not be loaded; see
/// [`Rejection`]). Needs [`ClerkLayer`] on the route.
#[derive(Debug, Clone)]
pub struct RequireAuth(pub Auth);

/// The signed-in user, if any: never refuses. Needs [`ClerkLayer`] on the route.
#[derive(Debug, Clone)]
pub struct OptionalAuth(pub Option<Auth>);

/// The layer was not applied: a server bug, said plainly.
fn missing_layer() -> Response {
    tracing::error!("RequireAuth/OptionalAuth used on a route without ClerkLayer");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "ClerkLayer is not applied to this route",
    )
        .into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for RequireAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Verified>() {
            Some(Verified(Ok(auth))) => Ok(Self(auth.clone())),
            Some(Verified(Err(refusal))) => Err(refusal.clone().into_response()),
            None => Err(missing_layer()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for OptionalAuth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Verified>() {
            Some(Verified(verified)) => Ok(Self(verified.as_ref().ok().cloned())),
            None => Err(missing_layer()),
        }
    }
}
