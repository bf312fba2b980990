//! What a user's web app pays for the crate (scripts/bench-size): the
//! provider, `SignedIn`/`SignedOut`, the user's name and `SignOutButton` on the
//! Frontend API backend made from a publishable key. No example scaffolding
//! (page chrome, status bar, emulator switch). Built to be measured, not run.

use clerk_dioxus::backend::fapi::FapiBackend;
use clerk_dioxus::prelude::*;

/// `clerk.example.com`, in the publishable key format.
const PUBLISHABLE_KEY: &str = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k";

/// Set at build time by `scripts/bench-load` only: the emulator to sign in
/// against, for the page-load timing. A constant, so each build carries one
/// of the two branches below.
const FRONTEND_API_URL: Option<&str> = option_env!("CLERK_SIZE_FAPI_URL");

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    let clerk = use_hook(|| {
        match FRONTEND_API_URL {
            Some(url) => FapiBackend::from_frontend_api_url(url),
            None => FapiBackend::from_publishable_key(PUBLISHABLE_KEY),
        }
        .map(|backend| Clerk::new(backend.build()))
    });
    match clerk {
        Ok(clerk) => rsx! {
            ClerkProvider { clerk,
                SignedIn { Greeting {} SignOutButton {} }
                SignedOut { "Signed out" }
            }
        },
        Err(error) => rsx! { p { "{error}" } },
    }
}

#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { "Signed in as {name}." } }
}
