//! What a test does to the in-memory server: reads its call log, makes calls
//! fail, wait or hold, and changes things out of band (another device ending
//! a session, a frozen clock, the environment).

use crate::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures_channel::oneshot;
use futures_util::future::LocalBoxFuture;

use super::calls::Gate;
use super::server::{CallControls, Controls, Server};
use super::{BackendCall, CallKind, Hold, MemoryBackend};
use crate::model::Environment;
use crate::small_map::SmallMap;
use crate::ClerkError;

/// Counts a call as delayed until it is done waiting, or dropped mid-wait.
struct Delayed(Rc<RefCell<Server>>);

impl Delayed {
    fn start(server: &Rc<RefCell<Server>>) -> Self {
        server.borrow_mut().delayed += 1;
        Self(server.clone())
    }
}

impl Drop for Delayed {
    fn drop(&mut self) {
        self.0.borrow_mut().delayed -= 1;
    }
}

impl MemoryBackend {
    /// Every call received so far, in order.
    pub fn calls(&self) -> Vec<BackendCall> {
        self.server.borrow().calls.clone()
    }

    /// How many calls of `kind` were received.
    pub fn call_count(&self, kind: CallKind) -> usize {
        self.server
            .borrow()
            .calls
            .iter()
            .filter(|c| c.kind() == kind)
            .count()
    }

    /// Forgets the call log.
    pub fn clear_calls(&self) {
        self.server.borrow_mut().calls.clear();
    }

    /// Makes every call of `kind` fail with `error` (an [`ApiError`](crate::ApiError) or any
    /// [`ClerkError`]) until [`MemoryBackend::recover`]. The server state is unchanged.
    pub fn fail(&self, kind: CallKind, error: impl Into<ClerkError>) {
        let mut error = Some(error.into());
        self.control(kind, &mut |c| c.failure = error.take());
    }

    /// Delays every call of `kind` by `delay`.
    pub fn delay(&self, kind: CallKind, delay: Duration) {
        self.control(kind, &mut |c| c.delay = Some(delay));
    }

    /// Changes what happens to calls of `kind`; the first change installs
    /// the table of controls.
    fn control(&self, kind: CallKind, change: &mut dyn FnMut(&mut Controls)) {
        let mut server = self.server.borrow_mut();
        let table = server
            .controls
            .get_or_insert_with(|| Box::new(ControlTable::default()));
        table.change(kind, change);
    }

    /// How many calls are waiting out a [`delay`](Self::delay) right now: a
    /// test harness waits for these to finish before it calls the app idle.
    /// (A call kept by a [`Hold`] waits for the test, and is not counted.)
    pub fn delayed_calls(&self) -> usize {
        self.server.borrow().delayed
    }

    /// Keeps every call of `kind` waiting until the returned [`Hold`] is
    /// released or dropped. For tests that look at a pending state.
    pub fn hold(&self, kind: CallKind) -> Hold {
        let (sender, receiver) = oneshot::channel();
        let gate = Gate::new(Box::pin(async move {
            // A dropped `Hold` releases as well: the error is the release.
            let _ = receiver.await;
        }));
        self.control(kind, &mut |c| c.hold = Some(gate.clone()));
        Hold(Some(sender))
    }

    /// How long the session tokens it issues from now on live (60 s by default).
    #[cfg(feature = "memory-tokens")]
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.server.borrow_mut().token_lifetime = lifetime;
    }

    /// What it answers for the instance's environment (every page unset by
    /// default). Not a recorded call: it reads settings, not the client.
    pub fn set_environment(&self, environment: Environment) {
        self.server.borrow_mut().environment = environment;
    }

    /// How many session tokens it has issued.
    #[cfg(feature = "memory-tokens")]
    pub fn tokens_issued(&self) -> u64 {
        self.server.borrow().tokens_issued
    }

    /// Keeps the server clock still: every change from now on carries the same
    /// `updated_at`, as two changes in one millisecond do on a real server.
    pub fn freeze_clock(&self, frozen: bool) {
        self.server.borrow_mut().frozen_clock = frozen;
    }

    /// Ends a session out of band, as another device or an admin does: it
    /// leaves the client, whose `updated_at` moves on. Not recorded as a call.
    /// Returns whether it was signed in.
    pub fn end_session(&self, session_id: &str) -> bool {
        let mut server = self.server.borrow_mut();
        if server.signed_in_index(session_id).is_err() {
            return false;
        }
        let now = server.tick();
        let client = server.client_mut(now);
        client.sessions.retain(|s| s.id != session_id);
        if client.last_active_session_id.as_deref() == Some(session_id) {
            client.last_active_session_id = None;
        }
        true
    }

    /// Ends every session of the client out of band. Not recorded as a call.
    pub fn end_all_sessions(&self) {
        let mut server = self.server.borrow_mut();
        let now = server.tick();
        let client = server.client_mut(now);
        client.sessions.clear();
        client.last_active_session_id = None;
    }

    /// Removes every failure, delay and hold.
    pub fn recover(&self) {
        self.server.borrow_mut().controls = None;
    }

    /// Records the call; when a test set any controls, returns what applies
    /// its hold, delay and failure, in that order (`None`: nothing to wait
    /// out). One boxed future for every kind of call: each backend method
    /// awaits it, instead of carrying the hold and the delay in its own state.
    pub(super) fn receive(
        &self,
        call: BackendCall,
    ) -> Option<LocalBoxFuture<'static, Result<(), ClerkError>>> {
        let kind = call.kind();
        let mut server = self.server.borrow_mut();
        server.calls.push(call);
        let table = server.controls.as_ref()?;
        Some(table.apply(kind, &self.server))
    }
}

/// What a test set for each kind of call, behind [`CallControls`]: made by
/// the first `fail`, `delay` or `hold`, so an app that sets none (a demo on
/// this backend) links none of it.
#[derive(Default)]
struct ControlTable(SmallMap<CallKind, Controls>);

impl CallControls for ControlTable {
    fn change(&mut self, kind: CallKind, change: &mut dyn FnMut(&mut Controls)) {
        change(self.0.get_or_default(kind));
    }

    fn apply(
        &self,
        kind: CallKind,
        server: &Rc<RefCell<Server>>,
    ) -> LocalBoxFuture<'static, Result<(), ClerkError>> {
        let controls = self.0.get(&kind);
        let gate = controls.and_then(|c| c.hold.clone());
        let delay = controls.and_then(|c| c.delay);
        let server = server.clone();
        Box::pin(async move {
            if let Some(gate) = gate {
                gate.await;
            }
            if let Some(delay) = delay {
                let _counted = Delayed::start(&server);
                crate::platform::sleep(delay).await;
            }
            // Read after the wait: a test may set a failure meanwhile.
            let failure = server
                .borrow()
                .controls
                .as_ref()
                .and_then(|table| table.failure(kind));
            match failure {
                Some(error) => Err(error),
                None => Ok(()),
            }
        })
    }

    fn failure(&self, kind: CallKind) -> Option<ClerkError> {
        self.0.get(&kind)?.failure.clone()
    }
}
