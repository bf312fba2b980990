use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use dioxus::core::{spawn_forever, SuperFrom};
use dioxus::prelude::*;
use futures_util::future::{FutureExt, LocalBoxFuture};

use super::ClerkContext;
use crate::{Clerk, ClerkError, SignOutOptions, SignOutOutcome};

/// A sign-out trigger for your own buttons and menus, made by [`use_sign_out`].
///
/// The work runs as long as the app does, so it finishes even when the calling
/// component unmounts (as `SignedIn { .. }` content does on success), or the
/// provider does.
#[derive(Clone, Copy)]
pub struct UseSignOut {
    clerk: CopyValue<Clerk>,
    pending: Signal<bool>,
}

/// A sign-out trigger for design-system buttons: `SignOutButton` without the markup.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn MenuItem() -> Element {
///     let sign_out = use_sign_out();
///     rsx! {
///         li {
///             role: "menuitem",
///             aria_disabled: sign_out.is_pending(),
///             onclick: move |_| sign_out.call(SignOutOptions::new()),
///             "Sign out"
///         }
///     }
/// }
/// ```
pub fn use_sign_out() -> UseSignOut {
    let clerk = use_hook(|| ClerkContext::consume("use_sign_out()").handle);
    let pending = use_signal(|| false);
    UseSignOut { clerk, pending }
}

impl UseSignOut {
    /// Whether this trigger's sign-out is in flight (reading it subscribes the component).
    pub fn is_pending(&self) -> bool {
        (self.pending)()
    }

    /// Starts a sign-out; errors are logged and kept in the state's `last_error`.
    /// Ignored while this trigger's previous sign-out is in flight.
    pub fn call(&self, options: SignOutOptions) {
        self.call_with(options, SignOutCallback::default(), None);
    }

    /// Starts a sign-out; after success awaits `on_success`, then follows the
    /// redirect; on failure hands the error to `on_error` (or, without one, logs
    /// it and keeps it in the state). Ignored while a previous one is in flight.
    pub fn call_with(
        &self,
        options: SignOutOptions,
        on_success: SignOutCallback,
        on_error: Option<EventHandler<ClerkError>>,
    ) {
        let mut pending = self.pending;
        // A trigger kept past its component or its provider: nothing to do it with.
        let busy = pending.try_peek().map(|busy| *busy);
        let clerk = self.clerk.try_read().map(|clerk| clerk.clone());
        let (Ok(busy), Ok(clerk)) = (busy, clerk) else {
            tracing::warn!(
                "use_sign_out() trigger used after its component or ClerkProvider unmounted; ignored"
            );
            return;
        };
        if busy {
            tracing::debug!("sign-out already in flight; click ignored");
            return;
        }
        pending.set(true);
        // Not in the provider's scope: a task goes when its scope unmounts, and
        // the server's answer must still land in the handle.
        spawn_forever(async move {
            let result = sign_out_then(&clerk, options, &on_success).await;
            // The trigger's component may be gone (signed-in content unmounts on success).
            let still_mounted = pending.try_write().map(|mut p| *p = false).is_ok();
            if let Err(error) = result {
                match on_error {
                    Some(handler) if still_mounted => handler.call(error),
                    _ => clerk.report_error(error),
                }
            }
        });
    }
}

/// Sign out, await the callback, then navigate: the callback runs before the
/// page is left. With nobody signed in, neither runs.
async fn sign_out_then(
    clerk: &Clerk,
    mut options: SignOutOptions,
    on_success: &SignOutCallback,
) -> Result<SignOutOutcome, ClerkError> {
    let redirect = options
        .redirect_url
        .take()
        .map(|url| clerk.validate_redirect(&url))
        .transpose()?;
    let outcome = clerk.sign_out(options).await?;
    // Nobody was signed in: nothing happened, so nothing follows (as clerk-js returns early).
    if outcome == SignOutOutcome::NothingToSignOut {
        return Ok(outcome);
    }
    on_success.call().await;
    if let Some(target) = redirect {
        clerk.navigate(&target);
    }
    Ok(outcome)
}

type AsyncFn = dyn FnMut() -> LocalBoxFuture<'static, ()>;

/// What runs after a successful sign-out, awaited before any redirect: a
/// closure `|| async { .. }` or a plain `|| { .. }`. Empty by default.
///
/// ```
/// use clerk_dioxus::SignOutCallback;
/// let log = SignOutCallback::new(|| async { println!("signed out") });
/// assert!(log.is_set());
/// assert!(!SignOutCallback::default().is_set());
/// ```
#[derive(Clone, Default)]
pub struct SignOutCallback(Option<Rc<RefCell<AsyncFn>>>);

impl SignOutCallback {
    /// Wraps an async closure.
    pub fn new<F, Fut>(mut callback: F) -> Self
    where
        F: FnMut() -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        Self(Some(Rc::new(RefCell::new(move || {
            callback().boxed_local()
        }))))
    }

    /// Whether a closure is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// Runs the closure to completion; does nothing when none is set.
    pub async fn call(&self) {
        let Some(callback) = &self.0 else { return };
        let future = (callback.borrow_mut())();
        future.await;
    }
}

impl PartialEq for SignOutCallback {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for SignOutCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_set() {
            "SignOutCallback(set)"
        } else {
            "SignOutCallback(none)"
        })
    }
}

#[doc(hidden)]
pub struct AsyncClosureMarker;
#[doc(hidden)]
pub struct SyncClosureMarker;

impl<F, Fut> SuperFrom<F, AsyncClosureMarker> for SignOutCallback
where
    F: FnMut() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    fn super_from(callback: F) -> Self {
        Self::new(callback)
    }
}

impl<F> SuperFrom<F, SyncClosureMarker> for SignOutCallback
where
    F: FnMut() + 'static,
{
    fn super_from(mut callback: F) -> Self {
        Self::new(move || {
            callback();
            std::future::ready(())
        })
    }
}
