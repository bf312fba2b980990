//! What the handle's calls are asked to do, and what they did.

use serde::{Deserialize, Serialize};

use crate::navigation::RedirectUrl;

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
    pub redirect_url: Option<RedirectUrl>,
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
    pub fn redirect_url(mut self, redirect_url: impl Into<RedirectUrl>) -> Self {
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
    /// The server had already ended the session (another device, an admin,
    /// expiry): it answered that the session is gone, the handle reloaded the
    /// client, and the state now shows the session signed out. A success: the
    /// user wanted it signed out, and it is.
    AlreadySignedOut {
        /// The session asked for; `None` when every session was asked for.
        session_id: Option<String>,
    },
}

/// What a sign-out is for: calls for the same target share one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignOutTarget {
    pub(crate) session_id: Option<String>,
    pub(crate) switch_to_most_recent: bool,
}

/// Options of [`Clerk::get_token`](crate::Clerk::get_token), as in clerk-js's
/// `getToken({ template, organizationId, leewayInSeconds, skipCache })`.
///
/// ```
/// use clerk_dioxus::GetTokenOptions;
/// use std::time::Duration;
/// let plain = GetTokenOptions::default();
/// let custom = GetTokenOptions::new().template("supabase").leeway(Duration::from_secs(30));
/// assert_eq!(custom.template.as_deref(), Some("supabase"));
/// # drop(plain);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetTokenOptions {
    /// A JWT template's name (`POST /v1/client/sessions/{id}/tokens/{template}`).
    pub template: Option<String>,
    /// The organization the token is for; `None` leaves the server's choice
    /// (the session's last active organization), `Some("")` the personal account.
    pub organization_id: Option<String>,
    /// How long a cached token must still be valid to be handed out; a token
    /// closer to expiry is fetched anew. `None`: 10 seconds.
    pub leeway: Option<std::time::Duration>,
    /// Fetch a new token even when a valid one is cached.
    pub skip_cache: bool,
}

impl GetTokenOptions {
    /// The active session's default session token.
    pub fn new() -> Self {
        Self::default()
    }

    /// A token from this JWT template.
    pub fn template(mut self, template: impl Into<String>) -> Self {
        self.template = Some(template.into());
        self
    }

    /// A token for this organization (`""`: the personal account).
    pub fn organization_id(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// How long the token handed out must still be valid.
    pub fn leeway(mut self, leeway: std::time::Duration) -> Self {
        self.leeway = Some(leeway);
        self
    }

    /// Bypass the cache.
    pub fn skip_cache(mut self, skip: bool) -> Self {
        self.skip_cache = skip;
        self
    }
}

/// Why the handle should check the server now (see
/// [`Clerk::resync`](crate::Clerk::resync)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncReason {
    /// The window gained focus: reload, and touch the active session
    /// (`intent=focus`), as clerk-js does.
    Focus,
    /// The page became visible again.
    Visible,
    /// The device came back online.
    Online,
}
