use dioxus::prelude::*;

use super::trigger::Trigger;
use super::SuccessCallback;
use crate::{ClerkError, SignOutOptions};

/// A sign-out trigger for your own buttons and menus, made by [`use_sign_out`].
///
/// The work runs as long as the app does, so it finishes even when the calling
/// component unmounts (as `SignedIn { .. }` content does on success), or the
/// provider does.
#[derive(Clone, Copy)]
pub struct UseSignOut {
    trigger: Trigger,
}

/// A sign-out trigger for design-system buttons: `SignOutButton` without the markup.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn MenuItem() -> Element {
///     let sign_out = use_sign_out();
///     rsx! {
///         li {
///             role: "menuitem",
///             aria_disabled: sign_out.is_pending(),
///             onclick: move |_| sign_out.call(SignOutOptions::new()),
///             "Sign out"
///         }
///     }
/// }
/// ```
pub fn use_sign_out() -> UseSignOut {
    UseSignOut {
        trigger: Trigger::use_new("use_sign_out()"),
    }
}

impl UseSignOut {
    /// Whether this trigger's sign-out is in flight (reading it subscribes the component).
    pub fn is_pending(&self) -> bool {
        self.trigger.is_pending()
    }

    /// Whether this trigger's sign-out is in flight, without subscribing.
    #[cfg(feature = "user-button")]
    pub(crate) fn is_pending_now(&self) -> bool {
        self.trigger.is_pending_now()
    }

    /// Starts a sign-out; errors are logged and kept in the state's `last_error`.
    /// Ignored while this trigger's previous sign-out is in flight.
    pub fn call(&self, options: SignOutOptions) {
        self.call_with(options, SuccessCallback::default(), None);
    }

    /// Starts a sign-out; after success awaits `on_success`, then follows the
    /// redirect; on failure hands the error to `on_error` (or, without one, logs
    /// it and keeps it in the state). Ignored while a previous one is in flight.
    pub fn call_with(
        &self,
        options: SignOutOptions,
        on_success: SuccessCallback,
        on_error: Option<EventHandler<ClerkError>>,
    ) {
        // Sign out, await the callback, then navigate: the callback runs
        // before the page is left. With nobody signed in, neither runs. The
        // handle's future as it is, with no state machine around it.
        self.trigger.run(
            "use_sign_out()",
            move |clerk| clerk.sign_out_then(options, on_success.into_then()),
            on_error,
        );
    }
}
