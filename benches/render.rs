//! Render cost of `SignOutButton` against a plain `button` with the same
//! attributes, both under the same `ClerkProvider`, in one run; beside them,
//! `Wrapper`: the least a component costs that renders that button and spreads
//! the attributes it is given (the floor for any button component).
//! - `rebuild`: a new VirtualDom built from scratch;
//! - `diff`: the parent renders again with a new `class`, which reaches the
//!   button, and the VirtualDom diffs it.
//!
//! Goal: `SignOutButton` costs at most 1.3× the plain button.
//!
//! The figures are medians of 1,000 samples.
//!
//! `cargo bench --bench render`

use std::cell::Cell;

use clerk_dioxus::prelude::*;
use dioxus::core::NoOpMutations;
use divan::Bencher;

fn main() {
    divan::main();
}

/// Which button the app renders.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Plain,
    Wrapper,
    SignOut,
}

const KINDS: [Kind; 3] = [Kind::Plain, Kind::Wrapper, Kind::SignOut];

/// A minimal button component: the floor `SignOutButton` is measured against.
#[component]
fn Wrapper(#[props(extends = GlobalAttributes)] attributes: Vec<Attribute>) -> Element {
    rsx! { button { r#type: "button", onclick: move |_| {}, ..attributes, "Sign out" } }
}

thread_local! {
    /// The app's generation signal, for the diff benchmark to change.
    static GENERATION: Cell<Option<Signal<u32>>> = const { Cell::new(None) };
}

#[derive(Props, Clone, PartialEq)]
struct AppProps {
    kind: Kind,
    clerk: Clerk,
}

#[allow(non_snake_case)]
fn App(props: AppProps) -> Element {
    let kind = props.kind;
    let generation = use_signal(|| 0);
    GENERATION.with(|slot| slot.set(Some(generation)));
    rsx! {
        ClerkProvider { clerk: props.clerk,
            Buttons { kind, generation }
        }
    }
}

#[component]
fn Buttons(kind: Kind, generation: Signal<u32>) -> Element {
    let class = format!("btn btn-{}", generation());
    match kind {
        Kind::Plain => rsx! {
            button {
                r#type: "button",
                class,
                id: "leave",
                aria_label: "Sign out of every account",
                disabled: false,
                aria_busy: "false",
                onclick: move |_| {},
                "Sign out"
            }
        },
        Kind::Wrapper => rsx! {
            Wrapper { class, id: "leave", aria_label: "Sign out of every account" }
        },
        Kind::SignOut => rsx! {
            SignOutButton { class, id: "leave", aria_label: "Sign out of every account" }
        },
    }
}

/// The app with a `kind` button over `clerk`, built from scratch (the
/// provider's first load is spawned, not run).
fn built(kind: Kind, clerk: Clerk) -> VirtualDom {
    let mut dom = VirtualDom::new_with_props(App, AppProps { kind, clerk });
    dom.rebuild_in_place();
    dom
}

#[divan::bench(args = KINDS, sample_count = 1000)]
fn rebuild(bencher: Bencher, kind: Kind) {
    bencher
        .with_inputs(|| Clerk::new(MemoryBackend::demo()))
        .bench_local_values(|clerk| built(kind, clerk));
}

#[divan::bench(args = KINDS, sample_count = 1000)]
fn diff(bencher: Bencher, kind: Kind) {
    bencher
        .with_inputs(|| {
            let dom = built(kind, Clerk::new(MemoryBackend::demo()));
            let mut generation = GENERATION.with(Cell::get).expect("the app stored it");
            dom.in_runtime(|| generation += 1);
            dom
        })
        .bench_local_values(|mut dom| {
            dom.render_immediate(&mut NoOpMutations);
            dom
        });
}
