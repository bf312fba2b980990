//! The in-memory backend's other devices: the same users signed in on other
//! clients, listed by `active_sessions` and ended by `revoke_session`.

use crate::error::ApiError;
use crate::model::{ActiveSession, Client, SessionActivity, SessionStatus};
use crate::ClerkError;

use super::{BackendCall, MemoryBackend};

/// A session of one of the users on another client.
#[derive(Debug, Clone)]
pub(crate) struct OtherDevice {
    user_id: String,
    session: ActiveSession,
}

impl MemoryBackend {
    /// Signs `user_id` in on another device (another client) with `activity`,
    /// and returns the new session's id. Not recorded as a call.
    pub fn sign_in_elsewhere(&self, user_id: &str, activity: SessionActivity) -> String {
        let mut server = self.server.borrow_mut();
        let now = server.tick();
        let id = server.fresh_id("sess");
        let activity = SessionActivity {
            id: format!("sess_activity_{id}"),
            ..activity
        };
        server.other_devices.push(OtherDevice {
            user_id: user_id.to_owned(),
            session: ActiveSession {
                id: id.clone(),
                status: SessionStatus::Active,
                last_active_at: now,
                expire_at: now + super::SESSION_LIFETIME_MS,
                latest_activity: Some(activity),
            },
        });
        id
    }

    /// The status of a session on another device (`None`: no such session).
    pub fn other_device_status(&self, session_id: &str) -> Option<SessionStatus> {
        let server = self.server.borrow();
        let device = server
            .other_devices
            .iter()
            .find(|d| d.session.id == session_id);
        device.map(|d| d.session.status)
    }

    /// Makes every revoke of `session_id` fail with `error` (after it is recorded).
    pub fn fail_revoke(&self, session_id: &str, error: impl Into<ClerkError>) {
        let mut server = self.server.borrow_mut();
        server
            .revoke_failures
            .insert(session_id.to_owned(), error.into());
    }

    /// The user signed in as `acting_session_id` on this client, or Clerk's 401.
    fn acting_user(&self, acting_session_id: &str) -> Result<String, ClerkError> {
        let server = self.server.borrow();
        let session = server
            .client
            .as_ref()
            .and_then(|c| c.signed_in_session(acting_session_id));
        session
            .and_then(|s| s.user_id().map(str::to_owned))
            .ok_or_else(|| ApiError::new(401, "signed_out", "You are signed out").into())
    }

    pub(super) async fn list_active_sessions(
        &self,
        acting_session_id: &str,
    ) -> Result<Vec<ActiveSession>, ClerkError> {
        if let Some(controls) =
            self.receive(BackendCall::ActiveSessions(acting_session_id.to_owned()))
        {
            controls.await?;
        }
        let user_id = self.acting_user(acting_session_id)?;
        let server = self.server.borrow();
        let here = server.client.iter().flat_map(Client::signed_in_sessions);
        let mut sessions: Vec<ActiveSession> = here
            .filter(|s| s.user_id() == Some(user_id.as_str()))
            .map(|s| ActiveSession {
                id: s.id.clone(),
                status: s.status,
                last_active_at: s.last_active_at,
                expire_at: s.expire_at,
                latest_activity: Some(SessionActivity {
                    id: format!("sess_activity_{}", s.id),
                    device_type: Some("This computer".into()),
                    browser_name: Some("MemoryBackend".into()),
                    ..SessionActivity::default()
                }),
            })
            .collect();
        sessions.extend(
            server
                .other_devices
                .iter()
                .filter(|d| d.user_id == user_id && d.session.status == SessionStatus::Active)
                .map(|d| d.session.clone()),
        );
        sessions.sort_by_key(|s| std::cmp::Reverse(s.last_active_at));
        Ok(sessions)
    }

    pub(super) async fn revoke(
        &self,
        acting_session_id: &str,
        session_id: &str,
    ) -> Result<Option<Client>, ClerkError> {
        if let Some(controls) = self.receive(BackendCall::RevokeSession(session_id.to_owned())) {
            controls.await?;
        }
        if let Some(error) = self.server.borrow().revoke_failures.get(session_id) {
            return Err(error.clone());
        }
        let user_id = self.acting_user(acting_session_id)?;
        let mut server = self.server.borrow_mut();
        let device = server.other_devices.iter_mut().find(|d| {
            d.session.id == session_id
                && d.user_id == user_id
                && d.session.status == SessionStatus::Active
        });
        match device {
            Some(device) => {
                device.session.status = SessionStatus::Revoked;
                Ok(server.client.clone())
            }
            None => Err(ApiError::new(404, "resource_not_found", "Session not found").into()),
        }
    }
}
