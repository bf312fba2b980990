//! `SignOutButton` in a VirtualDom on the real Frontend API backend, talking
//! to the emulator over loopback HTTP: the whole chain, success and failure.

mod common;

use std::cell::{Cell, RefCell};
use std::time::Duration;

use clerk_dioxus::prelude::*;
use clerk_emulator::{Fault, Route};
use common::emulator::*;
use common::Harness;

thread_local! {
    static CALLBACKS: Cell<u32> = const { Cell::new(0) };
    static ERRORS: RefCell<Vec<ClerkError>> = const { RefCell::new(Vec::new()) };
}

#[component]
fn Page() -> Element {
    let id = "out";
    rsx! {
        SignedIn {
            SignOutButton {
                id,
                sign_out_callback: || CALLBACKS.set(CALLBACKS.get() + 1),
                on_error: |e| ERRORS.with(|errors| errors.borrow_mut().push(e)),
            }
        }
        SignedOut { p { "signed out" } }
    }
}

#[tokio::test]
async fn a_failed_sign_out_shows_the_error_runs_no_callback_and_keeps_the_servers_state() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    let handle = clerk.clone();
    let mut h =
        Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), Page {} } }).await;
    h.settle_until(Duration::from_secs(5), |_| handle.is_loaded())
        .await;
    assert!(h.html().contains("Sign out"), "{}", h.html());

    emulator.inject(
        Route::DeleteSessions,
        Fault::error(500, "internal_clerk_error", "Oops"),
    );
    h.click("out");
    h.settle_until(Duration::from_secs(5), |_| {
        ERRORS.with(|e| !e.borrow().is_empty())
    })
    .await;
    assert_eq!(
        ERRORS.with(|e| e.borrow()[0].code().map(str::to_owned)),
        Some("internal_clerk_error".into())
    );
    assert_eq!(CALLBACKS.get(), 0);
    assert_eq!(
        local_summary(&handle),
        server_summary(&emulator),
        "still what the server holds"
    );
    assert!(
        h.html().contains(r#"aria-busy="false""#),
        "the button works again: {}",
        h.html()
    );

    emulator.clear_faults();
    h.click("out");
    h.settle_until(Duration::from_secs(5), |h| h.html() == "<p>signed out</p>")
        .await;
    assert_eq!(CALLBACKS.get(), 1);
    assert_eq!(
        emulator.count(Route::DeleteSessions),
        2,
        "one request per click"
    );
    assert_eq!(local_summary(&handle), server_summary(&emulator));
}
