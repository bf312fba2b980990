//! The auth-state snapshot every hook and component reads.

use std::sync::Arc;

use crate::model::{Client, Session, SessionStatus, SessionTask, User};
use crate::ClerkError;

/// What the app knows about the signed-in user(s), as the server last said it.
///
/// One value lives in the [`Clerk`](crate::Clerk) handle and is mirrored into the
/// provider's `Signal`. Everything else (signed-in sessions, the user) is derived
/// from it, so it cannot drift.
#[derive(Debug, Clone, PartialEq)]
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
    /// Whether a `pending` active session (one with a task left, such as
    /// choosing an organization) counts as signed out to the app: `true`
    /// unless [`ClerkBuilder::treat_pending_as_signed_out`](crate::ClerkBuilder::treat_pending_as_signed_out)
    /// says otherwise, as Clerk's SDKs decide on the client and the server
    /// (`treatPendingAsSignedOut`). The session stays the active one either
    /// way (it has tokens); [`AuthState::pending_task`] says what is left.
    pub treat_pending_as_signed_out: bool,
    /// Why the client could not be loaded yet: set while the first load
    /// fails (a bad key, the network), cleared when one succeeds. The
    /// background sync retries transient failures with backoff, and on focus
    /// and coming back online. `ClerkFailed` renders while it is set.
    pub load_error: Option<ClerkError>,
    /// Since when (Unix seconds, this device's clock) the state may be out
    /// of date: set when a request to the Frontend API could not reach
    /// Clerk or Clerk could not serve it (offline, a broken connection, a
    /// timeout, a `5xx` or `429`: [`ClerkError::is_unreachable`]), cleared
    /// by the next answer. Meanwhile the state is what the server last
    /// said: nobody is signed out by an outage, and the background sync
    /// tries again with backoff (at once when the browser is back online).
    /// Show it as "offline, last known", say; the web examples put it in
    /// `data-state="stale"`.
    pub stale_since: Option<f64>,
}

impl Default for AuthState {
    fn default() -> Self {
        Self {
            is_loaded: false,
            client: None,
            active_session_id: None,
            last_error: None,
            load_error: None,
            stale_since: None,
            treat_pending_as_signed_out: true,
        }
    }
}

impl AuthState {
    /// The active session, if it is signed in to the client (`active`, or
    /// `pending` with a task left: clerk-js's `clerk.session`).
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

    /// Whether the app counts as signed in: an active session, which is not
    /// `pending` unless pending sessions are treated as signed in
    /// ([`treat_pending_as_signed_out`](Self::treat_pending_as_signed_out)
    /// `false`). What `SignedIn`, `SignedOut` and `use_auth` follow.
    pub fn is_signed_in(&self) -> bool {
        self.active_session()
            .is_some_and(|s| self.counts_as_signed_in(s))
    }

    /// The first task the active session has left, while it is `pending`
    /// (`choose-organization`, say): clerk-js's `session.currentTask`, for
    /// an app to route to.
    pub fn pending_task(&self) -> Option<&SessionTask> {
        self.active_session()
            .filter(|s| s.status == SessionStatus::Pending)?
            .tasks
            .first()
    }

    fn counts_as_signed_in(&self, session: &Session) -> bool {
        session.status != SessionStatus::Pending || !self.treat_pending_as_signed_out
    }

    /// The summary that [`use_auth`](crate::hooks::use_auth) returns.
    ///
    /// A pending session treated as signed out gives Clerk's signed-out
    /// answer (no session or user id), with its `session_status` kept so
    /// that the app can tell it from nobody signed in.
    pub fn auth(&self) -> Auth {
        let active = self.active_session();
        let session = active.filter(|s| self.counts_as_signed_in(s));
        Auth {
            is_loaded: self.is_loaded,
            is_signed_in: session.is_some(),
            session_id: session.map(|s| s.id.clone()),
            user_id: session.and_then(|s| s.user_id()).map(str::to_owned),
            session_status: active.map(|s| s.status),
            is_stale: self.is_stale(),
            clerk: None,
        }
    }

    /// Whether the last request to the Frontend API could not reach Clerk
    /// (see [`stale_since`](Self::stale_since)).
    pub fn is_stale(&self) -> bool {
        self.stale_since.is_some()
    }

    /// Whether the first load failed and none has succeeded since.
    pub fn has_failed(&self) -> bool {
        !self.is_loaded && self.load_error.is_some()
    }

    /// Takes the server's new client, keeping the previous copy of every
    /// session that did not change (see [`Client::sessions`]): an update costs
    /// the readers of unchanged sessions one pointer comparison each.
    ///
    /// A client equal to the previous one keeps the previous copy itself, so
    /// [`AuthState::unchanged_from`] tells an identical reload by one pointer.
    pub(crate) fn replace_client(&mut self, client: Option<Client>) {
        self.client = client.map(|mut client| match &self.client {
            Some(previous) if **previous == client => Arc::clone(previous),
            Some(previous) => {
                client.share_unchanged_sessions(previous);
                Arc::new(client)
            }
            None => Arc::new(client),
        });
    }

    /// Whether `self` shows what `previous` showed, told cheaply: the same
    /// client copy (see [`replace_client`](Self::replace_client)), the same
    /// active session, load flag and stale mark, and no error in either. An error is
    /// always news. What the provider checks before it writes its signal.
    pub(crate) fn unchanged_from(&self, previous: &AuthState) -> bool {
        let same_client = match (&self.client, &previous.client) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_client
            && self.is_loaded == previous.is_loaded
            && self.active_session_id == previous.active_session_id
            && self.last_error.is_none()
            && previous.last_error.is_none()
            && self.load_error.is_none()
            && previous.load_error.is_none()
            && self.stale_since == previous.stale_since
    }

    /// The active session id the server's `client` implies, when it is signed in.
    pub(crate) fn server_active_session_id(client: Option<&Client>) -> Option<String> {
        let client = client?;
        let id = client.last_active_session_id.as_deref()?;
        client.signed_in_session(id).map(|s| s.id.clone())
    }
}

/// Clerk's `useAuth()` in Rust: whether auth is loaded, who is signed in, and
/// [`get_token`](Auth::get_token) for the app's own API.
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
    /// The active session's status, even when a `pending` one counts as
    /// signed out (Clerk's `sessionStatus`); `None` without one.
    pub session_status: Option<SessionStatus>,
    /// Whether the state may be out of date because Clerk could not be
    /// reached (since [`AuthState::stale_since`]): what is shown is what the
    /// server last said.
    pub is_stale: bool,
    /// The handle behind `get_token` (set by `use_auth`).
    pub(crate) clerk: Option<crate::Clerk>,
}

impl Auth {
    /// clerk-react's `getToken()`: a session token of the active session (see
    /// [`Clerk::get_token`](crate::Clerk::get_token)). `Ok(None)` when no
    /// session is signed in, or for an `Auth` not made by `use_auth`.
    ///
    /// ```no_run
    /// use clerk_dioxus::prelude::*;
    /// #[component]
    /// fn Notes() -> Element {
    ///     let auth = use_auth();
    ///     let notes = use_resource(move || async move {
    ///         let token = auth().get_token(GetTokenOptions::new()).await.ok().flatten();
    ///         token.map(|jwt| format!("Authorization: Bearer {jwt}"))
    ///     });
    ///     rsx! { "{notes:?}" }
    /// }
    /// ```
    pub async fn get_token(
        &self,
        options: crate::GetTokenOptions,
    ) -> Result<Option<String>, ClerkError> {
        match &self.clerk {
            Some(clerk) => clerk.get_token(options).await,
            None => Ok(None),
        }
    }
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
            .signed_in_shared()
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

    fn client(updated_at: i64) -> Client {
        Client {
            id: "client_1".into(),
            updated_at,
            ..Client::default()
        }
    }

    #[test]
    fn an_identical_reload_keeps_the_client_copy_and_reads_as_unchanged() {
        let mut state = AuthState::default();
        state.replace_client(Some(client(1)));
        let before = state.clone();
        state.replace_client(Some(client(1)));
        assert!(Arc::ptr_eq(
            state.client.as_ref().unwrap(),
            before.client.as_ref().unwrap()
        ));
        assert!(state.unchanged_from(&before));
        state.replace_client(Some(client(2)));
        assert!(!state.unchanged_from(&before), "a newer client is news");
    }

    #[test]
    fn flags_sessions_and_errors_are_news() {
        let before = AuthState::default();
        assert!(before.unchanged_from(&before.clone()));
        let loaded = AuthState {
            is_loaded: true,
            ..AuthState::default()
        };
        assert!(!loaded.unchanged_from(&before));
        let active = AuthState {
            active_session_id: Some("sess_1".into()),
            ..AuthState::default()
        };
        assert!(!active.unchanged_from(&before));
        let stale = AuthState {
            stale_since: Some(1.0),
            ..AuthState::default()
        };
        assert!(!stale.unchanged_from(&before), "going stale is news");
        assert!(!before.unchanged_from(&stale), "and so is coming back");
        let failed = AuthState {
            last_error: Some(ClerkError::Network("reset".into())),
            ..AuthState::default()
        };
        assert!(
            !failed.unchanged_from(&failed.clone()),
            "an error is always news"
        );
    }
}
