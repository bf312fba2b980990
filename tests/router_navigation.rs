//! `use_router_navigation` (feature `router`): a sign-out's redirect becomes a
//! dioxus-router push, even though the sign-out finishes in a task outside the
//! router's scope, and the navigator it replaced comes back on unmount.
#![cfg(feature = "router")]

mod common;

use std::cell::RefCell;
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

#[component]
fn Goodbye() -> Element {
    rsx! { p { "goodbye" } }
}

#[tokio::test]
async fn a_sign_out_redirect_is_a_router_push_and_the_apps_navigator_comes_back() {
    let outside = Rc::new(RefCell::new(Vec::<String>::new()));
    let log = outside.clone();
    let backend = MemoryBackend::demo();
    let clerk = Clerk::builder(backend.clone())
        .navigator(move |target: &RedirectTarget| log.borrow_mut().push(target.as_str().into()))
        .build();
    let handle = clerk.clone();
    let mut h = Harness::mount(move || {
        rsx! {
            ClerkProvider { clerk: clerk.clone(), Router::<Route> {} }
        }
    })
    .await;
    assert!(h.html().contains(r#"id="out""#), "{}", h.html());

    h.click_and_settle("out").await;
    assert!(backend.signed_in_session_ids().is_empty(), "signed out");
    assert_eq!(
        h.html(),
        "<p>goodbye</p>",
        "the router shows the target route"
    );
    assert!(
        outside.borrow().is_empty(),
        "the router took the redirect, not the app's navigator: {:?}",
        outside.borrow()
    );

    // `Home` has unmounted: the navigator given to the builder is back.
    handle.navigate(&handle.validate_redirect("/elsewhere").unwrap());
    assert_eq!(*outside.borrow(), ["/elsewhere"]);
}
