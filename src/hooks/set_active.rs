use dioxus::prelude::*;

use super::trigger::Trigger;
use super::SuccessCallback;
use crate::{Clerk, ClerkError};

/// Switches the active account from an event handler, made by [`use_set_active`].
#[derive(Clone, Copy)]
pub struct UseSetActive {
    trigger: Trigger,
}

/// Switches accounts from a click: the "Switch" of an account switcher, with
/// the same guarantees as [`use_sign_out`](super::use_sign_out): one request
/// per switch, a pending state, the server's list on failure.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn SwitchButton(session_id: String) -> Element {
///     let set_active = use_set_active();
///     rsx! {
///         button {
///             aria_busy: set_active.is_pending(),
///             onclick: move |_| set_active.call(session_id.clone()),
///             "Switch"
///         }
///     }
/// }
/// ```
pub fn use_set_active() -> UseSetActive {
    UseSetActive {
        trigger: Trigger::use_new("use_set_active()"),
    }
}

impl UseSetActive {
    /// Whether this trigger's switch is in flight (reading it subscribes the component).
    pub fn is_pending(&self) -> bool {
        self.trigger.is_pending()
    }

    /// Whether this trigger's switch is in flight, without subscribing.
    #[cfg(feature = "user-button")]
    pub(crate) fn is_pending_now(&self) -> bool {
        self.trigger.is_pending_now()
    }

    /// Makes `session_id` the active session (FAPI `touch`, `intent=select_session`).
    /// Failures are logged and kept in the state's `last_error`. Ignored while
    /// this trigger's previous switch is in flight.
    pub fn call(&self, session_id: String) {
        self.call_with(session_id, None, SuccessCallback::default(), None);
    }

    /// Makes `session_id` active; after success awaits `on_success`, then
    /// follows `redirect_url` (checked as sign-out redirects are, before
    /// anything is sent); on failure hands the error to `on_error` (or, without
    /// one, logs it and keeps it in the state).
    pub fn call_with(
        &self,
        session_id: String,
        redirect_url: Option<String>,
        on_success: SuccessCallback,
        on_error: Option<EventHandler<ClerkError>>,
    ) {
        self.trigger.run(
            "use_set_active()",
            move |clerk| {
                Box::pin(async move {
                    switch_then(&clerk, &session_id, redirect_url, &on_success).await
                })
            },
            on_error,
        );
    }
}

/// Switch, await the callback, then navigate.
async fn switch_then(
    clerk: &Clerk,
    session_id: &str,
    redirect_url: Option<String>,
    on_success: &SuccessCallback,
) -> Result<(), ClerkError> {
    let redirect = redirect_url
        .map(|url| clerk.validate_redirect(&url))
        .transpose()?;
    clerk.set_active(session_id).await?;
    on_success.call().await;
    if let Some(target) = redirect {
        clerk.navigate(&target);
    }
    Ok(())
}
