//! What the in-memory backend records, and the holds that keep calls waiting.

use futures_channel::oneshot;

/// One call the backend received, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendCall {
    /// `load_client`.
    LoadClient,
    /// `sign_out_all`.
    SignOutAll,
    /// `remove_session(id)`.
    RemoveSession(String),
    /// `set_active_session(id)`.
    SetActiveSession(String),
    /// A password sign-in (`sign_in` creating one with `strategy=password`)
    /// for this identifier; the password is not recorded.
    SignInWithPassword(String),
    /// `session_token(session_id, ..)`.
    SessionToken(String),
    /// `touch_session(session_id)` (on focus).
    TouchSession(String),
    /// `active_sessions(acting_session_id)`.
    ActiveSessions(String),
    /// `revoke_session(_, session_id)`: the session revoked.
    RevokeSession(String),
    /// `sign_in(..)` for anything but a password: the call (`Create`,
    /// `AttemptFirstFactor`, ...).
    SignIn(String),
}

impl BackendCall {
    /// Which kind of call this is.
    pub fn kind(&self) -> CallKind {
        match self {
            Self::LoadClient => CallKind::LoadClient,
            Self::SignOutAll => CallKind::SignOutAll,
            Self::RemoveSession(_) => CallKind::RemoveSession,
            Self::SetActiveSession(_) => CallKind::SetActiveSession,
            Self::SignInWithPassword(_) => CallKind::SignInWithPassword,
            Self::SessionToken(_) => CallKind::SessionToken,
            Self::TouchSession(_) => CallKind::TouchSession,
            Self::ActiveSessions(_) => CallKind::ActiveSessions,
            Self::RevokeSession(_) => CallKind::RevokeSession,
            Self::SignIn(_) => CallKind::SignIn,
        }
    }
}

/// A kind of backend call, to aim delays, failures and holds at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// `load_client`.
    LoadClient,
    /// `sign_out_all`.
    SignOutAll,
    /// `remove_session`.
    RemoveSession,
    /// `set_active_session`.
    SetActiveSession,
    /// A password sign-in.
    SignInWithPassword,
    /// `session_token`.
    SessionToken,
    /// `touch_session`.
    TouchSession,
    /// `active_sessions`.
    ActiveSessions,
    /// `revoke_session`.
    RevokeSession,
    /// `sign_in`, except password sign-ins.
    SignIn,
}

/// Keeps calls of one kind waiting until it is released or dropped.
/// Made by [`MemoryBackend::hold`](super::MemoryBackend::hold).
#[derive(Debug)]
pub struct Hold(pub(super) Option<oneshot::Sender<()>>);

impl Hold {
    /// Lets the waiting calls (and later ones) go on.
    pub fn release(mut self) {
        if let Some(sender) = self.0.take() {
            let _ = sender.send(());
        }
    }
}

/// What a [`Hold`] releases.
pub(crate) type Gate = crate::shared_task::SharedTask<()>;
