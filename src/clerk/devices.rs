//! Other devices: the signed-in user's sessions on other clients (other
//! browsers, other app installs), and revoking them from here.

use futures_util::stream::{self, StreamExt};

use super::reconcile::is_gone;
use super::Clerk;
use crate::model::{ActiveDevice, DeviceRevocation, RevokeOutcome};
use crate::ClerkError;

/// How many revokes "sign out of all other devices" keeps in flight at once.
pub(crate) const REVOKE_CONCURRENCY: usize = 4;

impl Clerk {
    /// The active user's active sessions on every client, this one first and
    /// marked [`ActiveDevice::is_this_device`], then the others, most
    /// recently active first (`GET /v1/me/sessions/active`, acting as the
    /// active session). [`ClerkError::SignedOut`] when no session is active.
    /// When the server no longer has the acting session, the state reloads
    /// (it was signed out elsewhere) and the error is returned.
    pub async fn active_devices(&self) -> Result<Vec<ActiveDevice>, ClerkError> {
        if !self.is_loaded() {
            self.load().await?;
        }
        let acting = self.acting_session()?;
        let answer = self.backend().active_sessions(&acting).await;
        let sessions = match answer {
            Ok(sessions) => sessions,
            Err(error) => {
                if is_gone(&error) {
                    let _ = self.converge("active_sessions", &error).await;
                }
                return Err(error);
            }
        };
        let mut devices: Vec<ActiveDevice> = sessions
            .into_iter()
            .map(|session| ActiveDevice {
                is_this_device: self.is_this_client(&session.id),
                session,
            })
            .collect();
        // Stable: the server's order (most recent first) within each group.
        devices.sort_by_key(|device| !device.is_this_device);
        Ok(devices)
    }

    /// Revokes `session_id`, a session of the active user on another device
    /// (`POST /v1/me/sessions/{id}/revoke`). A session the server no longer
    /// has active (revoked or ended elsewhere: `404`) is
    /// [`RevokeOutcome::AlreadyEnded`]. This client's own sessions are
    /// refused with [`ClerkError::ThisDevice`] before anything is sent: sign
    /// those out with `SignOutButton`.
    pub async fn revoke_device(&self, session_id: &str) -> Result<RevokeOutcome, ClerkError> {
        if self.is_this_client(session_id) {
            return Err(ClerkError::ThisDevice {
                session_id: session_id.to_owned(),
            });
        }
        let acting = self.acting_session()?;
        let answer = self.backend().revoke_session(&acting, session_id).await;
        match answer {
            Ok(_) => Ok(RevokeOutcome::Revoked),
            Err(ClerkError::Api(api)) if api.status == 404 => Ok(RevokeOutcome::AlreadyEnded),
            Err(error) => {
                if is_gone(&error) {
                    let _ = self.converge("revoke_session", &error).await;
                }
                Err(error)
            }
        }
    }

    /// Signs the active user out of every other device: lists them, then
    /// revokes each one's session, at most four at a time. Returns each
    /// device's own result, in list order, so a partial failure says which
    /// devices are still signed in. Fails as a whole only when the list cannot
    /// be had.
    pub async fn sign_out_other_devices(&self) -> Result<Vec<DeviceRevocation>, ClerkError> {
        let others = self
            .active_devices()
            .await?
            .into_iter()
            .filter(|device| !device.is_this_device);
        let revocations = stream::iter(others.map(|device| async move {
            let result = self.revoke_device(&device.session.id).await;
            DeviceRevocation { device, result }
        }))
        .buffered(REVOKE_CONCURRENCY)
        .collect()
        .await;
        Ok(revocations)
    }

    /// The active session, which acts for the user; `SignedOut` without one.
    fn acting_session(&self) -> Result<String, ClerkError> {
        let state = self.inner.state.borrow();
        state.active_session_id.clone().ok_or(ClerkError::SignedOut)
    }

    /// Whether this client lists `session_id` (signed in or not).
    fn is_this_client(&self, session_id: &str) -> bool {
        let state = self.inner.state.borrow();
        let client = state.client.as_deref();
        client.is_some_and(|c| c.sessions.iter().any(|s| s.id == session_id))
    }
}
