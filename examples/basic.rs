//! The default button: `SignOutButton {}` renders `<button>Sign out</button>`.
//!
//! `cargo run --example basic --features desktop`, or `dx serve --example basic --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: basic");
}

#[component]
fn App() -> Element {
    // The in-memory backend with three demo accounts; Ada is active.
    let clerk = use_hook(|| Clerk::new(MemoryBackend::demo()));
    rsx! {
        style { {shared::STYLE} }
        ClerkProvider { clerk,
            main { class: "card",
                SignedIn {
                    Greeting {}
                    SignOutButton { class: "btn" }
                }
                SignedOut { p { "You are signed out." } }
            }
        }
    }
}

#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { "Signed in as {name}." } }
}
