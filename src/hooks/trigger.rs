//! What `use_sign_out` and `use_set_active` share: one action at a time per
//! trigger, a pending flag for the UI, work that outlives the component, and
//! one place errors go.

use dioxus::core::spawn_forever;
use dioxus::prelude::*;

use super::ClerkContext;
use crate::{Clerk, ClerkError};

/// A trigger: `Copy`, so a click handler can take it along.
#[derive(Clone, Copy)]
pub(crate) struct Trigger {
    /// The provider's handle and the pending flag, in one signal owned by
    /// the calling component (one generational box, not two).
    state: Signal<TriggerState>,
}

/// What a [`Trigger`] holds.
struct TriggerState {
    clerk: Clerk,
    /// Whether this trigger's action is in flight.
    pending: bool,
}

impl Trigger {
    /// The hook part: the provider's handle and a pending flag, owned by the
    /// calling component. `hook` names the public hook for the panic message.
    pub(crate) fn use_new(hook: &'static str) -> Self {
        let state = use_signal(|| TriggerState {
            clerk: ClerkContext::consume(hook).clerk,
            pending: false,
        });
        Self { state }
    }

    /// Whether this trigger's action is in flight (reading it subscribes the component).
    pub(crate) fn is_pending(&self) -> bool {
        self.state.read().pending
    }

    /// Whether this trigger's action is in flight, without subscribing (false
    /// once the component is gone).
    #[cfg(feature = "user-button")]
    pub(crate) fn is_pending_now(&self) -> bool {
        self.state.try_peek().is_ok_and(|state| state.pending)
    }

    /// Starts `action` unless one is in flight. It runs as long as the app
    /// does, so it completes even when the calling component unmounts (as
    /// signed-in content does after a sign-out), or the provider does. Its
    /// error goes to `on_error` while the component is mounted; otherwise it
    /// is logged and kept in the state's `last_error`.
    pub(crate) fn run<T, F>(
        &self,
        what: &str,
        action: impl FnOnce(Clerk) -> F,
        on_error: Option<EventHandler<ClerkError>>,
    ) where
        F: std::future::Future<Output = Result<T, ClerkError>> + 'static,
        T: 'static,
    {
        let mut state = self.state;
        // A trigger kept past its component: nothing to do it with.
        let Ok((busy, clerk)) = state.try_peek().map(|s| (s.pending, s.clerk.clone())) else {
            crate::log::warning!("{what} trigger used after its component unmounted; ignored");
            return;
        };
        if busy {
            crate::log::debug!("{what} already in flight; ignored");
            return;
        }
        state.write().pending = true;
        let work = action(clerk.clone());
        // Not in the caller's scope: a task goes when its scope unmounts, and
        // the server's answer must still land in the handle.
        spawn_forever(async move {
            let result = work.await;
            let still_mounted = state.try_write().map(|mut s| s.pending = false).is_ok();
            if let Err(error) = result {
                match on_error {
                    Some(handler) if still_mounted => handler.call(error),
                    _ => clerk.report_error(error),
                }
            }
        });
    }
}
