//! What a sign-out is asked to do, and what it did.

use serde::{Deserialize, Serialize};

/// Options of [`Clerk::sign_out`](crate::Clerk::sign_out), as in Clerk's
/// `signOut({ sessionId, redirectUrl })`.
///
/// ```
/// use clerk_dioxus::SignOutOptions;
/// let all = SignOutOptions::new();
/// let one = SignOutOptions::new().session_id("sess_123").redirect_url("/goodbye");
/// assert_eq!(one.session_id.as_deref(), Some("sess_123"));
/// # drop(all);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignOutOptions {
    /// Sign out only this session. `None` signs out every session.
    pub session_id: Option<String>,
    /// Where to go after a successful sign-out. `None` stays on the page: the
    /// state is reactive, so `SignedOut` content shows without a reload.
    pub redirect_url: Option<String>,
    /// When the active session is signed out and others remain, make the most
    /// recently active of them the active one, in the same state update. Off
    /// by default: like Clerk, no session is then active (send the user to an
    /// account chooser).
    #[serde(default)]
    pub switch_to_most_recent: bool,
}

impl SignOutOptions {
    /// Sign out every session and stay on the page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sign out only this session.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// After signing out the active session, activate the most recently active
    /// remaining one (see [`SignOutOptions::switch_to_most_recent`]).
    pub fn switch_to_most_recent(mut self, switch: bool) -> Self {
        self.switch_to_most_recent = switch;
        self
    }

    /// Go to this URL after a successful sign-out (validated before anything is sent).
    pub fn redirect_url(mut self, redirect_url: impl Into<String>) -> Self {
        self.redirect_url = Some(redirect_url.into());
        self
    }
}

/// What a successful sign-out did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOutOutcome {
    /// Nobody was signed in; nothing was sent.
    NothingToSignOut,
    /// Every session was signed out.
    SignedOutAll,
    /// One session was signed out; the others stay signed in.
    SessionRemoved {
        /// The session that was signed out.
        session_id: String,
        /// Whether it was the active session.
        was_active: bool,
        /// The session made active in its place (only with
        /// `switch_to_most_recent`); `None` leaves no session active.
        activated: Option<String>,
    },
}
