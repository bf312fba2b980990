//! A multi-account switcher in a few lines: the rows, and adding an account.

use clerk_dioxus::prelude::*;

/// One row per signed-in account, most recently active first and keyed by
/// session id: initials and name, the active one marked, "Switch" and
/// "Sign out" for each.
#[component]
pub fn Accounts(
    /// Passed to each row's `SignOutButton`: after signing out the active
    /// account, activate the most recently active remaining one.
    switch_to_most_recent: bool,
) -> Element {
    let sessions = use_session_list();
    let auth = use_auth();
    rsx! {
        if !auth().is_loaded { p { class: "muted", "Loading…" } }
        if auth().is_loaded && sessions().is_empty() { p { id: "signed-out", class: "muted", "Nobody is signed in." } }
        if auth().is_loaded && !sessions().is_empty() && !auth().is_signed_in {
            p { id: "choose", class: "muted", "No account is active: choose one." }
        }
        ul {
            id: "sessions",
            class: "accounts",
            "data-switch-to-most-recent": "{switch_to_most_recent}",
            for item in sessions() {
                AccountRow { key: "{item.session.id}", item, switch_to_most_recent }
            }
        }
    }
}

/// One account. A component of its own, so rows whose account did not change
/// are not re-rendered when another row goes.
#[component]
fn AccountRow(item: SessionListItem, switch_to_most_recent: bool) -> Element {
    let set_active = use_set_active();
    let name = item.session.display_name();
    let user_id = item.session.user_id().unwrap_or_default().to_owned();
    let email = item
        .session
        .user
        .as_ref()
        .and_then(|u| u.primary_email_address().map(str::to_owned));
    let session_id = item.session.id.clone();
    rsx! {
        li {
            id: "session-{user_id}",
            "data-session": "{item.session.id}",
            class: if item.is_active { "account active" } else { "account" },
            span { class: "avatar", {initials(&name)} }
            span { class: "who",
                strong { "{name}" }
                small { class: "muted", {email} }
            }
            if item.is_active {
                span { class: "badge", "active" }
            } else {
                button {
                    id: "switch-{user_id}",
                    class: "btn small ghost neutral",
                    r#type: "button",
                    onclick: {
                        let session_id = session_id.clone();
                        move |_| set_active.call(session_id.clone())
                    },
                    "Switch"
                }
            }
            SignOutButton {
                id: "sign-out-{user_id}",
                class: "btn small ghost",
                session_id,
                switch_to_most_recent,
                aria_label: "Sign out {name}",
            }
        }
    }
}

/// Adds an account: with an email code (the headless `EmailCodeSignIn`), with
/// GitHub through the emulator's provider (`SignInButton`; the system browser
/// on desktop, a page redirect on the web), or with a password. Each is a new
/// session in the same client, which becomes the active one.
#[component]
pub fn AddAccount() -> Element {
    rsx! {
        section { class: "add",
            h3 { "Add an account" }
            PasswordSignIn {}
            EmailCodeSignIn { id_prefix: "email-code", class: "code-form", initial_email: "grace@example.com" }
            div { class: "oauth",
                SignInButton {
                    id: "sign-in-github",
                    class: "btn small ghost neutral",
                    oauth_provider: "github",
                    oauth_options: oauth_options(),
                    "Sign in with GitHub (emulator)"
                }
                // The instance's hosted sign-in page (Clerk's Account Portal;
                // the emulator's stand-in), and back here signed in. The web
                // only: native apps have no page to leave.
                if cfg!(target_arch = "wasm32") {
                    SignInButton {
                        id: "sign-in-portal",
                        class: "btn small ghost neutral",
                        "Sign in on the Account Portal"
                    }
                }
            }
        }
    }
}

/// How long a desktop OAuth sign-in waits: `CLERK_DIOXUS_OAUTH_TIMEOUT_MS`
/// (for the desktop tests), else the default five minutes.
fn oauth_options() -> OAuthOptions {
    let timeout = std::env::var("CLERK_DIOXUS_OAUTH_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis);
    match timeout {
        Some(timeout) => OAuthOptions { timeout },
        None => OAuthOptions::default(),
    }
}

/// The password sign-in.
#[component]
fn PasswordSignIn() -> Element {
    let clerk = use_clerk();
    let mut email = use_signal(|| "ada@example.com".to_owned());
    let mut password = use_signal(|| "demo-password".to_owned());
    let mut busy = use_signal(|| false);
    rsx! {
        form {
            class: "add password",
            onsubmit: move |event| {
                event.prevent_default();
                let clerk = clerk.clone();
                busy.set(true);
                spawn(async move {
                    if let Err(error) = clerk.sign_in_with_password(&email(), &password()).await {
                        clerk.report_error(error);
                    }
                    busy.set(false);
                });
            },
            // `initial_value`, not `value`: the field stays the user's while they
            // type, so a fast typist loses no character to a re-render.
            input { id: "add-email", r#type: "email", aria_label: "Email", initial_value: "{email}", oninput: move |e| email.set(e.value()) }
            input { id: "add-password", r#type: "password", aria_label: "Password", initial_value: "{password}", oninput: move |e| password.set(e.value()) }
            button { id: "add-account", class: "btn small", r#type: "submit", disabled: busy(), "Sign in" }
        }
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect()
}
