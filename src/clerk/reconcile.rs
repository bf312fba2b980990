//! Applying the server's answers in server order, and converging when an
//! answer shows the server has moved on (a session ended elsewhere).

use std::future::Future;

use super::order::{Ticket, Verdict};
use super::Clerk;
use crate::shared_task::SharedTask;
use crate::{AuthState, ClerkError, Client};

/// A reload of the client, shared with every other load in flight.
pub(super) type Reload = SharedTask<Result<(), ClerkError>>;

/// Whether `error` proves the server no longer has what the call acted on:
/// `404 resource_not_found` (a session ended or removed elsewhere), or
/// `401 signed_out` / `authentication_invalid` (the client's sign-in is gone).
pub(crate) fn is_gone(error: &ClerkError) -> bool {
    let ClerkError::Api(api) = error else {
        return false;
    };
    matches!(
        (api.status, api.code()),
        (404, Some("resource_not_found"))
            | (401, Some("signed_out"))
            | (401, Some("authentication_invalid"))
    )
}

impl Clerk {
    /// Takes the server's answer to `call` (sent with `ticket`), with the client
    /// it carries, unless the order says otherwise (see [`super::order`]):
    /// an older answer keeps the state, which takes its active session from the
    /// newer client it holds; an ambiguous one keeps the state too, and the
    /// caller reloads. Returns the verdict.
    pub(super) fn land(
        &self,
        call: &'static str,
        ticket: Ticket,
        client: Option<Client>,
        change: impl FnOnce(&mut AuthState, Option<Client>),
    ) -> Verdict {
        let mut change = Some(change);
        self.land_with(call, ticket, client, &mut |state, client| {
            if let Some(change) = change.take() {
                change(state, client);
            }
        })
    }

    /// [`land`](Self::land)'s body, once in the binary for all its callers.
    fn land_with(
        &self,
        call: &'static str,
        ticket: Ticket,
        client: Option<Client>,
        change: &mut dyn FnMut(&mut AuthState, Option<Client>),
    ) -> Verdict {
        let mut verdict = self.inner.order.judge(client.as_ref(), ticket);
        if verdict == Verdict::Ambiguous
            && self.inner.state.borrow().client.as_deref() == client.as_ref()
        {
            // The same client as the state's: whichever the server did last,
            // the state is the same. Nothing to reload.
            verdict = Verdict::Apply;
        }
        match verdict {
            Verdict::Apply => {
                self.inner.order.applied(client.as_ref());
                self.update(|state| change(state, client));
            }
            Verdict::Older | Verdict::Ambiguous => {
                crate::log::debug!(
                    call,
                    ?verdict,
                    answer_updated_at = client.as_ref().map(|c| c.updated_at),
                    newest_updated_at = self.inner.order.newest(),
                    "the answer is not newer than the state; not applied"
                );
                self.take_active_from_state_client();
            }
        }
        verdict
    }

    /// Lands a change's answer and, when it was ambiguous, reloads so the
    /// state converges on the server's. The reload's failure is kept in the
    /// state; the call itself succeeded on the server.
    ///
    /// The answer lands when this is called; the future only reloads. It
    /// is not generic, so its state machine is in the binary once.
    pub(super) fn land_change(
        &self,
        call: &'static str,
        ticket: Ticket,
        client: Option<Client>,
        change: impl FnOnce(&mut AuthState, Option<Client>),
    ) -> impl Future<Output = bool> + '_ {
        let verdict = self.land(call, ticket, client, change);
        self.reload_if_ambiguous(verdict)
    }

    /// Whether the answer was applied, after a reload when it was ambiguous.
    async fn reload_if_ambiguous(&self, verdict: Verdict) -> bool {
        match verdict {
            Verdict::Apply => true,
            Verdict::Older => false,
            Verdict::Ambiguous => {
                let _ = self.load().await;
                false
            }
        }
    }

    /// The server no longer has what a call acted on: reload the client (one
    /// reload shared by every caller), so the state shows the server's truth.
    /// The future is the reload itself (no state machine around it); its
    /// failure is kept in the state.
    pub(super) fn converge(&self, call: &'static str, error: &ClerkError) -> Reload {
        crate::log::info!(call, %error, "the server has moved on; reloading the client");
        self.shared_load()
    }

    /// The state's client is newer than an answer: keep it, and take the
    /// active session from it (the newer client already has the older call's
    /// effect, while the active id may have been decided before it).
    fn take_active_from_state_client(&self) {
        let active = {
            let state = self.inner.state.borrow();
            let active = AuthState::server_active_session_id(state.client.as_deref());
            (state.active_session_id != active).then_some(active)
        };
        if let Some(active) = active {
            self.update(|state| state.active_session_id = active);
        }
    }
}
