//! Following the server between calls: one background task per handle that
//! reloads on focus, visibility, coming back online and a timer, retries a
//! failed first load (and a reload while Clerk is out of reach) with
//! backoff, touches the session on focus, and refreshes cached session
//! tokens before they expire. Focus and visibility cause at most one request
//! per [`ATTENTION_INTERVAL`], as clerk-js bounds its focus touch; one that
//! comes sooner is served when the interval is over (clerk-js drops it), so
//! the state still follows the server within 5 s of the user coming back.
//! While the browser is offline nothing is sent, and coming back online
//! reloads at once.

use std::rc::Rc;
use std::time::Duration;

use super::wake::Wake;
use super::Clerk;
use crate::platform::now_secs;
use crate::{ClerkError, SyncReason};

/// The shortest time between two reloads (or focus touches) for the user's
/// attention: focus and visibility events that come sooner wait for the
/// interval's end, and all of them are served by one request then
/// (clerk-js's `touch` is throttled to one per 5 s).
pub(crate) const ATTENTION_INTERVAL: f64 = 5.0;

/// Whether a failed load is worth trying again by itself (the network, the
/// server or a locked keychain); a bad key or URL is not.
fn is_transient(error: &ClerkError) -> bool {
    match error {
        ClerkError::Offline(_)
        | ClerkError::Network(_)
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
    /// The focus or visibility held back (see [`ATTENTION_INTERVAL`]).
    Attention,
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
            // Before any: the first focus is served at once.
            let mut last_attention = f64::NEG_INFINITY;
            // Focus or visibility that came within the interval, held back.
            let mut deferred: Option<super::wake::Wakes> = None;
            let mut failed_loads = 0u32;
            loop {
                let Some(clerk) = weak.upgrade().map(|inner| Clerk { inner }) else {
                    return;
                };
                let now = now_secs();
                let (mut due_at, mut due) = clerk.next_due(last_reload, failed_loads);
                drop(clerk);
                if deferred.is_some() && last_attention + ATTENTION_INTERVAL < due_at {
                    (due_at, due) = (last_attention + ATTENTION_INTERVAL, Due::Attention);
                }
                let wait = crate::platform::sleep(Duration::from_millis(
                    ((due_at - now).max(0.0) * 1000.0) as u64,
                ));
                // Many wakes may have come (a burst of focus events): one pass serves them all.
                let Some(mut wakes) = listener.next(wait).await else {
                    return;
                };
                let Some(clerk) = weak.upgrade().map(|inner| Clerk { inner }) else {
                    return;
                };
                // Offline: nothing is sent, and nothing falls due (the
                // `online` event wakes the sync, with a reload).
                if !crate::platform::is_online() {
                    continue;
                }
                let timely = now_secs() - last_attention >= ATTENTION_INTERVAL;
                if wakes.is_empty() && matches!(due, Due::Attention) {
                    wakes = deferred.take().unwrap_or_default();
                } else if wakes.attention_only() && !timely {
                    // Held back until the interval is over.
                    deferred = Some(deferred.unwrap_or_default().with(wakes.attention()));
                    wakes = wakes.without_attention();
                } else if wakes.reload() {
                    // A reload goes now: it serves what was held back too.
                    wakes = wakes.with(deferred.take().unwrap_or_default());
                }
                let reload = wakes.reload() || (wakes.is_empty() && matches!(due, Due::Reload));
                if reload {
                    last_reload = now_secs();
                    if wakes.has_attention() {
                        last_attention = last_reload;
                    }
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
                    // A first load that failed, or Clerk out of reach: the
                    // next try backs off further.
                    failed_loads = if loaded.is_err() || clerk.inner.state.borrow().is_stale() {
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
        // Nothing is due while offline: the `online` event wakes the sync.
        let never = now_secs() + 86_400.0;
        if !crate::platform::is_online() {
            return (never, Due::Tokens);
        }
        let reload_at = {
            let state = self.inner.state.borrow();
            match &state.load_error {
                // Loaded, but the last reload could not reach Clerk: again,
                // backing off, so the state follows the server soon after
                // an outage. Unless a token refresh is due: it probes on the
                // same backoff, and its first answer wakes a reload (one
                // probe, not two, while Clerk is out of reach).
                _ if state.is_loaded && failed_loads > 0 && self.next_token_refresh().is_none() => {
                    let retry_after = state
                        .last_error
                        .as_ref()
                        .and_then(super::backoff::retry_after_of);
                    let wait = super::backoff::delay(failed_loads, retry_after);
                    Some(last_reload + wait.as_secs_f64())
                }
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
        assert!(is_transient(&ClerkError::Offline("refused".into())));
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
