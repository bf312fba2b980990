//! Server-rendered pages: the [`AuthSnapshot`] a page is rendered with, from
//! the request's verdict and the user it names (fetched from the Backend API
//! with the secret key, as Clerk's `currentUser()` does: session tokens
//! carry no name). `ClerkProvider` renders the first HTML from it and the
//! browser hydrates from the same value (`fullstack` feature).

use http::{header, HeaderMap, Method};

use super::{AuthStatus, RequestState, Verifier};
use crate::model::{PublicUserData, Session, SessionStatus};
use crate::AuthSnapshot;

impl Verifier {
    /// What a page for this request renders with: signed out unless the
    /// verdict is signed in; signed in, the session with its user from the
    /// Backend API (it needs the [secret key](super::VerifierBuilder::secret_key)).
    ///
    /// `None` when the page cannot be rendered for the user: the verdict is
    /// a handshake, or the user could not be fetched (no secret key, the
    /// Backend API failed; logged). The page then renders as loading and
    /// the browser loads the client, as without server rendering.
    pub async fn auth_snapshot(&self, state: &RequestState) -> Option<AuthSnapshot> {
        match state.status() {
            AuthStatus::Handshake => return None,
            AuthStatus::SignedOut => return Some(AuthSnapshot::signed_out()),
            AuthStatus::SignedIn => {}
        }
        let Some(auth) = state.auth() else {
            // A pending session the request does not accept: signed out.
            return Some(AuthSnapshot::signed_out());
        };
        let session_id = auth.session_id.clone()?;
        let Some(api) = &self.inner.backend_api else {
            tracing::warn!(
                "a page is rendered as loading: its user needs the Backend API, and the verifier has no secret key"
            );
            return None;
        };
        let user = match api.user(&auth.user_id).await {
            Ok(user) => user,
            Err(error) => {
                tracing::warn!(%error, "a page is rendered as loading: its user could not be fetched");
                return None;
            }
        };
        let status = match auth.session_status.as_deref() {
            Some("pending") => SessionStatus::Pending,
            _ => SessionStatus::Active,
        };
        Some(AuthSnapshot::signed_in(Session {
            id: session_id,
            status,
            last_active_at: 0,
            expire_at: 0,
            abandon_at: 0,
            last_active_token: None,
            public_user_data: Some(PublicUserData::of(&user)),
            user: Some(user),
            tasks: Vec::new(),
        }))
    }
}

/// Whether a request loads a page (which renders with a snapshot) rather
/// than a server function, an asset or an API call: a `GET` for a document
/// (`Sec-Fetch-Dest: document`, or without fetch metadata an `Accept` that
/// asks for HTML).
pub(super) fn is_page_load(method: &Method, headers: &HeaderMap) -> bool {
    if method != Method::GET {
        return false;
    }
    match headers.get("sec-fetch-dest") {
        Some(dest) => dest == "document",
        None => headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html")),
    }
}
