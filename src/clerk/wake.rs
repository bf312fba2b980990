//! What wakes a handle's background sync, and the channel that carries it.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};

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

/// The wake-up channel: its sender lives in the handle, its receiver with
/// the one task that runs (and goes back here when that task is dropped).
pub(crate) struct SyncChannel {
    sender: UnboundedSender<Wake>,
    pub(super) receiver: Rc<RefCell<Option<UnboundedReceiver<Wake>>>>,
}

impl Default for SyncChannel {
    fn default() -> Self {
        let (sender, receiver) = unbounded();
        Self {
            sender,
            receiver: Rc::new(RefCell::new(Some(receiver))),
        }
    }
}

impl SyncChannel {
    pub(crate) fn sender(&self) -> UnboundedSender<Wake> {
        self.sender.clone()
    }

    pub(crate) fn wake(&self, wake: Wake) {
        let _ = self.sender.unbounded_send(wake);
    }
}
