//! A session token for the app's own API, as a page shows it: which session
//! it is for and when it expires (the token itself stays out of the page).

use base64::Engine;
use clerk_dioxus::prelude::*;

/// What the last "Get a session token" gave.
#[derive(Clone, PartialEq)]
enum Fetched {
    Nothing,
    Token {
        session: String,
        expires_in: i64,
        /// The token's `exp` (Unix seconds, the server's clock).
        exp: i64,
    },
    NoSession,
    Failed(String),
}

/// "Get a session token": `use_auth().get_token(..)`, then the session the
/// token is for and its remaining life. On the web the same token is in the
/// page origin's `__session` cookie, for the app's own server.
#[component]
pub fn SessionToken() -> Element {
    let auth = use_auth();
    let mut fetched = use_signal(|| Fetched::Nothing);
    // How many answers have come: tests wait for the next one.
    let mut answers = use_signal(|| 0u32);
    let fetch = move |options: GetTokenOptions| async move {
        let result = auth().get_token(options).await;
        answers += 1;
        fetched.set(match result {
            Ok(Some(jwt)) => describe(&jwt),
            Ok(None) => Fetched::NoSession,
            Err(error) => Fetched::Failed(error.to_string()),
        });
    };
    let exp = match fetched() {
        Fetched::Token { exp, .. } => Some(exp),
        _ => None,
    };
    let state = match fetched() {
        Fetched::Nothing => "idle",
        Fetched::Token { .. } => "token",
        Fetched::NoSession => "none",
        Fetched::Failed(_) => "error",
    };
    rsx! {
        section { class: "token",
            button {
                id: "get-token",
                class: "btn small ghost neutral",
                r#type: "button",
                onclick: move |_| fetch(GetTokenOptions::new()),
                "Get a session token"
            }
            button {
                id: "get-fresh-token",
                class: "btn small ghost neutral",
                r#type: "button",
                // `skip_cache`: past the cached token, a request of its own.
                onclick: move |_| fetch(GetTokenOptions::new().skip_cache(true)),
                "Get a fresh one"
            }
            output { id: "token", "data-state": state, "data-answers": "{answers}", "data-exp": exp.map(|e| e.to_string()),
                match fetched() {
                    Fetched::Nothing => rsx! {},
                    Fetched::Token { session, expires_in, .. } => rsx! { "Token for {session}, valid for {expires_in} s" },
                    Fetched::NoSession => rsx! { "No session is signed in: no token" },
                    Fetched::Failed(error) => rsx! { "{error}" },
                }
            }
        }
    }
}

/// The token's session and remaining life, from its (unverified) claims.
fn describe(jwt: &str) -> Fetched {
    let claims = jwt
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .unwrap_or_default();
    let now = web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let exp = claims["exp"].as_i64().unwrap_or(now);
    Fetched::Token {
        session: claims["sid"].as_str().unwrap_or("?").to_owned(),
        expires_in: exp - now,
        exp,
    }
}
