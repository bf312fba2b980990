use dioxus::prelude::*;

use crate::hooks::{use_auth_state, use_signed_in_status};

/// The props of `SignedIn`, `SignedOut`, `ClerkLoading` and `ClerkLoaded`:
/// the content they show or hide. One type for the four, so an app carries
/// its comparison, copy and drop once.
#[derive(Props, Clone, PartialEq)]
pub struct ControlProps {
    /// The content.
    children: Element,
}

/// Renders its children only while a session is active.
#[component]
pub fn SignedIn(props: ControlProps) -> Element {
    let children = props.children;
    let status = use_signed_in_status();
    if status().is_signed_in {
        children
    } else {
        VNode::empty()
    }
}

/// Renders its children only once the client has loaded and no session is active.
#[component]
pub fn SignedOut(props: ControlProps) -> Element {
    let children = props.children;
    let status = use_signed_in_status()();
    if status.is_loaded && !status.is_signed_in {
        children
    } else {
        VNode::empty()
    }
}

/// Renders its children until the client has loaded, unless the first load
/// failed (then `ClerkFailed` renders instead): clerk-react's `<ClerkLoading>`.
#[component]
pub fn ClerkLoading(props: ControlProps) -> Element {
    let children = props.children;
    let state = use_auth_state();
    let state = state.read();
    if !state.is_loaded && state.load_error.is_none() {
        children
    } else {
        VNode::empty()
    }
}

/// Renders its children once the client has loaded: clerk-react's `<ClerkLoaded>`.
#[component]
pub fn ClerkLoaded(props: ControlProps) -> Element {
    let children = props.children;
    let status = use_signed_in_status();
    if status().is_loaded {
        children
    } else {
        VNode::empty()
    }
}

/// Renders while the first load has failed and none has succeeded since
/// (a bad publishable key, the network): clerk-react's `<ClerkFailed>`. The
/// error is [`AuthState::load_error`](crate::AuthState::load_error); with
/// `show_error`, its message follows the children. Transient failures are
/// retried in the background, and this goes away when one succeeds.
#[component]
pub fn ClerkFailed(
    /// Show the error's message after the children, in a `<span data-clerk-error>`.
    #[props(default)]
    show_error: bool,
    /// What to show when Clerk could not be loaded.
    children: Element,
) -> Element {
    let state = use_auth_state();
    let state = state.read();
    match (&state.load_error, state.is_loaded) {
        (Some(error), false) => {
            let message = error.to_string();
            rsx! {
                {children}
                if show_error {
                    span { "data-clerk-error": "", "{message}" }
                }
            }
        }
        _ => VNode::empty(),
    }
}
