//! Everything `SignOutButton` does, on one page: the default button, a custom
//! child, signing out one session or all, an async callback, errors, the
//! pending state, and a log of what reached the server.
//!
//! `cargo run --example demo --features desktop`, or `dx serve --example demo --platform web`.

mod shared;

use std::time::Duration;

use clerk_dioxus::prelude::*;
use clerk_dioxus::{ApiError, BackendCall, CallKind};

fn main() {
    shared::launch(App, "clerk-dioxus demo");
}

/// The demo's server: shared so the controls can inject latency and failures.
#[derive(Clone)]
struct Server(MemoryBackend);

#[component]
fn App() -> Element {
    let backend = use_hook(MemoryBackend::demo);
    let clerk = use_hook(|| Clerk::new(backend.clone()));
    use_context_provider(|| Server(backend));
    rsx! {
        style { {shared::STYLE} }
        ClerkProvider { clerk,
            header { class: "top",
                h1 { "clerk-dioxus" }
                span { class: "muted", "SignOutButton demo · in-memory Clerk backend" }
            }
            div { class: "grid",
                section { class: "card",
                    h2 { "Accounts" }
                    Accounts {}
                    SignedOut { SignInAgain {} }
                }
                section { class: "card",
                    h2 { "Sign out" }
                    SignOutActions {}
                }
                section { class: "card",
                    h2 { "Server" }
                    ServerControls {}
                    RequestLog {}
                }
            }
        }
    }
}

#[component]
fn Accounts() -> Element {
    let sessions = use_session_list();
    let state = use_auth_state();
    let loaded = state.read().is_loaded;
    rsx! {
        if !loaded { p { class: "muted", "Loading…" } }
        ul { class: "accounts",
            for item in sessions() {
                li { key: "{item.session.id}", class: if item.is_active { "account active" } else { "account" },
                    span { class: "avatar", {initials(&item.session.display_name())} }
                    span { class: "who",
                        strong { {item.session.display_name()} }
                        small { class: "muted", {item.session.user.as_ref().and_then(|u| u.primary_email_address().map(str::to_owned))} }
                    }
                    if item.is_active { span { class: "badge", "active" } }
                    SignOutButton {
                        class: "btn small ghost",
                        session_id: item.session.id.clone(),
                        aria_label: "Sign out {item.session.display_name()}",
                    }
                }
            }
        }
    }
}

#[component]
fn SignOutActions() -> Element {
    let mut toast = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let state = use_auth_state();
    rsx! {
        p { class: "muted", "The default button signs out every account:" }
        SignOutButton {
            class: "btn",
            on_error: move |e: ClerkError| error.set(Some(e.to_string())),
            sign_out_callback: move || async move {
                error.set(None);
                toast.set(Some("Signed out of every account. See you soon!".into()));
                // An async callback is awaited: record an event, flush a cache, …
                futures_timer::Delay::new(Duration::from_millis(1500)).await;
                toast.set(None);
            },
        }
        p { class: "muted", "Or wrap your own element:" }
        SignOutButton {
            on_error: move |e: ClerkError| error.set(Some(e.to_string())),
            button { class: "fancy", r#type: "button", "Leave through the side door →" }
        }
        if let Some(message) = toast() { div { class: "toast", role: "status", "{message}" } }
        if let Some(message) = error() { div { class: "error", role: "alert", "{message}" } }
        if let Some(last) = state.read().last_error.as_ref() { div { class: "error", "Last error: {last}" } }
    }
}

#[component]
fn SignInAgain() -> Element {
    let server = use_context::<Server>();
    let clerk = use_clerk();
    rsx! {
        button {
            class: "btn",
            onclick: move |_| {
                let (server, clerk) = (server.clone(), clerk.clone());
                let signed_in: Vec<String> = server.0.client().into_iter().flat_map(|c| c.signed_in_sessions().filter_map(|s| s.user_id().map(str::to_owned)).collect::<Vec<_>>()).collect();
                for user in MemoryBackend::demo_users().into_iter().rev() {
                    if !signed_in.contains(&user.id) {
                        server.0.sign_in(user);
                    }
                }
                spawn(async move { let _ = clerk.load().await; });
            },
            "Sign the demo accounts in again"
        }
    }
}

#[component]
fn ServerControls() -> Element {
    let server = use_context::<Server>();
    let mut slow = use_signal(|| false);
    let mut failing = use_signal(|| false);
    let backend = server.0.clone();
    use_effect(move || {
        backend.recover();
        if slow() {
            backend.delay(CallKind::SignOutAll, Duration::from_secs(1));
            backend.delay(CallKind::RemoveSession, Duration::from_secs(1));
        }
        if failing() {
            let error = ApiError::new(
                500,
                "internal_clerk_error",
                "The demo server is failing on purpose",
            );
            backend.fail(CallKind::SignOutAll, error.clone());
            backend.fail(CallKind::RemoveSession, error);
        }
    });
    rsx! {
        label { class: "toggle",
            input { r#type: "checkbox", checked: slow(), oninput: move |e| slow.set(e.checked()) }
            "Answer after 1 s (see the pending state)"
        }
        label { class: "toggle",
            input { r#type: "checkbox", checked: failing(), oninput: move |e| failing.set(e.checked()) }
            "Fail sign-outs with a 500"
        }
    }
}

#[component]
fn RequestLog() -> Element {
    let server = use_context::<Server>();
    // Re-read on every state change.
    let _ = use_auth_state()();
    let calls = server.0.calls();
    rsx! {
        h3 { "What the server received" }
        ol { class: "log",
            for call in calls.iter().rev().take(12) {
                li { code { {describe(call)} } }
            }
        }
    }
}

fn describe(call: &BackendCall) -> String {
    match call {
        BackendCall::LoadClient => "GET /v1/client".into(),
        BackendCall::SignOutAll => "DELETE /v1/client/sessions".into(),
        BackendCall::RemoveSession(id) => format!("POST /v1/client/sessions/{id}/remove"),
        BackendCall::SetActiveSession(id) => format!("POST /v1/client/sessions/{id}/touch"),
        BackendCall::SignInWithPassword(who) => format!("POST /v1/client/sign_ins ({who})"),
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect()
}
