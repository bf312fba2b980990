//! What the menu's items do, through the same hooks as `SignOutButton` and
//! the switcher: one request per action, a pending state, the server's truth
//! on failure, and the typed error for the app.

use dioxus::prelude::*;

use super::focus::{Landing, MenuFocus};
use crate::hooks::{SuccessCallback, UseSetActive, UseSignOut};
use crate::{Clerk, ClerkError, SignOutOptions};

/// The action in flight, shown on its item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(super) enum Running {
    /// Switching to this session.
    Switch(String),
    /// Signing out the active account.
    SignOut,
    /// Signing out of every account.
    SignOutAll,
}

/// The props the actions follow, refreshed on every render of the button.
#[derive(Clone, Default)]
pub(super) struct Settings {
    pub(super) after_sign_out_url: Option<String>,
    pub(super) after_switch_session_url: Option<String>,
    pub(super) switch_to_most_recent: bool,
    pub(super) on_error: Option<EventHandler<ClerkError>>,
    pub(super) on_manage_account: Option<EventHandler<()>>,
    pub(super) on_add_account: Option<EventHandler<()>>,
    /// The user profile page, on renderers that can show it.
    pub(super) profile_url: Option<String>,
}

/// The user button's shared state, in context for its items.
#[derive(Clone, Copy)]
pub(super) struct Menu {
    /// Tells this button's element ids from another's.
    pub(super) ids: usize,
    pub(super) open: Signal<bool>,
    pub(super) running: Signal<Option<Running>>,
    pub(super) error: Signal<Option<String>>,
    pub(super) focus: MenuFocus,
    pub(super) settings: CopyValue<Settings>,
    pub(super) sign_out: UseSignOut,
    pub(super) set_active: UseSetActive,
    pub(super) failed: EventHandler<ClerkError>,
    /// The handle, for the pages the menu opens.
    pub(super) clerk: CopyValue<Clerk>,
}

impl Menu {
    /// Opens the menu with focus on its first or last item.
    pub(super) fn open_at(&self, landing: Landing) {
        let (mut open, mut error) = (self.open, self.error);
        error.set(None);
        open.set(true);
        self.focus.land(landing);
    }

    /// Closes the menu (while no action runs: an action in flight keeps it
    /// open to show its progress), optionally putting focus back on the trigger.
    pub(super) fn close(&self, return_focus: bool) {
        if self.is_busy() {
            return;
        }
        let (mut open, mut error) = (self.open, self.error);
        open.set(false);
        error.set(None);
        if return_focus {
            self.focus.return_to_trigger();
        }
    }

    /// Whether an action is in flight.
    pub(super) fn is_busy(&self) -> bool {
        self.sign_out.is_pending_now() || self.set_active.is_pending_now()
    }

    /// Whether an action is in flight, subscribing the caller (the button
    /// renders its busy state from it).
    pub(super) fn is_busy_subscribed(&self) -> bool {
        self.sign_out.is_pending() || self.set_active.is_pending()
    }

    /// Makes `session_id` the active account.
    pub(super) fn switch_to(&self, session_id: String) {
        if !self.start(Running::Switch(session_id.clone())) {
            return;
        }
        let redirect = self.settings.read().after_switch_session_url.clone();
        self.set_active
            .call_with(session_id, redirect, self.finished(), Some(self.failed));
    }

    /// Signs out the active account; `last` when no other account is signed
    /// in, so `after_sign_out_url` applies.
    pub(super) fn sign_out(&self, session_id: String, last: bool) {
        if !self.start(Running::SignOut) {
            return;
        }
        let settings = self.settings.read();
        let options = SignOutOptions {
            session_id: Some(session_id),
            redirect_url: settings
                .after_sign_out_url
                .clone()
                .filter(|_| last)
                .map(Into::into),
            switch_to_most_recent: settings.switch_to_most_recent,
        };
        drop(settings);
        self.sign_out
            .call_with(options, self.finished(), Some(self.failed));
    }

    /// Signs out of every account.
    pub(super) fn sign_out_all(&self) {
        if !self.start(Running::SignOutAll) {
            return;
        }
        let options = SignOutOptions {
            redirect_url: self
                .settings
                .read()
                .after_sign_out_url
                .clone()
                .map(Into::into),
            ..SignOutOptions::default()
        };
        self.sign_out
            .call_with(options, self.finished(), Some(self.failed));
    }

    /// "Manage account": the app's callback, else the profile page.
    pub(super) fn manage_account(&self) {
        let settings = self.settings.read().clone();
        self.close(false);
        match (settings.on_manage_account, settings.profile_url) {
            (Some(handler), _) => handler.call(()),
            (None, Some(url)) => {
                let clerk = self.clerk.read().clone();
                spawn(async move { clerk.open_instance_page(&url).await });
            }
            (None, None) => {}
        }
    }

    /// "Add account": the app's callback.
    pub(super) fn add_account(&self) {
        let handler = self.settings.read().on_add_account;
        self.close(false);
        if let Some(handler) = handler {
            handler.call(());
        }
    }

    /// Marks `running` as in flight unless something already is.
    fn start(&self, running: Running) -> bool {
        if self.is_busy() {
            crate::log::debug!("the user button is busy; ignored");
            return false;
        }
        let (mut slot, mut error) = (self.running, self.error);
        error.set(None);
        slot.set(Some(running));
        true
    }

    /// What runs after success: the menu closes and focus goes back to the
    /// trigger, unless the button is gone by then (nobody signed in).
    fn finished(&self) -> SuccessCallback {
        let menu = *self;
        SuccessCallback::new(move || {
            let (mut running, mut open) = (menu.running, menu.open);
            let mounted = running.try_write().map(|mut r| *r = None).is_ok();
            if mounted {
                let _ = open.try_write().map(|mut o| *o = false);
                menu.focus.return_to_trigger();
            }
            std::future::ready(())
        })
    }
}

/// The failure handler `Menu::failed` holds: the error shows in the menu,
/// which stays open on the server's state, and goes to the app's `on_error`.
pub(super) fn use_failure_handler(
    running: Signal<Option<Running>>,
    error: Signal<Option<String>>,
    settings: CopyValue<Settings>,
    clerk: CopyValue<Clerk>,
) -> EventHandler<ClerkError> {
    use_callback(move |failure: ClerkError| {
        let (mut running, mut error) = (running, error);
        running.set(None);
        error.set(Some(failure.to_string()));
        let handler = settings.read().on_error;
        match handler {
            Some(handler) => handler.call(failure),
            // As `SignOutButton` does without `on_error`: logged and kept in the state.
            None => clerk.read().report_error(failure),
        }
    })
}
