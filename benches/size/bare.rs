//! The size baseline: a bare Dioxus 0.7.10 web app with one button, built
//! exactly like the examples (scripts/bench-size). Not part of the crate.

use dioxus::prelude::*;

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    let mut clicks = use_signal(|| 0);
    rsx! {
        button { r#type: "button", onclick: move |_| clicks += 1, "Sign out" }
        p { "{clicks}" }
    }
}
