//! Roving focus for the menu (WAI-ARIA menu button pattern): the items in
//! order, the one with focus, moving by arrow keys, Home, End and type-ahead,
//! and whether focus is still inside the button at all.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use dioxus::prelude::*;

use crate::model::Session;

/// One item of the menu as the keyboard sees it. Accounts keep their session
/// (a cheap `Arc`), so listing 100 of them formats nothing until a key is
/// pressed.
#[derive(Clone)]
pub(super) enum Entry {
    /// A fixed item: its key and its text.
    Fixed(&'static str, &'static str),
    /// Another signed-in account's row.
    Account(Arc<Session>),
}

impl Entry {
    fn is(&self, key: &str) -> bool {
        match self {
            Self::Fixed(fixed, _) => *fixed == key,
            Self::Account(session) => account_of(key) == Some(session.id.as_str()),
        }
    }

    fn key(&self) -> String {
        match self {
            Self::Fixed(fixed, _) => (*fixed).to_owned(),
            Self::Account(session) => account_key(&session.id),
        }
    }

    fn label(&self) -> String {
        match self {
            Self::Fixed(_, label) => (*label).to_owned(),
            Self::Account(session) => session.display_name(),
        }
    }
}

const ACCOUNT: &str = "account:";

/// The session id of an account row's key.
pub(super) fn account_of(key: &str) -> Option<&str> {
    key.strip_prefix(ACCOUNT)
}

/// The key of the row of the account signed in as `session_id`.
pub(super) fn account_key(session_id: &str) -> String {
    format!("{ACCOUNT}{session_id}")
}

/// Which item takes focus once the menu's items have mounted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Landing {
    /// The first item (opened by click, Enter, Space or ArrowDown).
    First,
    /// The last item (opened by ArrowUp).
    Last,
}

/// The menu's focus state. Only `current` is reactive (items show
/// `data-active` from it); the rest is bookkeeping that renders nothing.
#[derive(Clone, Copy)]
pub(super) struct MenuFocus {
    /// The items in menu order.
    order: CopyValue<Vec<Entry>>,
    mounted: CopyValue<HashMap<String, Rc<MountedData>>>,
    trigger: CopyValue<Option<Rc<MountedData>>>,
    current: Signal<Option<String>>,
    landing: CopyValue<Option<Landing>>,
    inside: CopyValue<bool>,
}

impl MenuFocus {
    /// The hook: one focus state per menu.
    pub(super) fn use_new() -> Self {
        let current = use_signal(|| None);
        use_hook(|| Self {
            order: CopyValue::new(Vec::new()),
            mounted: CopyValue::new(HashMap::new()),
            trigger: CopyValue::new(None),
            current,
            landing: CopyValue::new(None),
            inside: CopyValue::new(false),
        })
    }

    /// The items as the menu lists them now (set on every render of the menu).
    pub(super) fn set_order(&self, order: Vec<Entry>) {
        let mut slot = self.order;
        *slot.write() = order;
    }

    /// The key of the item with focus (reading it subscribes: the menu
    /// renders again when focus moves, and only the two items whose
    /// `data-active` changes render with it).
    pub(super) fn current(&self) -> Option<String> {
        self.current.read().clone()
    }

    /// An item reports its element; it takes focus if the menu was waiting for it.
    pub(super) fn item_mounted(&self, key: &str, element: Rc<MountedData>) {
        let mut mounted = self.mounted;
        mounted.write().insert(key.to_owned(), element);
        let landing = *self.landing.read();
        let order = self.order.read();
        let target = match landing {
            Some(Landing::First) => order.first(),
            Some(Landing::Last) => order.last(),
            None => None,
        };
        if target.is_some_and(|entry| entry.is(key)) {
            drop(order);
            let mut slot = self.landing;
            slot.set(None);
            self.focus_item(key);
        }
    }

    /// An item is gone.
    pub(super) fn item_unmounted(&self, key: &str) {
        let mut mounted = self.mounted;
        let _ = mounted.try_write().map(|mut m| m.remove(key));
        let mut current = self.current;
        let is_current = current.try_peek().is_ok_and(|c| c.as_deref() == Some(key));
        if is_current {
            let _ = current.try_write().map(|mut c| *c = None);
        }
    }

    /// An item got focus (by keyboard, pointer or script).
    pub(super) fn item_focused(&self, key: &str) {
        let mut current = self.current;
        if current.peek().as_deref() != Some(key) {
            current.set(Some(key.to_owned()));
        }
    }

    /// The trigger reports its element.
    pub(super) fn trigger_mounted(&self, element: Rc<MountedData>) {
        let mut trigger = self.trigger;
        trigger.set(Some(element));
    }

    /// Focus goes to `landing` once the items are there (now, if they are).
    pub(super) fn land(&self, landing: Landing) {
        let order = self.order.read();
        let target = match landing {
            Landing::First => order.first(),
            Landing::Last => order.last(),
        }
        .map(Entry::key);
        drop(order);
        match target.filter(|key| self.mounted.read().contains_key(key)) {
            Some(key) => self.focus_item(&key),
            None => {
                let mut slot = self.landing;
                slot.set(Some(landing));
            }
        }
    }

    /// Moves focus `step` items on (negative: back), wrapping around.
    pub(super) fn step(&self, step: isize) {
        let target = {
            let order = self.order.read();
            if order.is_empty() {
                return;
            }
            let len = order.len() as isize;
            let at = self.position(&order);
            let from = at
                .map(|at| at as isize)
                .unwrap_or(if step > 0 { -1 } else { len });
            let next = (from + step).rem_euclid(len) as usize;
            order[next].key()
        };
        self.focus_item(&target);
    }

    /// Moves focus to the next item whose text starts with `typed`
    /// (case-insensitive), after the current one, wrapping around.
    pub(super) fn type_ahead(&self, typed: &str) {
        let typed = typed.to_lowercase();
        let target = {
            let order = self.order.read();
            let start = self.position(&order).map_or(0, |at| at + 1);
            (0..order.len())
                .map(|offset| &order[(start + offset) % order.len()])
                .find(|entry| entry.label().to_lowercase().starts_with(&typed))
                .map(Entry::key)
        };
        if let Some(key) = target {
            self.focus_item(&key);
        }
    }

    /// Puts focus back on the trigger (after Escape, or an action that closed the menu).
    pub(super) fn return_to_trigger(&self) {
        let mut slot = self.landing;
        slot.set(None);
        if let Some(trigger) = self.trigger.read().clone() {
            spawn(async move {
                // The trigger may be gone (nobody is signed in any more).
                let _ = trigger.set_focus(true).await;
            });
        }
    }

    /// Focus entered the user button (trigger or menu).
    pub(super) fn entered(&self) {
        let mut inside = self.inside;
        inside.set(true);
    }

    /// Focus left an element of the user button; `is_inside` tells, once the
    /// move has settled, whether it went to another of its elements.
    pub(super) fn left(&self) {
        let mut inside = self.inside;
        inside.set(false);
    }

    /// Whether focus is inside the user button.
    pub(super) fn is_inside(&self) -> bool {
        self.inside.try_read().is_ok_and(|inside| *inside)
    }

    fn position(&self, order: &[Entry]) -> Option<usize> {
        let current = self.current.peek();
        let current = current.as_deref()?;
        order.iter().position(|entry| entry.is(current))
    }

    /// Moves focus to the item `key`, if it is there.
    pub(super) fn focus_item(&self, key: &str) {
        if let Some(element) = self.mounted.read().get(key).cloned() {
            spawn(async move {
                let _ = element.set_focus(true).await;
            });
        }
    }
}
