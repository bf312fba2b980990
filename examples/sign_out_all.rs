//! Usage 4 of Clerk's docs: sign out of every session, then run an async callback: show a toast and
//! record an event. The callback is awaited, and runs only after success.
//!
//! `cargo run --example sign_out_all --features desktop`, or
//! `dx serve --example sign_out_all --platform web`.

mod shared;

use std::time::Duration;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: sign out everywhere");
}

#[component]
fn App() -> Element {
    rsx! {
        shared::Page { title: "Sign out everywhere",
            SessionCount {}
            SignOutEverywhere {}
        }
    }
}

#[component]
fn SignOutEverywhere() -> Element {
    let mut toast = use_signal(|| None::<String>);
    let mut events = use_signal(Vec::<String>::new);
    rsx! {
        SignedIn {
            SignOutButton {
                sign_out_callback: move || async move {
                    events.write().push("signed_out_everywhere".to_owned());
                    toast.set(Some("Signed out of every account.".to_owned()));
                    futures_timer::Delay::new(Duration::from_millis(300)).await;
                    events.write().push("toast_shown".to_owned());
                },
                button { id: "sign-out", class: "btn", r#type: "button", "Sign out of all accounts" }
            }
        }
        if let Some(message) = toast() { div { id: "toast", class: "toast", role: "status", "{message}" } }
        ul { id: "events", class: "log",
            for event in events() { li { "{event}" } }
        }
    }
}

#[component]
fn SessionCount() -> Element {
    let sessions = use_session_list();
    let auth = use_auth();
    rsx! {
        if auth().is_loaded {
            p { id: "count", "{sessions().len()} signed-in account(s)" }
        }
    }
}
