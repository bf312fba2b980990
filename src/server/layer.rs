//! axum: a layer that verifies each request's session token once, and the
//! extractors handlers take it with.
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
use super::{Auth, Rejection, Verifier};

/// What the layer found for a request, in its extensions.
#[derive(Clone)]
struct Verified(Result<Auth, Rejection>);

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
}

impl ClerkLayer {
    /// A layer over `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self { verifier }
    }
}

impl<S> tower_layer::Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            verifier: self.verifier.clone(),
        }
    }
}

/// The service [`ClerkLayer`] wraps routes in.
#[derive(Clone, Debug)]
pub struct ClerkService<S> {
    inner: S,
    verifier: Verifier,
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
            let verified = match forged {
                Some(rejection) => Err(rejection),
                None => verifier.authenticate(headers).await,
            };
            if let Err(rejection) = &verified {
                tracing::debug!(reason = %Reason(rejection), "request not signed in");
            }
            request.extensions_mut().insert(Verified(verified));
            inner.call(request).await
        })
    }
}

impl IntoResponse for Rejection {
    /// `401` (`403` for a cross-site request, `503` when the keys could not be loaded) with
    /// `{"error": "unauthorized", "reason": "token-expired", "message": "…"}`.
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::UNAUTHORIZED);
        let body = json!({
            "error": match status {
                StatusCode::UNAUTHORIZED => "unauthorized",
                StatusCode::FORBIDDEN => "forbidden",
                _ => "unavailable",
            },
            "reason": self.reason(),
            "message": self.to_string(),
        });
        (status, Json(body)).into_response()
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
            Some(Verified(Err(rejection))) => Err(rejection.clone().into_response()),
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
