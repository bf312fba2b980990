//! Usage 2 of Clerk's docs: your own element: wrap any styled element in `SignOutButton` and a click
//! (or Enter on it) signs out, then follows `redirect_url` (here a fragment,
//! so the page keeps its query string).
//!
//! `cargo run --example custom_children --features desktop`, or
//! `dx serve --example custom_children --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: custom children");
}

#[component]
fn App() -> Element {
    rsx! {
        shared::Page { title: "Custom children",
            SignedIn {
                p { id: "user", "Signed in. Leave through your own door:" }
                SignOutButton { redirect_url: "#signed-out",
                    button { id: "sign-out", class: "fancy", r#type: "button", "Leave through the side door →" }
                }
            }
            SignedOut { p { id: "signed-out", "You are signed out." } }
        }
    }
}
