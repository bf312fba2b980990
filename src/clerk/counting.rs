//! The handle's backend, counted while a call runs (for
//! [`Clerk::requests_in_flight`](super::Clerk::requests_in_flight)).

use std::cell::Cell;
use std::ops::Deref;

use super::Clerk;
use crate::backend::BackendOps;

/// The backend, counting one call in flight until dropped: make one per
/// call, and keep it until the call's answer is in (or the call is dropped).
pub(super) struct Counted<'a> {
    backend: &'a dyn BackendOps,
    in_flight: &'a Cell<usize>,
}

impl Deref for Counted<'_> {
    type Target = dyn BackendOps;

    fn deref(&self) -> &Self::Target {
        self.backend
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.in_flight.set(self.in_flight.get() - 1);
    }
}

impl Clerk {
    /// The backend for one call, counted while the call runs.
    pub(super) fn backend(&self) -> Counted<'_> {
        let in_flight = &self.inner.in_flight;
        in_flight.set(in_flight.get() + 1);
        Counted {
            backend: &*self.inner.backend,
            in_flight,
        }
    }
}
