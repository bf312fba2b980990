//! Usage 3 of Clerk's docs: sign out one session of a multi-session client: the current one (from
//! `use_auth().session_id`) or any listed one. The others stay signed in.
//!
//! `cargo run --example sign_out_session --features desktop`, or
//! `dx serve --example sign_out_session --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: sign out one session");
}

#[component]
fn App() -> Element {
    rsx! {
        shared::Page { title: "Sign out one session",
            CurrentSession {}
            Sessions {}
        }
    }
}

#[component]
fn CurrentSession() -> Element {
    let auth = use_auth();
    let user = use_user();
    rsx! {
        if let Some(session_id) = auth().session_id {
            p { id: "user", "Active: {user().and_then(|u| u.display_name()).unwrap_or_default()}" }
            SignOutButton { session_id,
                button { id: "sign-out", class: "btn", r#type: "button", "Sign out of this account" }
            }
        } else {
            p { id: "no-active", "No account is active. Pick one below." }
        }
    }
}

#[component]
fn Sessions() -> Element {
    let sessions = use_session_list();
    rsx! {
        ul { id: "sessions", class: "accounts",
            for item in sessions() {
                li {
                    key: "{item.session.id}",
                    id: "session-{item.session.user_id().unwrap_or_default()}",
                    class: if item.is_active { "account active" } else { "account" },
                    span { class: "who", strong { {item.session.display_name()} } }
                    SignOutButton {
                        id: "sign-out-{item.session.user_id().unwrap_or_default()}",
                        class: "btn small ghost",
                        session_id: item.session.id.clone(),
                    }
                }
            }
        }
    }
}
