//! Following the server between calls: one background task per handle that
//! reloads on focus, visibility, coming back online and a timer, retries a
//! failed first load with backoff, touches the session on focus, and
//! refreshes cached session tokens before they expire.

use std::rc::Rc;
use std::time::Duration;

use super::wake::Wake;
use super::Clerk;
use crate::platform::now_secs;
use crate::{ClerkError, SyncReason};

/// Whether a failed load is worth trying again by itself (the network, the
/// server or a locked keychain); a bad key or URL is not.
fn is_transient(error: &ClerkError) -> bool {
    match error {
        ClerkError::Network(_)
        | ClerkError::Timeout(_)
        | ClerkError::Decode { .. }
        | ClerkError::TokenStore(_) => true,
        ClerkError::Api(api) => api.status >= 500 || api.status == 429,
        _ => false,
    }
}

/// What the task does next, and when.
enum Due {
    Reload,
    Tokens,
}

impl Clerk {
    /// Tells the handle to check the server now: what the background sync does
    /// when the window gains focus (also touching the active session), the page
    /// becomes visible, or the device comes back online. The web build
    /// listens for these itself, and `ClerkProvider` forwards a desktop
    /// window's focus; call it from other platform events (a mobile app
    /// coming to the foreground, say).
    pub fn resync(&self, reason: SyncReason) {
        self.inner.sync.wake(Wake::Reason(reason));
    }

    /// The background sync, to run for as long as the app does. `ClerkProvider`
    /// runs it; run it yourself (`spawn_local`, `spawn_forever`) when you use
    /// the handle without one. One runs per handle: a second call returns a
    /// future that ends at once. It ends when every clone of the handle is gone.
    pub fn run_sync(&self) -> impl std::future::Future<Output = ()> + 'static {
        let weak = Rc::downgrade(&self.inner);
        let listener = self.inner.sync.listen();
        let page_events = weak.clone();
        async move {
            let Some(listener) = listener else {
                crate::log::debug!("the handle's sync already runs");
                return;
            };
            // The page's focus, visibility and connectivity (a no-op natively).
            // Through the handle: when the handle is gone, this task ends.
            let _listeners = crate::platform::watch_window(move |reason| {
                if let Some(inner) = page_events.upgrade() {
                    inner.sync.wake(Wake::Reason(reason));
                }
            });
            // The loop is in this block, not a function of its own: one
            // state machine less.
            let mut last_reload = now_secs();
            let mut failed_loads = 0u32;
            loop {
                let Some(clerk) = weak.upgrade().map(|inner| Clerk { inner }) else {
                    return;
                };
                let now = now_secs();
                let (due_at, due) = clerk.next_due(last_reload, failed_loads);
                drop(clerk);
                let wait = crate::platform::sleep(Duration::from_millis(
                    ((due_at - now).max(0.0) * 1000.0) as u64,
                ));
                // Many wakes may have come (a burst of focus events): one pass serves them all.
                let Some(wakes) = listener.next(wait).await else {
                    return;
                };
                let Some(clerk) = weak.upgrade().map(|inner| Clerk { inner }) else {
                    return;
                };
                let reload = wakes.reload() || (wakes.is_empty() && matches!(due, Due::Reload));
                if reload {
                    last_reload = now_secs();
                    // On focus, the touch of the session active when it came,
                    // as clerk-js sends: its answer carries the whole client,
                    // so it is the reload too (one request, not two). Without
                    // an active session, or when the touch gave no client,
                    // the reload itself.
                    let active = if wakes.focus() {
                        clerk.active_session_id()
                    } else {
                        None
                    };
                    let touched = match active {
                        Some(id) => clerk.touch_on_focus(id).await,
                        None => false,
                    };
                    let loaded = match touched {
                        true => Ok(()),
                        false => clerk.shared_load().await,
                    };
                    failed_loads = if loaded.is_err() && !clerk.is_loaded() {
                        failed_loads.saturating_add(1)
                    } else {
                        0
                    };
                }
                // Only once session tokens are in use (an app that never uses them
                // links no token request).
                let tokens = clerk.inner.tokens.get();
                let refresh = tokens.map(|tokens| tokens.refresh(&clerk, wakes.session_cookie()));
                if let Some(refresh) = refresh {
                    refresh.await;
                }
            }
        }
    }
}

impl Clerk {
    /// The next thing the background task does on its own, and when.
    fn next_due(&self, last_reload: f64, failed_loads: u32) -> (f64, Due) {
        let reload_at = {
            let state = self.inner.state.borrow();
            match &state.load_error {
                _ if state.is_loaded => self
                    .inner
                    .sync_interval
                    .map(|interval| last_reload + interval.as_secs_f64()),
                // The first load failed: try again, backing off (`backoff`),
                // or when the server said.
                Some(error) if is_transient(error) => {
                    let retry_after = super::backoff::retry_after_of(error);
                    let wait = super::backoff::delay(failed_loads + 1, retry_after);
                    Some(last_reload + wait.as_secs_f64())
                }
                // Still loading, or a failure no retry can mend (a bad key).
                _ => None,
            }
        };
        let tokens_at = self.next_token_refresh();
        // Nothing due: wake for events only (a day is "never" here).
        let never = now_secs() + 86_400.0;
        match (reload_at, tokens_at) {
            (Some(r), Some(t)) if t < r => (t, Due::Tokens),
            (Some(r), _) => (r, Due::Reload),
            (None, Some(t)) => (t, Due::Tokens),
            (None, None) => (never, Due::Tokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_failures_are_retried() {
        assert!(is_transient(&ClerkError::Network("reset".into())));
        assert!(is_transient(&ClerkError::Api(crate::ApiError::new(
            503,
            "unavailable",
            "later"
        ))));
        assert!(!is_transient(&ClerkError::Api(crate::ApiError::new(
            401,
            "signed_out",
            "no"
        ))));
        assert!(!is_transient(&ClerkError::InvalidPublishableKey(
            crate::error::KeyError::NotValid
        )));
    }
}
