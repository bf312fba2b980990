use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Session;

/// A Clerk client: one browser or one native app install, holding every session
/// signed in on it (`Client.Client` in the Frontend API spec).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Client {
    /// The client's id (`client_...`).
    pub id: String,
    /// Every session Clerk still lists for this client, in any status.
    ///
    /// Shared (`Arc`), so a new client that keeps most sessions unchanged copies
    /// pointers, and comparing an unchanged session is one pointer comparison.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub sessions: Vec<Arc<Session>>,
    /// The session the server considers active, if any.
    #[serde(default)]
    pub last_active_session_id: Option<String>,
    /// When the client cookie expires (Unix milliseconds).
    #[serde(default)]
    pub cookie_expires_at: Option<i64>,
    /// Creation time (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub created_at: i64,
    /// Last update time (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub updated_at: i64,
}

impl Client {
    /// The session with this id, in any status.
    pub fn session(&self, session_id: &str) -> Option<&Session> {
        self.sessions
            .iter()
            .map(|s| &**s)
            .find(|s| s.id == session_id)
    }

    /// The sessions that are signed in (status `active` or `pending`), in the
    /// order the server lists them.
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Session> {
        self.signed_in_shared().map(|s| &**s)
    }

    /// The signed-in sessions as the shared copies the client holds.
    pub(crate) fn signed_in_shared(&self) -> impl Iterator<Item = &Arc<Session>> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The signed-in session with this id.
    pub fn signed_in_session(&self, session_id: &str) -> Option<&Session> {
        self.signed_in_sessions().find(|s| s.id == session_id)
    }

    /// Reuses `previous`'s copy of every session that has not changed, so that
    /// unchanged sessions stay pointer-equal across updates and the rows that
    /// show them are not rendered again. Sessions are matched by id.
    pub(crate) fn share_unchanged_sessions(&mut self, previous: &Client) {
        // Servers keep their order and a change removes or adds a few sessions,
        // so walk both lists together, looking a few places ahead for removals;
        // search the whole previous list only for what that walk does not
        // match (new sessions, mostly: few).
        const LOOK_AHEAD: usize = 4;
        let mut unmatched = Vec::new();
        let mut cursor = 0;
        for (index, session) in self.sessions.iter_mut().enumerate() {
            let ahead = previous.sessions.iter().enumerate().skip(cursor);
            match ahead.take(LOOK_AHEAD).find(|(_, old)| old.id == session.id) {
                Some((position, old)) => {
                    cursor = position + 1;
                    if !Arc::ptr_eq(old, session) && **old == **session {
                        *session = Arc::clone(old);
                    }
                }
                None => unmatched.push(index),
            }
        }
        if unmatched.is_empty() {
            return;
        }
        for index in unmatched {
            let Some(session) = self.sessions.get_mut(index) else {
                continue;
            };
            if let Some(old) = previous.sessions.iter().find(|old| old.id == session.id) {
                if **old == **session {
                    *session = Arc::clone(old);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SessionStatus;

    fn session(id: &str, last_active_at: i64) -> Arc<Session> {
        Arc::new(Session {
            id: id.into(),
            status: SessionStatus::Active,
            last_active_at,
            expire_at: 0,
            abandon_at: 0,
            last_active_token: None,
            user: None,
            public_user_data: None,
            tasks: Vec::new(),
        })
    }

    fn client(sessions: Vec<Arc<Session>>) -> Client {
        Client {
            sessions,
            ..Client::default()
        }
    }

    /// A fresh copy, as decoding the server's JSON gives.
    fn decoded(client: &Client) -> Client {
        let mut copy = client.clone();
        for session in &mut copy.sessions {
            *session = Arc::new((**session).clone());
        }
        copy
    }

    #[test]
    fn unchanged_sessions_reuse_the_previous_copy_wherever_they_moved() {
        let ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let previous = client(ids.iter().map(|id| session(id, 1)).collect());
        let mut next = decoded(&previous);
        next.sessions.remove(2); // "c" signed out
        next.sessions[0] = session("a", 2); // "a" was used since
        next.sessions.insert(3, session("new", 1)); // an account was added
        next.sessions.swap(5, 6); // "g" and "h" swapped
        next.share_unchanged_sessions(&previous);
        let shared: Vec<bool> = next
            .sessions
            .iter()
            .map(|s| previous.sessions.iter().any(|p| Arc::ptr_eq(p, s)))
            .collect();
        let ids: Vec<&str> = next.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "d", "new", "e", "g", "f", "h"]);
        assert_eq!(shared, [false, true, true, false, true, true, true, true]);
        assert_eq!(next.sessions[0].last_active_at, 2, "the change is kept");
    }
}
