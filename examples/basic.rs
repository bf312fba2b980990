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
            SignedOut { p { id: "signed-out", "You are signed out." } }
        }
    }
}

#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { id: "user", "Signed in as {name}." } }
}
