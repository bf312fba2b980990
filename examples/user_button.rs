//! `UserButton`: Clerk's account menu. The avatar opens a menu with the
//! active account, "Manage account", the other signed-in accounts (select one
//! to switch), "Add account", "Sign out" and "Sign out of all accounts".
//! Keyboard: arrows, Home, End, a letter, Enter or Space, Escape, Tab.
//!
//! "Manage account" opens the instance's profile page on the web; natively
//! it shows this app's own panel (`on_manage_account`). "Add account" shows
//! the password form (`on_add_account`).
//!
//! `cargo run --example user_button --features desktop`, or
//! `dx serve --example user_button --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: user button");
}

#[component]
fn App() -> Element {
    let mut adding = use_signal(|| false);
    let mut managing = use_signal(|| false);
    let mut failures = use_signal(|| 0_u32);
    // On the web the instance's profile page is the place to manage an
    // account; natively there is no page to open, so the app shows its own.
    let manage =
        (!cfg!(target_arch = "wasm32")).then_some(EventHandler::new(move |_| managing.set(true)));
    rsx! {
        style { {USER_BUTTON_CSS} }
        shared::Page { title: "User button",
            header { class: "bar",
                span { class: "muted", "My app" }
                UserButton {
                    id: "user-button",
                    show_name: true,
                    switch_to_most_recent: true,
                    on_add_account: move |_| adding.set(true),
                    on_manage_account: manage,
                    on_error: move |_| failures += 1,
                }
            }
            p { class: "muted",
                "Clerk's own: "
                a { id: "docs", href: "https://clerk.com/docs/components/user/user-button", "<UserButton />" }
            }
            SignedIn { ActiveUser {} }
            SignedOut { p { id: "signed-out", class: "muted", "Nobody is signed in." } }
            if failures() > 0 {
                p { id: "failures", class: "muted", "Failed actions so far: {failures}" }
            }
            if managing() {
                section { id: "manage-panel", class: "panel",
                    h3 { "Manage account" }
                    p { class: "muted", "Your app's own account page goes here." }
                    button { id: "close-manage", class: "btn small", r#type: "button", onclick: move |_| managing.set(false), "Close" }
                }
            }
            if adding() {
                shared::AddAccount {}
            }
        }
    }
}

/// Who is active, for people and tests.
#[component]
fn ActiveUser() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { id: "user", "Signed in as {name}" } }
}
