use dioxus::core::{DynamicNode, TemplateNode, VNode};
use dioxus::prelude::*;

use crate::hooks::{use_sign_out, SignOutCallback};
use crate::navigation::RedirectUrl;
use crate::{ClerkError, SignOutOptions};

/// Signs the user out: Clerk's `<SignOutButton />` for Dioxus.
///
/// - Without children it renders `<button type="button">Sign out</button>`, and
///   every global attribute you pass (`class`, `id`, `aria_label`, ...) lands on it.
/// - With text only (`SignOutButton { "Log out" }`) it renders that text in the
///   same `<button>`, as Clerk does.
/// - With elements, a click anywhere inside them signs out. They are wrapped in
///   a `<span style="display: contents">` that carries your attributes,
///   `aria-busy` and `data-state`. Buttons and links inside keep their native
///   focus and keyboard activation. A child that stops the click's propagation
///   keeps it from reaching the wrapper, as in any DOM.
/// - `session_id` signs out one session; none signs out all. `redirect_url` is
///   followed after success. `switch_to_most_recent` makes the most recently
///   active remaining account active when the active one signs out. All three
///   override the older `sign_out_options`.
/// - `sign_out_callback` is awaited after a successful sign-out, before the
///   redirect. Neither runs after a failure, nor when nobody was signed in.
///   `on_error` receives the typed error; without it the error is logged and
///   kept in the auth state.
/// - `onclick` runs first. It cancels the sign-out with `evt.prevent_default()`,
///   the one way to cancel; stopping propagation does not.
/// - While the sign-out is in flight the button keeps its focus: it gets
///   `aria-disabled="true"` (not `disabled`, which would drop keyboard focus),
///   `aria-busy="true"` and `data-state="pending"`, and clicks are ignored.
///   Otherwise it has `data-state="idle"`.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn Header() -> Element {
///     let mut toast = use_signal(String::new);
///     rsx! {
///         SignOutButton { class: "btn" }
///         SignOutButton { "Log out" }
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
    /// Where to go after a successful sign-out (a `&str` or `String`). `None`
    /// stays on the page.
    redirect_url: Option<RedirectUrl>,
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
    /// Runs before the sign-out; `evt.prevent_default()` cancels it.
    onclick: Option<EventHandler<MouseEvent>>,
    /// Attributes for the button (or, with element children, for the wrapper).
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
    /// Text for the default button, or your own element(s) to sign out with.
    children: Option<Element>,
) -> Element {
    let sign_out = use_sign_out();
    let pending = sign_out.is_pending();
    let busy = if pending { "true" } else { "false" };
    let state = if pending { "pending" } else { "idle" };
    let start = move |evt: MouseEvent| {
        if pending {
            return;
        }
        if !super::click::app_allows(onclick, &evt) {
            crate::log::debug!("sign-out cancelled by the onclick handler");
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
    let label = match &children {
        None => Some(rsx! { "Sign out" }),
        Some(children) if is_text(children) => Some(children.clone()),
        Some(_) => None,
    };
    match (label, children) {
        (Some(label), _) => rsx! {
            button {
                r#type: "button",
                aria_disabled: pending.then_some("true"),
                aria_busy: busy,
                "data-state": state,
                onclick: start,
                ..attributes,
                {label}
            }
        },
        (None, children) => rsx! {
            span {
                style: "display: contents",
                aria_busy: busy,
                "data-state": state,
                onclick: start,
                ..attributes,
                {children}
            }
        },
    }
}

/// Whether `children` renders text and nothing else (`"Log out"`, `"{label}"`).
fn is_text(children: &Element) -> bool {
    fn text_only(node: &VNode) -> bool {
        let roots = &node.template.roots;
        !roots.is_empty()
            && roots.iter().all(|root| match root {
                TemplateNode::Text { .. } => true,
                TemplateNode::Element { .. } => false,
                TemplateNode::Dynamic { id } => match node.dynamic_nodes.get(*id) {
                    Some(DynamicNode::Text(_)) => true,
                    Some(DynamicNode::Fragment(nodes)) => {
                        !nodes.is_empty() && nodes.iter().all(text_only)
                    }
                    _ => false,
                },
            })
    }
    matches!(children, Ok(node) if text_only(node))
}
