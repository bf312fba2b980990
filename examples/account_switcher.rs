//! A multi-account switcher: every signed-in account with "Switch" and
//! "Sign out", "Sign out of all accounts", and "Add account". By default,
//! signing out the active account leaves none active (as Clerk does: choose
//! one); the checkbox opts into switching to the most recently active one.
//! "Get a session token" shows the active session's token for the app's own
//! API. The list follows the server: accounts signed out on another device
//! go when the window regains focus. "Active devices" lists the active
//! account's sessions on every browser and app install, and signs out of any
//! other one, or all of them.
//!
//! `cargo run --example account_switcher --features desktop`, or
//! `dx serve --example account_switcher --platform web`.

mod shared;

use clerk_dioxus::prelude::*;

fn main() {
    shared::launch(App, "clerk-dioxus: account switcher");
}

#[component]
fn App() -> Element {
    let mut switch_to_most_recent = use_signal(|| false);
    rsx! {
        shared::Page { title: "Accounts",
            shared::Accounts { switch_to_most_recent: switch_to_most_recent() }
            label { class: "toggle",
                input {
                    id: "switch-to-most-recent",
                    r#type: "checkbox",
                    checked: switch_to_most_recent(),
                    oninput: move |e| switch_to_most_recent.set(e.checked()),
                }
                "After signing out the active account, switch to the most recent one"
            }
            SignOutOfAll {}
            shared::AddAccount {}
            shared::SessionToken {}
            Devices {}
        }
    }
}

/// "Active devices": the active account's devices, this one marked, with a
/// sign-out for each other one and for all of them.
#[component]
fn Devices() -> Element {
    let auth = use_auth();
    let devices = use_active_devices();
    let mut summary = use_signal(|| None::<String>);
    rsx! {
        if auth().is_signed_in {
            section { class: "devices",
                h3 { "Active devices" }
                ActiveDevices { id: "devices", devices, button_class: "btn small ghost" }
                SignOutOtherDevicesButton {
                    id: "sign-out-other-devices",
                    class: "btn small ghost",
                    devices,
                    on_complete: move |results: Vec<clerk_dioxus::DeviceRevocation>| {
                        let failed = results.iter().filter(|r| r.result.is_err()).count();
                        summary.set(Some(format!("Signed out of {} device(s); {failed} failed.", results.len() - failed)));
                    },
                }
                if let Some(text) = summary() {
                    p { id: "devices-summary", class: "muted", "{text}" }
                }
            }
        }
    }
}

/// Shown while any account is signed in, active or not: on the account
/// chooser too (where Clerk's own button once did nothing, clerk/javascript#741).
#[component]
fn SignOutOfAll() -> Element {
    let sessions = use_session_list();
    rsx! {
        if !sessions().is_empty() {
            SignOutButton {
                button { id: "sign-out", class: "btn", r#type: "button", "Sign out of all accounts" }
            }
        }
    }
}
