//! The [`Clerk`] handle: auth state plus the operations that change it.
//!
//! The handle itself (this file) holds the state and tells subscribers. Each
//! operation lives in a file of its own as an `impl Clerk` block:
//! [`load`](load.rs), [`sign_out`](sign_out.rs), switching and signing in
//! ([`session`](session.rs)), session [`tokens`](tokens.rs), following the
//! server in the background ([`sync`](sync.rs)), starting from a
//! server-rendered page's state ([`hydrate`](hydrate.rs)), applying answers in server
//! order ([`reconcile`](reconcile.rs)) and [`redirects`](redirects.rs). Plain
//! data and the logic on it live beside them: `options`, `plan`, `order`,
//! `token_cache`, `subscribers`, `wake`; operations shared by
//! concurrent callers go through `crate::shared_task`.

mod app_cookies;
mod authorized;
mod backoff;
mod builder;
mod counting;
#[cfg(feature = "devices")]
mod devices;
#[cfg(any(feature = "sign-in", feature = "user-button"))]
mod environment;
mod hydrate;
mod load;
mod options;
mod order;
mod plan;
mod reconcile;
mod redirects;
mod session;
#[cfg(feature = "sign-in")]
mod sign_in;
mod sign_out;
mod subscribers;
mod sync;
mod token_cache;
mod tokens;
mod wake;

pub use builder::ClerkBuilder;
pub use hydrate::AuthSnapshot;
pub use options::{GetTokenOptions, SignOutOptions, SignOutOutcome, SyncReason};
#[cfg(all(feature = "sign-in", not(target_arch = "wasm32")))]
pub use sign_in::{DefaultBrowser, SystemBrowser};
#[cfg(feature = "sign-in")]
pub use sign_in::{FirstFactor, OAuthOptions, OAuthStart, SecondFactor, SignInStep};
pub use subscribers::Subscription;

use crate::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use crate::backend::{BackendOps, ClerkBackend};
use crate::navigation::{Navigator, RedirectPolicy};
use crate::shared_task::InFlight;
use crate::{AuthState, ClerkError};
use options::SignOutTarget;
use order::AnswerOrder;
use subscribers::Subscribers;
use wake::SyncChannel;

/// A cheap, cloneable handle to Clerk: the auth state and the calls that change it.
///
/// Clones share one state and one backend, and compare equal. All the logic of
/// signing out lives here, so it works the same from `SignOutButton`,
/// `use_sign_out`, or plain async code:
///
/// ```
/// use clerk_dioxus::{Clerk, MemoryBackend, SignOutOptions, SignOutOutcome};
/// # futures_executor_block_on(async {
/// let clerk = Clerk::new(MemoryBackend::demo());
/// clerk.load().await.unwrap();
/// assert_eq!(clerk.state().signed_in_sessions().len(), 3);
/// let outcome = clerk.sign_out(SignOutOptions::new()).await.unwrap();
/// assert_eq!(outcome, SignOutOutcome::SignedOutAll);
/// assert!(!clerk.state().is_signed_in());
/// # });
/// # fn futures_executor_block_on(f: impl std::future::Future<Output = ()>) {
/// #     let waker = std::task::Waker::noop();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut f = std::pin::pin!(f);
/// #     assert!(f.as_mut().poll(&mut cx).is_ready());
/// # }
/// ```
///
/// The state never goes back in server time. Answers can reach the handle out
/// of order; one whose client the server stamped (`updated_at`) earlier than
/// the newest client the state has taken is not applied: that newer answer
/// already includes this call's change and whatever the server did after it.
/// Two answers with the same stamp are ordered by when their requests were
/// sent; when both were in flight together, the handle reloads the client
/// rather than guess. The call still succeeds, since the server did what was
/// asked, and the state takes its active session from the newer client (the
/// session the server last made active, if still signed in), as a reload
/// would. Read the state, not the call's result, to know who is signed in.
///
/// The state also follows the server between calls while
/// [`run_sync`](Self::run_sync) runs (`ClerkProvider` runs it): it reloads on
/// focus, visibility, coming back online and a timer, retries a failed first
/// load, and refreshes cached session tokens before they expire. An answer
/// that proves the server no longer has a session (`404 resource_not_found`,
/// `401 signed_out`) makes the handle reload, so no signed-out account stays
/// on screen.
///
/// Await the calls to the end. A call's future that is dropped before its
/// answer arrives (in a `select!`, under a timeout of your own) drops the
/// answer too: the server may have acted while the state does not show it
/// until the next load. `SignOutButton`, `use_sign_out` and `use_set_active`
/// run their calls as tasks that live as long as the app, so their answers
/// always land.
#[derive(Clone)]
pub struct Clerk {
    inner: Rc<Inner>,
}

struct Inner {
    backend: Box<dyn BackendOps>,
    /// Backend calls in flight now (`counting`).
    in_flight: std::cell::Cell<usize>,
    state: RefCell<AuthState>,
    subscribers: Rc<Subscribers>,
    loads: InFlight<(), Result<(), ClerkError>>,
    sign_outs: InFlight<SignOutTarget, Result<SignOutOutcome, ClerkError>>,
    /// Which answers may still change the state.
    order: AnswerOrder,
    /// Session tokens, per session, template and organization, once in use
    /// (see [`tokens::TokensInUse`]): until then no code path reaches the
    /// cache or a token request.
    tokens: std::cell::OnceCell<Box<dyn tokens::TokensInUse>>,
    /// Wakes the background sync (focus, online, new tokens to refresh).
    sync: SyncChannel,
    /// How often the background sync reloads the client on its own.
    sync_interval: Option<Duration>,
    navigator: RefCell<Rc<dyn Navigator>>,
    redirects: RedirectPolicy,
    /// Other tabs of the app: their sign-outs reload this handle's client.
    tabs: crate::platform::TabSync,
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    environment: RefCell<Option<Rc<crate::model::Environment>>>,
    #[cfg(any(feature = "sign-in", feature = "user-button"))]
    environment_load: InFlight<(), Result<Rc<crate::model::Environment>, ClerkError>>,
}

impl Clerk {
    /// A handle over `backend` with the platform's default navigator.
    pub fn new(backend: impl ClerkBackend) -> Self {
        Self::builder(backend).build()
    }

    /// A builder, to set a navigator, allowed redirect origins or the sync interval.
    pub fn builder(backend: impl ClerkBackend) -> ClerkBuilder {
        // Decided here, where the backend's type is known: a backend that
        // keeps no cookie from the start links no token refresh through it.
        let tokens = backend.keeps_session_cookie().then(|| {
            Box::new(tokens::LiveTokens::new(backend.publishable_key()))
                as Box<dyn tokens::TokensInUse>
        });
        ClerkBuilder::new(Box::new(backend), tokens)
    }

    /// A handle that could not be configured (a malformed publishable key,
    /// say): every call fails with `error`, and its first load puts the error
    /// in [`AuthState::load_error`], so `ClerkFailed` shows it.
    pub fn failed(error: ClerkError) -> Self {
        let backend = Box::new(crate::backend::Unconfigured::new(error));
        ClerkBuilder::new(backend, None).build()
    }

    /// A copy of the current state.
    pub fn state(&self) -> AuthState {
        self.inner.state.borrow().clone()
    }

    /// Whether the client has been loaded.
    pub fn is_loaded(&self) -> bool {
        self.inner.state.borrow().is_loaded
    }

    /// Whether a sign-out is in flight.
    pub fn is_signing_out(&self) -> bool {
        self.inner.sign_outs.is_busy()
    }

    /// How many calls to Clerk (loads, sign-outs, switches, sign-ins, tokens,
    /// touches) are in flight right now: 0 when the app has nothing left to
    /// hear from the server (tests wait for it instead of sleeping).
    pub fn requests_in_flight(&self) -> usize {
        self.inner.in_flight.get()
    }

    /// Whether a load of the client is in flight.
    pub fn is_loading(&self) -> bool {
        self.inner.loads.is_busy()
    }

    /// Calls `listener` with the new state after every change, until the
    /// returned [`Subscription`] is dropped.
    pub fn subscribe(&self, listener: impl Fn(&AuthState) + 'static) -> Subscription {
        self.inner.subscribers.add(Rc::new(listener))
    }

    /// The active session's id, when it is signed in.
    fn active_session_id(&self) -> Option<String> {
        self.inner
            .state
            .borrow()
            .active_session()
            .map(|s| s.id.clone())
    }

    /// Changes the state, drops the tokens of every session that is no longer
    /// the active signed-in one, then tells every subscriber.
    fn update(&self, change: impl FnOnce(&mut AuthState)) {
        let mut change = Some(change);
        self.update_with(&mut |state| {
            if let Some(change) = change.take() {
                change(state);
            }
        });
    }

    /// Notes how a request to the Frontend API went (`None`: it was
    /// answered): a failure to reach Clerk marks the state stale since now
    /// (unless it already is), an answer clears the mark. Subscribers hear
    /// only of a change. When an answer that did not bring the client (a
    /// token) ends a stale spell, the sync reloads at once: Clerk is back,
    /// and the state may have moved meanwhile.
    pub(super) fn note_reach(&self, failure: Option<&ClerkError>, brings_client: bool) {
        let unreachable = failure.is_some_and(ClerkError::is_unreachable);
        let stale = self.inner.state.borrow().stale_since.is_some();
        if unreachable == stale {
            return;
        }
        self.update(|state| {
            state.stale_since = unreachable.then(crate::platform::now_secs);
        });
        if stale && !brings_client {
            self.inner.sync.wake(wake::Wake::Recovered);
        }
    }

    /// [`update`](Self::update)'s body, once in the binary for all its callers.
    fn update_with(&self, change: &mut dyn FnMut(&mut AuthState)) {
        // Session tokens, if in use, follow the active session.
        let tokens = self.inner.tokens.get();
        let (before, snapshot) = {
            let mut state = self.inner.state.borrow_mut();
            let before = tokens.and_then(|_| state.active_session().map(|s| s.id.clone()));
            change(&mut state);
            (before, state.clone())
        };
        if let Some(tokens) = tokens {
            tokens.state_changed(self, before.as_deref(), &snapshot);
        }
        self.inner.subscribers.notify(&snapshot);
    }
}

impl PartialEq for Clerk {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Clerk {}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clerk")
            .field("state", &*self.inner.state.borrow())
            .field("signing_out", &self.is_signing_out())
            .field(
                "cached_tokens",
                &self.inner.tokens.get().map_or(0, |t| t.cache().len()),
            )
            .finish_non_exhaustive()
    }
}
