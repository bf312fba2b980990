use serde::{Deserialize, Serialize};

use super::Session;

/// A Clerk client: one browser or one native app install, holding every session
/// signed in on it (`Client.Client` in the Frontend API spec).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Client {
    /// The client's id (`client_...`).
    pub id: String,
    /// Every session Clerk still lists for this client, in any status.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// The session the server considers active, if any.
    #[serde(default)]
    pub last_active_session_id: Option<String>,
    /// When the client cookie expires (Unix milliseconds).
    #[serde(default)]
    pub cookie_expires_at: Option<i64>,
    /// Creation time (Unix milliseconds).
    #[serde(default)]
    pub created_at: i64,
    /// Last update time (Unix milliseconds).
    #[serde(default)]
    pub updated_at: i64,
}

impl Client {
    /// The session with this id, in any status.
    pub fn session(&self, session_id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == session_id)
    }

    /// The sessions that are signed in (status `active` or `pending`), in the
    /// order the server lists them.
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The signed-in session with this id.
    pub fn signed_in_session(&self, session_id: &str) -> Option<&Session> {
        self.signed_in_sessions().find(|s| s.id == session_id)
    }
}
