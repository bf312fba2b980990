use dioxus::core::spawn_forever;
use dioxus::prelude::*;

use super::ClerkContext;
use crate::Clerk;

/// Switches the active account from an event handler, made by [`use_set_active`].
#[derive(Clone, Copy)]
pub struct UseSetActive {
    clerk: CopyValue<Clerk>,
}

/// Switches accounts from a click: the "Switch" of an account switcher.
/// Failures are logged and kept in the state's `last_error`, and the list
/// stays as the server has it.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn SwitchButton(session_id: String) -> Element {
///     let set_active = use_set_active();
///     rsx! { button { onclick: move |_| set_active.call(session_id.clone()), "Switch" } }
/// }
/// ```
pub fn use_set_active() -> UseSetActive {
    let clerk = use_hook(|| ClerkContext::consume("use_set_active()").handle);
    UseSetActive { clerk }
}

impl UseSetActive {
    /// Makes `session_id` the active session (FAPI `touch`, `intent=select_session`).
    /// Runs as long as the app does, so it completes even if the caller or the
    /// provider unmounts.
    pub fn call(&self, session_id: String) {
        let Ok(clerk) = self.clerk.try_read().map(|clerk| clerk.clone()) else {
            tracing::warn!(
                "use_set_active() trigger used after its ClerkProvider unmounted; ignored"
            );
            return;
        };
        spawn_forever(async move {
            if let Err(error) = clerk.set_active(&session_id).await {
                clerk.report_error(error);
            }
        });
    }
}
