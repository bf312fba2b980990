//! The core without an HTTP client: provider, control components and
//! SignOutButton on the in-memory backend (scripts/bench-size).

use clerk_dioxus::prelude::*;

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    let clerk = use_hook(|| Clerk::new(MemoryBackend::demo()));
    rsx! {
        ClerkProvider { clerk,
            SignedIn { SignOutButton {} }
            SignedOut { "Signed out" }
        }
    }
}
