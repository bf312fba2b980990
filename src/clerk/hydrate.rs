//! Starting from the state a server rendered the page with
//! ([`AuthSnapshot`]), so that the browser's first render matches the
//! server's HTML (no signed-out flash, no hydration mismatch) until the
//! handle's own load brings the client.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Clerk;
use crate::model::{Client, Session};

/// What the server knew about a page's user when it rendered it: the
/// active session (its user included, its token never), or nobody.
///
/// Made on the server from the verified request (`Verifier::auth_snapshot`
/// in `clerk_dioxus::server`, which `ClerkLayer::with_server_rendering`
/// calls for every page load),
/// carried into the page by Dioxus fullstack's hydration data (the
/// `fullstack` feature does it for `ClerkProvider`), and given to
/// [`Clerk::hydrate`] in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthSnapshot {
    /// The request's signed-in session; `None` when it was signed out.
    pub session: Option<Session>,
}

impl AuthSnapshot {
    /// A page rendered for a visitor.
    pub fn signed_out() -> Self {
        Self { session: None }
    }

    /// A page rendered for `session`'s user.
    pub fn signed_in(session: Session) -> Self {
        Self {
            session: Some(session),
        }
    }
}

impl Clerk {
    /// Takes `snapshot` as the state, loaded, when the handle has not loaded
    /// yet: the page renders what the server rendered. Returns whether it
    /// did; a handle that has loaded keeps its own, newer state.
    ///
    /// The snapshot's client is a stand-in (no id, the one session): load the
    /// handle as usual ([`Clerk::load`]; `ClerkProvider` does), and the
    /// client Clerk answers with replaces it. Any answer is newer than a
    /// snapshot, which carries no server stamp.
    pub fn hydrate(&self, snapshot: AuthSnapshot) -> bool {
        if self.is_loaded() {
            return false;
        }
        self.update(|state| {
            let active = snapshot.session.as_ref().map(|s| s.id.clone());
            state.client = snapshot.session.map(|session| {
                Arc::new(Client {
                    last_active_session_id: active.clone(),
                    sessions: vec![Arc::new(session)],
                    ..Client::default()
                })
            });
            state.active_session_id = active;
            state.is_loaded = true;
            state.load_error = None;
        });
        true
    }
}
