//! Everything `SignOutButton` does, on one page, with `UserButton` (Clerk's
//! account menu) in the header: the accounts with a sign-out per row, sign out of all with an async callback, your own element, adding
//! an account, and — on the emulator — latency and failure switches with a
//! live log of what reached the server.
//!
//! `./scripts/demo` (web), `cargo run --example demo --features desktop`, or
//! `dx serve --example demo --platform web` next to `cargo run -p clerk-emulator`.

mod shared;

use clerk_dioxus::prelude::*;
use futures_util::StreamExt;
use serde_json::{json, Value};

fn main() {
    shared::launch(App, "clerk-dioxus demo");
}

#[component]
fn App() -> Element {
    let clerk = use_hook(shared::clerk);
    let emulator = shared::frontend().emulator_url().map(str::to_owned);
    rsx! {
        style { {shared::STYLE} }
        style { {USER_BUTTON_CSS} }
        ClerkProvider { clerk,
            header { class: "top",
                h1 { "clerk-dioxus" }
                span { class: "muted", "SignOutButton and UserButton demo · pure Rust, no clerk-js" }
                UserButton { id: "user-button", show_name: true }
            }
            div { class: "grid",
                section { class: "card",
                    h2 { "Accounts" }
                    shared::Accounts { switch_to_most_recent: false }
                    shared::AddAccount {}
                }
                section { class: "card",
                    h2 { "Sign out" }
                    SignOutActions {}
                    shared::SessionToken {}
                }
                if let Some(url) = emulator {
                    section { class: "card",
                        h2 { "Emulator" }
                        ServerControls { url: url.clone() }
                        RequestLog { url }
                    }
                }
            }
            shared::StatusBar {}
        }
    }
}

#[component]
fn SignOutActions() -> Element {
    let mut toast = use_signal(|| None::<String>);
    rsx! {
        p { class: "muted", "Sign out of every account, then an async callback runs:" }
        SignOutButton {
            id: "sign-out",
            class: "btn",
            sign_out_callback: move || async move {
                toast.set(Some("Signed out of every account. See you soon!".into()));
                futures_timer::Delay::new(std::time::Duration::from_millis(1500)).await;
                toast.set(None);
            },
        }
        p { class: "muted", "Or wrap your own element:" }
        SignOutButton {
            button { id: "side-door", class: "fancy", r#type: "button", "Leave through the side door →" }
        }
        if let Some(message) = toast() { div { id: "toast", class: "toast", role: "status", "{message}" } }
    }
}

/// Calls the emulator's control API (`/__emulator/…`).
async fn control(method: reqwest::Method, url: String, body: Option<Value>) -> Option<Value> {
    let request = reqwest::Client::new().request(method, url);
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(body.to_string()),
        None => request,
    };
    let text = request.send().await.ok()?.text().await.ok()?;
    serde_json::from_str(&text).ok()
}

/// The latency and failure switches. Mounting only reads the emulator's
/// faults, so the switches show what is set (after a reload, or from another
/// tab) and a fault set elsewhere stays. Toggling replaces every fault on the
/// emulator with what the switches say; toggles apply one at a time, in order.
#[component]
fn ServerControls(url: String) -> Element {
    let mut slow = use_signal(|| false);
    let mut failing = use_signal(|| false);
    let faults = format!("{url}/__emulator/faults");
    let reader = faults.clone();
    use_hook(move || {
        spawn(async move {
            let set = control(reqwest::Method::GET, reader, None).await;
            let has = |kind: &str| {
                set.as_ref()
                    .and_then(|set| set["delete_sessions"].as_array())
                    .is_some_and(|list| list.iter().any(|fault| fault["kind"] == kind))
            };
            slow.set(has("delay"));
            failing.set(has("error"));
        })
    });
    let updates = use_coroutine(move |mut switches: UnboundedReceiver<(bool, bool)>| {
        let faults = faults.clone();
        async move {
            while let Some((slow, failing)) = switches.next().await {
                set_faults(faults.clone(), slow, failing).await;
            }
        }
    });
    let toggle = move |mut switch: Signal<bool>, on: bool| {
        switch.set(on);
        updates.send((slow(), failing()));
    };
    rsx! {
        label { class: "toggle",
            input {
                r#type: "checkbox",
                checked: slow(),
                oninput: move |e| toggle(slow, e.checked()),
            }
            "Answer sign-outs after 1 s (see the pending state)"
        }
        label { class: "toggle",
            input {
                r#type: "checkbox",
                checked: failing(),
                oninput: move |e| toggle(failing, e.checked()),
            }
            "Fail sign-outs with a 500"
        }
    }
}

/// Clears every fault on the emulator, then sets the sign-out faults the
/// switches ask for.
async fn set_faults(faults: String, slow: bool, failing: bool) {
    control(reqwest::Method::DELETE, faults.clone(), None).await;
    for route in ["delete_sessions", "remove_session"] {
        if slow {
            let fault = json!({"kind": "delay", "ms": 1000});
            control(
                reqwest::Method::POST,
                faults.clone(),
                Some(json!({"route": route, "fault": fault})),
            )
            .await;
        }
        if failing {
            let fault = json!({"kind": "error", "status": 500, "code": "internal_clerk_error", "message": "The emulator is failing on purpose"});
            control(
                reqwest::Method::POST,
                faults.clone(),
                Some(json!({"route": route, "fault": fault})),
            )
            .await;
        }
    }
}

#[component]
fn RequestLog(url: String) -> Element {
    let state = use_auth_state();
    let log = use_resource(move || {
        let url = format!("{url}/__emulator/requests");
        let _changed = state.read().clone();
        async move { control(reqwest::Method::GET, url, None).await }
    });
    let lines: Vec<String> = match &*log.read() {
        Some(Some(Value::Array(requests))) => requests
            .iter()
            .rev()
            .take(10)
            .map(describe_request)
            .collect(),
        _ => Vec::new(),
    };
    rsx! {
        h3 { "What the server received" }
        ol { id: "request-log", class: "log",
            for line in lines { li { code { "{line}" } } }
        }
    }
}

/// `DELETE /v1/client/sessions (sent as POST ?_method=DELETE) → 200`
fn describe_request(request: &Value) -> String {
    let wire = request["method"].as_str().unwrap_or("?");
    let method_override = request["query"]
        .as_array()
        .and_then(|q| q.iter().find(|pair| pair[0] == "_method"))
        .and_then(|pair| pair[1].as_str());
    let path = request["path"].as_str().unwrap_or("?");
    let status = &request["status"];
    match method_override {
        Some(method) => format!("{method} {path} (sent as {wire} ?_method={method}) → {status}"),
        None => format!("{wire} {path} → {status}"),
    }
}
