//! A multi-account switcher: every signed-in account with "Switch" and
//! "Sign out", "Sign out of all accounts", and "Add account". By default,
//! signing out the active account leaves none active (as Clerk does: choose
//! one); the checkbox opts into switching to the most recently active one.
//! "Get a session token" shows the active session's token for the app's own
//! API. The list follows the server: accounts signed out on another device
//! go when the window regains focus.
//!
//! `cargo run --example account_switcher --features desktop`, or
//! `dx serve --example account_switcher --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: account switcher");
}

#[component]
fn App() -> Element {
    let mut switch_to_most_recent = use_signal(|| false);
    rsx! {
        shared::Page { title: "Accounts",
            shared::Accounts { switch_to_most_recent: switch_to_most_recent() }
            label { class: "toggle",
                input {
                    id: "switch-to-most-recent",
                    r#type: "checkbox",
                    checked: switch_to_most_recent(),
                    oninput: move |e| switch_to_most_recent.set(e.checked()),
                }
                "After signing out the active account, switch to the most recent one"
            }
            SignOutOfAll {}
            shared::AddAccount {}
            shared::SessionToken {}
        }
    }
}

/// Shown while any account is signed in, active or not: on the account
/// chooser too (where Clerk's own button once did nothing, clerk/javascript#741).
#[component]
fn SignOutOfAll() -> Element {
    let sessions = use_session_list();
    rsx! {
        if !sessions().is_empty() {
            SignOutButton {
                button { id: "sign-out", class: "btn", r#type: "button", "Sign out of all accounts" }
            }
        }
    }
}
