//! Switching the active session, and the touch of a regained focus.

use super::reconcile::is_gone;
use super::Clerk;
use crate::{AuthState, ClerkError};

impl Clerk {
    /// Makes `session_id` the active session (FAPI `touch`, `intent=select_session`).
    ///
    /// When the answer reaches the handle after a newer one (a sign-out the
    /// server did after this switch, say), it is not applied (see [`Clerk`]):
    /// the call returns `Ok`, because the server made the switch, and the state
    /// keeps the newer client. `session_id` is then active if that client still
    /// names it the last active session; a later change may have signed it out
    /// or switched away, and the state shows that instead. A session the
    /// server had already ended is [`ClerkError::SessionNotFound`], after a
    /// reload that takes it off the state.
    pub async fn set_active(&self, session_id: &str) -> Result<(), ClerkError> {
        if !self.is_loaded() {
            self.load().await?;
        }
        let known = self
            .inner
            .state
            .borrow()
            .client
            .as_ref()
            .and_then(|c| c.signed_in_session(session_id))
            .is_some();
        if !known {
            return Err(ClerkError::SessionNotFound {
                session_id: session_id.to_owned(),
            });
        }
        let ticket = self.inner.order.ticket();
        let answer = self.backend().set_active_session(session_id).await;
        let client = match answer {
            Ok(client) => client,
            Err(error) if is_gone(&error) => {
                let _ = self.converge("set_active", &error).await;
                return Err(ClerkError::SessionNotFound {
                    session_id: session_id.to_owned(),
                });
            }
            Err(error) => return Err(error),
        };
        self.land_change("set_active", ticket, client, |state, client| {
            let still_signed_in = client
                .as_ref()
                .and_then(|c| c.signed_in_session(session_id))
                .is_some();
            state.active_session_id = if still_signed_in {
                Some(session_id.to_owned())
            } else {
                AuthState::server_active_session_id(client.as_ref())
            };
            state.replace_client(client);
            state.last_error = None;
        })
        .await;
        Ok(())
    }

    /// Tells the server the user is back on `session_id`, the active session
    /// when the window gained focus (`touch`,
    /// `intent=focus`, as clerk-js does when the window gains focus) and takes
    /// the client it answers with. A session ended elsewhere makes the state
    /// converge. Returns whether no reload is needed now: the state follows
    /// the server (the answer's client landed, or a reload did), or Clerk is
    /// out of reach (the state is stale, and the sync retries). Otherwise
    /// (no client in the answer, another failure) the caller reloads.
    pub(super) async fn touch_on_focus(&self, session_id: String) -> bool {
        let ticket = self.inner.order.ticket();
        let answer = self.backend().touch_session(&session_id).await;
        self.note_reach(answer.as_ref().err(), true);
        match answer {
            Ok(Some(client)) => {
                self.land_change("touch", ticket, Some(client), |state, client| {
                    // The server keeps the active session on a focus touch.
                    let still = client
                        .as_ref()
                        .and_then(|c| c.signed_in_session(&session_id))
                        .is_some();
                    if !still {
                        state.active_session_id =
                            AuthState::server_active_session_id(client.as_ref());
                    }
                    state.replace_client(client);
                })
                .await;
                true
            }
            Ok(None) => false,
            Err(error) if is_gone(&error) => {
                let _ = self.converge("touch", &error).await;
                true
            }
            Err(error) => {
                crate::log::debug!(%error, "touching the session on focus failed");
                // Clerk out of reach: a reload now would fail as well (the
                // sync tries again, backing off, while the state is stale).
                error.is_unreachable()
            }
        }
    }
}
