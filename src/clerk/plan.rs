//! Which request a sign-out needs, decided from the current state alone.

use crate::{AuthState, ClerkError};

/// The request a sign-out sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignOutPlan {
    /// No signed-in session: send nothing.
    Nothing,
    /// Sign out every session.
    All,
    /// Remove one session of several.
    Remove {
        session_id: String,
        was_active: bool,
    },
}

impl SignOutPlan {
    /// Decides like clerk-js, except that an unknown session id is an error
    /// instead of a silent no-op.
    pub(crate) fn new(state: &AuthState, session_id: Option<&str>) -> Result<Self, ClerkError> {
        let Some(client) = state.client.as_deref() else {
            return Ok(Self::Nothing);
        };
        let signed_in = client.signed_in_sessions().count();
        if signed_in == 0 {
            return Ok(Self::Nothing);
        }
        let Some(session_id) = session_id else {
            return Ok(Self::All);
        };
        if client.signed_in_session(session_id).is_none() {
            return Err(ClerkError::SessionNotFound {
                session_id: session_id.to_owned(),
            });
        }
        if signed_in == 1 {
            return Ok(Self::All);
        }
        Ok(Self::Remove {
            session_id: session_id.to_owned(),
            was_active: state.active_session_id.as_deref() == Some(session_id),
        })
    }

    /// A short name for logs and spans.
    pub(crate) fn scope(&self) -> &'static str {
        match self {
            Self::Nothing => "none",
            Self::All => "all",
            Self::Remove {
                was_active: true, ..
            } => "active_session",
            Self::Remove {
                was_active: false, ..
            } => "other_session",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Client, Session, SessionStatus};

    fn session(id: &str, status: SessionStatus) -> Session {
        Session {
            id: id.into(),
            status,
            last_active_at: 0,
            expire_at: 0,
            abandon_at: 0,
            last_active_token: None,
            user: None,
            public_user_data: None,
            tasks: Vec::new(),
        }
    }

    fn state(sessions: Vec<Session>, active: Option<&str>) -> AuthState {
        AuthState {
            is_loaded: true,
            client: Some(std::sync::Arc::new(Client {
                id: "client_1".into(),
                sessions: sessions.into_iter().map(std::sync::Arc::new).collect(),
                ..Client::default()
            })),
            active_session_id: active.map(str::to_owned),
            ..AuthState::default()
        }
    }

    #[test]
    fn nothing_when_no_session_is_signed_in() {
        let s = state(vec![session("a", SessionStatus::Ended)], None);
        assert_eq!(SignOutPlan::new(&s, None), Ok(SignOutPlan::Nothing));
        assert_eq!(SignOutPlan::new(&s, Some("a")), Ok(SignOutPlan::Nothing));
    }

    #[test]
    fn the_only_signed_in_session_signs_out_all() {
        let s = state(
            vec![
                session("a", SessionStatus::Active),
                session("b", SessionStatus::Removed),
            ],
            Some("a"),
        );
        assert_eq!(SignOutPlan::new(&s, Some("a")), Ok(SignOutPlan::All));
    }

    #[test]
    fn pending_sessions_count_as_signed_in() {
        let s = state(
            vec![
                session("a", SessionStatus::Active),
                session("b", SessionStatus::Pending),
            ],
            Some("a"),
        );
        assert_eq!(
            SignOutPlan::new(&s, Some("b")),
            Ok(SignOutPlan::Remove {
                session_id: "b".into(),
                was_active: false
            })
        );
    }

    #[test]
    fn unknown_and_signed_out_ids_are_errors() {
        let s = state(
            vec![
                session("a", SessionStatus::Active),
                session("b", SessionStatus::Active),
                session("c", SessionStatus::Ended),
            ],
            Some("a"),
        );
        for id in ["zzz", "c"] {
            assert_eq!(
                SignOutPlan::new(&s, Some(id)),
                Err(ClerkError::SessionNotFound {
                    session_id: id.into()
                })
            );
        }
    }
}
