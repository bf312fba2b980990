//! `UserButton` headless, on the in-memory backend: what it renders (roles,
//! states, items), and each action with its one request, pending state,
//! success and inline failure. The keyboard and the pointer are tested in
//! Chromium and the desktop window (`e2e/`).

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use clerk_dioxus::model::{DisplayConfig, Environment};
use clerk_dioxus::navigation::RedirectTarget;
use clerk_dioxus::prelude::*;
use clerk_dioxus::{ApiError, BackendCall, CallKind, MemoryBackend};
use common::Harness;

thread_local! {
    static ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static ADDED: RefCell<u32> = const { RefCell::new(0) };
}

struct Setup {
    h: Harness,
    clerk: Clerk,
    backend: MemoryBackend,
    navigations: Rc<RefCell<Vec<String>>>,
}

#[derive(Clone, Copy, Default)]
struct Options {
    switch_to_most_recent: bool,
    with_callbacks: bool,
    default_open: bool,
}

async fn setup(backend: MemoryBackend, options: Options) -> Setup {
    ERRORS.with(|e| e.borrow_mut().clear());
    ADDED.with(|a| *a.borrow_mut() = 0);
    common::watch(&backend);
    let navigations = Rc::new(RefCell::new(Vec::new()));
    let sink = navigations.clone();
    let clerk = Clerk::builder(backend.clone())
        .navigator(move |t: &RedirectTarget| sink.borrow_mut().push(t.as_str().to_owned()))
        .build();
    let handle = clerk.clone();
    let h = Harness::mount(move || {
        let Options { switch_to_most_recent, with_callbacks, default_open } = options;
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                if with_callbacks {
                    UserButton {
                        id: "ub",
                        switch_to_most_recent,
                        default_open,
                        after_sign_out_url: "/goodbye",
                        after_switch_session_url: "/switched",
                        on_add_account: move |_| ADDED.with(|a| *a.borrow_mut() += 1),
                        on_manage_account: move |_| {},
                        on_error: move |e: ClerkError| ERRORS.with(|errors| errors.borrow_mut().push(e.to_string())),
                    }
                } else {
                    UserButton { id: "ub", switch_to_most_recent, default_open, show_name: true }
                }
            }
        }
    })
    .await;
    backend.clear_calls();
    Setup {
        h,
        clerk: handle,
        backend,
        navigations,
    }
}

/// The three demo accounts, the button with every callback.
async fn with_callbacks() -> Setup {
    let options = Options {
        with_callbacks: true,
        ..Options::default()
    };
    setup(MemoryBackend::demo(), options).await
}

/// The signed-in sessions as the list shows them: active first, then most recent.
fn listed(clerk: &Clerk) -> Vec<String> {
    clerk
        .state()
        .session_list()
        .iter()
        .map(|item| item.session.id.clone())
        .collect()
}

impl Setup {
    async fn open(&mut self) {
        self.h.click_suffix("-trigger");
        self.h.settle().await;
        assert!(self.html().contains(r#"role="menu""#));
    }

    fn html(&self) -> String {
        self.h.html()
    }

    /// The menu items' `data-item`s, in order.
    fn items(&self) -> Vec<String> {
        self.html()
            .split(r#"role="menuitem""#)
            .skip(1)
            .filter_map(|rest| rest.split(r#"data-item=""#).nth(1))
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect()
    }

    fn is_open(&self) -> bool {
        let html = self.html();
        let trigger = html.split("<button").nth(1).unwrap();
        trigger.contains(r#"aria-expanded="true""#)
    }
}

#[tokio::test]
async fn the_trigger_is_a_closed_menu_button_showing_the_active_account() {
    let s = setup(MemoryBackend::demo(), Options::default()).await;
    let html = s.html();
    assert!(html.contains(r#"aria-haspopup="menu""#), "{html}");
    assert!(html.contains(r#"aria-expanded="false""#), "{html}");
    assert!(
        html.contains(r#"aria-label="Open account menu for Ada Lovelace""#),
        "{html}"
    );
    assert!(html.contains(">AL<"), "initials without an image: {html}");
    assert!(html.contains("Ada Lovelace</span>"), "show_name: {html}");
    assert!(
        html.contains(r#"role="menu""#) && html.contains("hidden"),
        "the menu is there, hidden"
    );
    assert_eq!(
        html.matches(r#"data-state="closed""#).count(),
        3,
        "root, trigger, menu: {html}"
    );
    assert!(s.items().is_empty(), "no items while closed");
}

#[tokio::test]
async fn the_open_menu_lists_the_account_the_others_and_both_sign_outs() {
    let mut s = with_callbacks().await;
    s.open().await;
    assert!(s.is_open());
    let html = s.html();
    assert_eq!(html.matches(r#"data-state="open""#).count(), 3, "{html}");
    assert!(
        html.contains("ada@example.com"),
        "the active account's email: {html}"
    );
    assert_eq!(
        s.items(),
        [
            "manage",
            "account",
            "account",
            "add",
            "sign-out",
            "sign-out-all"
        ],
        "{html}"
    );
    assert!(html.contains("Grace Hopper") && html.contains("Alan Turing"));
    assert!(s.backend.calls().is_empty(), "opening sends nothing");
}

#[tokio::test]
async fn one_account_has_no_sign_out_of_all_and_no_manage_without_a_page_or_callback() {
    let backend = MemoryBackend::new();
    backend.sign_in(MemoryBackend::demo_users().remove(0));
    let mut s = setup(backend, Options::default()).await;
    s.open().await;
    assert_eq!(s.items(), ["sign-out"]);
}

#[tokio::test]
async fn selecting_another_account_switches_with_one_request_then_closes_and_redirects() {
    let mut s = with_callbacks().await;
    let grace = listed(&s.clerk)[1].clone();
    s.open().await;
    s.h.click_suffix(&format!("-account:{grace}"));
    s.h.settle().await;
    assert_eq!(
        s.backend.calls(),
        [BackendCall::SetActiveSession(grace.clone())]
    );
    assert_eq!(
        s.clerk.state().active_session_id.as_deref(),
        Some(grace.as_str())
    );
    assert!(!s.is_open(), "closed after success");
    assert!(s.html().contains("Open account menu for Grace Hopper"));
    assert_eq!(*s.navigations.borrow(), ["/switched"]);
}

#[tokio::test]
async fn an_action_in_flight_keeps_the_menu_open_marks_its_item_and_ignores_more_clicks() {
    let mut s = with_callbacks().await;
    let hold = s.backend.hold(CallKind::RemoveSession);
    s.open().await;
    s.h.click_suffix("-sign-out");
    s.h.settle().await;
    let html = s.html();
    assert!(s.is_open(), "open while it runs");
    assert!(
        html.contains(r#"data-pending="true""#) && html.contains("Signing out…"),
        "{html}"
    );
    assert!(html.contains(r#"data-busy="true""#), "{html}");
    s.h.click_suffix("-sign-out");
    s.h.click_suffix("-sign-out-all");
    s.h.settle().await;
    drop(hold);
    s.h.settle().await;
    assert_eq!(
        s.backend.call_count(CallKind::RemoveSession),
        1,
        "one request"
    );
    assert_eq!(
        s.backend.call_count(CallKind::SignOutAll),
        0,
        "nothing else started"
    );
}

#[tokio::test]
async fn sign_out_signs_out_the_active_account_and_can_switch_to_the_most_recent() {
    let mut s = setup(
        MemoryBackend::demo(),
        Options {
            switch_to_most_recent: true,
            ..Options::default()
        },
    )
    .await;
    let ids = listed(&s.clerk);
    s.open().await;
    s.h.click_suffix("-sign-out");
    s.h.settle().await;
    assert_eq!(
        s.backend.calls()[0],
        BackendCall::RemoveSession(ids[0].clone())
    );
    let state = s.clerk.state();
    assert_eq!(state.signed_in_sessions().len(), 2);
    assert_eq!(
        state.active_session_id.as_deref(),
        Some(ids[1].as_str()),
        "Grace, the most recent"
    );
    assert!(!s.is_open());
    assert!(
        s.navigations.borrow().is_empty(),
        "others are still signed in: no after_sign_out_url"
    );
}

#[tokio::test]
async fn without_an_active_account_the_trigger_offers_to_choose_one() {
    let mut s = setup(MemoryBackend::demo(), Options::default()).await;
    s.open().await;
    s.h.click_suffix("-sign-out");
    s.h.settle().await;
    let html = s.html();
    assert!(html.contains(r#"aria-label="Choose an account""#), "{html}");
    s.open().await;
    assert_eq!(s.items(), ["account", "account", "sign-out-all"]);
}

#[tokio::test]
async fn sign_out_of_all_ends_every_session_renders_nothing_and_redirects() {
    let mut s = with_callbacks().await;
    s.open().await;
    s.h.click_suffix("-sign-out-all");
    s.h.settle().await;
    assert_eq!(s.backend.calls(), [BackendCall::SignOutAll]);
    assert!(
        !s.html().contains("clerk-user-button"),
        "nothing with nobody signed in"
    );
    assert_eq!(*s.navigations.borrow(), ["/goodbye"]);
}

#[tokio::test]
async fn a_failure_shows_in_the_menu_keeps_the_server_state_and_reaches_on_error() {
    let mut s = with_callbacks().await;
    s.backend.fail(
        CallKind::SetActiveSession,
        ApiError::new(500, "internal", "the server is down"),
    );
    let before = s.clerk.state().active_session_id;
    let grace = listed(&s.clerk)[1].clone();
    s.open().await;
    s.h.click_suffix(&format!("-account:{grace}"));
    s.h.settle().await;
    let html = s.html();
    assert!(s.is_open(), "stays open on failure");
    assert!(
        html.contains(r#"role="alert""#) && html.contains("the server is down"),
        "{html}"
    );
    assert!(
        !html.contains("data-pending"),
        "nothing pending any more: {html}"
    );
    assert_eq!(
        s.clerk.state().active_session_id,
        before,
        "the server's state"
    );
    assert_eq!(
        ERRORS.with(|e| e.borrow().len()),
        1,
        "the typed error reached on_error"
    );
    assert!(s.navigations.borrow().is_empty());

    s.backend.recover();
    s.h.click_suffix(&format!("-account:{grace}"));
    s.h.settle().await;
    assert!(
        !s.html().contains(r#"role="alert""#),
        "a new attempt clears the error"
    );
    assert_eq!(
        s.clerk.state().active_session_id.as_deref(),
        Some(grace.as_str())
    );
}

#[tokio::test]
async fn without_on_error_a_failure_is_kept_in_the_state_as_sign_out_button_does() {
    let mut s = setup(MemoryBackend::demo(), Options::default()).await;
    s.backend
        .fail(CallKind::SignOutAll, ApiError::new(500, "internal", "boom"));
    s.open().await;
    s.h.click_suffix("-sign-out-all");
    s.h.settle().await;
    assert!(s.html().contains("boom"));
    assert!(s.clerk.state().last_error.is_some());
    assert_eq!(s.clerk.state().signed_in_sessions().len(), 3);
}

#[tokio::test]
async fn add_account_calls_the_app_and_closes() {
    let mut s = with_callbacks().await;
    s.open().await;
    s.h.click_suffix("-add");
    s.h.settle().await;
    assert_eq!(ADDED.with(|a| *a.borrow()), 1);
    assert!(!s.is_open());
    assert!(s.backend.calls().is_empty());
}

#[tokio::test]
async fn default_open_opens_on_mount() {
    let s = setup(
        MemoryBackend::demo(),
        Options {
            default_open: true,
            ..Options::default()
        },
    )
    .await;
    assert!(s.is_open());
    assert_eq!(
        s.items(),
        ["account", "account", "sign-out", "sign-out-all"]
    );
}

#[tokio::test]
async fn natively_manage_account_needs_the_callback_even_when_the_instance_has_a_page() {
    let backend = MemoryBackend::demo();
    backend.set_environment(Environment {
        display_config: DisplayConfig {
            user_profile_url: "https://accounts.example.com/user".into(),
            ..DisplayConfig::default()
        },
    });
    let mut s = setup(backend, Options::default()).await;
    s.open().await;
    assert!(
        !s.items().contains(&"manage".to_owned()),
        "no page to open natively"
    );
    assert_eq!(
        s.clerk
            .environment()
            .await
            .unwrap()
            .display_config
            .user_profile_url,
        "https://accounts.example.com/user"
    );
}

/// How many times each live component has rendered, by scope.
fn renders(h: &Harness) -> HashMap<usize, usize> {
    let runtime = h.dom.runtime();
    (0..10_000)
        .filter(|&id| h.dom.get_scope(dioxus_core::ScopeId(id)).is_some())
        .map(|id| {
            let count = runtime.in_scope(dioxus_core::ScopeId(id), dioxus_core::generation);
            (id, count)
        })
        .collect()
}

/// Components that rendered again between `before` and `after`.
fn rendered_again(before: &HashMap<usize, usize>, after: &HashMap<usize, usize>) -> usize {
    before
        .iter()
        .filter(|(id, count)| after.get(id).is_some_and(|now| now > count))
        .count()
}

/// With the menu open over `accounts` signed-in accounts, counts the
/// components that render again (1) while its "Sign out" is in flight, and
/// (2) when the active account is signed out elsewhere (another
/// `SignOutButton`, say) and the most recent other one becomes active, so the
/// open menu loses that row.
async fn rendered_again_with(accounts: usize) -> (usize, usize) {
    let backend = MemoryBackend::with_numbered_users(accounts);
    let mut s = setup(
        backend,
        Options {
            switch_to_most_recent: true,
            ..Options::default()
        },
    )
    .await;
    s.open().await;
    assert_eq!(
        s.items().len(),
        accounts - 1 + 2,
        "the other accounts and both sign-outs"
    );

    let hold = s.backend.hold(CallKind::RemoveSession);
    let before = renders(&s.h);
    s.h.click_suffix("-sign-out");
    s.h.settle().await;
    assert!(s.html().contains("data-pending"));
    let pending = rendered_again(&before, &renders(&s.h));
    s.backend.fail(
        CallKind::RemoveSession,
        ApiError::new(500, "internal", "not now"),
    );
    drop(hold);
    s.h.settle().await;
    assert!(
        s.is_open() && s.html().contains("not now"),
        "still open, with the error"
    );

    s.backend.recover();
    let before = renders(&s.h);
    let active = s.clerk.state().active_session_id.unwrap();
    let options = SignOutOptions::new()
        .session_id(active)
        .switch_to_most_recent(true);
    s.clerk.sign_out(options).await.unwrap();
    s.h.settle().await;
    assert!(s.is_open());
    assert_eq!(s.items().len(), accounts - 2 + 2, "one row fewer");
    let signed_out = rendered_again(&before, &renders(&s.h));
    (pending, signed_out)
}

#[tokio::test]
async fn with_100_accounts_no_row_renders_again_for_a_pending_action_or_a_sign_out() {
    let few = rendered_again_with(3).await;
    let many = rendered_again_with(100).await;
    assert_eq!(
        many, few,
        "the same components render again with 100 accounts as with 3: the kept rows do not"
    );
    assert!(
        few.0 < 8 && few.1 < 8,
        "the button and the items that changed: {few:?}"
    );
}
