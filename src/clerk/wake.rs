//! What wakes a handle's background sync, and how it is told.
//!
//! Wakes are bits in a cell, not messages in a channel: the sync serves every
//! wake that came since it last looked in one pass, so only which kinds came
//! matters. Single-threaded, like the handle.

use std::cell::Cell;

use crate::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};

use crate::SyncReason;

/// What wakes the background task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wake {
    /// The app or the platform saw a reason to check the server.
    Reason(SyncReason),
    /// Another tab of the app signed out.
    OtherTab,
    /// The token cache changed: the next refresh may be sooner.
    Tokens,
    /// The active session changed: fetch its token for the `__session` cookie.
    SessionCookie,
    /// A load failed: a retry may be due.
    LoadFailed,
}

/// The kinds of wakes that came since the sync last looked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Wakes(u8);

impl Wakes {
    const RELOAD: u8 = 1;
    const FOCUS: u8 = 2;
    const SESSION_COOKIE: u8 = 4;
    /// Nothing to do but work out what is due next (new tokens, a failed load).
    const RECHECK: u8 = 8;

    fn of(wake: Wake) -> u8 {
        match wake {
            Wake::Reason(SyncReason::Focus) => Self::RELOAD | Self::FOCUS,
            Wake::Reason(_) | Wake::OtherTab => Self::RELOAD,
            Wake::SessionCookie => Self::SESSION_COOKIE,
            Wake::Tokens | Wake::LoadFailed => Self::RECHECK,
        }
    }

    /// None came: the sync woke because something fell due.
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// A reason to reload came (focus, visibility, online, another tab).
    pub(crate) fn reload(self) -> bool {
        self.0 & Self::RELOAD != 0
    }

    /// The window gained focus.
    pub(crate) fn focus(self) -> bool {
        self.0 & Self::FOCUS != 0
    }

    /// The active session changed.
    pub(crate) fn session_cookie(self) -> bool {
        self.0 & Self::SESSION_COOKIE != 0
    }
}

/// What the handle and the sync share.
#[derive(Default)]
struct Shared {
    pending: Cell<u8>,
    waker: RefCell<Option<Waker>>,
    /// The handle is gone: the sync ends.
    closed: Cell<bool>,
    /// A sync runs (one per handle).
    running: Cell<bool>,
}

impl Shared {
    fn wake(&self, bits: u8) {
        self.pending.set(self.pending.get() | bits);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

/// The handle's end: wakes the sync, and closes it when dropped with the handle.
#[derive(Default)]
pub(crate) struct SyncChannel {
    shared: Rc<Shared>,
}

impl SyncChannel {
    /// A waker for the platform's callbacks (another tab's sign-out) that
    /// does not keep the handle alive.
    pub(crate) fn waker(&self) -> impl Fn(Wake) + 'static {
        let shared = self.shared.clone();
        move |wake| shared.wake(Wakes::of(wake))
    }

    pub(crate) fn wake(&self, wake: Wake) {
        self.shared.wake(Wakes::of(wake));
    }

    /// The sync's end, unless a sync already runs.
    pub(crate) fn listen(&self) -> Option<SyncListener> {
        let shared = self.shared.clone();
        (!shared.running.replace(true)).then_some(SyncListener { shared })
    }
}

impl Drop for SyncChannel {
    fn drop(&mut self) {
        self.shared.closed.set(true);
        self.shared.wake(0);
    }
}

/// The sync's end: waits for wakes. Dropping it lets another sync run.
pub(crate) struct SyncListener {
    shared: Rc<Shared>,
}

impl SyncListener {
    /// The wakes that came, once any came or `deadline` passed (then none);
    /// `None` once the handle is gone.
    pub(crate) fn next(
        &self,
        mut deadline: crate::platform::Sleep,
    ) -> impl Future<Output = Option<Wakes>> + '_ {
        std::future::poll_fn(move |cx| {
            let shared = &self.shared;
            if shared.closed.get() {
                return Poll::Ready(None);
            }
            let pending = shared.pending.replace(0);
            if pending != 0 {
                return Poll::Ready(Some(Wakes(pending)));
            }
            if std::pin::Pin::new(&mut deadline).poll(cx).is_ready() {
                return Poll::Ready(Some(Wakes::default()));
            }
            *shared.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
    }
}

impl Drop for SyncListener {
    fn drop(&mut self) {
        self.shared.running.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn poll_once<F: Future>(future: F) -> Poll<F::Output> {
        let mut future = std::pin::pin!(future);
        future
            .as_mut()
            .poll(&mut std::task::Context::from_waker(Waker::noop()))
    }

    #[test]
    fn wakes_that_came_meanwhile_are_served_together() {
        let channel = SyncChannel::default();
        let listener = channel.listen().expect("the first sync");
        assert!(channel.listen().is_none(), "one sync per handle");
        channel.wake(Wake::Tokens);
        channel.wake(Wake::Reason(SyncReason::Focus));
        let Poll::Ready(Some(wakes)) =
            poll_once(listener.next(crate::platform::sleep(Duration::from_secs(60))))
        else {
            panic!("woken")
        };
        assert!(wakes.reload() && wakes.focus() && !wakes.session_cookie());
        assert!(
            poll_once(listener.next(crate::platform::sleep(Duration::from_secs(60)))).is_pending()
        );
        drop(listener);
        assert!(channel.listen().is_some(), "another sync may run");
    }

    #[test]
    fn the_sync_ends_with_the_handle() {
        let channel = SyncChannel::default();
        let listener = channel.listen().expect("the first sync");
        drop(channel);
        assert_eq!(
            poll_once(listener.next(crate::platform::sleep(Duration::from_secs(60)))),
            Poll::Ready(None)
        );
    }
}
