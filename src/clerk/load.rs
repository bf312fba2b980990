//! Loading the client (`GET /v1/client`).

use std::future::Future;

use futures_util::FutureExt;

use super::order::Verdict;
use super::Clerk;
use crate::shared_task::SharedTask;
use crate::{AuthState, ClerkError};

/// How many times a load is sent again when its answer was ambiguous (sent
/// before, and stamped like, an answer that arrived while it was in flight).
const AMBIGUOUS_RELOADS: usize = 3;

impl Clerk {
    /// Loads the client from the server (`GET /v1/client`). Concurrent calls
    /// share one request. On failure the previous state is kept, `is_loaded`
    /// stays as it was, and the error is stored in `last_error` (and, until
    /// the first load succeeds, in `load_error`); call again to retry.
    /// An answer that may predate a change landed meanwhile is not applied
    /// (see [`Clerk`]); when the server's order cannot be told, the load is
    /// sent again. Both still return `Ok`.
    ///
    /// The returned future owns what it needs (it can be spawned), and the
    /// request goes out when it is first polled.
    pub fn load(&self) -> impl Future<Output = Result<(), ClerkError>> + 'static {
        self.shared_load()
    }

    /// [`load`](Self::load), as the shared task it is.
    pub(super) fn shared_load(&self) -> SharedTask<Result<(), ClerkError>> {
        if let Some(((), task)) = self.inner.loads.current() {
            return task;
        }
        let task = self.clone().load_until_ordered();
        self.inner.loads.start((), task.boxed_local())
    }

    /// The load itself: it owns its handle, so that it is the shared task,
    /// with no state machine around it; its slot empties when it ends.
    async fn load_until_ordered(self) -> Result<(), ClerkError> {
        let _slot = self.inner.loads.finish_on_drop();
        for _ in 0..AMBIGUOUS_RELOADS {
            let ticket = self.inner.order.ticket();
            let answer = self.backend().load_client().await;
            self.note_reach(answer.as_ref().err(), true);
            let client = match answer {
                Ok(client) => client,
                Err(error) => {
                    crate::log::warning!(%error, "loading the Clerk client failed");
                    self.update(|state| {
                        state.last_error = Some(error.clone());
                        if !state.is_loaded {
                            state.load_error = Some(error.clone());
                        }
                    });
                    self.inner.sync.wake(super::wake::Wake::LoadFailed);
                    return Err(error);
                }
            };
            let verdict = self.land("load", ticket, client, |state, client| {
                state.active_session_id = AuthState::server_active_session_id(client.as_ref());
                state.replace_client(client);
                state.is_loaded = true;
                state.last_error = None;
                state.load_error = None;
            });
            if verdict != Verdict::Ambiguous {
                if !self.is_loaded() {
                    // An older answer than a change that landed: the change's
                    // client is the newest word, and it is loaded.
                    self.update(|state| {
                        state.is_loaded = true;
                        state.load_error = None;
                    });
                }
                return Ok(());
            }
        }
        crate::log::debug!("loads kept crossing other answers; the state keeps the newest");
        Ok(())
    }
}
