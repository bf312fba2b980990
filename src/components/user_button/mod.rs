//! `UserButton`: Clerk's account menu. The trigger shows the active account;
//! the menu manages it, switches to the other signed-in accounts, adds one,
//! and signs out of one or all.
//!
//! - [`focus`]: roving focus and the keyboard (WAI-ARIA menu button);
//! - [`actions`]: what the items do, through the sign-out and switch hooks;
//! - [`items`]: the `menuitem` buttons and the account rows;
//! - [`keyboard`]: the open menu's keys, and closing when focus leaves;
//! - [`profile`]: the instance's profile page for "Manage account";
//! - [`avatar`]: the account's image or initials.

mod actions;
mod avatar;
mod focus;
mod items;
mod keyboard;
mod profile;

pub use avatar::UserAvatar;

use std::sync::atomic::{AtomicUsize, Ordering};

use dioxus::prelude::*;

use crate::hooks::{use_session_list, use_set_active, use_sign_out};
use crate::ClerkError;
use actions::{use_failure_handler, Menu, Running, Settings};
use focus::{Entry, Landing, MenuFocus};
use items::{AccountItem, MenuItem};
use keyboard::{on_menu_key, watch_focus_leaving};
use profile::use_instance_profile_url;

/// The default stylesheet for `UserButton` (light and dark, by
/// `prefers-color-scheme`): `style { {USER_BUTTON_CSS} }`, or serve
/// `assets/clerk-user-button.css` yourself. Skip it to bring your own.
pub const USER_BUTTON_CSS: &str = include_str!("../../../assets/clerk-user-button.css");

/// Clerk's `<UserButton />`: the active account's avatar, opening a menu to
/// manage it, switch accounts, add one and sign out.
///
/// **The trigger** shows the active user's avatar (`image_url`, else
/// initials) and, with `show_name`, their name. While accounts are signed in
/// but none is active, it reads "Choose an account". With nobody signed in,
/// nothing renders.
///
/// **The menu** lists, in order: the active account's name and email;
/// "Manage account" (the `on_manage_account` callback, or on the web the
/// instance's `display_config.user_profile_url`, or `user_profile_url`);
/// the other signed-in accounts, each switching on select; "Add account" (with
/// `on_add_account`); "Sign out"; and "Sign out of all accounts" when more
/// than one account is signed in.
///
/// **Actions** go through the same hooks and rules as [`SignOutButton`](super::SignOutButton):
/// one request per action, ignored while one is in flight. The menu stays
/// open while it runs and marks its item `data-pending`; on success it closes
/// and focus returns to the trigger; on failure the error shows in the menu
/// (`role="alert"`), the state stays the server's, and `on_error` gets the
/// typed error (without it, it is logged and kept in the state).
/// `after_sign_out_url` is followed when a sign-out leaves nobody signed in;
/// `after_switch_session_url` after a switch.
///
/// **Accessibility** follows the WAI-ARIA menu button pattern: the trigger
/// has `aria-haspopup="menu"`, `aria-expanded` and `aria-controls`; the menu
/// has `role="menu"` and its items `role="menuitem"`. Arrow keys move focus
/// (wrapping), Home and End jump, typing a letter jumps to the next item that
/// starts with it, Enter and Space select, Escape closes and puts focus back on
/// the trigger, Tab closes and moves on, and a click outside closes.
///
/// **Styling** is headless: `data-state="open|closed"` on the root, trigger
/// and menu; `data-active` on the item with focus and `data-pending` on the
/// one whose action runs; `data-item` names each item. Each part has a
/// `class` prop whose default (`clerk-user-button-…`) is what
/// [`USER_BUTTON_CSS`] styles; global attributes go on the root `div`.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn Header() -> Element {
///     rsx! {
///         style { {USER_BUTTON_CSS} }
///         header {
///             h1 { "My app" }
///             UserButton { show_name: true, after_sign_out_url: "/" }
///         }
///     }
/// }
/// ```
#[component]
pub fn UserButton(
    /// Where to go after a sign-out that leaves nobody signed in.
    #[props(into)]
    after_sign_out_url: Option<String>,
    /// Where to go after switching accounts.
    #[props(into)]
    after_switch_session_url: Option<String>,
    /// Show the active user's name beside the avatar.
    #[props(default)]
    show_name: bool,
    /// Open the menu on mount (focus goes to its first item).
    #[props(default)]
    default_open: bool,
    /// After signing out the active account, make the most recently active
    /// remaining one active (off by default, as in `SignOutButton` and Clerk).
    #[props(default)]
    switch_to_most_recent: bool,
    /// The user profile page for "Manage account" on the web, instead of the
    /// instance's `display_config.user_profile_url`.
    #[props(into)]
    user_profile_url: Option<String>,
    /// "Manage account" calls this instead of opening the profile page (the
    /// way to show it on desktop and mobile).
    on_manage_account: Option<EventHandler<()>>,
    /// Shows "Add account", which calls this (open your sign-in flow).
    on_add_account: Option<EventHandler<()>>,
    /// Receives the typed error when a switch or sign-out fails.
    on_error: Option<EventHandler<ClerkError>>,
    /// The trigger's class (default `clerk-user-button-trigger`).
    #[props(into)]
    trigger_class: Option<String>,
    /// The menu's class (default `clerk-user-button-menu`).
    #[props(into)]
    menu_class: Option<String>,
    /// Each item's class (default `clerk-user-button-item`).
    #[props(into)]
    item_class: Option<String>,
    /// Attributes for the root `div` (class default `clerk-user-button`).
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
) -> Element {
    let sessions = use_session_list();
    let ids = use_hook(|| NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let instance_profile_url = use_instance_profile_url(on_manage_account.is_some());
    let mut settings = use_hook(|| CopyValue::new(Settings::default()));
    *settings.write() = Settings {
        after_sign_out_url,
        after_switch_session_url,
        switch_to_most_recent,
        on_error,
        on_manage_account,
        on_add_account,
        profile_url: crate::platform::SHOWS_INSTANCE_PAGES
            .then(|| user_profile_url.or_else(|| instance_profile_url.cloned()))
            .flatten(),
    };
    let open = use_signal(|| false);
    let running = use_signal(|| None::<Running>);
    let error = use_signal(|| None::<String>);
    let focus = MenuFocus::use_new();
    let sign_out = use_sign_out();
    let set_active = use_set_active();
    let handle = crate::hooks::use_copy_handle("UserButton");
    let failed = use_failure_handler(running, error, settings, handle);
    let menu = use_context_provider(|| Menu {
        ids,
        open,
        running,
        error,
        focus,
        settings,
        sign_out,
        set_active,
        failed,
        clerk: handle,
    });
    use_hook(move || {
        if default_open {
            menu.open_at(Landing::First);
        }
    });

    let list = sessions();
    if list.is_empty() {
        return VNode::empty();
    }
    let open = (menu.open)();
    let busy = menu.is_busy_subscribed();
    // An action the hooks no longer run (it ended without a word) is not shown.
    let running = if busy { (menu.running)() } else { None };
    let current = if open { menu.focus.current() } else { None };
    let has_focus = |key: &str| current.as_deref() == Some(key);
    let focused_account = current.as_deref().and_then(focus::account_of);
    let switching = match &running {
        Some(Running::Switch(id)) => Some(id.as_str()),
        _ => None,
    };
    let state = if open { "open" } else { "closed" };
    let (menu_id, trigger_id) = (
        format!("clerk-user-button-{ids}-menu"),
        format!("clerk-user-button-{ids}-trigger"),
    );
    let item_class = item_class.unwrap_or_else(|| "clerk-user-button-item".to_owned());

    let active = list
        .iter()
        .find(|item| item.is_active)
        .map(|item| item.session.clone());
    let others: Vec<_> = list
        .iter()
        .filter(|item| !item.is_active)
        .map(|item| item.session.clone())
        .collect();
    let signed_in = list.len();
    let settings_now = settings.read().clone();
    let manage = settings_now.on_manage_account.is_some() || settings_now.profile_url.is_some();
    let add = settings_now.on_add_account.is_some();

    // The menu's items in order, for the keyboard.
    let mut order = Vec::with_capacity(others.len() + 4);
    if active.is_some() && manage {
        order.push(Entry::Fixed("manage", "Manage account"));
    }
    order.extend(others.iter().cloned().map(Entry::Account));
    if add {
        order.push(Entry::Fixed("add", "Add account"));
    }
    if active.is_some() {
        order.push(Entry::Fixed("sign-out", "Sign out"));
    }
    if signed_in > 1 || active.is_none() {
        order.push(Entry::Fixed("sign-out-all", "Sign out of all accounts"));
    }
    menu.focus.set_order(order);

    let name = active.as_ref().map(|s| s.display_name());
    let label = match &name {
        Some(name) => format!("Open account menu for {name}"),
        None => "Choose an account".to_owned(),
    };
    let keys = move |event: KeyboardEvent| on_menu_key(menu, event);
    rsx! {
        div {
            class: "clerk-user-button",
            "data-state": state,
            "data-busy": busy.then_some("true"),
            onfocusin: move |_| menu.focus.entered(),
            onfocusout: move |_| watch_focus_leaving(menu),
            ..attributes,
            button {
                r#type: "button",
                id: trigger_id.clone(),
                class: trigger_class.unwrap_or_else(|| "clerk-user-button-trigger".to_owned()),
                aria_haspopup: "menu",
                aria_expanded: if open { "true" } else { "false" },
                aria_controls: menu_id.clone(),
                aria_label: label,
                "data-state": state,
                onmounted: move |event: MountedEvent| menu.focus.trigger_mounted(event.data()),
                // Keep focus where it is: a click on the trigger toggles, it
                // does not first move focus out of an open menu.
                onmousedown: move |event| event.prevent_default(),
                onclick: move |_| if open { menu.close(true) } else { menu.open_at(Landing::First) },
                onkeydown: move |event: KeyboardEvent| match event.key() {
                    Key::ArrowDown => { event.prevent_default(); menu.open_at(Landing::First) }
                    Key::ArrowUp => { event.prevent_default(); menu.open_at(Landing::Last) }
                    _ => {}
                },
                match &active {
                    Some(session) => rsx! {
                        UserAvatar { name: name.clone().unwrap_or_default(), image_url: session.image_url().map(str::to_owned) }
                    },
                    None => rsx! { UserAvatar { name: "?".to_owned(), image_url: None } },
                }
                if show_name {
                    span { class: "clerk-user-button-trigger-name", {name.clone().unwrap_or_else(|| "Choose an account".to_owned())} }
                }
            }
            div {
                role: "menu",
                id: menu_id,
                aria_labelledby: trigger_id,
                class: menu_class.unwrap_or_else(|| "clerk-user-button-menu".to_owned()),
                hidden: !open,
                "data-state": state,
                aria_busy: busy.then_some("true"),
                // A press inside the menu keeps focus where it is, so the menu
                // does not take it for focus leaving.
                onmousedown: move |event| event.prevent_default(),
                onkeydown: keys,
                if open {
                    if let Some(session) = &active {
                        div { class: "clerk-user-button-header", role: "presentation",
                            UserAvatar { name: name.clone().unwrap_or_default(), image_url: session.image_url().map(str::to_owned) }
                            span { class: "clerk-user-button-identity",
                                span { class: "clerk-user-button-name", {name.clone()} }
                                if let Some(email) = session.email_address() {
                                    span { class: "clerk-user-button-email", "{email}" }
                                }
                            }
                        }
                        if manage {
                            MenuItem { item: "manage", active: has_focus("manage"), class: item_class.clone(), onselect: move |_| menu.manage_account(), "Manage account" }
                        }
                    }
                    if !others.is_empty() {
                        div { role: "separator", class: "clerk-user-button-separator" }
                        for session in others {
                            AccountItem {
                                key: "{session.id}",
                                pending: switching == Some(session.id.as_str()),
                                active: focused_account == Some(session.id.as_str()),
                                session,
                                class: item_class.clone(),
                            }
                        }
                    }
                    div { role: "separator", class: "clerk-user-button-separator" }
                    if add {
                        MenuItem { item: "add", active: has_focus("add"), class: item_class.clone(), onselect: move |_| menu.add_account(), "Add account" }
                    }
                    if let Some(session) = &active {
                        MenuItem {
                            item: "sign-out",
                            active: has_focus("sign-out"),
                            class: item_class.clone(),
                            pending: running == Some(Running::SignOut),
                            onselect: {
                                let session_id = session.id.clone();
                                move |_| menu.sign_out(session_id.clone(), signed_in == 1)
                            },
                            if running == Some(Running::SignOut) { "Signing out…" } else { "Sign out" }
                        }
                    }
                    if signed_in > 1 || active.is_none() {
                        MenuItem {
                            item: "sign-out-all",
                            active: has_focus("sign-out-all"),
                            class: item_class.clone(),
                            pending: running == Some(Running::SignOutAll),
                            onselect: move |_| menu.sign_out_all(),
                            if running == Some(Running::SignOutAll) { "Signing out of all accounts…" } else { "Sign out of all accounts" }
                        }
                    }
                    if let Some(message) = (menu.error)() {
                        div { class: "clerk-user-button-error", role: "alert", "data-clerk-error": "", "{message}" }
                    }
                }
            }
        }
    }
}

/// Tells each user button apart (its menu and trigger ids).
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
