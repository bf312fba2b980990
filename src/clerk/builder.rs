//! [`ClerkBuilder`]: a handle with a custom navigator, redirect policy or sync interval.

use crate::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::wake::{SyncChannel, Wake};
use super::{Clerk, Inner};
use crate::backend::BackendOps;
use crate::navigation::{Navigator, RedirectPolicy};
use crate::ClerkError;

/// How often the background sync reloads the client unless told otherwise.
pub(crate) const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(60);

/// Builds a [`Clerk`] handle with a custom navigator, redirect policy or sync interval.
pub struct ClerkBuilder {
    backend: Box<dyn BackendOps>,
    navigator: Option<Rc<dyn Navigator>>,
    redirects: RedirectPolicy,
    sync_interval: Option<Duration>,
    tokens: Option<Box<dyn super::tokens::TokensInUse>>,
    treat_pending_as_signed_out: bool,
}

impl ClerkBuilder {
    /// `tokens` is set when the backend keeps the `__session` cookie:
    /// tokens are then in use from the start.
    pub(super) fn new(
        backend: Box<dyn BackendOps>,
        tokens: Option<Box<dyn super::tokens::TokensInUse>>,
    ) -> Self {
        Self {
            backend,
            tokens,
            navigator: None,
            redirects: RedirectPolicy::default(),
            sync_interval: Some(DEFAULT_SYNC_INTERVAL),
            treat_pending_as_signed_out: true,
        }
    }

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

    /// How often [`Clerk::run_sync`] reloads the client when nothing else made
    /// it do so (default 60 s); `None` reloads only on focus, visibility,
    /// coming back online, and answers that show the server moved on.
    pub fn sync_interval(mut self, interval: Option<Duration>) -> Self {
        self.sync_interval = interval;
        self
    }

    /// Whether a `pending` session (one with a task left, such as choosing
    /// an organization) counts as signed out to the app: `true` by default,
    /// as in Clerk's SDKs (`treatPendingAsSignedOut`), and as
    /// `server::VerifierBuilder::treat_pending_as_signed_out` decides on the
    /// server. With `false`, `SignedIn` shows it and `use_auth` names its
    /// user. Either way the session stays active, with tokens, and
    /// [`AuthState::pending_task`](crate::AuthState::pending_task) says what is left.
    pub fn treat_pending_as_signed_out(mut self, treat: bool) -> Self {
        self.treat_pending_as_signed_out = treat;
        self
    }

    /// The handle.
    pub fn build(self) -> Clerk {
        let sync = SyncChannel::default();
        let wake = sync.waker();
        // Another tab signed out: reload, so this tab shows the server's truth.
        let tabs = crate::platform::TabSync::new(move || wake(Wake::OtherTab));
        Clerk {
            inner: Rc::new(Inner {
                backend: self.backend,
                in_flight: Default::default(),
                state: RefCell::new(crate::AuthState {
                    treat_pending_as_signed_out: self.treat_pending_as_signed_out,
                    ..crate::AuthState::default()
                }),
                subscribers: Rc::default(),
                loads: Default::default(),
                sign_outs: Default::default(),
                #[cfg(any(feature = "sign-in", feature = "user-button"))]
                environment: RefCell::default(),
                #[cfg(any(feature = "sign-in", feature = "user-button"))]
                environment_load: Default::default(),
                order: Default::default(),
                tokens: self.tokens.map(Into::into).unwrap_or_default(),
                sync,
                sync_interval: self.sync_interval,
                navigator: RefCell::new(
                    self.navigator
                        .unwrap_or_else(crate::navigation::default_navigator),
                ),
                redirects: self.redirects,
                tabs,
            }),
        }
    }
}
