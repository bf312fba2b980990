use dioxus::prelude::*;

use crate::hooks::use_auth;

/// Renders its children only while a session is active.
#[component]
pub fn SignedIn(
    /// Content for signed-in users.
    children: Element,
) -> Element {
    let auth = use_auth();
    if auth.read().is_signed_in {
        children
    } else {
        VNode::empty()
    }
}

/// Renders its children only once the client has loaded and no session is active.
#[component]
pub fn SignedOut(
    /// Content for signed-out users.
    children: Element,
) -> Element {
    let auth = use_auth();
    let auth = auth.read();
    if auth.is_loaded && !auth.is_signed_in {
        children
    } else {
        VNode::empty()
    }
}
