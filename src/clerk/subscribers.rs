//! Listeners told about every state change.

use crate::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::AuthState;

type Listener = Rc<dyn Fn(&AuthState)>;

#[derive(Default)]
pub(crate) struct Subscribers {
    next_id: std::cell::Cell<u64>,
    listeners: RefCell<Vec<(u64, Listener)>>,
}

impl Subscribers {
    pub(crate) fn add(self: &Rc<Self>, listener: Listener) -> Subscription {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.listeners.borrow_mut().push((id, listener));
        Subscription {
            id,
            subscribers: Rc::downgrade(self),
        }
    }

    /// Calls every listener with `state`. Listeners may subscribe, unsubscribe
    /// or change the state again while being told.
    pub(crate) fn notify(&self, state: &AuthState) {
        let listeners: Vec<Listener> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            listener(state);
        }
    }
}

/// Keeps a listener of [`Clerk::subscribe`](crate::Clerk::subscribe) registered;
/// dropping it unsubscribes.
#[must_use = "dropping a Subscription unsubscribes at once"]
pub struct Subscription {
    id: u64,
    subscribers: Weak<Subscribers>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(subscribers) = self.subscribers.upgrade() {
            subscribers
                .listeners
                .borrow_mut()
                .retain(|(id, _)| *id != self.id);
        }
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}
