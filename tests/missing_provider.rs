//! Hooks and components outside a `ClerkProvider` panic with a message that
//! names the hook and says what to do. (Its own test binary: it installs a
//! panic hook.)

use std::sync::{Arc, Mutex};

use clerk_dioxus::prelude::*;

/// A root component.
type App = fn() -> Element;

/// The panic message of rendering `app` alone, without a provider.
fn panic_message_of(app: App) -> String {
    let message = Arc::new(Mutex::new(String::new()));
    let sink = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
        *sink.lock().unwrap() = text.unwrap_or_default();
    }));
    // Dioxus catches a component's panic and renders nothing in its place.
    let mut dom = VirtualDom::new(app);
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dom.rebuild_in_place()));
    let _ = std::panic::take_hook();
    let message = message.lock().unwrap().clone();
    message
}

#[test]
fn every_hook_and_component_outside_the_provider_explains_the_fix() {
    let cases: [(&str, App); 11] = [
        ("use_clerk()", || {
            use_clerk();
            rsx! {}
        }),
        ("use_auth_state()", || {
            use_auth_state();
            rsx! {}
        }),
        ("use_auth()", || {
            let auth = use_auth();
            rsx! { "{auth().is_signed_in}" }
        }),
        ("use_session()", || {
            use_session();
            rsx! {}
        }),
        ("use_user()", || {
            use_user();
            rsx! {}
        }),
        ("use_session_list()", || {
            use_session_list();
            rsx! {}
        }),
        ("use_sign_out()", || {
            use_sign_out();
            rsx! {}
        }),
        ("use_set_active()", || {
            use_set_active();
            rsx! {}
        }),
        ("", || rsx! { SignOutButton {} }),
        ("", || rsx! { SignedIn { "in" } }),
        ("", || rsx! { SignedOut { "out" } }),
    ];
    for (hook, app) in cases {
        let message = panic_message_of(app);
        assert!(
            message.contains(" was called outside a ClerkProvider."),
            "{hook}: {message}"
        );
        assert!(
            message.starts_with(hook),
            "the message names the hook: {message}"
        );
        assert!(
            message.contains("ClerkProvider { clerk: Clerk::new(backend), App {} }"),
            "{message}"
        );
    }
}
