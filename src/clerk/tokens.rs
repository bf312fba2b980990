//! Session tokens for the app's own API: `get_token`, its cache, and the
//! background refresh.

use std::time::Duration;

use std::future::{ready, Future};

use futures_util::future::{Either, LocalBoxFuture};
use futures_util::FutureExt;

use super::app_cookies::AppCookies;
use super::reconcile::is_gone;
use super::token_cache::{TokenCache, TokenKey, TokenResult};
use super::wake::Wake;
use super::Clerk;
use crate::backend::fapi::PublishableKey;
use crate::platform::now_secs;
use crate::shared_task::SharedTask;
use crate::{AuthState, ClerkError, GetTokenOptions};

/// How long a cached token must still be valid to be handed out by default.
pub(crate) const DEFAULT_LEEWAY: Duration = Duration::from_secs(10);

/// Session tokens as the rest of the handle reaches them: the cache,
/// behind a trait object made by the first use of tokens (the app's first
/// [`Clerk::get_token`], or the handle's build when its backend keeps the
/// `__session` cookie). The handle's always-present paths (state updates,
/// the sync) go through it, so an app that never uses tokens links neither
/// the cache nor a token request.
pub(super) trait TokensInUse {
    /// The cache itself, for `get_token`.
    fn cache(&self) -> &TokenCache;

    /// The state changed (to `state`), and with it maybe the active session
    /// (from `before`): drops every token and request of the other
    /// sessions; takes the active session's `last_active_token` when it is
    /// fresher than the cached one, as clerk-js does; when the active
    /// session changed, the cookie's token goes (the new session's comes in
    /// its place, or the sync fetches it); and the app's cookies follow.
    fn state_changed(&self, clerk: &Clerk, before: Option<&str>, state: &AuthState);

    /// A new token of the active session `session_id` for the `__session` cookie.
    fn keep_cookie(&self, session_id: &str, jwt: &str);

    /// When the next cached token is due for refresh (Unix seconds).
    fn next_refresh(&self) -> Option<f64>;

    /// The background sync's pass: on the web, when the active session
    /// changed (`session_changed`), its token for the `__session` cookie;
    /// then the refresh of a cached token that is due.
    fn refresh(&self, clerk: &Clerk, session_changed: bool) -> LocalBoxFuture<'static, ()>;
}

/// The token cache and the app's cookies that hold its active token.
pub(super) struct LiveTokens {
    cache: TokenCache,
    cookies: AppCookies,
}

impl LiveTokens {
    /// Tokens for the instance of `key` (its cookies are named after it).
    pub(super) fn new(key: Option<&PublishableKey>) -> Self {
        Self {
            cache: TokenCache::default(),
            cookies: AppCookies::new(key),
        }
    }
}

impl TokensInUse for LiveTokens {
    fn cache(&self) -> &TokenCache {
        &self.cache
    }

    fn state_changed(&self, clerk: &Clerk, before: Option<&str>, state: &AuthState) {
        let session = state.active_session();
        let active = session.map(|s| s.id.as_str());
        self.cache.keep_only(active);
        if before != active {
            // The cookie held the previous session's token: it goes at once.
            self.cookies.remove_session_token();
        }
        let offered = session.and_then(|session| {
            let jwt = &session.last_active_token.as_ref()?.jwt;
            let key = TokenKey::default_of(&session.id);
            self.cache
                .offer(key, jwt, now_secs())
                .then_some((session.id.as_str(), jwt.as_str()))
        });
        match offered {
            Some((session_id, jwt)) => {
                self.cookies.keep_session_token(session_id, jwt);
                clerk.inner.sync.wake(Wake::Tokens);
            }
            // The new active session's token replaces it when it arrives.
            None if before != active && active.is_some() => {
                clerk.inner.sync.wake(Wake::SessionCookie);
            }
            None => {}
        }
        self.cookies.client_changed(state);
    }

    fn keep_cookie(&self, session_id: &str, jwt: &str) {
        self.cookies.keep_session_token(session_id, jwt);
    }

    fn next_refresh(&self) -> Option<f64> {
        self.cache.next_refresh()
    }

    fn refresh(&self, clerk: &Clerk, session_changed: bool) -> LocalBoxFuture<'static, ()> {
        let clerk = clerk.clone();
        Box::pin(async move {
            if session_changed && crate::platform::KEEPS_SESSION_COOKIE {
                let _ = clerk.get_token(GetTokenOptions::default()).await;
            }
            clerk.refresh_due_token().await;
        })
    }
}

impl Clerk {
    /// The token cache; the first call puts tokens in use: from then on the
    /// background sync refreshes cached ones before they expire and, on the
    /// web, keeps the active session's token in the `__session` cookie (it
    /// is woken to fetch that token now).
    fn tokens(&self) -> &TokenCache {
        let mut started = false;
        let tokens = self.inner.tokens.get_or_init(|| {
            started = true;
            Box::new(LiveTokens::new(self.backend().publishable_key()))
        });
        if started {
            self.inner.sync.wake(Wake::SessionCookie);
        }
        tokens.cache()
    }

    /// A session token (JWT) of the active session, for the app's own API:
    /// clerk-js's `getToken()`. `Ok(None)` when no session is signed in, with
    /// nothing sent.
    ///
    /// - A cached token valid for at least `leeway` (10 s by default) is
    ///   returned at once; while the session is signed in, the background sync
    ///   ([`Clerk::run_sync`]) fetches the next one before it expires, so a
    ///   caller does not wait for a refresh.
    /// - Otherwise it is fetched (`POST /v1/client/sessions/{id}/tokens`, or
    ///   `/tokens/{template}`); concurrent callers for the same token share
    ///   one request.
    /// - When the session is signed out, switched away from or ends, its
    ///   tokens are dropped at once, and the answer of a request still in
    ///   flight for it is discarded: this returns `Ok(None)`, never a token of
    ///   a signed-out session.
    /// - A server answer that the session is gone makes the handle reload,
    ///   and this returns `Ok(None)`.
    ///
    /// On the web, the active session's default token is also kept in the
    /// app origin's `__session` cookie (as clerk-js does), so a server on the
    /// same site can read it; the cookie is removed on sign-out. That starts
    /// with the first call, or with the handle when its backend
    /// [keeps the cookie](crate::ClerkBackend::keeps_session_cookie) (the
    /// Frontend API's does).
    ///
    /// The active session and the cache are read when this is called; the
    /// returned future waits for the answer (and the request runs while some
    /// caller awaits it).
    pub fn get_token(
        &self,
        options: GetTokenOptions,
    ) -> impl Future<Output = Result<Option<String>, ClerkError>> + 'static {
        // Decided now; what is awaited is the answer itself, or the request
        // every caller for this token shares (one state machine for all).
        let Some(session_id) = self.active_session_id() else {
            return Either::Left(ready(Ok(None)));
        };
        let key = TokenKey {
            session_id,
            template: options.template,
            organization_id: options.organization_id,
        };
        if !options.skip_cache {
            let leeway = options.leeway.unwrap_or(DEFAULT_LEEWAY).as_secs_f64();
            if let Some(jwt) = self.tokens().fresh(&key, now_secs(), leeway) {
                return Either::Left(ready(Ok(Some(jwt))));
            }
            if let Some(task) = self.tokens().in_flight(&key) {
                return Either::Right(task);
            }
        }
        // Clerk is out of reach for this token: its last failure, at once,
        // until the backoff is over (nothing sent; the sync tries again).
        if let Some(error) = self.tokens().held(&key, now_secs()) {
            return Either::Left(ready(Err(error)));
        }
        Either::Right(self.fetch_token(key))
    }

    /// Starts a token request for `key`, which keeps its answer if the
    /// session is still the active one; the request is shared until it is
    /// answered.
    pub(super) fn fetch_token(&self, key: TokenKey) -> SharedTask<TokenResult> {
        let epoch = self.tokens().epoch();
        let this = self.clone();
        let task_key = key.clone();
        let task = async move {
            let result = this
                .backend()
                .session_token(
                    &task_key.session_id,
                    task_key.template.as_deref(),
                    task_key.organization_id.as_deref(),
                )
                .await;
            this.tokens().finish(&task_key);
            this.note_reach(result.as_ref().err(), false);
            if let Err(error) = &result {
                if error.is_unreachable() {
                    this.tokens().retry_later(&task_key, now_secs(), error);
                }
            }
            match result {
                // The session is gone on the server: converge, then answer
                // as the state now says.
                Err(error) if is_gone(&error) => {
                    let _ = this.converge("tokens", &error).await;
                    match this.is_active(&task_key.session_id) {
                        true => Err(error),
                        false => Ok(None),
                    }
                }
                result => this.take_token(task_key, epoch, result),
            }
        }
        .boxed_local();
        let task = SharedTask::new(task);
        self.tokens().start(key, task.clone());
        task
    }

    /// Whether `session_id` is the active signed-in session now.
    fn is_active(&self, session_id: &str) -> bool {
        self.active_session_id().as_deref() == Some(session_id)
    }

    /// Keeps a token answer, or discards it for a session that left.
    fn take_token(
        &self,
        key: TokenKey,
        epoch: u64,
        result: Result<String, ClerkError>,
    ) -> TokenResult {
        let jwt = result?;
        let is_default = key.is_default();
        let key_session = key.session_id.clone();
        if !self.is_active(&key.session_id) || !self.tokens().store(key, &jwt, epoch, now_secs()) {
            crate::log::debug!("a token answer for a session that left; discarded");
            return Ok(None);
        }
        if is_default {
            if let Some(tokens) = self.inner.tokens.get() {
                tokens.keep_cookie(&key_session, &jwt);
            }
        }
        // A new refresh deadline for the background sync.
        self.inner.sync.wake(Wake::Tokens);
        Ok(Some(jwt))
    }

    /// Refreshes a cached token that is due, if any (the sync comes back at
    /// once for the next); a failure is tried again after the backoff
    /// (`backoff`), honouring the server's `Retry-After`.
    async fn refresh_due_token(&self) {
        let Some(key) = self.tokens().first_due(now_secs()) else {
            return;
        };
        if let Err(error) = self.fetch_token(key.clone()).await {
            crate::log::debug!(%error, "refreshing a session token failed; trying again soon");
            // Out of reach: `fetch_token` set the backoff. Any other
            // failure is tried again after it as well, never at once.
            if !error.is_unreachable() {
                self.tokens().retry_later(&key, now_secs(), &error);
            }
        }
    }

    /// When the next cached token is due for refresh (Unix seconds), once
    /// tokens are in use.
    pub(super) fn next_token_refresh(&self) -> Option<f64> {
        self.inner.tokens.get()?.next_refresh()
    }
}
