//! Render work of signing out one non-active account, with 2 and with 100
//! signed-in sessions, in one run: the sign-out's state update and the
//! VirtualDom diff it causes. Goal: 100 sessions cost at most 2× 2 sessions
//! (only the removed row and the list diff change, not every row).
//!
//! `cargo bench --bench session_list`

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use clerk_dioxus::prelude::*;
use clerk_dioxus::SessionListItem;
use dioxus::core::NoOpMutations;
use divan::Bencher;

fn main() {
    divan::main();
}

#[component]
fn Switcher() -> Element {
    let sessions = use_session_list();
    rsx! {
        ul {
            for item in sessions() {
                Row { key: "{item.session.id}", item }
            }
        }
    }
}

#[component]
fn Row(item: SessionListItem) -> Element {
    rsx! {
        li {
            span { {item.session.display_name()} }
            if item.is_active { span { "active" } }
            SignOutButton { session_id: item.session.id.clone() }
        }
    }
}

#[derive(Props, Clone, PartialEq)]
struct AppProps {
    clerk: Clerk,
}

#[allow(non_snake_case)]
fn App(props: AppProps) -> Element {
    rsx! { ClerkProvider { clerk: props.clerk, Switcher {} } }
}

/// The in-memory backend answers without waiting: one poll finishes.
fn finish<T>(future: impl Future<Output = T>) -> T {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut context) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the in-memory backend does not wait"),
    }
}

/// A rendered switcher with `sessions` accounts, and the id of a non-active one.
fn switcher(sessions: usize) -> (VirtualDom, Clerk, String) {
    let backend = MemoryBackend::new();
    for n in 0..sessions {
        backend.sign_in(MemoryBackend::user(
            &format!("user_{n}"),
            "User",
            &n.to_string(),
            &format!("u{n}@example.com"),
        ));
    }
    let clerk = Clerk::new(backend);
    let mut dom = VirtualDom::new_with_props(
        App,
        AppProps {
            clerk: clerk.clone(),
        },
    );
    dom.rebuild_in_place();
    dom.in_runtime(|| finish(clerk.load())).unwrap();
    dom.render_immediate(&mut NoOpMutations);
    let target = clerk.state().session_list()[sessions / 2]
        .session
        .id
        .clone();
    (dom, clerk, target)
}

#[divan::bench(args = [2, 100])]
fn sign_out_one_non_active_account(bencher: Bencher, sessions: usize) {
    bencher
        .with_inputs(|| switcher(sessions))
        .bench_local_values(|(mut dom, clerk, target)| {
            dom.in_runtime(|| finish(clerk.sign_out(SignOutOptions::new().session_id(target))))
                .unwrap();
            dom.render_immediate(&mut NoOpMutations);
            dom
        });
}
