//! Load and races, over real loopback HTTP to the emulator: a thousand clicks,
//! sign-out racing a reload, a session switch and a second handle, and the
//! button, the provider or the whole app going away mid-flight.
//!
//! Each race is forced by a server-side delay (or, for an answer that arrives
//! late, a gate on the client side of the wire), and each test asserts that the
//! two operations really were in flight together before it checks the result:
//! the local state is what the emulator holds.

mod common;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::{Rc, Weak};
use std::thread::LocalKey;
use std::time::Duration;

use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore, TokenStore};
use clerk_dioxus::backend::{SignInAnswer, SignInCall};
use clerk_dioxus::navigation::RedirectTarget;
use clerk_dioxus::prelude::*;
use clerk_dioxus::{async_trait, CallKind, ClerkBackend, Client, SignOutOutcome};
use clerk_emulator::{Emulator, Fault, Route};
use common::emulator::*;
use common::Harness;

const LIMIT: Duration = Duration::from_secs(10);

/// Long enough that a request under it is still in flight after the test has
/// done everything it means to do meanwhile (each step takes milliseconds).
const SLOW: u64 = 1_500;

thread_local! {
    /// Panics on this test's thread: the VirtualDom, the handle, the HTTP
    /// client and the emulator all run here (a current-thread runtime).
    static PANICS: Cell<usize> = const { Cell::new(0) };
    /// Reloads started from a page that have finished.
    static RELOADS: Cell<usize> = const { Cell::new(0) };
    /// `sign_out_callback` runs.
    static CALLBACKS: Cell<usize> = const { Cell::new(0) };
    /// What the unmount tests show.
    static SHOW_PROVIDER: Cell<bool> = const { Cell::new(true) };
    static SHOW_BUTTON: Cell<bool> = const { Cell::new(true) };
}

/// Counts every panic on the current thread (and still prints it).
fn count_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            previous(info);
        }));
    });
}

// ---------------------------------------------------------------------------
// A probe around the real FAPI backend.

/// What a test can see of a [`Probed`] backend: how many calls are alive
/// (started and neither answered nor dropped), the server's stamp on every
/// answer, and gates that keep an answer that has already come back over the
/// wire from reaching the handle.
#[derive(Clone, Default)]
struct Probe {
    live: Rc<Cell<usize>>,
    answers: Rc<RefCell<Vec<(CallKind, i64)>>>,
    gates: Rc<RefCell<Vec<(CallKind, Gate)>>>,
}

/// Opened by setting it to `true`.
type Gate = Rc<Cell<bool>>;

impl Probe {
    fn live(&self) -> usize {
        self.live.get()
    }

    /// The `updated_at` of the client in each answer that carried one, in the
    /// order the answers came back over the wire (before any gate).
    fn answers(&self) -> Vec<(CallKind, i64)> {
        self.answers.borrow().clone()
    }

    /// Answers to calls of `kind` wait (after the server has answered) until
    /// the returned gate is opened.
    fn hold_answers(&self, kind: CallKind) -> Gate {
        let open = Rc::new(Cell::new(false));
        self.gates.borrow_mut().push((kind, open.clone()));
        open
    }

    async fn around(
        &self,
        kind: CallKind,
        call: impl Future<Output = Result<Option<Client>, ClerkError>>,
    ) -> Result<Option<Client>, ClerkError> {
        let _alive = Alive::new(&self.live);
        let answer = call.await;
        if let Ok(Some(client)) = &answer {
            self.answers.borrow_mut().push((kind, client.updated_at));
        }
        let gates: Vec<_> = self
            .gates
            .borrow()
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, open)| open.clone())
            .collect();
        for open in gates {
            while !open.get() {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        answer
    }
}

/// Counts a call as alive until it is answered or dropped.
struct Alive(Rc<Cell<usize>>);

impl Alive {
    fn new(live: &Rc<Cell<usize>>) -> Self {
        live.set(live.get() + 1);
        Self(live.clone())
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

struct Probed {
    fapi: FapiBackend,
    probe: Probe,
}

#[async_trait(?Send)]
impl ClerkBackend for Probed {
    async fn load_client(&self) -> Result<Option<Client>, ClerkError> {
        let call = self.fapi.load_client();
        self.probe.around(CallKind::LoadClient, call).await
    }

    async fn sign_out_all(&self) -> Result<Option<Client>, ClerkError> {
        let call = self.fapi.sign_out_all();
        self.probe.around(CallKind::SignOutAll, call).await
    }

    async fn remove_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let call = self.fapi.remove_session(session_id);
        self.probe.around(CallKind::RemoveSession, call).await
    }

    async fn set_active_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let call = self.fapi.set_active_session(session_id);
        self.probe.around(CallKind::SetActiveSession, call).await
    }

    async fn sign_in(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let mut attempt = None;
        let request = async {
            let answer = self.fapi.sign_in(sign_in_id, call, form).await?;
            attempt = Some(answer.sign_in);
            Ok(answer.client)
        };
        let client = self.probe.around(CallKind::SignIn, request).await?;
        let sign_in = attempt.ok_or_else(|| ClerkError::Unsupported("no sign-in answer".into()))?;
        Ok(SignInAnswer { sign_in, client })
    }

    async fn session_token(
        &self,
        session_id: &str,
        template: Option<&str>,
        organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        self.fapi
            .session_token(session_id, template, organization_id)
            .await
    }

    async fn touch_session(&self, session_id: &str) -> Result<Option<Client>, ClerkError> {
        let call = self.fapi.touch_session(session_id);
        self.probe.around(CallKind::TouchSession, call).await
    }
}

/// A native handle on the seeded client through `store`, with its probe and a
/// weak reference that dies with the handle's last clone (anything still
/// holding the handle, a task or a cycle, keeps it alive).
fn probed_clerk(emulator: &Emulator, store: &MemoryTokenStore) -> (Clerk, Probe, Weak<()>) {
    let fapi = FapiBackend::from_frontend_api_url(emulator.url())
        .unwrap()
        .token_store(store.clone())
        .timeout(LIMIT)
        .build();
    let probe = Probe::default();
    let alive = Rc::new(());
    let weak = Rc::downgrade(&alive);
    let clerk = Clerk::builder(Probed {
        fapi,
        probe: probe.clone(),
    })
    .navigator(move |_: &RedirectTarget| {
        let _ = &alive;
    })
    .build();
    (clerk, probe, weak)
}

fn seeded_store() -> MemoryTokenStore {
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    store
}

// ---------------------------------------------------------------------------
// Checks.

/// The handle's state is what the emulator holds for the handle's client: the
/// same sessions with the same statuses, the same last active session, and the
/// same active session.
fn assert_matches_server(clerk: &Clerk, emulator: &Emulator) {
    let state = clerk.state();
    let local = state.client.as_deref().expect("a loaded client");
    assert_eq!(
        local.id, SEEDED_CLIENT,
        "the handle still acts for the seeded client"
    );
    let server: Client = serde_json::from_value(emulator.client_json(&local.id))
        .expect("the emulator still has the client");
    assert_eq!(
        summary(local),
        summary(&server),
        "sessions, statuses, last active"
    );
    let server_active = server
        .last_active_session_id
        .clone()
        .filter(|id| server.signed_in_session(id).is_some());
    assert_eq!(state.active_session_id, server_active, "the active session");
}

/// What reached the emulator, in the order it answered, with the statuses.
fn log(emulator: &Emulator) -> Vec<(Route, u16)> {
    emulator
        .requests()
        .iter()
        .map(|r| (r.route.expect("a known route"), r.status))
        .collect()
}

fn active_user(clerk: &Clerk) -> Option<String> {
    clerk.state().auth().user_id
}

/// The handle is signed out, and holds what the emulator holds.
fn assert_signed_out(clerk: &Clerk, emulator: &Emulator) {
    assert!(
        !clerk.state().is_signed_in(),
        "signed out: {:?}",
        clerk.state()
    );
    assert_matches_server(clerk, emulator);
}

/// Lets go of `clerk`, which must be the handle's last clone.
fn assert_freed(clerk: Clerk, weak: &Weak<()>) {
    drop(clerk);
    assert!(weak.upgrade().is_none(), "nothing holds the handle");
}

fn assert_no_panics() {
    assert_eq!(PANICS.get(), 0, "nothing panicked on this thread");
}

impl Probe {
    /// No call is left alive, and nothing panicked.
    fn assert_clean(&self) {
        assert_eq!(self.live(), 0, "no call is left alive");
        assert_no_panics();
    }
}

// ---------------------------------------------------------------------------
// The app under test.

/// One app's controls: sign out of everything, reload, and per account switch
/// and sign out. `tag` prefixes every id, so two apps can share a VirtualDom.
#[component]
fn Page(tag: String) -> Element {
    let clerk = use_clerk();
    let sessions = use_session_list();
    let reload = move |_| {
        let clerk = clerk.clone();
        spawn(async move {
            let _ = clerk.load().await;
            RELOADS.set(RELOADS.get() + 1);
        });
    };
    rsx! {
        SignOutButton { id: "{tag}out", sign_out_callback: || CALLBACKS.set(CALLBACKS.get() + 1) }
        button { id: "{tag}reload", onclick: reload, "Reload" }
        ul {
            for item in sessions() {
                Row { key: "{item.session.id}", tag: tag.clone(), item }
            }
        }
    }
}

#[component]
fn Row(tag: String, item: SessionListItem) -> Element {
    let set_active = use_set_active();
    let user = item.session.user_id().unwrap_or_default().to_owned();
    let session_id = item.session.id.clone();
    rsx! {
        li {
            "{user}"
            if item.is_active { " (active)" }
            button {
                id: "{tag}switch-{user}",
                onclick: move |_| set_active.call(session_id.clone()),
                "Switch"
            }
            SignOutButton { id: "{tag}out-{user}", session_id: item.session.id.clone() }
        }
    }
}

/// One `Page` on `clerk`.
fn one_page(clerk: Clerk) -> impl Fn() -> Element + Clone + 'static {
    move || rsx! { ClerkProvider { clerk: clerk.clone(), Page { tag: "" } } }
}

/// A provider with a `Page` on `a` (ids prefixed `a-`) and one on `b` (ids
/// prefixed `b-`).
fn two_pages(a: Clerk, b: Clerk) -> impl Fn() -> Element + Clone + 'static {
    move || {
        rsx! {
            ClerkProvider { clerk: a.clone(), Page { tag: "a-" } }
            ClerkProvider { clerk: b.clone(), Page { tag: "b-" } }
        }
    }
}

/// Only a sign-out button, `out`.
fn one_button(clerk: Clerk) -> impl Fn() -> Element + Clone + 'static {
    move || rsx! { ClerkProvider { clerk: clerk.clone(), SignOutButton { id: "out" } } }
}

/// Mounts `app` and waits for the load of every one of `clerks`; the
/// emulator's log starts empty after it.
async fn mount_loaded(
    emulator: &Emulator,
    clerks: &[&Clerk],
    app: impl Fn() -> Element + Clone + 'static,
) -> Harness {
    let mut h = Harness::mount(app).await;
    h.settle_until(LIMIT, |_| clerks.iter().all(|clerk| clerk.is_loaded()))
        .await;
    emulator.clear_requests();
    h
}

// ---------------------------------------------------------------------------
// The fixture every race shares.

/// Panics counted, an emulator, a probed handle on the seeded client, and an
/// app mounted on the handle and loaded, with the emulator's log empty.
struct Race {
    emulator: Emulator,
    clerk: Clerk,
    probe: Probe,
    /// Dies with the handle's last clone.
    weak: Weak<()>,
    h: Harness,
}

impl Race {
    /// Mounts the app `app` makes of the handle.
    async fn mount<A: Fn() -> Element + Clone + 'static>(app: impl FnOnce(Clerk) -> A) -> Self {
        count_panics();
        let emulator = emulator().await;
        let (clerk, probe, weak) = probed_clerk(&emulator, &seeded_store());
        let h = mount_loaded(&emulator, &[&clerk], app(clerk.clone())).await;
        Self {
            emulator,
            clerk,
            probe,
            weak,
            h,
        }
    }

    /// Mounts one `Page`.
    async fn page() -> Self {
        Self::mount(one_page).await
    }

    /// Mounts one `Page` and clicks `id`, a sign-out whose `route` the server
    /// answers late.
    async fn signing_out(route: Route, id: &str) -> Self {
        let mut race = Self::page().await;
        race.delay(route, SLOW);
        race.h.click_and_settle(id).await;
        race
    }

    /// The server answers `route` `ms` late.
    fn delay(&self, route: Route, ms: u64) {
        self.emulator.inject(route, Fault::Delay { ms });
    }

    /// Clicks `id` with `route` answered late, and checks that one call,
    /// `what`, is in flight.
    async fn start_slow(&mut self, route: Route, id: &str, what: &str) {
        self.delay(route, SLOW);
        self.h.click_and_settle(id).await;
        assert_eq!(self.probe.live(), 1, "{what} is in flight");
    }

    /// Clicks the sign-out button `id` and settles until the sign-out is
    /// answered.
    async fn sign_out(&mut self, id: &str) {
        self.h.click_and_settle(id).await;
        self.until_signed_out().await;
    }

    /// [`Race::sign_out`] while `what`, the only other call, is in flight: it
    /// still is after.
    async fn sign_out_inside(&mut self, id: &str, what: &str) {
        self.sign_out(id).await;
        assert_eq!(
            self.probe.live(),
            1,
            "the sign-out came and went inside {what}"
        );
    }

    /// [`Race::sign_out`] while a reload is in flight: it still is after.
    async fn sign_out_inside_the_reload(&mut self) {
        self.sign_out("out").await;
        assert_eq!(
            RELOADS.get(),
            0,
            "the sign-out came and went inside the reload"
        );
    }

    /// Clicks the switch to alan while a sign-out is in flight, and settles
    /// until the switch has landed: the sign-out still is in flight.
    async fn switch_inside_the_sign_out(&mut self) {
        self.h.click("switch-user_alan");
        self.h
            .settle_until(LIMIT, |_| {
                active_user(&self.clerk).as_deref() == Some("user_alan")
            })
            .await;
        self.assert_still_signing_out("the switch");
    }

    /// Hides what `show` shows while one call is in flight, and checks that
    /// `html` is left and the call still in flight.
    async fn unmount(&mut self, show: &'static LocalKey<Cell<bool>>, html: &str) {
        show.set(false);
        self.h.dom.mark_dirty(dioxus_core::ScopeId::APP);
        self.h.settle().await;
        assert_eq!(self.h.html(), html, "gone while the request is in flight");
        assert_eq!(self.probe.live(), 1, "still in flight after the unmount");
    }

    async fn until_signed_out(&mut self) {
        self.h
            .settle_until(LIMIT, |_| !self.clerk.is_signing_out())
            .await;
    }

    async fn until_no_call_alive(&mut self) {
        self.h.settle_until(LIMIT, |_| self.probe.live() == 0).await;
    }

    async fn until_reloaded(&mut self) {
        self.h.settle_until(LIMIT, |_| RELOADS.get() == 1).await;
    }

    fn assert_still_signing_out(&self, what: &str) {
        assert!(
            self.clerk.is_signing_out(),
            "{what} came and went inside the sign-out"
        );
    }

    /// What reached the emulator, in the order it answered.
    fn assert_log(&self, expected: &[(Route, u16)], why: &str) {
        assert_eq!(log(&self.emulator), expected, "{why}");
    }

    fn assert_matches_server(&self) {
        assert_matches_server(&self.clerk, &self.emulator);
    }

    /// What reached the emulator, in the order it answered, and the handle
    /// signed out as the server holds.
    fn assert_ends_signed_out(&self, expected: &[(Route, u16)], why: &str) {
        self.assert_log(expected, why);
        assert_signed_out(&self.clerk, &self.emulator);
    }

    fn assert_active(&self, user: &str, why: &str) {
        assert_eq!(active_user(&self.clerk).as_deref(), Some(user), "{why}");
    }
}

// ---------------------------------------------------------------------------
// 1. A thousand rapid clicks.

#[tokio::test]
async fn a_thousand_rapid_clicks_send_one_request_over_http_and_nothing_panics() {
    count_panics();
    let emulator = emulator().await;
    let (clerk, _store) = native_clerk(&emulator);
    let mut h = mount_loaded(&emulator, &[&clerk], one_button(clerk.clone())).await;
    emulator.inject(Route::DeleteSessions, Fault::Delay { ms: 3 * SLOW });

    for i in 0..1000 {
        h.click("out");
        if i % 100 == 0 {
            // Let the first click's task send its request, and the button show it.
            h.settle().await;
            assert!(
                h.html()
                    .contains(r#"aria-disabled="true" aria-busy="true" data-state="pending""#),
                "{}",
                h.html()
            );
        }
    }
    assert!(
        clerk.is_signing_out(),
        "every click came while the request was in flight"
    );
    assert!(
        emulator.requests().is_empty(),
        "and before the server answered"
    );

    h.settle_until(LIMIT, |_| !clerk.is_signing_out()).await;
    h.settle().await;
    assert_eq!(
        log(&emulator),
        vec![(Route::DeleteSessions, 200)],
        "exactly one request"
    );
    assert_signed_out(&clerk, &emulator);
    assert_eq!(
        h.html(),
        r#"<button type="button" aria-busy="false" data-state="idle" id="out">Sign out</button>"#
    );
    assert_no_panics();
}

// ---------------------------------------------------------------------------
// 2a. Sign-out racing a reload of the client.

#[tokio::test]
async fn a_reload_answered_while_the_sign_out_is_in_flight_ends_as_the_server_holds() {
    let mut r = Race::signing_out(Route::DeleteSessions, "out").await;
    assert!(r.clerk.is_signing_out(), "the sign-out is in flight");

    r.h.click("reload");
    r.until_reloaded().await;
    r.assert_still_signing_out("the reload");
    r.assert_log(&[(Route::GetClient, 200)], "only the reload so far");
    assert_eq!(
        r.clerk.state().signed_in_sessions().len(),
        3,
        "the reload showed the server before the sign-out"
    );
    r.assert_matches_server();

    r.until_signed_out().await;
    r.assert_ends_signed_out(
        &[(Route::GetClient, 200), (Route::DeleteSessions, 200)],
        "the server read the client, then signed out",
    );
    r.probe.assert_clean();
}

#[tokio::test]
async fn a_sign_out_answered_while_a_reload_is_in_flight_ends_as_the_server_holds() {
    let mut r = Race::page().await;
    r.start_slow(Route::GetClient, "reload", "the reload").await;
    r.sign_out_inside_the_reload().await;
    r.assert_log(&[(Route::DeleteSessions, 200)], "only the sign-out so far");
    assert!(!r.clerk.state().is_signed_in());

    r.until_reloaded().await;
    r.assert_ends_signed_out(
        &[(Route::DeleteSessions, 200), (Route::GetClient, 200)],
        "the server read the client after signing out",
    );
    r.probe.assert_clean();
}

/// The server answers the reload first, but its answer reaches the handle only
/// after the sign-out's: the older answer must not bring the sessions back.
#[tokio::test]
async fn a_reload_answered_before_the_sign_out_but_arriving_after_it_brings_no_session_back() {
    let mut r = Race::page().await;
    let gate = r.probe.hold_answers(CallKind::LoadClient);

    r.h.click("reload");
    r.h.settle_until(LIMIT, |_| r.emulator.count(Route::GetClient) == 1)
        .await;
    assert_eq!(r.probe.live(), 1, "answered, but held before the handle");
    r.sign_out_inside_the_reload().await;
    assert!(!r.clerk.state().is_signed_in());

    gate.set(true);
    r.until_reloaded().await;
    r.assert_ends_signed_out(
        &[(Route::GetClient, 200), (Route::DeleteSessions, 200)],
        "the server read the client, then signed out",
    );
    assert!(r.h.html().contains("<ul></ul>"), "{}", r.h.html());
    assert_no_panics();
}

// ---------------------------------------------------------------------------
// 2b. Sign-out racing a session switch.

#[tokio::test]
async fn a_switch_answered_while_signing_out_of_all_ends_as_the_server_holds() {
    let mut r = Race::signing_out(Route::DeleteSessions, "out").await;
    r.switch_inside_the_sign_out().await;
    r.assert_matches_server();

    r.until_signed_out().await;
    r.assert_ends_signed_out(
        &[(Route::TouchSession, 200), (Route::DeleteSessions, 200)],
        "the server switched, then signed out",
    );
    assert_eq!(r.clerk.state().last_error, None);
    r.probe.assert_clean();
}

#[tokio::test]
async fn signing_out_of_all_while_a_switch_is_in_flight_ends_as_the_server_holds() {
    let mut r = Race::page().await;
    r.start_slow(Route::TouchSession, "switch-user_alan", "the switch")
        .await;
    r.sign_out_inside("out", "the switch").await;
    assert!(!r.clerk.state().is_signed_in());

    r.until_no_call_alive().await;
    r.h.settle().await;
    r.assert_log(
        &[
            (Route::DeleteSessions, 200),
            (Route::TouchSession, 404),
            // The 404 says the session is gone: one reload converges.
            (Route::GetClient, 200),
        ],
        "the server had signed the session out when the switch reached it",
    );
    // Signing out of all dropped the client token. The switch's answer, to a
    // request sent before that, does not put it back (it did once: the
    // credential sign-out removed came back with a late answer), so the
    // reload starts a new client, with nobody signed in.
    let state = r.clerk.state();
    assert!(!state.is_signed_in(), "signed out: {state:?}");
    let client = state.client.as_deref().expect("a loaded client");
    assert_ne!(
        client.id, SEEDED_CLIENT,
        "the dropped token was not kept again"
    );
    assert!(client.sessions.is_empty(), "{client:?}");
    let error = r.clerk.state().last_error;
    assert!(
        matches!(error, Some(ClerkError::SessionNotFound { .. })),
        "the failed switch is reported as a session that is gone: {error:?}"
    );
    assert_no_panics();
}

#[tokio::test]
async fn a_switch_answered_while_the_active_session_signs_out_keeps_the_new_active_session() {
    let mut r = Race::page().await;
    r.assert_active("user_ada", "ada is active first");
    r.delay(Route::RemoveSession, SLOW);
    r.h.click_and_settle("out-user_ada").await;
    assert!(r.clerk.is_signing_out(), "the sign-out is in flight");
    r.switch_inside_the_sign_out().await;

    r.until_signed_out().await;
    r.assert_log(
        &[(Route::TouchSession, 200), (Route::RemoveSession, 200)],
        "the server switched, then signed ada out",
    );
    r.assert_matches_server();
    r.assert_active(
        "user_alan",
        "the session signed out was no longer the active one",
    );
    assert_eq!(r.clerk.state().signed_in_sessions().len(), 2);
    r.probe.assert_clean();
}

/// A switch the server answers before a sign-out of `signed_out`, whose answer
/// reaches the handle only after the sign-out's: the older client must not
/// bring the signed-out session back, and the switch still counts, since the
/// server made it.
async fn switch_held_past_a_sign_out_of(signed_out: &str) {
    let mut r = Race::page().await;
    r.assert_active("user_ada", "ada is active first");
    let gate = r.probe.hold_answers(CallKind::SetActiveSession);

    let loaded = r.probe.answers().len();
    r.h.click("switch-user_alan");
    r.h.settle_until(LIMIT, |_| r.probe.answers().len() > loaded)
        .await;
    assert_eq!(
        r.probe.live(),
        1,
        "answered over the wire, but held before the handle"
    );
    r.assert_log(&[(Route::TouchSession, 200)], "the server switched");
    // No pause for a later server millisecond: equal stamps are ordered too.
    r.sign_out_inside(&format!("out-{signed_out}"), "the switch")
        .await;
    let before = r.clerk.state();
    assert_eq!(before.signed_in_sessions().len(), 2, "the sign-out landed");
    // The handle decided the active session without the switch it has not seen.
    let stale = (signed_out != "user_ada").then_some("user_ada");
    assert_eq!(active_user(&r.clerk).as_deref(), stale);

    gate.set(true);
    r.until_no_call_alive().await;
    r.h.settle().await;
    r.assert_log(
        &[(Route::TouchSession, 200), (Route::RemoveSession, 200)],
        "the server switched first, then signed out",
    );
    let answers = r.probe.answers().split_off(loaded);
    assert_eq!(
        answers.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(),
        vec![CallKind::SetActiveSession, CallKind::RemoveSession]
    );
    let (switched, signed_out_at) = (answers[0].1, answers[1].1);
    assert!(
        switched < signed_out_at,
        "the held answer is older than the one that landed: {switched} < {signed_out_at}"
    );
    let state = r.clerk.state();
    assert_eq!(
        state.client.as_ref().map(|c| c.updated_at),
        Some(signed_out_at),
        "the state did not go back in server time"
    );
    assert_eq!(
        state.client, before.client,
        "the older client was not applied"
    );
    assert_eq!(state.signed_in_sessions().len(), 2, "no session came back");
    assert!(
        state
            .signed_in_sessions()
            .iter()
            .all(|s| s.user_id() != Some(signed_out)),
        "{signed_out} stays signed out"
    );
    r.assert_matches_server();
    r.assert_active(
        "user_alan",
        "the switch still counts: the server made it before the sign-out",
    );
    assert_eq!(state.last_error, None);
    let html = r.h.html();
    assert!(!html.contains(&format!("out-{signed_out}")), "{html}");
    assert_no_panics();
}

#[tokio::test]
async fn a_switch_answered_before_the_active_session_signs_out_but_arriving_after_it_brings_no_session_back(
) {
    switch_held_past_a_sign_out_of("user_ada").await;
}

#[tokio::test]
async fn a_switch_answered_before_another_session_signs_out_but_arriving_after_it_brings_no_session_back(
) {
    switch_held_past_a_sign_out_of("user_grace").await;
}

#[tokio::test]
async fn the_active_session_signing_out_while_a_switch_is_in_flight_ends_as_the_server_holds() {
    let mut r = Race::page().await;
    r.start_slow(Route::TouchSession, "switch-user_alan", "the switch")
        .await;
    r.sign_out_inside("out-user_ada", "the switch").await;
    assert_eq!(
        active_user(&r.clerk),
        None,
        "ada was active and is signed out"
    );

    r.until_no_call_alive().await;
    r.h.settle().await;
    r.assert_log(
        &[(Route::RemoveSession, 200), (Route::TouchSession, 200)],
        "the server signed ada out, then switched",
    );
    r.assert_matches_server();
    r.assert_active("user_alan", "the switch landed");
    assert_eq!(r.clerk.state().signed_in_sessions().len(), 2);
    assert_no_panics();
}

// ---------------------------------------------------------------------------
// 2c. Sign-out racing another provider, and another handle on the same client.

#[tokio::test]
async fn two_providers_on_one_handle_clicked_together_send_one_request() {
    let mut r = Race::mount(|clerk| two_pages(clerk.clone(), clerk)).await;
    r.delay(Route::DeleteSessions, SLOW);

    r.h.click_and_settle("a-out").await;
    r.h.click_and_settle("b-out").await;
    let html = r.h.html();
    assert_eq!(
        html.matches(r#"aria-busy="true""#).count(),
        2,
        "both buttons are pending: {html}"
    );
    assert_eq!(r.probe.live(), 1, "one request in flight for both");

    r.until_signed_out().await;
    r.h.settle().await;
    r.assert_log(&[(Route::DeleteSessions, 200)], "one request for both");
    assert_eq!(CALLBACKS.get(), 2, "each button's callback ran once");
    let html = r.h.html();
    assert_eq!(html.matches("<ul></ul>").count(), 2, "{html}");
    r.assert_matches_server();
    assert_no_panics();
}

/// Two handles (two providers, as two windows of one app would have) on the
/// same client through the same token store.
struct Two {
    emulator: Emulator,
    store: MemoryTokenStore,
    h: Harness,
    a: Clerk,
    b: Clerk,
}

impl Two {
    /// Mounts a `Page` on each handle, and delays the server's answers to a
    /// sign-out.
    async fn mount() -> Self {
        count_panics();
        let emulator = emulator().await;
        let store = seeded_store();
        let (a, _, _) = probed_clerk(&emulator, &store);
        let (b, _, _) = probed_clerk(&emulator, &store);
        let h = mount_loaded(&emulator, &[&a, &b], two_pages(a.clone(), b.clone())).await;
        emulator.inject(Route::DeleteSessions, Fault::Delay { ms: SLOW });
        Self {
            emulator,
            store,
            h,
            a,
            b,
        }
    }

    fn assert_log(&self, expected: &[(Route, u16)], why: &str) {
        assert_eq!(log(&self.emulator), expected, "{why}");
    }

    fn assert_both_signed_out(&self) {
        for clerk in [&self.a, &self.b] {
            assert_signed_out(clerk, &self.emulator);
        }
    }
}

#[tokio::test]
async fn two_handles_on_one_client_signing_out_together_both_end_as_the_server_holds() {
    let mut t = Two::mount().await;

    t.h.click_and_settle("a-out").await;
    t.h.click_and_settle("b-out").await;
    for _ in 0..100 {
        t.h.click("a-out");
        t.h.click("b-out");
    }
    t.h.settle().await;
    assert!(
        t.a.is_signing_out() && t.b.is_signing_out(),
        "both in flight together"
    );

    t.h.settle_until(LIMIT, |_| !t.a.is_signing_out() && !t.b.is_signing_out())
        .await;
    t.h.settle().await;
    t.assert_log(
        &[(Route::DeleteSessions, 200), (Route::DeleteSessions, 200)],
        "one request per handle",
    );
    t.assert_both_signed_out();
    assert!(!t.store.has_token(), "no stored credential is left");
    assert_no_panics();
}

#[tokio::test]
async fn a_second_handle_reloading_during_the_sign_out_ends_as_the_server_holds() {
    let mut t = Two::mount().await;
    t.emulator
        .inject(Route::GetClient, Fault::Delay { ms: 2 * SLOW });

    t.h.click_and_settle("a-out").await;
    t.h.click_and_settle("b-reload").await;
    assert!(
        t.a.is_signing_out(),
        "b's reload was sent during a's sign-out"
    );

    t.h.settle_until(LIMIT, |_| RELOADS.get() == 1).await;
    t.assert_log(
        &[(Route::DeleteSessions, 200), (Route::GetClient, 200)],
        "the server read the client for b after signing out for a",
    );
    t.assert_both_signed_out();
    let html = t.h.html();
    assert_eq!(html.matches("<ul></ul>").count(), 2, "{html}");
    assert_no_panics();
}

#[tokio::test]
async fn a_second_handle_that_reloaded_before_the_sign_out_landed_signs_out_cleanly_after_it() {
    let mut t = Two::mount().await;

    t.h.click_and_settle("a-out").await;
    t.h.click("b-reload");
    t.h.settle_until(LIMIT, |_| RELOADS.get() == 1).await;
    assert!(
        t.a.is_signing_out(),
        "b's reload came and went inside a's sign-out"
    );
    assert_eq!(t.b.state().signed_in_sessions().len(), 3);
    assert_matches_server(&t.b, &t.emulator);

    t.h.settle_until(LIMIT, |_| !t.a.is_signing_out()).await;
    assert_matches_server(&t.a, &t.emulator);
    t.emulator.clear_faults();
    t.h.click("b-out");
    t.h.settle_until(LIMIT, |_| {
        !t.b.is_signing_out() && !t.b.state().is_signed_in()
    })
    .await;
    t.assert_log(
        &[
            (Route::GetClient, 200),
            (Route::DeleteSessions, 200),
            (Route::DeleteSessions, 200),
        ],
        "b's reload, a's sign-out, then b's",
    );
    assert_eq!(
        t.b.state().last_error,
        None,
        "signing out again is no error"
    );
    for clerk in [&t.a, &t.b] {
        assert_matches_server(clerk, &t.emulator);
    }
    assert_no_panics();
}

// ---------------------------------------------------------------------------
// 3. The button, the provider or the app goes away mid-flight.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unmount {
    Button,
    Provider,
}

/// Signs out, unmounts `what` while the request is in flight, and checks that
/// nothing panics and the answer lands in the handle. The test then closes the
/// app (`r.h`) and checks that nothing is left behind: no call alive, and the
/// handle freed once the test lets go of it.
async fn unmount_mid_flight(what: Unmount) -> Race {
    let mut r = Race::mount(|clerk| {
        move || {
            rsx! {
                if SHOW_PROVIDER.get() {
                    ClerkProvider { clerk: clerk.clone(),
                        if SHOW_BUTTON.get() {
                            SignOutButton {
                                id: "out",
                                sign_out_callback: || CALLBACKS.set(CALLBACKS.get() + 1),
                            }
                        }
                        p { "inside" }
                    }
                }
                p { "outside" }
            }
        }
    })
    .await;
    r.start_slow(Route::DeleteSessions, "out", "the sign-out")
        .await;
    match what {
        Unmount::Button => r.unmount(&SHOW_BUTTON, "<p>inside</p><p>outside</p>"),
        Unmount::Provider => r.unmount(&SHOW_PROVIDER, "<p>outside</p>"),
    }
    .await;

    r.until_no_call_alive().await;
    r.h.settle().await;
    r.assert_log(
        &[(Route::DeleteSessions, 200)],
        "the sign-out reached the server",
    );
    assert!(!r.clerk.is_signing_out());
    assert!(
        !r.clerk.state().is_signed_in(),
        "the server's answer landed in the handle"
    );
    r.assert_matches_server();
    assert_no_panics();
    r
}

#[tokio::test]
async fn unmounting_the_button_mid_flight_over_http_lands_the_answer_and_leaves_nothing_behind() {
    let r = unmount_mid_flight(Unmount::Button).await;
    drop(r.h);
    assert_eq!(CALLBACKS.get(), 1, "the provider lives: the callback ran");
    assert_freed(r.clerk, &r.weak);
    r.probe.assert_clean();
}

#[tokio::test]
async fn unmounting_the_provider_mid_flight_lands_the_answer_in_the_handle_and_leaves_nothing_behind(
) {
    let r = unmount_mid_flight(Unmount::Provider).await;
    drop(r.h);
    assert_eq!(
        CALLBACKS.get(),
        1,
        "the sign-out finished, callback included, as when only the button unmounts"
    );
    // The handle outlives its provider and still works.
    r.clerk
        .sign_in_with_password("grace@example.com", "pw-grace")
        .await
        .unwrap();
    assert_eq!(active_user(&r.clerk).as_deref(), Some("user_grace"));
    assert_freed(r.clerk, &r.weak);
    assert_eq!(r.probe.live(), 0, "no call is left alive");
    drop(r.emulator);
    assert_no_panics();
}

#[tokio::test]
async fn closing_the_app_mid_flight_panics_nowhere_and_leaves_nothing_behind() {
    let mut r = Race::mount(one_button).await;
    r.start_slow(Route::DeleteSessions, "out", "the sign-out")
        .await;
    drop(r.h);
    assert_eq!(r.probe.live(), 0, "the request went with the app");
    assert!(
        !r.clerk.is_signing_out(),
        "the handle does not wait for an answer nobody will read"
    );

    // The handle outlives the app and still works: a new sign-out is sent.
    r.emulator.clear_faults();
    assert_eq!(
        r.clerk.sign_out(SignOutOptions::new()).await,
        Ok(SignOutOutcome::SignedOutAll)
    );
    assert_matches_server(&r.clerk, &r.emulator);
    assert_freed(r.clerk, &r.weak);
    r.probe.assert_clean();
}

/// `use_set_active` runs like `use_sign_out`: a switch in flight when the
/// provider unmounts still lands in the handle.
#[tokio::test]
async fn unmounting_the_provider_during_a_switch_lands_it_in_the_handle_and_leaves_nothing_behind()
{
    let mut r = Race::mount(|clerk| {
        move || {
            rsx! {
                if SHOW_PROVIDER.get() {
                    ClerkProvider { clerk: clerk.clone(), Page { tag: "" } }
                }
                p { "outside" }
            }
        }
    })
    .await;
    r.start_slow(Route::TouchSession, "switch-user_alan", "the switch")
        .await;
    r.unmount(&SHOW_PROVIDER, "<p>outside</p>").await;

    r.until_no_call_alive().await;
    r.assert_log(
        &[(Route::TouchSession, 200)],
        "the switch reached the server",
    );
    r.assert_active("user_alan", "the switch landed in the handle");
    r.assert_matches_server();
    drop(r.h);
    assert_freed(r.clerk, &r.weak);
    assert_no_panics();
}
