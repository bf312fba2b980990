//! The auth-state snapshot every hook and component reads.

use std::sync::Arc;

use crate::model::{Client, Session, User};
use crate::ClerkError;

/// What the app knows about the signed-in user(s), as the server last said it.
///
/// One value lives in the [`Clerk`](crate::Clerk) handle and is mirrored into the
/// provider's `Signal`. Everything else (signed-in sessions, the user) is derived
/// from it, so it cannot drift.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuthState {
    /// Whether the client has been loaded from the server at least once.
    pub is_loaded: bool,
    /// The client as the server last returned it; `None` before loading or when
    /// the server has none. Shared, so copying the state is cheap.
    pub client: Option<Arc<Client>>,
    /// The active session's id. Taken from the server's `last_active_session_id`
    /// on load and switch, and when an answer older than `client` is not applied
    /// (see [`Clerk`](crate::Clerk)); cleared when the active session is signed
    /// out (Clerk never switches to another session by itself).
    pub active_session_id: Option<String>,
    /// The last error nobody handled (a failed load, or a sign-out without
    /// `on_error`). Cleared by the next successful change.
    pub last_error: Option<ClerkError>,
}

impl AuthState {
    /// The active session, if it is signed in.
    pub fn active_session(&self) -> Option<&Session> {
        let id = self.active_session_id.as_deref()?;
        self.client.as_ref()?.signed_in_session(id)
    }

    /// The signed-in sessions (status `active` or `pending`), in server order.
    pub fn signed_in_sessions(&self) -> Vec<&Session> {
        match &self.client {
            Some(client) => client.signed_in_sessions().collect(),
            None => Vec::new(),
        }
    }

    /// The active session's user.
    pub fn user(&self) -> Option<&User> {
        self.active_session()?.user.as_ref()
    }

    /// Whether a session is active.
    pub fn is_signed_in(&self) -> bool {
        self.active_session().is_some()
    }

    /// The summary that [`use_auth`](crate::hooks::use_auth) returns.
    pub fn auth(&self) -> Auth {
        let session = self.active_session();
        Auth {
            is_loaded: self.is_loaded,
            is_signed_in: session.is_some(),
            session_id: session.map(|s| s.id.clone()),
            user_id: session.and_then(|s| s.user_id()).map(str::to_owned),
        }
    }

    /// Takes the server's new client, keeping the previous copy of every
    /// session that did not change (see [`Client::sessions`]): an update costs
    /// the readers of unchanged sessions one pointer comparison each.
    pub(crate) fn replace_client(&mut self, client: Option<Client>) {
        self.client = client.map(|mut client| {
            if let Some(previous) = &self.client {
                client.share_unchanged_sessions(previous);
            }
            Arc::new(client)
        });
    }

    /// Whether the state holds a newer copy of `answer`'s client than `answer`:
    /// the same client id, stamped by the server (`updated_at`, Unix ms) strictly
    /// later. Such an answer was produced before a change the state already
    /// shows, so applying it would go back in server time. Equal stamps (two
    /// changes in one millisecond) are not newer; an answer with no client, or
    /// with another client, is never older.
    pub(crate) fn holds_newer_than(&self, answer: Option<&Client>) -> bool {
        match (self.client.as_deref(), answer) {
            (Some(held), Some(answer)) => {
                held.id == answer.id && answer.updated_at < held.updated_at
            }
            _ => false,
        }
    }

    /// The active session id the server's `client` implies, when it is signed in.
    pub(crate) fn server_active_session_id(client: Option<&Client>) -> Option<String> {
        let client = client?;
        let id = client.last_active_session_id.as_deref()?;
        client.signed_in_session(id).map(|s| s.id.clone())
    }
}

/// Clerk's `useAuth()` in Rust: whether auth is loaded and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Auth {
    /// Whether the client has been loaded.
    pub is_loaded: bool,
    /// Whether a session is active.
    pub is_signed_in: bool,
    /// The active session's id.
    pub session_id: Option<String>,
    /// The active session's user id.
    pub user_id: Option<String>,
}

/// One row of [`use_session_list`](crate::hooks::use_session_list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionListItem {
    /// The signed-in session, with its user (shared with the state).
    pub session: Arc<Session>,
    /// Whether it is the active session.
    pub is_active: bool,
}

impl AuthState {
    /// The signed-in sessions, the active one first (and marked), then the
    /// others by last activity, most recent first.
    pub fn session_list(&self) -> Vec<SessionListItem> {
        let Some(client) = &self.client else {
            return Vec::new();
        };
        let mut list: Vec<SessionListItem> = client
            .sessions
            .iter()
            .filter(|session| session.status.is_signed_in())
            .map(|session| SessionListItem {
                is_active: self.active_session_id.as_deref() == Some(session.id.as_str()),
                session: Arc::clone(session),
            })
            .collect();
        // The active session is the one in use, so it leads even when a timestamp
        // ties (servers stamp in milliseconds); the rest by last activity.
        list.sort_by_key(|item| std::cmp::Reverse((item.is_active, item.session.last_active_at)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: &str, updated_at: i64) -> Client {
        Client {
            id: id.into(),
            updated_at,
            ..Client::default()
        }
    }

    fn holding(client: Option<Client>) -> AuthState {
        AuthState {
            is_loaded: true,
            client: client.map(Arc::new),
            ..AuthState::default()
        }
    }

    #[test]
    fn only_an_older_copy_of_the_same_client_is_older_than_the_state() {
        let state = holding(Some(client("client_a", 2_000)));
        assert!(
            state.holds_newer_than(Some(&client("client_a", 1_999))),
            "older: skipped"
        );
        assert!(
            !state.holds_newer_than(Some(&client("client_a", 2_000))),
            "the same millisecond: applied"
        );
        assert!(
            !state.holds_newer_than(Some(&client("client_a", 2_001))),
            "newer: applied"
        );
        assert!(
            !state.holds_newer_than(Some(&client("client_b", 1))),
            "another client: applied"
        );
        assert!(!state.holds_newer_than(None), "no client: applied");
        assert!(
            !holding(None).holds_newer_than(Some(&client("client_a", 1))),
            "nothing held: applied"
        );
    }
}
