use dioxus::prelude::*;

use crate::hooks::{use_sign_out, SignOutCallback};
use crate::{ClerkError, SignOutOptions};

/// Signs the user out: Clerk's `<SignOutButton />` for Dioxus.
///
/// - Without children it renders `<button type="button">Sign out</button>`, and
///   every global attribute you pass (`class`, `id`, `aria_label`, ...) lands on it.
/// - With children, a click anywhere inside them signs out. They are wrapped in
///   a `<span style="display: contents">` that carries your attributes,
///   `aria-busy` and `data-clerk-pending`. A child's own `onclick` runs first
///   and can cancel with `evt.stop_propagation()`. Buttons and links inside
///   keep their native keyboard activation.
/// - `session_id` signs out one session; none signs out all. `redirect_url` is
///   followed after success. `switch_to_most_recent` makes the most recently
///   active remaining account active when the active one signs out. All three
///   override the older `sign_out_options`.
/// - `sign_out_callback` is awaited after a successful sign-out, before the
///   redirect, and never after a failure. `on_error` receives the typed error;
///   without it the error is logged and kept in the auth state.
/// - While the sign-out is in flight the default button is `disabled` and
///   `aria-busy="true"`, and further clicks are ignored.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn Header() -> Element {
///     let mut toast = use_signal(String::new);
///     rsx! {
///         SignOutButton { class: "btn" }
///         SignOutButton {
///             sign_out_callback: move || async move { toast.set("Goodbye!".into()) },
///             a { href: "#", "Leave" }
///         }
///     }
/// }
/// ```
#[component]
pub fn SignOutButton(
    /// Sign out only this session; `None` signs out every session.
    session_id: Option<String>,
    /// Where to go after a successful sign-out. `None` stays on the page.
    redirect_url: Option<String>,
    /// After signing out the active session, activate the most recently
    /// active remaining one (off by default, as in Clerk).
    switch_to_most_recent: Option<bool>,
    /// The older way to pass `session_id` and `redirect_url`; the flat props win.
    sign_out_options: Option<SignOutOptions>,
    /// Awaited after a successful sign-out, before any redirect.
    #[props(into, default)]
    sign_out_callback: SignOutCallback,
    /// Receives the error when the sign-out fails.
    on_error: Option<EventHandler<ClerkError>>,
    /// Runs before the sign-out; `evt.stop_propagation()` cancels it.
    onclick: Option<EventHandler<MouseEvent>>,
    /// Attributes for the button (or, with children, for the wrapper).
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
    /// Your own element(s) to sign out with instead of the default button.
    children: Option<Element>,
) -> Element {
    let sign_out = use_sign_out();
    let pending = sign_out.is_pending();
    let busy = if pending { "true" } else { "false" };
    let start = move |evt: MouseEvent| {
        if let Some(handler) = onclick {
            handler.call(evt.clone());
        }
        if !evt.propagates() {
            return;
        }
        let legacy = sign_out_options.clone().unwrap_or_default();
        let options = SignOutOptions {
            session_id: session_id.clone().or(legacy.session_id),
            redirect_url: redirect_url.clone().or(legacy.redirect_url),
            switch_to_most_recent: switch_to_most_recent.unwrap_or(legacy.switch_to_most_recent),
        };
        sign_out.call_with(options, sign_out_callback.clone(), on_error);
    };
    match children {
        None => rsx! {
            button {
                r#type: "button",
                disabled: pending,
                aria_busy: busy,
                onclick: start,
                ..attributes,
                "Sign out"
            }
        },
        Some(children) => rsx! {
            span {
                style: "display: contents",
                aria_busy: busy,
                "data-clerk-pending": busy,
                onclick: start,
                ..attributes,
                {children}
            }
        },
    }
}
