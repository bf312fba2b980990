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
    /// Clerk answered again after a spell out of reach: reload.
    Recovered,
}

/// The kinds of wakes that came since the sync last looked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Wakes(u8);

impl Wakes {
    /// Online again, another tab signed out, or the app asked: reload now.
    const RELOAD: u8 = 1;
    const FOCUS: u8 = 2;
    const SESSION_COOKIE: u8 = 4;
    /// Nothing to do but work out what is due next (new tokens, a failed load).
    const RECHECK: u8 = 8;
    /// The page became visible.
    const VISIBLE: u8 = 16;

    fn of(wake: Wake) -> u8 {
        match wake {
            Wake::Reason(SyncReason::Focus) => Self::FOCUS,
            Wake::Reason(SyncReason::Visible) => Self::VISIBLE,
            Wake::Reason(_) | Wake::OtherTab | Wake::Recovered => Self::RELOAD,
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
        self.0 & (Self::RELOAD | Self::FOCUS | Self::VISIBLE) != 0
    }

    /// The only reasons to reload were the user's attention (focus or
    /// visibility), which the sync bounds (see `sync::ATTENTION_INTERVAL`).
    pub(crate) fn attention_only(self) -> bool {
        self.reload() && self.0 & Self::RELOAD == 0
    }

    /// These wakes and `other`'s.
    pub(crate) fn with(self, other: Wakes) -> Wakes {
        Wakes(self.0 | other.0)
    }

    /// Only the focus and visibility among these.
    pub(crate) fn attention(self) -> Wakes {
        Wakes(self.0 & (Self::FOCUS | Self::VISIBLE))
    }

    /// Whether focus or visibility is among these.
    pub(crate) fn has_attention(self) -> bool {
        self.0 & (Self::FOCUS | Self::VISIBLE) != 0
    }

    /// These without focus and visibility.
    pub(crate) fn without_attention(self) -> Wakes {
        Wakes(self.0 & !(Self::FOCUS | Self::VISIBLE))
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
    fn focus_and_visibility_alone_are_attention_which_the_sync_bounds() {
        let of = |wakes: &[Wake]| Wakes(wakes.iter().fold(0, |bits, w| bits | Wakes::of(*w)));
        let focus = Wake::Reason(SyncReason::Focus);
        let visible = Wake::Reason(SyncReason::Visible);
        assert!(of(&[focus]).attention_only() && of(&[focus]).focus());
        assert!(of(&[focus, visible]).attention_only());
        assert!(of(&[visible]).reload() && !of(&[visible]).focus());
        for urgent in [
            Wake::Reason(SyncReason::Online),
            Wake::OtherTab,
            Wake::Recovered,
        ] {
            assert!(
                !of(&[focus, urgent]).attention_only(),
                "{urgent:?} is not bounded"
            );
            assert!(of(&[urgent]).reload());
        }
        assert!(!of(&[Wake::Tokens]).reload());
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
