//! A headless harness: a real VirtualDom with the real provider and backend,
//! clicks dispatched through the runtime as a renderer would, HTML read with
//! dioxus-ssr.
#![allow(dead_code)]

pub mod emulator;
pub mod network;

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use dioxus::prelude::*;
use dioxus_core::{ElementId, Mutation, Mutations};
use dioxus_html::{PlatformEventData, SerializedHtmlEventConverter, SerializedMouseData};

pub struct Harness {
    pub dom: VirtualDom,
    /// Element ids by the value of their dynamic `id` attribute.
    ids: HashMap<String, ElementId>,
}

impl Harness {
    /// Mounts `app` and lets it settle (the provider's load included).
    pub async fn mount(app: impl Fn() -> Element + Clone + 'static) -> Self {
        dioxus_html::set_event_converter(Box::new(SerializedHtmlEventConverter));
        let mut dom = VirtualDom::new_with_props(move |_: ()| app(), ());
        let mutations = dom.rebuild_to_vec();
        let mut harness = Self {
            dom,
            ids: HashMap::new(),
        };
        harness.record(mutations);
        harness.settle().await;
        harness
    }

    fn record(&mut self, mutations: Mutations) {
        for edit in mutations.edits {
            if let Mutation::SetAttribute {
                name: "id",
                value: dioxus_core::AttributeValue::Text(text),
                id,
                ..
            } = edit
            {
                self.ids.insert(text, id);
            }
        }
    }

    /// Runs tasks and renders until nothing happens for 50 ms while no
    /// watched backend has a delayed call: a delay in flight is waited out
    /// (its end wakes the task that awaits it), never mistaken for quiet.
    pub async fn settle(&mut self) {
        loop {
            let mutations = self.dom.render_immediate_to_vec();
            self.record(mutations);
            let busy = backends_busy();
            let quiet = if busy { DELAY_LIMIT } else { QUIET };
            let work = tokio::time::timeout(quiet, self.dom.wait_for_work());
            if work.await.is_err() {
                assert!(
                    !busy,
                    "a delayed backend call did not finish within {DELAY_LIMIT:?}"
                );
                break;
            }
        }
        let mutations = self.dom.render_immediate_to_vec();
        self.record(mutations);
    }

    /// Settles until `done` holds, for work that waits on the network;
    /// panics with the HTML after `limit`.
    pub async fn settle_until(&mut self, limit: Duration, mut done: impl FnMut(&Self) -> bool) {
        let deadline = tokio::time::Instant::now() + limit;
        while !done(self) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out; html: {}",
                self.html()
            );
            self.settle().await;
        }
    }

    /// Dispatches a bubbling click on the element whose `id` attribute is `id`.
    pub fn click(&mut self, id: &str) {
        let element = *self.ids.get(id).unwrap_or_else(|| {
            panic!(
                "no element with id `{id}` in {:?}; html: {}",
                self.ids.keys(),
                self.html()
            )
        });
        let data = PlatformEventData::new(Box::<SerializedMouseData>::default());
        let event = Event::new(Rc::new(data) as Rc<dyn Any>, true);
        self.dom.runtime().handle_event("click", event, element);
    }

    /// Dispatches a click on the one element whose `id` ends with `suffix`
    /// (for ids a component numbers itself, such as `clerk-user-button-3-sign-out`).
    pub fn click_suffix(&mut self, suffix: &str) {
        let found: Vec<_> = self
            .ids
            .keys()
            .filter(|id| id.ends_with(suffix))
            .cloned()
            .collect();
        match found.as_slice() {
            [id] => self.click(id),
            _ => panic!(
                "{} elements' ids end with `{suffix}`: {found:?}; html: {}",
                found.len(),
                self.html()
            ),
        }
    }

    /// Clicks, then settles.
    pub async fn click_and_settle(&mut self, id: &str) {
        self.click(id);
        self.settle().await;
    }

    pub fn html(&self) -> String {
        dioxus_ssr::render(&self.dom)
    }
}

/// How long the app must do nothing to count as settled.
const QUIET: Duration = Duration::from_millis(50);
/// How long a delayed backend call may take before a settle fails.
const DELAY_LIMIT: Duration = Duration::from_secs(10);

thread_local! {
    /// The in-memory backends this test's harness waits for (libtest runs
    /// each test on a thread of its own).
    static WATCHED: std::cell::RefCell<Vec<clerk_dioxus::MemoryBackend>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes `settle` wait out `backend`'s delayed calls.
pub fn watch(backend: &clerk_dioxus::MemoryBackend) {
    WATCHED.with(|watched| watched.borrow_mut().push(backend.clone()));
}

fn backends_busy() -> bool {
    WATCHED.with(|watched| watched.borrow().iter().any(|b| b.delayed_calls() > 0))
}

/// A handle over the three-account demo backend, and the backend to inspect;
/// the harness waits for its delayed calls.
pub fn demo() -> (clerk_dioxus::Clerk, clerk_dioxus::MemoryBackend) {
    let backend = clerk_dioxus::MemoryBackend::demo();
    watch(&backend);
    (clerk_dioxus::Clerk::new(backend.clone()), backend)
}

/// Everything `tracing` writes in this test binary, at TRACE level, with
/// span events: for tests that search logs for secrets. Installed as the
/// global subscriber on first use.
#[derive(Clone, Default)]
pub struct CapturedLogs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn global() -> Self {
        static LOGS: std::sync::OnceLock<CapturedLogs> = std::sync::OnceLock::new();
        LOGS.get_or_init(|| {
            let logs = Self::default();
            let writer = logs.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("the only global subscriber");
            logs
        })
        .clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
