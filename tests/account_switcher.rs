//! A multi-account switcher built from the public API, headless, on the
//! in-memory backend: switch, sign out one (active or not), sign out all, add
//! an account, and errors at each step.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use clerk_dioxus::navigation::RedirectTarget;
use clerk_dioxus::prelude::*;
use clerk_dioxus::{ApiError, BackendCall, CallKind, MemoryBackend, SessionListItem};
use common::Harness;

thread_local! {
    /// Which rows' callbacks ran, in order.
    static CALLBACKS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Which rows rendered, in order.
    static RENDERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

#[component]
fn Switcher(switch_to_most_recent: bool) -> Element {
    let sessions = use_session_list();
    rsx! {
        ul {
            for item in sessions() {
                Row { key: "{item.session.id}", item, switch_to_most_recent }
            }
        }
        SignOutButton { id: "all", on_error: |_| {} }
    }
}

#[component]
fn Row(item: SessionListItem, switch_to_most_recent: bool) -> Element {
    let set_active = use_set_active();
    let user = item.session.user_id().unwrap_or_default().to_owned();
    RENDERS.with(|r| r.borrow_mut().push(user.clone()));
    let (switch_id, sign_out_id) = (format!("switch-{user}"), format!("out-{user}"));
    let session_id = item.session.id.clone();
    let who = user.clone();
    rsx! {
        li {
            "{user}"
            if item.is_active { " (active)" }
            button {
                id: switch_id,
                onclick: move |_| set_active.call(session_id.clone()),
                "Switch"
            }
            SignOutButton {
                id: sign_out_id,
                session_id: item.session.id.clone(),
                switch_to_most_recent,
                on_error: |_| {},
                sign_out_callback: move || CALLBACKS.with(|c| c.borrow_mut().push(who.clone())),
            }
        }
    }
}

struct Setup {
    h: Harness,
    clerk: Clerk,
    backend: MemoryBackend,
    navigations: Rc<RefCell<Vec<String>>>,
}

async fn setup(switch_to_most_recent: bool) -> Setup {
    CALLBACKS.with(|c| c.borrow_mut().clear());
    let backend = MemoryBackend::demo();
    let navigations = Rc::new(RefCell::new(Vec::new()));
    let sink = navigations.clone();
    let clerk = Clerk::builder(backend.clone())
        .navigator(move |t: &RedirectTarget| sink.borrow_mut().push(t.as_str().to_owned()))
        .build();
    let handle = clerk.clone();
    let h = Harness::mount(
        move || rsx! { ClerkProvider { clerk: clerk.clone(), Switcher { switch_to_most_recent } } },
    )
    .await;
    backend.clear_calls();
    Setup {
        h,
        clerk: handle,
        backend,
        navigations,
    }
}

impl Setup {
    /// The rows as shown, e.g. `["user_ada (active)", "user_grace", "user_alan"]`.
    fn rows(&self) -> Vec<String> {
        self.h
            .html()
            .split("<li>")
            .skip(1)
            .map(|li| li.split("<button").next().unwrap().to_owned())
            .collect()
    }

    /// The list equals what the server holds.
    fn assert_matches_server(&self) {
        let server = self.backend.client().unwrap();
        let local = self.clerk.state().client.unwrap();
        let ids = |c: &clerk_dioxus::Client| {
            c.signed_in_sessions()
                .map(|s| s.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&local), ids(&server));
        assert_eq!(self.rows().len(), ids(&server).len());
    }
}

#[tokio::test]
async fn three_accounts_are_listed_most_recent_first_with_the_active_one_marked() {
    let s = setup(false).await;
    assert_eq!(
        s.rows(),
        vec!["user_ada (active)", "user_grace", "user_alan"]
    );
}

#[tokio::test]
async fn switching_makes_the_account_active_and_first() {
    let mut s = setup(false).await;
    s.h.click_and_settle("switch-user_alan").await;
    assert_eq!(
        s.rows(),
        vec!["user_alan (active)", "user_ada", "user_grace"]
    );
    assert!(matches!(
        s.backend.calls().as_slice(),
        [BackendCall::SetActiveSession(_)]
    ));
    s.assert_matches_server();
}

#[tokio::test]
async fn signing_out_another_account_changes_nothing_else() {
    let mut s = setup(false).await;
    s.h.click_and_settle("out-user_grace").await;
    assert_eq!(s.rows(), vec!["user_ada (active)", "user_alan"]);
    assert_eq!(
        CALLBACKS.with(|c| c.borrow().clone()),
        vec!["user_grace"],
        "only that row's callback"
    );
    assert!(s.navigations.borrow().is_empty(), "no redirect");
    s.assert_matches_server();
}

#[tokio::test]
async fn signing_out_another_account_renders_no_other_row_again() {
    let mut s = setup(false).await;
    RENDERS.with(|r| r.borrow_mut().clear());
    s.h.click_and_settle("out-user_grace").await;
    assert_eq!(s.rows(), vec!["user_ada (active)", "user_alan"]);
    assert_eq!(
        RENDERS.with(|r| r.borrow().clone()),
        Vec::<String>::new(),
        "the kept rows' props are unchanged, so they are not rendered again"
    );
}

#[tokio::test]
async fn switching_renders_only_the_two_rows_that_change() {
    let mut s = setup(false).await;
    RENDERS.with(|r| r.borrow_mut().clear());
    s.h.click_and_settle("switch-user_alan").await;
    let mut rendered = RENDERS.with(|r| r.borrow().clone());
    rendered.sort();
    assert_eq!(
        rendered,
        vec!["user_ada", "user_alan"],
        "the newly active row and the formerly active one; not user_grace"
    );
}

#[tokio::test]
async fn signing_out_the_active_account_leaves_none_active_by_default() {
    let mut s = setup(false).await;
    s.h.click_and_settle("out-user_ada").await;
    assert_eq!(s.rows(), vec!["user_grace", "user_alan"]);
    assert_eq!(s.clerk.state().active_session_id, None);
    assert_eq!(s.backend.call_count(CallKind::SetActiveSession), 0);
    s.assert_matches_server();
}

#[tokio::test]
async fn with_the_opt_in_the_most_recent_account_becomes_active_in_one_update() {
    let mut s = setup(true).await;
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let _subscription = s
        .clerk
        .subscribe(move |state| sink.borrow_mut().push(state.auth().user_id));
    s.h.click_and_settle("out-user_ada").await;
    assert_eq!(s.rows(), vec!["user_grace (active)", "user_alan"]);
    assert_eq!(
        *seen.borrow(),
        vec![Some("user_grace".to_owned())],
        "no intermediate 'nobody active' state"
    );
    assert!(matches!(
        s.backend.calls().as_slice(),
        [
            BackendCall::RemoveSession(_),
            BackendCall::SetActiveSession(_)
        ]
    ));
    s.assert_matches_server();
}

#[tokio::test]
async fn signing_out_of_all_accounts_empties_the_list() {
    let mut s = setup(false).await;
    s.h.click_and_settle("all").await;
    assert!(s.rows().is_empty());
    assert_eq!(s.backend.calls(), vec![BackendCall::SignOutAll]);
    s.assert_matches_server();
}

#[tokio::test]
async fn adding_an_account_makes_it_active() {
    let mut s = setup(false).await;
    s.clerk
        .sign_out(
            SignOutOptions::new().session_id(s.clerk.state().session_list()[2].session.id.clone()),
        )
        .await
        .unwrap();
    s.clerk
        .sign_in_with_password("alan@example.com", MemoryBackend::DEMO_PASSWORD)
        .await
        .unwrap();
    s.h.settle().await;
    assert_eq!(
        s.rows(),
        vec!["user_alan (active)", "user_ada", "user_grace"]
    );
    s.assert_matches_server();
}

#[tokio::test]
async fn errors_at_each_step_leave_the_list_as_the_server_has_it() {
    let mut s = setup(true).await;
    let before = s.rows();
    let failure = ApiError::new(500, "internal_clerk_error", "down");
    for kind in [
        CallKind::SetActiveSession,
        CallKind::RemoveSession,
        CallKind::SignOutAll,
        CallKind::SignInWithPassword,
    ] {
        s.backend.fail(kind, failure.clone());
    }
    s.h.click_and_settle("switch-user_alan").await;
    s.h.click_and_settle("out-user_grace").await;
    s.h.click_and_settle("all").await;
    // The right password: only the injected failure can refuse it.
    let sign_in = s
        .clerk
        .sign_in_with_password("ada@example.com", MemoryBackend::DEMO_PASSWORD)
        .await;
    assert_eq!(sign_in.unwrap_err().code(), Some("internal_clerk_error"));
    s.h.settle().await;
    let session_of = |user: &str| {
        let state = s.clerk.state();
        let item = state
            .session_list()
            .into_iter()
            .find(|i| i.session.user_id() == Some(user));
        item.map(|i| i.session.id.clone()).unwrap()
    };
    let (alan, grace) = (session_of("user_alan"), session_of("user_grace"));
    assert_eq!(
        s.backend.calls(),
        vec![
            BackendCall::SetActiveSession(alan),
            BackendCall::RemoveSession(grace),
            BackendCall::SignOutAll,
            BackendCall::SignInWithPassword("ada@example.com".into()),
        ],
        "each action reached the server, and failed there"
    );
    assert_eq!(s.rows(), before);
    assert!(CALLBACKS.with(|c| c.borrow().is_empty()));
    s.assert_matches_server();

    // The switch after a successful sign-out fails: the sign-out stands, nobody is active, the error is kept.
    s.backend.recover();
    s.backend.fail(CallKind::SetActiveSession, failure);
    s.h.click_and_settle("out-user_ada").await;
    assert_eq!(s.rows(), vec!["user_grace", "user_alan"]);
    assert_eq!(
        s.clerk
            .state()
            .last_error
            .and_then(|e| e.code().map(str::to_owned))
            .as_deref(),
        Some("internal_clerk_error")
    );
    s.assert_matches_server();
}
