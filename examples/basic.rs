//! Usage 1 of Clerk's docs: the default button: `SignOutButton {}` renders `<button>Sign out</button>`.
//!
//! `cargo run --example basic --features desktop`, or `dx serve --example basic --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: basic");
}

/// `shared::Page` puts a `ClerkProvider` around this (see `examples/shared`).
#[component]
fn App() -> Element {
    rsx! {
        shared::Page { title: "Basic",
            SignedIn {
                Greeting {}
                SignOutButton { id: "sign-out", class: "btn" }
            }
            SignedOut {
                p { id: "signed-out", "You are signed out." }
                PendingTask {}
            }
        }
    }
}

/// A session with a task left (choosing an organization, say) counts as
/// signed out; the task it waits for is there to route to.
#[component]
fn PendingTask() -> Element {
    let state = use_auth_state();
    let task = state.read().pending_task().map(|task| task.key.clone());
    rsx! {
        if let Some(task) = task {
            p { id: "pending-task", "One step left: {task}." }
        }
    }
}

#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { id: "user", "Signed in as {name}." } }
}
