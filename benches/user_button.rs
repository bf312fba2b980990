//! Render cost of `UserButton`, in one run:
//! - `open_menu`: a click on the trigger and the render that shows the menu,
//!   with 2 and with 100 signed-in accounts;
//! - `plain_menu_floor`: the same click on a plain component that shows a
//!   list of the same rows (avatar, name, email) with no focus, roles or
//!   actions: what any menu of those rows pays;
//! - `sign_out_active_of`: signing out the active account with the menu open
//!   (the next most recent becomes active): the state update and the diff.
//!   Only that account's header and one row change, so 100 accounts should
//!   cost about what 2 do (`tests/user_button.rs` asserts that no other row
//!   renders again).
//!
//! `cargo bench --bench user_button`

use std::any::Any;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use clerk_dioxus::prelude::*;
use dioxus::core::{ElementId, Mutation, NoOpMutations};
use dioxus_html::{PlatformEventData, SerializedHtmlEventConverter, SerializedMouseData};
use divan::Bencher;

fn main() {
    dioxus_html::set_event_converter(Box::new(SerializedHtmlEventConverter));
    divan::main();
}

#[derive(Props, Clone, PartialEq)]
struct AppProps {
    clerk: Clerk,
    plain: bool,
}

#[allow(non_snake_case)]
fn App(props: AppProps) -> Element {
    rsx! {
        ClerkProvider { clerk: props.clerk,
            if props.plain { PlainMenu {} } else { UserButton { switch_to_most_recent: true } }
        }
    }
}

/// The floor: a button that shows the same rows, and nothing else.
#[component]
fn PlainMenu() -> Element {
    let mut open = use_signal(|| false);
    let sessions = use_session_list();
    // A dynamic id, as `UserButton`'s, so the bench finds the element.
    let trigger = String::from("plain-trigger");
    rsx! {
        div {
            button { id: trigger, onclick: move |_| open.toggle(), "Menu" }
            if open() {
                div {
                    for item in sessions() {
                        PlainRow { key: "{item.session.id}", session: item.session.clone() }
                    }
                }
            }
        }
    }
}

/// The same markup as a `UserButton` row (avatar initials, name, email,
/// classes), without its hooks, roles or handlers.
#[component]
fn PlainRow(session: std::sync::Arc<clerk_dioxus::Session>) -> Element {
    let name = session.display_name();
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    rsx! {
        button { class: "clerk-user-button-item",
            span { class: "clerk-user-avatar", "{initials}" }
            span { class: "clerk-user-button-identity",
                span { class: "clerk-user-button-name", "{name}" }
                span { class: "clerk-user-button-email", {session.email_address().map(str::to_owned)} }
            }
        }
    }
}

/// The in-memory backend answers without waiting: one poll finishes.
fn finish<T>(future: impl Future<Output = T>) -> T {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut context) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the in-memory backend does not wait"),
    }
}

/// A loaded app with `accounts` signed in, and its trigger's element.
fn app(accounts: usize, plain: bool) -> (VirtualDom, Clerk, ElementId) {
    let backend = MemoryBackend::with_numbered_users(accounts);
    let clerk = Clerk::new(backend);
    let mut dom = VirtualDom::new_with_props(
        App,
        AppProps {
            clerk: clerk.clone(),
            plain,
        },
    );
    let mut edits = dom.rebuild_to_vec().edits;
    dom.in_runtime(|| finish(clerk.load())).unwrap();
    edits.extend(dom.render_immediate_to_vec().edits);
    let trigger = edits
        .iter()
        .find_map(|edit| match edit {
            Mutation::SetAttribute {
                name: "id",
                value: dioxus::core::AttributeValue::Text(id),
                id: element,
                ..
            } if id.ends_with("trigger") => Some(*element),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the trigger rendered: {edits:?}"));
    (dom, clerk, trigger)
}

fn click(dom: &mut VirtualDom, element: ElementId) {
    let data = PlatformEventData::new(Box::<SerializedMouseData>::default());
    let event = Event::new(Rc::new(data) as Rc<dyn Any>, true);
    dom.runtime().handle_event("click", event, element);
}

#[divan::bench(args = [2, 100])]
fn open_menu(bencher: Bencher, accounts: usize) {
    bencher
        .with_inputs(|| app(accounts, false))
        .bench_local_values(|(mut dom, clerk, trigger)| {
            click(&mut dom, trigger);
            dom.render_immediate(&mut NoOpMutations);
            (dom, clerk)
        });
}

#[divan::bench(args = [2, 100])]
fn plain_menu_floor(bencher: Bencher, accounts: usize) {
    bencher
        .with_inputs(|| app(accounts, true))
        .bench_local_values(|(mut dom, clerk, trigger)| {
            click(&mut dom, trigger);
            dom.render_immediate(&mut NoOpMutations);
            (dom, clerk)
        });
}

#[divan::bench(args = [2, 100])]
fn sign_out_active_of(bencher: Bencher, accounts: usize) {
    bencher
        .with_inputs(|| {
            let (mut dom, clerk, trigger) = app(accounts, false);
            click(&mut dom, trigger);
            dom.render_immediate(&mut NoOpMutations);
            let active = clerk.state().active_session_id.expect("someone is active");
            (dom, clerk, active)
        })
        .bench_local_values(|(mut dom, clerk, active)| {
            let options = SignOutOptions::new()
                .session_id(active)
                .switch_to_most_recent(true);
            dom.in_runtime(|| finish(clerk.sign_out(options))).unwrap();
            dom.render_immediate(&mut NoOpMutations);
            (dom, clerk)
        });
}
