//! What runs after an action succeeds: `SignOutButton`'s `sign_out_callback`,
//! and the same for a switch.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use dioxus::core::SuperFrom;
use futures_util::future::{FutureExt, LocalBoxFuture};

/// The name `SignOutButton`'s prop has always had: an [`SuccessCallback`].
pub type SignOutCallback = SuccessCallback;

type AsyncFn = dyn FnMut() -> LocalBoxFuture<'static, ()>;

/// What runs after a successful sign-out or switch, awaited before any
/// redirect: a closure `|| async { .. }` or a plain `|| { .. }`. Empty by default.
///
/// ```
/// use clerk_dioxus::SuccessCallback;
/// let log = SuccessCallback::new(|| async { println!("signed out") });
/// assert!(log.is_set());
/// assert!(!SuccessCallback::default().is_set());
/// ```
#[derive(Clone, Default)]
pub struct SuccessCallback(Option<Rc<RefCell<AsyncFn>>>);

impl SuccessCallback {
    /// Wraps an async closure.
    pub fn new<F, Fut>(mut callback: F) -> Self
    where
        F: FnMut() -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        Self(Some(Rc::new(RefCell::new(move || {
            callback().boxed_local()
        }))))
    }

    /// Whether a closure is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Runs the closure to completion; does nothing when none is set.
    pub async fn call(&self) {
        self.future().await;
    }

    /// What the handle awaits after a success: the closure, when one is set.
    pub(crate) fn into_then(self) -> Option<Box<dyn FnOnce() -> LocalBoxFuture<'static, ()>>> {
        let callback = self.0?;
        Some(Box::new(move || (callback.borrow_mut())()))
    }

    /// The closure's future (a finished one when none is set).
    pub(crate) fn future(&self) -> LocalBoxFuture<'static, ()> {
        match &self.0 {
            Some(callback) => (callback.borrow_mut())(),
            None => Box::pin(std::future::ready(())),
        }
    }
}

impl PartialEq for SuccessCallback {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for SuccessCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_set() {
            "SuccessCallback(set)"
        } else {
            "SuccessCallback(none)"
        })
    }
}

#[doc(hidden)]
pub struct AsyncClosureMarker;
#[doc(hidden)]
pub struct SyncClosureMarker;

impl<F, Fut> SuperFrom<F, AsyncClosureMarker> for SuccessCallback
where
    F: FnMut() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    fn super_from(callback: F) -> Self {
        Self::new(callback)
    }
}

impl<F> SuperFrom<F, SyncClosureMarker> for SuccessCallback
where
    F: FnMut() + 'static,
{
    fn super_from(mut callback: F) -> Self {
        Self::new(move || {
            callback();
            std::future::ready(())
        })
    }
}
