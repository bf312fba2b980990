//! One operation in flight at a time, shared by every caller that asks for the
//! same thing while it runs: the handle's loads, sign-outs and token requests,
//! and the in-memory backend's holds.
//!
//! A single-threaded stand-in for `futures::future::Shared`: the handle's
//! futures are not `Send`, so the waiters need no lock and no waker of their
//! own. Whoever polls the operation drives it with its own waker; when that
//! waiter goes away before the end, the next one is woken to take over, and
//! when the operation ends, every waiter is woken to take a copy of its result.

use std::cell::Cell;

use crate::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures_util::future::LocalBoxFuture;

/// The wakers of an operation's waiters, and which of them drives it now.
/// Not generic, so there is one copy of it in the binary.
#[derive(Default)]
struct Waiters {
    wakers: RefCell<Vec<(usize, Waker)>>,
    next_id: Cell<usize>,
    /// The waiter whose waker the operation holds (it polled it last).
    driver: Cell<Option<usize>>,
}

impl Waiters {
    /// A new waiter's id.
    fn join(&self) -> usize {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// Keeps `waker` as `id`'s; `drives` when `id` polls the operation now.
    fn register(&self, id: usize, waker: &Waker, drives: bool) {
        let mut wakers = self.wakers.borrow_mut();
        match wakers.iter_mut().find(|(waiter, _)| *waiter == id) {
            Some((_, known)) => known.clone_from(waker),
            None => wakers.push((id, waker.clone())),
        }
        if drives {
            self.driver.set(Some(id));
        }
    }

    /// The operation ended: every waiter comes for its copy of the result.
    fn wake_all(&self) {
        for (_, waker) in self.wakers.take() {
            waker.wake();
        }
    }

    /// `id` stops waiting. If the operation would have woken it, the next
    /// waiter is woken to drive it instead.
    fn leave(&self, id: usize) {
        let mut wakers = self.wakers.borrow_mut();
        wakers.retain(|(waiter, _)| *waiter != id);
        if self.driver.get() == Some(id) {
            self.driver.set(None);
            if let Some((_, next)) = wakers.first() {
                next.wake_by_ref();
            }
        }
    }
}

/// An operation and, once it has ended, its result.
struct Operation<T> {
    /// `None` once it has ended (or while it is being polled).
    future: RefCell<Option<LocalBoxFuture<'static, T>>>,
    result: RefCell<Option<T>>,
    waiters: Waiters,
}

/// One caller's wait for a shared operation: resolves to a copy of its result.
pub(crate) struct SharedTask<T> {
    operation: Rc<Operation<T>>,
    id: usize,
}

impl<T> SharedTask<T> {
    /// Starts sharing `future`: this is its first waiter; clones are others.
    pub(crate) fn new(future: LocalBoxFuture<'static, T>) -> Self {
        Self::join(Rc::new(Operation {
            future: RefCell::new(Some(future)),
            result: RefCell::new(None),
            waiters: Waiters::default(),
        }))
    }

    fn join(operation: Rc<Operation<T>>) -> Self {
        let id = operation.waiters.join();
        Self { operation, id }
    }
}

impl<T: Clone> Future for SharedTask<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let operation = &*self.operation;
        if let Some(result) = operation.result.borrow().as_ref() {
            return Poll::Ready(result.clone());
        }
        let taken = operation.future.borrow_mut().take();
        let Some(mut future) = taken else {
            // Polled further up this very call stack: wait for its end.
            operation.waiters.register(self.id, cx.waker(), false);
            return Poll::Pending;
        };
        operation.waiters.register(self.id, cx.waker(), true);
        match future.as_mut().poll(cx) {
            Poll::Ready(result) => {
                *operation.result.borrow_mut() = Some(result.clone());
                operation.waiters.wake_all();
                Poll::Ready(result)
            }
            Poll::Pending => {
                *operation.future.borrow_mut() = Some(future);
                Poll::Pending
            }
        }
    }
}

/// Another waiter of the same operation.
impl<T> Clone for SharedTask<T> {
    fn clone(&self) -> Self {
        Self::join(self.operation.clone())
    }
}

impl<T> Drop for SharedTask<T> {
    fn drop(&mut self) {
        self.operation.waiters.leave(self.id);
    }
}

/// A slot for the operation in flight, keyed by what it was asked to do.
///
/// The slot holds the operation weakly: it lives as long as someone awaits it.
/// When every caller is gone (the app closed mid-flight), it is dropped rather
/// than kept forever by the handle it holds a clone of.
pub(crate) struct InFlight<K, T> {
    slot: RefCell<Option<(K, Weak<Operation<T>>)>>,
}

/// See [`InFlight::finish_on_drop`].
pub(crate) struct FinishOnDrop<'a, K, T>(&'a InFlight<K, T>);

impl<K, T> Drop for FinishOnDrop<'_, K, T> {
    fn drop(&mut self) {
        self.0.slot.borrow_mut().take();
    }
}

impl<K, T> Default for InFlight<K, T> {
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
        let (key, operation) = slot.as_ref()?;
        Some((key.clone(), SharedTask::join(operation.upgrade()?)))
    }

    /// Puts `task` in the slot and returns a handle to await. The task must
    /// hold the guard of [`InFlight::finish_on_drop`] for its whole run.
    pub(crate) fn start(&self, key: K, task: LocalBoxFuture<'static, T>) -> SharedTask<T> {
        let task = SharedTask::new(task);
        *self.slot.borrow_mut() = Some((key, Rc::downgrade(&task.operation)));
        task
    }

    /// Empties the slot when the returned guard drops: held by a task for
    /// its whole run, the slot empties as the task ends, and also when the
    /// task is dropped before its end.
    pub(crate) fn finish_on_drop(&self) -> FinishOnDrop<'_, K, T> {
        FinishOnDrop(self)
    }

    /// Whether an operation is in flight.
    pub(crate) fn is_busy(&self) -> bool {
        self.slot
            .borrow()
            .as_ref()
            .is_some_and(|(_, operation)| operation.strong_count() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use std::task::Waker;

    /// A future that stays pending until `release` is set.
    fn gate(release: Rc<Cell<bool>>, polls: Rc<Cell<u32>>) -> LocalBoxFuture<'static, u32> {
        std::future::poll_fn(move |cx| {
            polls.set(polls.get() + 1);
            if release.get() {
                Poll::Ready(7)
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .boxed_local()
    }

    #[test]
    fn waiters_share_one_run_and_each_gets_the_result() {
        let slot: InFlight<(), u32> = InFlight::default();
        let (release, polls) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(0)));
        let mut first = slot.start((), gate(release.clone(), polls.clone()));
        let ((), mut second) = slot.current().expect("in flight");
        let mut cx = Context::from_waker(Waker::noop());
        assert!(first.poll_unpin(&mut cx).is_pending());
        assert!(second.poll_unpin(&mut cx).is_pending());
        assert!(slot.is_busy());
        release.set(true);
        assert_eq!(second.poll_unpin(&mut cx), Poll::Ready(7));
        assert_eq!(first.poll_unpin(&mut cx), Poll::Ready(7));
        assert_eq!(polls.get(), 3, "one operation, polled by whoever came");
    }

    #[test]
    fn the_operation_is_dropped_with_its_last_waiter() {
        let slot: InFlight<(), u32> = InFlight::default();
        let (release, polls) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(0)));
        let first = slot.start((), gate(release, polls));
        assert!(slot.is_busy());
        drop(first);
        assert!(!slot.is_busy());
        assert!(slot.current().is_none());
    }

    #[test]
    fn a_waiter_that_leaves_hands_the_operation_to_the_next() {
        use std::sync::atomic::{AtomicBool, Ordering};
        struct Flag(AtomicBool);
        impl std::task::Wake for Flag {
            fn wake(self: std::sync::Arc<Self>) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let slot: InFlight<(), u32> = InFlight::default();
        let release = Rc::new(Cell::new(false));
        let polls = Rc::new(Cell::new(0));
        let mut driver = slot.start((), gate(release, polls));
        let ((), mut other) = slot.current().expect("in flight");
        let woken = std::sync::Arc::new(Flag(AtomicBool::new(false)));
        let other_waker = Waker::from(woken.clone());
        assert!(other
            .poll_unpin(&mut Context::from_waker(&other_waker))
            .is_pending());
        assert!(driver
            .poll_unpin(&mut Context::from_waker(Waker::noop()))
            .is_pending());
        woken.0.store(false, Ordering::Relaxed);
        drop(driver);
        assert!(
            woken.0.load(Ordering::Relaxed),
            "the remaining waiter is woken to drive"
        );
    }
}
