//! Hooks outside a `ClerkProvider` panic with a message that says what to do.
//! (Its own test binary: it installs a panic hook.)

use std::sync::{Arc, Mutex};

use clerk_dioxus::prelude::*;

#[allow(non_snake_case)]
fn Orphan() -> Element {
    let auth = use_auth();
    rsx! { "{auth().is_signed_in}" }
}

#[test]
fn a_hook_outside_the_provider_explains_the_fix() {
    let message = Arc::new(Mutex::new(String::new()));
    let sink = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        *sink.lock().unwrap() = info.payload_as_str().unwrap_or_default().to_owned();
    }));
    // Dioxus catches a component's panic and renders nothing in its place.
    let mut dom = VirtualDom::new(Orphan);
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dom.rebuild_in_place()));
    let _ = std::panic::take_hook();
    let message = message.lock().unwrap().clone();
    assert!(
        message.starts_with("use_auth() was called outside a ClerkProvider."),
        "{message}"
    );
    assert!(
        message.contains("ClerkProvider { clerk: Clerk::new(backend), App {} }"),
        "{message}"
    );
}
