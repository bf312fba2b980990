//! The [`Clerk`] handle: auth state plus the operations that change it.

mod options;
mod plan;
mod shared;
mod subscribers;

pub use options::{SignOutOptions, SignOutOutcome};
pub use subscribers::Subscription;

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use futures_util::FutureExt;
use tracing::{field, Instrument};

use crate::backend::ClerkBackend;
use crate::navigation::{Navigator, RedirectPolicy, RedirectTarget};
use crate::{AuthState, ClerkError, Client};
use plan::SignOutPlan;

/// What a sign-out is for: calls for the same target share one request.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SignOutTarget {
    session_id: Option<String>,
    switch_to_most_recent: bool,
}
use shared::InFlight;
use subscribers::Subscribers;

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
/// of order; one whose client the server stamped (`updated_at`) strictly
/// earlier than the newest client the state has taken is not applied: that
/// newer answer already includes this call's change and whatever the server
/// did after it.
/// The call still succeeds, since the server did what was asked, and the state
/// takes its active session from the newer client (the session the server last
/// made active, if still signed in), as a reload would. Read the state, not the
/// call's result, to know who is signed in and active.
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
    backend: Box<dyn ClerkBackend>,
    state: RefCell<AuthState>,
    subscribers: Rc<Subscribers>,
    loads: InFlight<(), Result<(), ClerkError>>,
    sign_outs: InFlight<SignOutTarget, Result<SignOutOutcome, ClerkError>>,
    /// How many answers to a change (sign-out, switch, sign-in) have landed: a
    /// load that sees it move while in flight may hold an older client.
    changes: Cell<u64>,
    /// The newest server time (`updated_at`) of a client the state has taken:
    /// answers stamped earlier are not applied.
    newest_answer: Cell<Option<i64>>,
    navigator: RefCell<Rc<dyn Navigator>>,
    redirects: RedirectPolicy,
    /// Other tabs of the app: their sign-outs reload this handle's client.
    tabs: crate::platform::TabSync,
}

/// Builds a [`Clerk`] handle with a custom navigator or redirect policy.
pub struct ClerkBuilder {
    backend: Box<dyn ClerkBackend>,
    navigator: Option<Rc<dyn Navigator>>,
    redirects: RedirectPolicy,
}

impl ClerkBuilder {
    /// Replaces the platform's default navigator (see [`Navigator`]).
    pub fn navigator(mut self, navigator: impl Navigator) -> Self {
        self.navigator = Some(Rc::new(navigator));
        self
    }

    /// Accepts redirects to absolute URLs on `origin` (`https://accounts.example.com`).
    /// Only `http` and `https` origins can be allowed.
    pub fn allow_redirect_origin(mut self, origin: &str) -> Result<Self, ClerkError> {
        if self.redirects.allow_origin(origin) {
            Ok(self)
        } else {
            Err(ClerkError::InvalidRedirect {
                url: origin.to_owned(),
                reason: crate::RedirectError::Malformed,
            })
        }
    }

    /// The handle.
    pub fn build(self) -> Clerk {
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            let weak = weak.clone();
            // Another tab signed out: reload, so this tab shows the server's truth.
            let tabs = crate::platform::TabSync::new(move || {
                if let Some(inner) = weak.upgrade() {
                    let clerk = Clerk { inner };
                    crate::platform::spawn_local(async move {
                        let _ = clerk.load().await;
                    });
                }
            });
            Inner {
                backend: self.backend,
                state: RefCell::default(),
                subscribers: Rc::default(),
                loads: InFlight::default(),
                sign_outs: InFlight::default(),
                changes: Cell::new(0),
                newest_answer: Cell::new(None),
                navigator: RefCell::new(
                    self.navigator
                        .unwrap_or_else(crate::navigation::default_navigator),
                ),
                redirects: self.redirects,
                tabs,
            }
        });
        Clerk { inner }
    }
}

impl Clerk {
    /// A handle over `backend` with the platform's default navigator.
    pub fn new(backend: impl ClerkBackend) -> Self {
        Self::builder(backend).build()
    }

    /// A builder, to set a navigator or allowed redirect origins.
    pub fn builder(backend: impl ClerkBackend) -> ClerkBuilder {
        ClerkBuilder {
            backend: Box::new(backend),
            navigator: None,
            redirects: RedirectPolicy::default(),
        }
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

    /// Calls `listener` with the new state after every change, until the
    /// returned [`Subscription`] is dropped.
    pub fn subscribe(&self, listener: impl Fn(&AuthState) + 'static) -> Subscription {
        self.inner.subscribers.add(Rc::new(listener))
    }

    /// Loads the client from the server (`GET /v1/client`). Concurrent calls
    /// share one request. On failure the previous state is kept, `is_loaded`
    /// stays as it was, and the error is stored in `last_error`; call again to retry.
    /// When a change (a sign-out, a switch, a sign-in) lands while the load is
    /// in flight, the load's answer may predate it and is not applied unless the
    /// server stamped it later than anything applied; an answer stamped earlier
    /// is never applied (see [`Clerk`]). Both still return `Ok`.
    pub async fn load(&self) -> Result<(), ClerkError> {
        if let Some(((), task)) = self.inner.loads.current() {
            return task.await;
        }
        let this = self.clone();
        let task = async move {
            let changes = this.inner.changes.get();
            let result = this.inner.backend.load_client().await;
            this.inner.loads.finish();
            match result {
                // A change landed meanwhile: this answer may predate it, unless
                // the server stamped it later than anything applied.
                Ok(client)
                    if this.inner.changes.get() != changes
                        && !crate::state::is_newer(
                            client.as_ref(),
                            this.inner.newest_answer.get(),
                        ) =>
                {
                    tracing::debug!("a change landed during the load; its answer is kept");
                    Ok(())
                }
                Ok(client) => {
                    if !this.skip_older("load", client.as_ref()) {
                        this.update(|state| {
                            state.active_session_id =
                                AuthState::server_active_session_id(client.as_ref());
                            state.replace_client(client);
                            state.is_loaded = true;
                            state.last_error = None;
                        });
                    }
                    Ok(())
                }
                Err(error) => {
                    tracing::warn!(%error, "loading the Clerk client failed");
                    this.update(|state| state.last_error = Some(error.clone()));
                    Err(error)
                }
            }
        };
        self.inner.loads.start((), task.boxed_local()).await
    }

    /// Signs out, following Clerk's rules and fixing where clerk-js falls short:
    ///
    /// - nobody signed in: `Ok`, nothing sent;
    /// - no `session_id`, or the only signed-in session: every session is signed out;
    /// - the active session of several: it is removed and no session is active;
    /// - another session: it is removed quietly, the active one stays;
    /// - an id that is not signed in: [`ClerkError::SessionNotFound`], nothing sent;
    /// - a refused `redirect_url`: [`ClerkError::InvalidRedirect`], nothing sent.
    ///
    /// The state changes only from the server's answer; on error it is untouched.
    /// An answer stamped earlier than the newest one applied is not applied (see
    /// [`Clerk`]): the outcome still says what the server did, while the state
    /// shows the newer client, which already includes this sign-out. A failed
    /// switch to the next account is still reported in `last_error`.
    /// Calls for the same session while one is in flight share its request and
    /// result; a call for another waits for it, then runs on the new state.
    /// After success, the handle navigates to `redirect_url` if one was given.
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<SignOutOutcome, ClerkError> {
        let redirect = options
            .redirect_url
            .as_deref()
            .map(|url| self.validate_redirect(url))
            .transpose()?;
        let target = SignOutTarget {
            session_id: options.session_id,
            switch_to_most_recent: options.switch_to_most_recent,
        };
        let outcome = self.sign_out_shared(target).await?;
        if outcome != SignOutOutcome::NothingToSignOut {
            self.inner.tabs.announce_sign_out();
        }
        if let Some(target) = redirect {
            self.navigate(&target);
        }
        Ok(outcome)
    }

    /// Makes `session_id` the active session (FAPI `touch`, `intent=select_session`).
    ///
    /// When the answer reaches the handle after a newer one (a sign-out the
    /// server did after this switch, say), it is not applied (see [`Clerk`]):
    /// the call returns `Ok`, because the server made the switch, and the state
    /// keeps the newer client. `session_id` is then active if that client still
    /// names it the last active session; a later change may have signed it out
    /// or switched away, and the state shows that instead.
    pub async fn set_active(&self, session_id: &str) -> Result<(), ClerkError> {
        if !self.is_loaded() {
            self.load().await?;
        }
        if self
            .inner
            .state
            .borrow()
            .client
            .as_ref()
            .and_then(|c| c.signed_in_session(session_id))
            .is_none()
        {
            return Err(ClerkError::SessionNotFound {
                session_id: session_id.to_owned(),
            });
        }
        let client = self.inner.backend.set_active_session(session_id).await?;
        self.land("set_active", client, |state, client| {
            let still_signed_in = client
                .as_ref()
                .and_then(|c| c.signed_in_session(session_id))
                .is_some();
            state.active_session_id = if still_signed_in {
                Some(session_id.to_owned())
            } else {
                AuthState::server_active_session_id(client.as_ref())
            };
            state.replace_client(client);
            state.last_error = None;
        });
        Ok(())
    }

    /// Signs in with an identifier (email or username) and a password. The new
    /// session joins the client's others and becomes the active one.
    ///
    /// When the answer reaches the handle after a newer one, it is not applied
    /// (see [`Clerk`]): the call returns `Ok` and the state keeps the newer
    /// client, where the new session is active unless a later change signed it
    /// out or switched away.
    pub async fn sign_in_with_password(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<(), ClerkError> {
        let client = self
            .inner
            .backend
            .sign_in_with_password(identifier, password)
            .await?;
        self.land("sign_in", client, |state, client| {
            state.active_session_id = AuthState::server_active_session_id(client.as_ref());
            state.replace_client(client);
            state.is_loaded = true;
            state.last_error = None;
        });
        Ok(())
    }

    /// Checks a redirect URL against the page's origin and the allowed origins.
    pub fn validate_redirect(&self, url: &str) -> Result<RedirectTarget, ClerkError> {
        let app_url = crate::platform::app_url();
        self.inner
            .redirects
            .validate(url, app_url.as_ref())
            .map_err(|reason| ClerkError::InvalidRedirect {
                url: url.to_owned(),
                reason,
            })
    }

    /// Hands a validated target to the navigator.
    pub fn navigate(&self, target: &RedirectTarget) {
        let navigator = self.inner.navigator.borrow().clone();
        navigator.navigate(target);
    }

    /// Replaces the navigator (for example with dioxus-router's, see
    /// [`use_router_navigation`](crate::navigation)).
    pub fn set_navigator(&self, navigator: Rc<dyn Navigator>) {
        *self.inner.navigator.borrow_mut() = navigator;
    }

    /// The navigator in use.
    #[cfg(feature = "router")]
    pub(crate) fn navigator(&self) -> Rc<dyn Navigator> {
        self.inner.navigator.borrow().clone()
    }

    /// Puts `previous` back if `current` is still the navigator in use (a
    /// navigator set later stays).
    #[cfg(feature = "router")]
    pub(crate) fn restore_navigator(
        &self,
        current: &Rc<dyn Navigator>,
        previous: Rc<dyn Navigator>,
    ) {
        let mut navigator = self.inner.navigator.borrow_mut();
        if Rc::ptr_eq(&navigator, current) {
            *navigator = previous;
        }
    }

    /// Keeps an error nobody handled in the state's `last_error`, and logs it.
    pub fn report_error(&self, error: ClerkError) {
        tracing::warn!(%error, "unhandled Clerk error");
        self.update(|state| state.last_error = Some(error));
    }

    async fn sign_out_shared(&self, target: SignOutTarget) -> Result<SignOutOutcome, ClerkError> {
        while let Some((key, task)) = self.inner.sign_outs.current() {
            if key == target {
                return task.await;
            }
            // Another sign-out is in flight: let it land, then decide on the new state.
            let _ = task.await;
        }
        let this = self.clone();
        let key = target.clone();
        let task = async move {
            let result = this.traced_sign_out(&target).await;
            this.inner.sign_outs.finish();
            result
        };
        self.inner.sign_outs.start(key, task.boxed_local()).await
    }

    async fn traced_sign_out(&self, target: &SignOutTarget) -> Result<SignOutOutcome, ClerkError> {
        let started = web_time::Instant::now();
        let span = tracing::info_span!(
            "clerk.sign_out",
            scope = field::Empty,
            outcome = field::Empty,
            duration_ms = field::Empty
        );
        let result = self
            .sign_out_request(target, &span)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
        match &result {
            Ok(outcome) => {
                span.record("outcome", "ok");
                tracing::info!(parent: &span, ?outcome, "signed out");
            }
            Err(error) => {
                span.record("outcome", "error");
                tracing::warn!(parent: &span, %error, "sign-out failed");
            }
        }
        result
    }

    async fn sign_out_request(
        &self,
        target: &SignOutTarget,
        span: &tracing::Span,
    ) -> Result<SignOutOutcome, ClerkError> {
        if !self.is_loaded() {
            self.load().await?;
        }
        let plan = SignOutPlan::new(&self.inner.state.borrow(), target.session_id.as_deref())?;
        span.record("scope", plan.scope());
        match plan {
            SignOutPlan::Nothing => Ok(SignOutOutcome::NothingToSignOut),
            SignOutPlan::All => {
                let client = self.inner.backend.sign_out_all().await?;
                self.land("sign_out", client, |state, client| {
                    state.replace_client(client);
                    state.active_session_id = None;
                    state.last_error = None;
                });
                Ok(SignOutOutcome::SignedOutAll)
            }
            SignOutPlan::Remove {
                session_id,
                was_active,
            } => {
                let removed = self.inner.backend.remove_session(&session_id).await?;
                let next = if was_active && target.switch_to_most_recent {
                    most_recently_active(removed.as_ref())
                } else {
                    None
                };
                // The switch happens before the one state update, so the UI
                // never shows "no active account" in between.
                let (client, activated, switch_error) = match next {
                    None => (removed, None, None),
                    Some(next) => match self.inner.backend.set_active_session(&next).await {
                        Ok(client) => (client, Some(next), None),
                        Err(error) => {
                            tracing::warn!(%error, "signed out, but could not switch to the next account");
                            (removed, None, Some(error))
                        }
                    },
                };
                let landed = self.land("sign_out", client, |state, client| {
                    // Decided now, not when the sign-out started: a switch may
                    // have landed meanwhile, and then another session is active.
                    let previous = state.active_session_id.take();
                    let kept = previous.filter(|id| *id != session_id);
                    state.active_session_id = activated.clone().or(kept).filter(|id| {
                        client
                            .as_ref()
                            .is_some_and(|c| c.signed_in_session(id).is_some())
                    });
                    state.replace_client(client);
                    state.last_error = switch_error.clone();
                });
                if let (false, Some(error)) = (landed, switch_error) {
                    self.update(|state| state.last_error = Some(error));
                }
                Ok(SignOutOutcome::SessionRemoved {
                    session_id,
                    was_active,
                    activated,
                })
            }
        }
    }

    /// Takes the server's answer to a change (`call`), with the client it
    /// carries, unless it is older than the newest answer applied ([`Self::skip_older`]).
    /// A load in flight may now hold an older client, so it will not overwrite
    /// this one. Returns whether the answer was applied.
    fn land(
        &self,
        call: &'static str,
        client: Option<Client>,
        change: impl FnOnce(&mut AuthState, Option<Client>),
    ) -> bool {
        if self.skip_older(call, client.as_ref()) {
            return false;
        }
        self.inner.changes.set(self.inner.changes.get() + 1);
        self.update(|state| change(state, client));
        true
    }

    /// Whether the answer to `call`, carrying `client`, is older than the
    /// newest answer the state has taken (see [`crate::state::is_older`]);
    /// then it is not applied. The state keeps its client and takes the active session
    /// from it: the newer client already has the older call's effect, while
    /// the active id was decided here, maybe before that call's answer.
    fn skip_older(&self, call: &'static str, client: Option<&Client>) -> bool {
        let newest = self.inner.newest_answer.get();
        if !crate::state::is_older(client, newest) {
            return false;
        }
        let active = {
            let state = self.inner.state.borrow();
            let active = AuthState::server_active_session_id(state.client.as_deref());
            (state.active_session_id != active).then_some(active)
        };
        tracing::debug!(
            call,
            answer_updated_at = client.map(|c| c.updated_at),
            newest_updated_at = newest,
            "the answer is older than the newest one applied; not applied"
        );
        if let Some(active) = active {
            self.update(|state| state.active_session_id = active);
        }
        true
    }

    /// Changes the state, then tells every subscriber.
    fn update(&self, change: impl FnOnce(&mut AuthState)) {
        let snapshot = {
            let mut state = self.inner.state.borrow_mut();
            change(&mut state);
            if let Some(client) = &state.client {
                let newest = self.inner.newest_answer.get().max(Some(client.updated_at));
                self.inner.newest_answer.set(newest);
            }
            state.clone()
        };
        self.inner.subscribers.notify(&snapshot);
    }
}

/// The signed-in session used most recently.
fn most_recently_active(client: Option<&crate::Client>) -> Option<String> {
    client?
        .signed_in_sessions()
        .max_by_key(|s| s.last_active_at)
        .map(|s| s.id.clone())
}

impl PartialEq for Clerk {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clerk")
            .field("state", &*self.inner.state.borrow())
            .field("signing_out", &self.is_signing_out())
            .finish_non_exhaustive()
    }
}
