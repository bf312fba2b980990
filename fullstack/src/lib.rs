//! The fullstack example's app, rendered on the server and hydrated in the
//! browser: the first HTML already names the signed-in user, and the
//! browser then takes over (the session's token, following the server).
//!
//! - The server (`src/main.rs`, feature `server`) puts
//!   `ClerkLayer::with_server_rendering` on Dioxus's router: each page load
//!   is authenticated as Clerk's `clerkMiddleware` does (an expired session
//!   cookie goes through the handshake) and rendered with its user.
//! - [`whoami`], a `#[server]` function, reads the same verified user.
//!
//! Which Clerk: `CLERK_PUBLISHABLE_KEY` on the server (read when it starts,
//! and carried to the browser in the page's hydration data), the emulator
//! on `127.0.0.1:9400` unless set.

use clerk_dioxus::prelude::*;
#[cfg(feature = "server")]
use clerk_dioxus::server::RequireAuth;

/// The emulator's production key for `127.0.0.1:9400` (`./scripts/demo`'s).
const EMULATOR_KEY: &str = "pk_live_MTI3LjAuMC4xOjk0MDAk";

/// Who the request is from, for the signed-in user only: a request without
/// a valid session is refused (`401`, with Clerk's reason) before the body
/// runs. The same `Auth` the page was rendered with.
#[server(endpoint = "whoami", auth: RequireAuth)]
pub async fn whoami() -> Result<String, ServerFnError> {
    let session = auth.0.session_id.clone().unwrap_or_default();
    Ok(format!("{} ({session})", auth.0.user_id))
}

/// The publishable key: the server's, read where the page is rendered and
/// handed to the browser with the hydration data.
fn publishable_key() -> String {
    #[cfg(feature = "server")]
    if let Ok(key) = std::env::var("CLERK_PUBLISHABLE_KEY") {
        return key;
    }
    EMULATOR_KEY.to_owned()
}

/// The app.
#[component]
pub fn App() -> Element {
    let key = use_server_cached(publishable_key);
    rsx! {
        ClerkProvider { publishable_key: key,
            main { class: "card",
                header {
                    h1 { "clerk-dioxus · fullstack" }
                    UserButton { show_name: true }
                }
                ClerkLoading { p { id: "loading", "Loading…" } }
                SignedIn {
                    Greeting {}
                    WhoAmI {}
                    SignOutButton { id: "sign-out", class: "btn" }
                }
                SignedOut {
                    p { id: "signed-out", "You are signed out." }
                    SignInButton { class: "btn" }
                }
            }
        }
    }
}

/// The signed-in user's name, from the provider's state (the server's, in
/// the first HTML).
#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { id: "user", "Signed in as {name}." } }
}

/// Calls [`whoami`] and shows what the server answered.
#[component]
fn WhoAmI() -> Element {
    let mut answer = use_signal(|| None::<Result<String, String>>);
    let state = match &*answer.read() {
        None => "idle",
        Some(Ok(_)) => "accepted",
        Some(Err(_)) => "refused",
    };
    let text = match &*answer.read() {
        None => String::new(),
        Some(Ok(who)) => who.clone(),
        Some(Err(error)) => error.clone(),
    };
    rsx! {
        section { class: "token",
            button {
                id: "whoami",
                class: "btn small ghost neutral",
                r#type: "button",
                onclick: move |_| async move {
                    answer.set(Some(whoami().await.map_err(|error| error.to_string())));
                },
                "Who am I? (a server function)"
            }
            p { id: "whoami-answer", "data-state": state, "{text}" }
        }
    }
}
