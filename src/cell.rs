//! [`RefCell`]: the standard one, minus the call site its borrows record.
//!
//! `std::cell::RefCell::borrow` and `borrow_mut` are `#[track_caller]`:
//! every call passes the address of a `Location` (file, line, column) kept
//! in the binary, so that a borrow conflict can say where it happened. The
//! crate has a hundred of them, and a conflict is a bug in the crate either
//! way. This wrapper borrows through `try_borrow*`, which record nothing,
//! and panics from one place.

use std::cell::{Ref, RefMut};

/// A `std::cell::RefCell` whose borrows are not `#[track_caller]`.
#[derive(Default)]
pub(crate) struct RefCell<T>(std::cell::RefCell<T>);

impl<T> RefCell<T> {
    /// A cell holding `value`.
    pub(crate) const fn new(value: T) -> Self {
        Self(std::cell::RefCell::new(value))
    }

    /// Borrows the value; panics while it is borrowed mutably.
    pub(crate) fn borrow(&self) -> Ref<'_, T> {
        match self.0.try_borrow() {
            Ok(value) => value,
            Err(_) => conflict(),
        }
    }

    /// Borrows the value mutably; panics while it is borrowed.
    pub(crate) fn borrow_mut(&self) -> RefMut<'_, T> {
        match self.0.try_borrow_mut() {
            Ok(value) => value,
            Err(_) => conflict(),
        }
    }

    /// Puts `value` in, returning the value that was there.
    pub(crate) fn replace(&self, value: T) -> T {
        std::mem::replace(&mut *self.borrow_mut(), value)
    }
}

impl<T: Default> RefCell<T> {
    /// Takes the value, leaving the default.
    pub(crate) fn take(&self) -> T {
        self.replace(T::default())
    }
}

/// A borrow conflict: a bug in the crate.
#[cold]
#[inline(never)]
fn conflict() -> ! {
    panic!("clerk-dioxus: a state cell was borrowed while in use")
}

#[cfg(test)]
mod tests {
    use super::RefCell;

    #[test]
    fn borrows_take_and_replace_like_the_standard_cell() {
        let cell = RefCell::new(vec![1]);
        cell.borrow_mut().push(2);
        assert_eq!(*cell.borrow(), [1, 2]);
        assert_eq!(cell.replace(vec![3]), [1, 2]);
        assert_eq!(cell.take(), [3]);
        assert!(cell.borrow().is_empty());
    }

    #[test]
    #[should_panic(expected = "borrowed while in use")]
    fn a_conflict_panics() {
        let cell = RefCell::new(0);
        let _reading = cell.borrow();
        let _ = cell.borrow_mut();
    }
}
