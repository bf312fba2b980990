//! `SignOutButton` in a real VirtualDom, on the in-memory backend.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use clerk_dioxus::prelude::*;
use clerk_dioxus::{ApiError, BackendCall, CallKind, Clerk, MemoryBackend};
use common::{demo, Harness};

/// How long a test waits for what it expects before it fails.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

fn ids(backend: &MemoryBackend) -> Vec<String> {
    backend.signed_in_session_ids()
}

#[tokio::test]
async fn default_render_is_a_plain_button_with_forwarded_attributes() {
    let (clerk, _backend) = demo();
    let h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { class: "btn primary", id: "out", aria_label: "Leave the app" }
            }
        }
    })
    .await;
    assert_eq!(
        h.html(),
        r#"<button type="button" aria-busy="false" data-state="idle" class="btn primary" id="out" aria-label="Leave the app">Sign out</button>"#
    );
}

#[tokio::test]
async fn sign_out_all_from_the_default_button() {
    let (clerk, backend) = demo();
    let state = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignedIn { SignOutButton { id: "out" } }
                SignedOut { p { "signed out" } }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("out").await;
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
    assert!(ids(&backend).is_empty());
    assert!(!state.state().is_signed_in());
    assert_eq!(h.html(), "<p>signed out</p>");
}

thread_local!(static CHILD_CLICKS: Cell<u32> = const { Cell::new(0) });

fn count_child_click() {
    CHILD_CLICKS.set(CHILD_CLICKS.get() + 1);
}

/// Clicks the element with id `child` inside `SignOutButton { child() }`: the
/// child's own handler runs, the click bubbles through the runtime to the
/// wrapper, and exactly one sign-out is sent.
async fn click_child_signs_out(child: fn() -> Element) {
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { {child()} }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("child").await;
    assert_eq!(CHILD_CLICKS.get(), 1, "the child's own handler ran");
    assert_eq!(
        backend.calls(),
        vec![BackendCall::SignOutAll],
        "html: {}",
        h.html()
    );
}

#[tokio::test]
async fn a_custom_button_child_signs_out() {
    click_child_signs_out(|| {
        let id = "child";
        rsx! { button { class: "mine", id, onclick: |_| count_child_click(), "Leave" } }
    })
    .await;
}

#[tokio::test]
async fn a_link_child_signs_out() {
    click_child_signs_out(|| {
        let id = "child";
        rsx! { a { href: "#", id, onclick: |_| count_child_click(), "Leave" } }
    })
    .await;
}

#[tokio::test]
async fn a_span_nested_in_a_div_signs_out() {
    click_child_signs_out(|| {
        let id = "child";
        rsx! { div { class: "card", span { id, onclick: |_| count_child_click(), "Leave" } } }
    })
    .await;
}

/// Plain children (no listener of their own) are wrapped, and a click on the
/// wrapper signs out. A renderer delivers a click on such a child to the
/// wrapper; this harness can only click elements with listeners, so the click
/// on a child itself is checked in Chromium (`custom_children`).
#[tokio::test]
async fn plain_children_are_wrapped_and_a_click_on_the_wrapper_signs_out() {
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { id: "wrapper", div { span { "Leave" } } }
            }
        }
    })
    .await;
    assert!(
        h.html()
            .contains(r#"id="wrapper"><div><span>Leave</span></div></span>"#),
        "{}",
        h.html()
    );
    backend.clear_calls();
    h.click_and_settle("wrapper").await;
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
}

#[tokio::test]
async fn children_are_wrapped_without_a_box_and_carry_the_pending_state() {
    let (clerk, backend) = demo();
    let hold = backend.hold(CallKind::SignOutAll);
    let mut h = Harness::mount(move || {
        let id = "child";
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { "data-test": "wrap", button { id, onclick: |_| {}, "Leave" } }
            }
        }
    })
    .await;
    assert_eq!(
        h.html(),
        r#"<span style="display: contents" aria-busy="false" data-state="idle" data-test="wrap"><button id="child">Leave</button></span>"#
    );
    h.click_and_settle("child").await;
    assert!(
        h.html().starts_with(
            r#"<span style="display: contents" aria-busy="true" data-state="pending""#
        ),
        "{}",
        h.html()
    );
    hold.release();
    h.settle().await;
    assert!(h.html().contains(r#"aria-busy="false""#));
}

/// A child's handler runs first (the click bubbles to the wrapper); a child
/// that stops propagation keeps the click from the wrapper, as in any DOM.
#[tokio::test]
async fn the_childs_own_handler_runs_first_and_a_stopped_click_never_reaches_the_wrapper() {
    thread_local! {
        static ORDER: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        static CANCEL: Cell<bool> = const { Cell::new(false) };
    }
    let (clerk, backend) = demo();
    let seen_by_child = backend.clone();
    let mut h = Harness::mount(move || {
        let id = "child";
        let seen_by_child = seen_by_child.clone();
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    sign_out_callback: || ORDER.with(|o| o.borrow_mut().push("callback".into())),
                    button {
                        id,
                        onclick: move |evt: MouseEvent| {
                            let calls = seen_by_child.call_count(CallKind::SignOutAll);
                            ORDER.with(|o| o.borrow_mut().push(format!("child saw {calls} sign-outs")));
                            if CANCEL.get() {
                                evt.stop_propagation();
                            }
                        },
                        "Leave"
                    }
                }
            }
        }
    })
    .await;
    CANCEL.set(true);
    h.click_and_settle("child").await;
    assert_eq!(
        backend.call_count(CallKind::SignOutAll),
        0,
        "the wrapper never heard the stopped click"
    );
    CANCEL.set(false);
    h.click_and_settle("child").await;
    assert_eq!(backend.call_count(CallKind::SignOutAll), 1);
    assert_eq!(
        ORDER.with(|o| o.borrow().clone()),
        vec!["child saw 0 sign-outs", "child saw 0 sign-outs", "callback"]
    );
}

/// Loads the demo, clicks `SignOutButton { session_id }` for the session
/// `pick` chooses (given the active one), and returns what it needs to check.
async fn sign_out_one(
    pick: fn(&str, Vec<String>) -> String,
) -> (Clerk, MemoryBackend, String, String) {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let active = clerk.state().active_session_id.unwrap();
    let target = pick(&active, ids(&backend));
    let (handle, id) = (clerk.clone(), target.clone());
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { id: "out", session_id: id.clone() }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("out").await;
    assert_eq!(
        backend.calls(),
        vec![BackendCall::RemoveSession(target.clone())]
    );
    assert_eq!(handle.state().signed_in_sessions().len(), 2);
    assert!(!ids(&backend).contains(&target));
    (handle, backend, active, target)
}

#[tokio::test]
async fn signing_out_the_active_session_leaves_no_session_active() {
    let (clerk, _, _, _) = sign_out_one(|active, _| active.to_owned()).await;
    assert_eq!(
        clerk.state().active_session_id,
        None,
        "Clerk never switches to another session by itself"
    );
}

#[tokio::test]
async fn signing_out_another_session_keeps_the_active_one() {
    let (clerk, _, active, other) =
        sign_out_one(|active, all| all.into_iter().find(|id| id != active).unwrap()).await;
    let state = clerk.state();
    assert_eq!(state.active_session_id, Some(active));
    assert!(state.signed_in_sessions().iter().all(|s| s.id != other));
}

#[tokio::test]
async fn an_unknown_session_id_is_a_typed_error_and_sends_nothing() {
    thread_local!(static ERRORS: RefCell<Vec<ClerkError>> = const { RefCell::new(Vec::new()) });
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    session_id: "sess_nobody",
                    on_error: |e| ERRORS.with(|errors| errors.borrow_mut().push(e)),
                }
            }
        }
    })
    .await;
    let before = handle.state();
    backend.clear_calls();
    h.click_and_settle("out").await;
    assert_eq!(backend.calls(), vec![]);
    assert_eq!(
        ERRORS.with(|e| e.borrow().clone()),
        vec![ClerkError::SessionNotFound {
            session_id: "sess_nobody".into()
        }]
    );
    assert_eq!(
        handle.state(),
        before,
        "a handled error leaves the state alone"
    );
}

#[tokio::test]
async fn flat_props_win_over_the_older_sign_out_options() {
    let (clerk, backend) = demo();
    clerk.load().await.unwrap();
    let sessions = ids(&backend);
    let (flat, legacy) = (sessions[0].clone(), sessions[1].clone());
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { id: "flat", session_id: flat.clone(), sign_out_options: SignOutOptions::new().session_id(legacy.clone()) }
                SignOutButton { id: "legacy", sign_out_options: SignOutOptions::new().session_id(legacy.clone()) }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("flat").await;
    h.click_and_settle("legacy").await;
    assert_eq!(
        backend.calls(),
        vec![
            BackendCall::RemoveSession(sessions[0].clone()),
            BackendCall::RemoveSession(sessions[1].clone())
        ]
    );
}

#[tokio::test]
async fn the_callback_runs_once_after_success_and_never_after_failure() {
    thread_local!(static RUNS: Cell<u32> = const { Cell::new(0) });
    let (clerk, backend) = demo();
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(500, "internal_clerk_error", "Oops"),
    );
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    on_error: |_| {},
                    sign_out_callback: || async {
                        tokio::task::yield_now().await;
                        RUNS.set(RUNS.get() + 1);
                    },
                }
            }
        }
    })
    .await;
    h.click_and_settle("out").await;
    assert_eq!(RUNS.get(), 0, "no callback after a failed sign-out");
    backend.recover();
    h.click_and_settle("out").await;
    assert_eq!(RUNS.get(), 1);
    assert_eq!(backend.call_count(CallKind::SignOutAll), 2);
}

#[tokio::test]
async fn on_error_receives_the_typed_error_and_the_state_is_untouched() {
    thread_local!(static ERRORS: RefCell<Vec<ClerkError>> = const { RefCell::new(Vec::new()) });
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignedIn { SignOutButton { id: "out", on_error: |e| ERRORS.with(|errors| errors.borrow_mut().push(e)) } }
            }
        }
    })
    .await;
    let before = handle.state();
    let failure = ApiError::new(500, "internal_clerk_error", "Something went wrong");
    backend.fail(CallKind::SignOutAll, failure.clone());
    h.click_and_settle("out").await;
    assert_eq!(
        ERRORS.with(|e| e.borrow().clone()),
        vec![ClerkError::Api(failure)]
    );
    assert_eq!(
        handle.state(),
        before,
        "clerk-js clears state before the call; we keep the server's truth"
    );
    assert_eq!(ids(&backend).len(), 3);
    assert!(
        h.html().contains("Sign out"),
        "still signed in, button still there"
    );
}

#[tokio::test]
async fn without_on_error_the_error_is_kept_in_the_state() {
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { id: "out" }
                LastError {}
            }
        }
    })
    .await;
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(401, "signed_out", "You are signed out"),
    );
    h.click_and_settle("out").await;
    assert_eq!(
        handle
            .state()
            .last_error
            .and_then(|e| e.code().map(str::to_owned))
            .as_deref(),
        Some("signed_out")
    );
    assert!(
        h.html()
            .contains("<p>Clerk answered 401 (signed_out): You are signed out</p>"),
        "{}",
        h.html()
    );
}

#[tokio::test]
async fn pending_state_is_visible_then_the_button_works_again_after_an_error() {
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(), SignOutButton { id: "out", on_error: |_| {} } }
        }
    })
    .await;
    backend.fail(
        CallKind::SignOutAll,
        ApiError::new(500, "internal_clerk_error", "Oops"),
    );
    let hold = backend.hold(CallKind::SignOutAll);
    h.click_and_settle("out").await;
    assert_eq!(
        h.html(),
        r#"<button type="button" aria-disabled="true" aria-busy="true" data-state="pending" id="out">Sign out</button>"#
    );
    hold.release();
    h.settle().await;
    assert_eq!(
        h.html(),
        r#"<button type="button" aria-busy="false" data-state="idle" id="out">Sign out</button>"#
    );
    backend.recover();
    h.click_and_settle("out").await;
    assert_eq!(
        backend.call_count(CallKind::SignOutAll),
        2,
        "the button works again"
    );
    assert!(ids(&backend).is_empty());
}

/// The handle shares one request between callers, so one request alone would
/// not show the button's own guard: the callback and the redirect, which run
/// once per accepted click, must each run exactly once too.
#[tokio::test]
async fn fifty_rapid_clicks_send_one_request_and_run_the_callback_and_redirect_once() {
    thread_local! {
        static CALLBACKS: Cell<u32> = const { Cell::new(0) };
        static REDIRECTS: Cell<u32> = const { Cell::new(0) };
    }
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(|_: &clerk_dioxus::navigation::RedirectTarget| {
            REDIRECTS.set(REDIRECTS.get() + 1)
        })
        .build();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    redirect_url: "/bye",
                    sign_out_callback: || CALLBACKS.set(CALLBACKS.get() + 1),
                }
            }
        }
    })
    .await;
    backend.clear_calls();
    let hold = backend.hold(CallKind::SignOutAll);
    for _ in 0..50 {
        h.click("out");
    }
    h.settle().await;
    hold.release();
    h.settle().await;
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
    assert_eq!(CALLBACKS.get(), 1, "the callback ran once");
    assert_eq!(REDIRECTS.get(), 1, "the redirect ran once");
}

#[tokio::test]
async fn unmounting_the_button_mid_flight_still_completes_and_updates_the_state() {
    thread_local!(static SHOW: Cell<bool> = const { Cell::new(true) });
    let (clerk, backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                if SHOW.get() { SignOutButton { id: "out" } }
                Toggle {}
            }
        }
    })
    .await;
    let hold = backend.hold(CallKind::SignOutAll);
    h.click_and_settle("out").await;
    SHOW.set(false);
    h.dom.mark_dirty(dioxus_core::ScopeId::APP);
    h.settle().await;
    assert_eq!(
        h.html(),
        "<p>toggle</p>",
        "the button is gone while the request is in flight"
    );
    hold.release();
    h.settle().await;
    assert_eq!(backend.call_count(CallKind::SignOutAll), 1);
    assert!(
        !handle.state().is_signed_in(),
        "the server's answer landed in the state"
    );
    assert_eq!(handle.state().client.as_deref(), backend.client().as_ref());
}

#[component]
fn Toggle() -> Element {
    rsx! { p { "toggle" } }
}

#[tokio::test]
async fn the_common_signed_in_wrapper_unmounts_the_button_and_the_callback_still_runs() {
    thread_local!(static RUNS: Cell<u32> = const { Cell::new(0) });
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignedIn {
                    SignOutButton {
                        id: "out",
                        sign_out_callback: || async {
                            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                            RUNS.set(RUNS.get() + 1);
                        },
                    }
                }
            }
        }
    })
    .await;
    h.click("out");
    h.settle_until(LIMIT, |_| RUNS.get() == 1).await;
    assert_eq!(h.html(), "");
    assert_eq!(RUNS.get(), 1);
    assert!(ids(&backend).is_empty());
}

#[tokio::test]
async fn a_valid_redirect_is_followed_after_the_async_callback_finishes() {
    thread_local!(static EVENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) });
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(|t: &clerk_dioxus::navigation::RedirectTarget| {
            EVENTS.with(|e| e.borrow_mut().push(format!("navigate {}", t.as_str())))
        })
        .build();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    redirect_url: "/goodbye?from=app",
                    // Async and slow: the redirect must wait for it to finish.
                    sign_out_callback: || async {
                        EVENTS.with(|e| e.borrow_mut().push("callback starts".into()));
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        EVENTS.with(|e| e.borrow_mut().push("callback ends".into()));
                    },
                }
            }
        }
    })
    .await;
    h.click("out");
    h.settle_until(LIMIT, |_| EVENTS.with(|e| e.borrow().len()) == 3)
        .await;
    assert_eq!(
        EVENTS.with(|e| e.borrow().clone()),
        vec![
            "callback starts",
            "callback ends",
            "navigate /goodbye?from=app"
        ]
    );
}

#[tokio::test]
async fn a_refused_redirect_sends_nothing() {
    thread_local!(static ERRORS: RefCell<Vec<ClerkError>> = const { RefCell::new(Vec::new()) });
    let backend = MemoryBackend::demo();
    let navigated = Rc::new(Cell::new(false));
    let flag = navigated.clone();
    let clerk = Clerk::builder(backend.clone())
        .navigator(move |_: &clerk_dioxus::navigation::RedirectTarget| flag.set(true))
        .build();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    redirect_url: "javascript:alert(document.cookie)",
                    on_error: |e| ERRORS.with(|errors| errors.borrow_mut().push(e)),
                }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("out").await;
    assert_eq!(backend.calls(), vec![]);
    assert!(!navigated.get());
    assert!(matches!(
        ERRORS.with(|e| e.borrow()[0].clone()),
        ClerkError::InvalidRedirect {
            reason: clerk_dioxus::RedirectError::UnsupportedScheme,
            ..
        }
    ));
    assert_eq!(ids(&backend).len(), 3);
}

#[component]
fn LastError() -> Element {
    let state = use_auth_state();
    rsx! {
        if let Some(error) = &state.read().last_error {
            p { "{error}" }
        }
    }
}

/// The one way to cancel: `evt.prevent_default()` in the button's own
/// `onclick`. Stopping propagation there does not cancel (a menu item may stop
/// it for its own reasons), nor does a default a child prevented before it.
#[tokio::test]
async fn only_prevent_default_in_the_buttons_onclick_cancels() {
    thread_local! {
        static MODE: Cell<&'static str> = const { Cell::new("") };
    }
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        let id = "link";
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    onclick: |evt: MouseEvent| match MODE.get() {
                        "prevent" => evt.prevent_default(),
                        "stop" => evt.stop_propagation(),
                        _ => {}
                    },
                    "Log out"
                }
                SignOutButton {
                    a { id, href: "#", onclick: |evt: MouseEvent| evt.prevent_default(), "Leave" }
                }
            }
        }
    })
    .await;
    backend.clear_calls();
    MODE.set("prevent");
    h.click_and_settle("out").await;
    assert_eq!(backend.calls(), vec![], "prevent_default cancelled it");
    assert_eq!(ids(&backend).len(), 3);

    let hold = backend.hold(CallKind::SignOutAll);
    MODE.set("stop");
    h.click_and_settle("out").await;
    assert_eq!(
        backend.calls(),
        vec![BackendCall::SignOutAll],
        "stop_propagation is not a cancel"
    );
    drop(hold);
    h.settle().await;
    assert!(ids(&backend).is_empty());

    // Signed in again: the link child prevents its own navigation, and that
    // does not cancel the sign-out.
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        let id = "link";
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    a { id, href: "#", onclick: |evt: MouseEvent| evt.prevent_default(), "Leave" }
                }
            }
        }
    })
    .await;
    backend.clear_calls();
    h.click_and_settle("link").await;
    assert_eq!(backend.calls(), vec![BackendCall::SignOutAll]);
}

/// `SignOutButton { "Log out" }` is Clerk's text child: a real, focusable
/// button with that label, not a wrapper that keyboard users cannot reach.
#[tokio::test]
async fn a_text_child_is_the_buttons_label() {
    let (clerk, backend) = demo();
    let mut h = Harness::mount(move || {
        let name = "Ada";
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton { id: "static", class: "btn", "Log out" }
                SignOutButton { id: "formatted", "Log out {name}" }
            }
        }
    })
    .await;
    assert_eq!(
        h.html(),
        concat!(
            r#"<button type="button" aria-busy="false" data-state="idle" id="static" class="btn">Log out</button>"#,
            r#"<button type="button" aria-busy="false" data-state="idle" id="formatted">Log out Ada</button>"#,
        )
    );
    let hold = backend.hold(CallKind::SignOutAll);
    h.click_and_settle("formatted").await;
    assert!(
        h.html().contains(
            r#"<button type="button" aria-disabled="true" aria-busy="true" data-state="pending" id="formatted">Log out Ada</button>"#
        ),
        "pending keeps the button (and its focus), marked aria-disabled: {}",
        h.html()
    );
    drop(hold);
    h.settle().await;
    assert!(ids(&backend).is_empty());
}

/// Nobody signed in: `NothingToSignOut`, and no callback or redirect runs
/// (clerk-js returns early the same way).
#[tokio::test]
async fn with_nobody_signed_in_no_callback_or_redirect_runs() {
    thread_local! {
        static RAN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(|_: &clerk_dioxus::navigation::RedirectTarget| {
            RAN.with(|r| r.borrow_mut().push("redirect"))
        })
        .build();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                SignOutButton {
                    id: "out",
                    redirect_url: "/bye",
                    sign_out_callback: || RAN.with(|r| r.borrow_mut().push("callback")),
                    on_error: |_| RAN.with(|r| r.borrow_mut().push("error")),
                }
            }
        }
    })
    .await;
    handle.sign_out(SignOutOptions::new()).await.unwrap();
    h.settle().await;
    RAN.with(|r| r.borrow_mut().clear());
    backend.clear_calls();
    h.click_and_settle("out").await;
    assert_eq!(backend.calls(), vec![], "nothing to send");
    assert_eq!(RAN.with(|r| r.borrow().clone()), Vec::<&str>::new());
}
