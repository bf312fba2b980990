//! The provider, the control components and the read hooks.

mod common;

use clerk_dioxus::prelude::*;
use clerk_dioxus::{AuthSnapshot, CallKind, Session, SignOutCallback};
use common::{demo, Harness};

#[component]
fn Who() -> Element {
    let auth = use_auth();
    let user = use_user();
    let session = use_session();
    let name = user()
        .and_then(|u| u.first_name)
        .unwrap_or_else(|| "nobody".into());
    let sid = session().map(|s| s.id).unwrap_or_default();
    rsx! { p { "loaded={auth().is_loaded} signed_in={auth().is_signed_in} user={name} same_session={auth().session_id.unwrap_or_default() == sid}" } }
}

#[component]
fn Accounts() -> Element {
    let list = use_session_list();
    rsx! {
        ul {
            for item in list() {
                li { key: "{item.session.id}", "{item.session.display_name()}" if item.is_active { " (active)" } }
            }
        }
    }
}

#[tokio::test]
async fn children_render_while_loading_and_control_components_wait() {
    let (clerk, backend) = demo();
    let hold = backend.hold(CallKind::LoadClient);
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                Who {}
                SignedIn { "IN" }
                SignedOut { "OUT" }
            }
        }
    })
    .await;
    assert_eq!(
        h.html(),
        "<p>loaded=false signed_in=false user=nobody same_session=true</p>"
    );
    hold.release();
    h.settle().await;
    assert_eq!(
        h.html(),
        "<p>loaded=true signed_in=true user=Ada same_session=true</p>IN"
    );
}

#[tokio::test]
async fn the_session_list_is_ordered_by_activity_and_marks_the_active_one() {
    let (clerk, _backend) = demo();
    let handle = clerk.clone();
    let mut h =
        Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), Accounts {} } }).await;
    assert_eq!(
        h.html(),
        "<ul><li>Ada Lovelace (active)</li><li>Grace Hopper</li><li>Alan Turing</li></ul>"
    );
    let alan = handle.state().session_list()[2].session.id.clone();
    handle.set_active(&alan).await.unwrap();
    h.settle().await;
    assert_eq!(
        h.html(),
        "<ul><li>Alan Turing (active)</li><li>Ada Lovelace</li><li>Grace Hopper</li></ul>"
    );
}

#[tokio::test]
async fn signed_out_shows_after_signing_out_everywhere() {
    let (clerk, _backend) = demo();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! { ClerkProvider { clerk: clerk.clone(), Who {} SignedOut { "OUT" } } }
    })
    .await;
    handle.sign_out(SignOutOptions::new()).await.unwrap();
    h.settle().await;
    assert_eq!(
        h.html(),
        "<p>loaded=true signed_in=false user=nobody same_session=true</p>OUT"
    );
}

#[tokio::test]
async fn two_providers_on_one_handle_see_the_same_state() {
    let (clerk, backend) = demo();
    backend.delay(CallKind::LoadClient, std::time::Duration::from_millis(20));
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(), SignedIn { "A" } }
            ClerkProvider { clerk: clerk.clone(), SignedIn { "B" } }
        }
    })
    .await;
    assert_eq!(h.html(), "AB");
    assert_eq!(
        backend.call_count(CallKind::LoadClient),
        1,
        "the second provider shares the first load"
    );
    handle.sign_out(SignOutOptions::new()).await.unwrap();
    h.settle().await;
    assert_eq!(h.html(), "");
}

/// Clicks while pending are ignored by the trigger itself, not only merged by
/// the handle: the callback and the redirect run once.
#[tokio::test]
async fn use_sign_out_drives_a_design_system_button() {
    use std::cell::Cell;
    thread_local! {
        static CALLBACKS: Cell<u32> = const { Cell::new(0) };
        static REDIRECTS: Cell<u32> = const { Cell::new(0) };
    }
    #[component]
    fn Menu() -> Element {
        let sign_out = use_sign_out();
        let id = "item";
        rsx! {
            li {
                id,
                "aria-disabled": sign_out.is_pending(),
                onclick: move |_| sign_out.call_with(
                    SignOutOptions::new().redirect_url("/bye"),
                    SignOutCallback::new(|| async { CALLBACKS.set(CALLBACKS.get() + 1) }),
                    None,
                ),
                "Sign out"
            }
        }
    }
    let backend = clerk_dioxus::MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(|_: &clerk_dioxus::navigation::RedirectTarget| {
            REDIRECTS.set(REDIRECTS.get() + 1)
        })
        .build();
    let hold = backend.hold(CallKind::SignOutAll);
    let mut h =
        Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), Menu {} } }).await;
    h.click_and_settle("item").await;
    assert!(h.html().contains(r#"aria-disabled=true"#), "{}", h.html());
    for _ in 0..10 {
        h.click_and_settle("item").await;
    }
    hold.release();
    h.settle().await;
    assert_eq!(backend.call_count(CallKind::SignOutAll), 1);
    assert_eq!((CALLBACKS.get(), REDIRECTS.get()), (1, 1));
    assert!(h.html().contains(r#"aria-disabled=false"#), "{}", h.html());
}

/// A trigger kept past its provider (stashed outside the tree, say) has
/// nothing to sign out with: using it does nothing and panics nowhere.
#[tokio::test]
async fn triggers_kept_past_their_provider_do_nothing() {
    use std::cell::Cell;
    thread_local! {
        static KEPT: Cell<Option<(clerk_dioxus::UseSignOut, clerk_dioxus::UseSetActive)>> =
            const { Cell::new(None) };
        static MOUNTED: Cell<Option<Signal<bool>>> = const { Cell::new(None) };
    }
    #[component]
    fn Keeper() -> Element {
        let triggers = (use_sign_out(), use_set_active());
        KEPT.with(|kept| kept.set(Some(triggers)));
        rsx! { "kept" }
    }
    let (clerk, backend) = demo();
    // A session the handle knows and could switch to: only the lost provider
    // stops the kept trigger, not an unknown id.
    let known = clerk.clone();
    let mut h = Harness::mount(move || {
        let mounted = use_signal(|| true);
        MOUNTED.with(|slot| slot.set(Some(mounted)));
        rsx! {
            if mounted() {
                ClerkProvider { clerk: clerk.clone(), Keeper {} }
            }
        }
    })
    .await;
    assert_eq!(h.html(), "kept");
    let mut mounted = MOUNTED.with(Cell::get).unwrap();
    let state = known.state();
    let inactive = state
        .signed_in_sessions()
        .iter()
        .map(|s| s.id.clone())
        .find(|id| Some(id) != state.active_session_id.as_ref())
        .expect("the demo has inactive sessions");
    h.dom.in_runtime(|| mounted.set(false));
    h.settle().await;
    assert_eq!(h.html(), "", "the provider is gone");
    backend.clear_calls();
    let (sign_out, set_active) = KEPT.with(Cell::get).unwrap();
    h.dom.in_runtime(|| {
        sign_out.call(SignOutOptions::new());
        set_active.call(inactive.clone());
    });
    h.settle().await;
    assert_eq!(backend.call_count(CallKind::SignOutAll), 0);
    assert_eq!(backend.call_count(CallKind::SetActiveSession), 0);
}

/// The session a server rendered the page with: Grace's, as a snapshot
/// carries it (no token, a stand-in client).
fn rendered_for_grace() -> AuthSnapshot {
    let session: Session = serde_json::from_value(serde_json::json!({
        "id": "sess_rendered",
        "status": "active",
        "user": { "id": "user_grace", "first_name": "Grace", "last_name": "Hopper" },
    }))
    .unwrap();
    AuthSnapshot::signed_in(session)
}

#[tokio::test]
async fn a_server_rendered_snapshot_is_the_first_render_and_the_load_still_replaces_it() {
    let (clerk, backend) = demo();
    let hold = backend.hold(CallKind::LoadClient);
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(), snapshot: rendered_for_grace(),
                Who {}
                SignedIn { "IN" }
                SignedOut { "OUT" }
            }
        }
    })
    .await;
    // What the server rendered, before any answer: signed in as Grace.
    assert_eq!(
        h.html(),
        "<p>loaded=true signed_in=true user=Grace same_session=true</p>IN"
    );
    assert!(
        handle.is_loading(),
        "the provider loads the client all the same"
    );
    hold.release();
    h.settle().await;
    // The client Clerk answered with replaces the stand-in.
    assert_eq!(
        h.html(),
        "<p>loaded=true signed_in=true user=Ada same_session=true</p>IN"
    );
    assert!(
        !handle.hydrate(rendered_for_grace()),
        "a loaded handle keeps its own state"
    );
    assert_eq!(handle.state().user().unwrap().id, "user_ada");
}

#[tokio::test]
async fn a_signed_out_snapshot_renders_signed_out_until_the_load_says_otherwise() {
    let (clerk, backend) = demo();
    let hold = backend.hold(CallKind::LoadClient);
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(), snapshot: AuthSnapshot::signed_out(),
                SignedIn { "IN" }
                SignedOut { "OUT" }
            }
        }
    })
    .await;
    assert_eq!(h.html(), "OUT");
    hold.release();
    h.settle().await;
    assert_eq!(h.html(), "IN");
}
