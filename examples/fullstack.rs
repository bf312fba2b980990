//! The app and its own API: "Who am I?" asks the server (an axum app behind
//! `ClerkLayer`, `examples/fullstack_server.rs`), which verifies the session
//! token. After signing out, the same call is refused with 401, and the page
//! says so: a sign-out ends access, not just what the page shows.
//!
//! On the web the page and the API share an origin, so the `__session` cookie
//! carries the token; on desktop the request carries it in `Authorization`.
//! `./scripts/demo --fullstack` starts the emulator, the server (which also
//! serves this page) and opens nothing: visit the printed URL. The desktop
//! build talks to the same server: `CLERK_DIOXUS_API_URL=http://127.0.0.1:8081
//! CLERK_FRONTEND_API=http://127.0.0.1:9400 cargo run --example fullstack --features desktop`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: fullstack");
}

#[component]
fn App() -> Element {
    rsx! {
        shared::Page { title: "Your API",
            SignedIn {
                Greeting {}
                SignOutButton { id: "sign-out", class: "btn" }
            }
            SignedOut { p { id: "signed-out", "You are signed out." } }
            WhoAmI {}
        }
    }
}

/// Under the page's provider (a component of its own, so its hook runs there).
#[component]
fn Greeting() -> Element {
    let user = use_user();
    let name = user().and_then(|u| u.display_name()).unwrap_or_default();
    rsx! { p { id: "user", "Signed in as {name}." } }
}

/// What the API answered last.
#[derive(Clone, PartialEq)]
enum Answer {
    None,
    Asking,
    Accepted(String),
    Refused { status: u16, reason: String },
    Failed(String),
}

/// Asks the API who the request is from: with the session when there is one,
/// and without when signed out (so the server's refusal shows).
#[component]
fn WhoAmI() -> Element {
    let clerk = use_clerk();
    let mut answer = use_signal(|| Answer::None);
    let state = match answer() {
        Answer::None => "idle",
        Answer::Asking => "pending",
        Answer::Accepted(_) => "accepted",
        Answer::Refused { .. } => "refused",
        Answer::Failed(_) => "error",
    };
    rsx! {
        section { class: "token",
            button {
                id: "api-whoami",
                class: "btn small ghost neutral",
                r#type: "button",
                onclick: move |_| {
                    let clerk = clerk.clone();
                    async move {
                        answer.set(Answer::Asking);
                        answer.set(ask(&clerk).await);
                    }
                },
                "Who am I? (ask the API)"
            }
            p {
                output { id: "api-answer", "data-state": state,
                    match answer() {
                        Answer::None | Answer::Asking => rsx! {},
                        Answer::Accepted(who) => rsx! { "The API says: {who}" },
                        Answer::Refused { status, reason } => rsx! { "The API refused: {status} ({reason})" },
                        Answer::Failed(error) => rsx! { "{error}" },
                    }
                }
            }
        }
    }
}

async fn ask(clerk: &Clerk) -> Answer {
    let http = reqwest::Client::new();
    let url = format!("{}/api/me", shared::api_url());
    let signed_in = clerk.state().is_signed_in();
    let response = if signed_in {
        clerk.send_with_session(http.get(&url)).await
    } else {
        // No session to send: the server decides (and refuses).
        shared::without_session(http.get(&url))
            .send()
            .await
            .map_err(|e| ClerkError::Network(e.to_string()))
    };
    let response = match response {
        Ok(response) => response,
        Err(ClerkError::SignedOut) => {
            return Answer::Refused {
                status: 401,
                reason: "signed out".into(),
            }
        }
        Err(error) => return Answer::Failed(error.to_string()),
    };
    let status = response.status().as_u16();
    let body: serde_json::Value = response
        .text()
        .await
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    if status == 200 {
        Answer::Accepted(format!(
            "{} ({})",
            body["user_id"].as_str().unwrap_or("?"),
            body["session_id"].as_str().unwrap_or("?")
        ))
    } else {
        Answer::Refused {
            status,
            reason: body["reason"].as_str().unwrap_or("").to_owned(),
        }
    }
}
