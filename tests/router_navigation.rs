//! `use_router_navigation` (feature `router`): a sign-out's redirect becomes a
//! dioxus-router push, even though the sign-out finishes in a task outside the
//! router's scope; with the hook on every page, the page that is shown takes
//! the redirect; and once no page holds it, the app's own navigator does.
#![cfg(feature = "router")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use clerk_dioxus::navigation::{use_router_navigation, RedirectTarget};
use clerk_dioxus::prelude::*;
use clerk_dioxus::MemoryBackend;
use common::Harness;

#[derive(Routable, Clone, PartialEq, Debug)]
enum Route {
    #[route("/")]
    Home {},
    #[route("/goodbye")]
    Goodbye {},
}

#[component]
fn Home() -> Element {
    use_router_navigation();
    rsx! { SignOutButton { id: "out", redirect_url: "/goodbye" } }
}

/// Shown after the sign-out; it holds the hook too, and its button hands a
/// redirect home to the handle's navigator (nobody is left to sign out, so a
/// `SignOutButton` would not redirect).
#[component]
fn Goodbye() -> Element {
    use_router_navigation();
    let clerk = use_clerk();
    let id = "back"; // dynamic, so the harness can find it
    rsx! {
        p { "goodbye" }
        button {
            id,
            onclick: move |_| clerk.navigate(&clerk.validate_redirect("/").unwrap()),
            "Home"
        }
    }
}

thread_local!(static SHOW_ROUTER: Cell<bool> = const { Cell::new(true) });

#[tokio::test]
async fn redirects_go_through_the_router_of_the_page_shown_then_back_to_the_apps_navigator() {
    let outside = Rc::new(RefCell::new(Vec::<String>::new()));
    let log = outside.clone();
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(move |target: &RedirectTarget| log.borrow_mut().push(target.as_str().into()))
        .build();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(),
                if SHOW_ROUTER.get() { Router::<Route> {} }
            }
        }
    })
    .await;
    assert!(h.html().contains(r#"id="out""#), "{}", h.html());

    h.click_and_settle("out").await;
    assert!(backend.signed_in_session_ids().is_empty(), "signed out");
    assert!(
        h.html().starts_with("<p>goodbye</p>"),
        "the router shows the target route: {}",
        h.html()
    );

    // `Goodbye` mounted before `Home` unmounted: its navigator must be the one in use.
    h.click_and_settle("back").await;
    assert!(
        h.html().contains(r#"id="out""#),
        "the router went home: {}",
        h.html()
    );
    assert!(
        outside.borrow().is_empty(),
        "the router took every redirect, not the app's navigator: {:?}",
        outside.borrow()
    );

    // No page holds the hook any more: the navigator given to the builder is back.
    SHOW_ROUTER.set(false);
    h.dom.mark_dirty(dioxus_core::ScopeId::APP);
    h.settle().await;
    handle.navigate(&handle.validate_redirect("/elsewhere").unwrap());
    assert_eq!(*outside.borrow(), ["/elsewhere"]);
}
