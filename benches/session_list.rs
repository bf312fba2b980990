//! Render work of signing out one non-active account, with 2 and with 100
//! signed-in sessions, in one run: the sign-out's state update and the
//! VirtualDom diff it causes. Goal: 100 sessions cost at most 2× 2 sessions
//! (only the removed row and the list diff change, not every row).
//!
//! Beside it, in the same run:
//! - `state_update`: the crate's own share (the sign-out's state update, the
//!   provider's signal and `use_session_list`), without the diff;
//! - `dioxus_keyed_list_floor`: a plain Dioxus keyed list of `u64` rows losing
//!   its middle row, the least any keyed list pays for the list diff.
//!
//! `cargo bench --bench session_list`

use std::cell::Cell;
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

thread_local! {
    /// The plain list's items, for the floor benchmark to change.
    static PLAIN_ITEMS: Cell<Option<Signal<Vec<u64>>>> = const { Cell::new(None) };
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
    let backend = MemoryBackend::with_numbered_users(sessions);
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

#[divan::bench(args = [2, 100])]
fn state_update(bencher: Bencher, sessions: usize) {
    bencher
        .with_inputs(|| switcher(sessions))
        .bench_local_values(|(dom, clerk, target)| {
            dom.in_runtime(|| {
                finish(clerk.sign_out(SignOutOptions::new().session_id(target))).unwrap();
                // What the switcher's `use_session_list` memo recomputes.
                divan::black_box(clerk.state().session_list());
            });
            dom
        });
}

#[component]
fn PlainList(items: Signal<Vec<u64>>) -> Element {
    rsx! {
        ul {
            for item in items() {
                PlainRow { key: "{item}", item }
            }
        }
    }
}

#[component]
fn PlainRow(item: u64) -> Element {
    rsx! { li { "{item}" } }
}

#[derive(Props, Clone, PartialEq)]
struct PlainProps {
    rows: usize,
}

#[allow(non_snake_case)]
fn PlainApp(props: PlainProps) -> Element {
    let items = use_signal(|| (0..props.rows as u64).collect::<Vec<_>>());
    PLAIN_ITEMS.with(|slot| slot.set(Some(items)));
    rsx! { PlainList { items } }
}

#[divan::bench(args = [2, 100])]
fn dioxus_keyed_list_floor(bencher: Bencher, rows: usize) {
    bencher
        .with_inputs(|| {
            let mut dom = VirtualDom::new_with_props(PlainApp, PlainProps { rows });
            dom.rebuild_in_place();
            let mut items = PLAIN_ITEMS
                .with(Cell::get)
                .expect("the app stored its items");
            dom.in_runtime(|| items.write().remove(rows / 2));
            dom
        })
        .bench_local_values(|mut dom| {
            dom.render_immediate(&mut NoOpMutations);
            dom
        });
}
