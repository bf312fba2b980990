//! The menu's items: one `menuitem` button each, taking part in the roving
//! focus, and the rows of the other signed-in accounts.

use std::rc::Rc;
use std::sync::Arc;

use dioxus::core::use_drop;
use dioxus::prelude::*;

use super::actions::Menu;
use super::avatar::avatar;
use super::focus::account_key;
use crate::model::Session;

/// An item's part in the menu: its element id, whether it has focus, and the
/// handlers that report its element and its focus.
#[derive(Clone)]
struct ItemBinding {
    key: Rc<str>,
    menu: Menu,
}

/// The hook every item calls with its key: registers it with the roving focus
/// and unregisters it when it goes.
fn use_menu_item(key: String) -> (ItemBinding, String) {
    let menu = use_context::<Menu>();
    let key: Rc<str> = use_hook(|| Rc::from(key));
    let focus = menu.focus;
    use_drop({
        let key = key.clone();
        move || focus.item_unmounted(&key)
    });
    let id = format!("clerk-user-button-{}-{key}", menu.ids);
    (ItemBinding { key, menu }, id)
}

impl ItemBinding {
    fn mounted(&self, event: MountedEvent) {
        self.menu.focus.item_mounted(&self.key, event.data());
    }

    fn focused(&self) {
        self.menu.focus.item_focused(&self.key);
    }

    /// A press keeps focus where it was (see the menu's `onmousedown`), so a
    /// selected item takes it now: keyboard and pointer then agree on which
    /// item is active.
    fn selected(&self) {
        self.menu.focus.focus_item(&self.key);
    }
}

/// One fixed item: `button role="menuitem"` out of the tab order (the menu
/// moves focus itself), `data-active` while it has focus, `data-pending`
/// while its action runs. Enter, Space and a click select it.
#[component]
pub(super) fn MenuItem(
    /// The item's key in the menu's order, also its `data-item`.
    item: &'static str,
    /// The item's class.
    class: String,
    /// Whether the item's action is in flight.
    #[props(default)]
    pending: bool,
    /// Whether the item has focus.
    active: bool,
    /// What selecting the item does.
    onselect: EventHandler<()>,
    children: Element,
) -> Element {
    let (binding, id) = use_menu_item(item.to_owned());
    let (on_focus, selected) = (binding.clone(), binding.clone());
    rsx! {
        button {
            r#type: "button",
            role: "menuitem",
            tabindex: "-1",
            id,
            class,
            "data-item": item,
            "data-active": active.then_some("true"),
            "data-pending": pending.then_some("true"),
            aria_busy: pending.then_some("true"),
            onmounted: move |event| binding.mounted(event),
            onfocus: move |_| on_focus.focused(),
            onclick: move |_| {
                selected.selected();
                onselect.call(());
            },
            {children}
        }
    }
}

/// Another signed-in account: selecting it makes it the active one. One
/// component per row, so a row renders again only when its account changes.
#[component]
pub(super) fn AccountItem(
    /// The account's session.
    session: Arc<Session>,
    /// Whether the switch to it is in flight.
    pending: bool,
    /// Whether the row has focus.
    active: bool,
    /// The item's class.
    class: String,
) -> Element {
    let (binding, id) = use_menu_item(account_key(&session.id));
    let (on_focus, selected) = (binding.clone(), binding.clone());
    let menu = binding.menu;
    let name = session.display_name();
    let email = session.email_address().map(str::to_owned);
    let session_id = session.id.clone();
    rsx! {
        button {
            r#type: "button",
            role: "menuitem",
            tabindex: "-1",
            id,
            class,
            "data-item": "account",
            "data-active": active.then_some("true"),
            "data-pending": pending.then_some("true"),
            aria_busy: pending.then_some("true"),
            onmounted: move |event| binding.mounted(event),
            onfocus: move |_| on_focus.focused(),
            onclick: move |_| {
                selected.selected();
                menu.switch_to(session_id.clone());
            },
            {avatar(&name, session.image_url(), None)}
            span { class: "clerk-user-button-identity",
                span { class: "clerk-user-button-name", "{name}" }
                if let Some(email) = email {
                    span { class: "clerk-user-button-email", "{email}" }
                }
            }
            if pending {
                span { class: "clerk-user-button-progress", role: "status", "Switching…" }
            }
        }
    }
}
