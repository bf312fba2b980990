//! One operation in flight at a time, shared by every caller that asks for the
//! same thing while it runs.

use std::cell::RefCell;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared, WeakShared};

pub(crate) type SharedTask<T> = Shared<LocalBoxFuture<'static, T>>;

/// A slot for the operation in flight, keyed by what it was asked to do.
///
/// The slot holds the operation weakly: it lives as long as someone awaits it.
/// When every caller is gone (the app closed mid-flight), it is dropped rather
/// than kept forever by the handle it holds a clone of.
pub(crate) struct InFlight<K, T: Clone> {
    slot: RefCell<Option<(K, WeakShared<LocalBoxFuture<'static, T>>)>>,
}

impl<K: Clone, T: Clone> Default for InFlight<K, T> {
    fn default() -> Self {
        Self {
            slot: RefCell::new(None),
        }
    }
}

impl<K: Clone, T: Clone> InFlight<K, T> {
    /// The operation in flight, if any.
    pub(crate) fn current(&self) -> Option<(K, SharedTask<T>)> {
        let slot = self.slot.borrow();
        let (key, task) = slot.as_ref()?;
        Some((key.clone(), task.upgrade()?))
    }

    /// Puts `task` in the slot and returns a handle to await. The task must call
    /// [`InFlight::finish`] as its last step.
    pub(crate) fn start(&self, key: K, task: LocalBoxFuture<'static, T>) -> SharedTask<T> {
        let shared = task.shared();
        *self.slot.borrow_mut() = shared.downgrade().map(|weak| (key, weak));
        shared
    }

    /// Empties the slot.
    pub(crate) fn finish(&self) {
        self.slot.borrow_mut().take();
    }

    /// Whether an operation is in flight.
    pub(crate) fn is_busy(&self) -> bool {
        self.current().is_some()
    }
}
