use dioxus::core::Task;
use dioxus::prelude::*;

use crate::{Clerk, ClerkError, OAuthOptions};

/// An OAuth sign-in started from a button, made by [`use_oauth_sign_in`].
#[derive(Clone, Copy, PartialEq)]
pub struct UseOAuthSignIn {
    clerk: CopyValue<Clerk>,
    options: CopyValue<OAuthOptions>,
    task: Signal<Option<Task>>,
    error: Signal<Option<ClerkError>>,
}

/// Signs in with an OAuth provider: on desktop and mobile in the system
/// browser, coming back to a loopback listener (`Clerk::sign_in_with_oauth`);
/// on the web by sending this page to the provider, which comes back to
/// `redirect_url` signed in (`Clerk::redirect_to_oauth`).
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn GitHub() -> Element {
///     let oauth = use_oauth_sign_in(OAuthOptions::default());
///     rsx! {
///         if oauth.is_pending() {
///             button { onclick: move |_| oauth.cancel(), "Cancel" }
///         } else {
///             button { onclick: move |_| oauth.start("github".into(), None, None, None), "Sign in with GitHub" }
///         }
///     }
/// }
/// ```
pub fn use_oauth_sign_in(options: OAuthOptions) -> UseOAuthSignIn {
    let clerk = super::use_copy_handle("use_oauth_sign_in()");
    let mut kept = use_hook(|| CopyValue::new(options.clone()));
    if *kept.peek() != options {
        kept.set(options);
    }
    UseOAuthSignIn {
        clerk,
        options: kept,
        task: use_signal(|| None),
        error: use_signal(|| None),
    }
}

impl UseOAuthSignIn {
    /// Whether the browser is open and the sign-in waits for it.
    pub fn is_pending(&self) -> bool {
        self.task.read().is_some()
    }

    /// Why the last attempt failed, if it did (a timeout, a refused consent).
    pub fn error(&self) -> Option<ClerkError> {
        self.error.read().clone()
    }

    /// Starts signing in with `provider` (`"github"`, `"google"`, ...). On the
    /// web, `redirect_url` is where the provider sends the page back to
    /// (this page by default). `on_complete` gets the new session's id;
    /// `on_error` the typed error (without it, it is logged and kept in the
    /// state). Ignored while one is pending.
    pub fn start(
        &self,
        provider: String,
        redirect_url: Option<String>,
        on_complete: Option<EventHandler<String>>,
        on_error: Option<EventHandler<ClerkError>>,
    ) {
        if self.task.peek().is_some() {
            return;
        }
        let Ok(clerk) = self.clerk.try_read().map(|c| c.clone()) else {
            return;
        };
        let (mut task, mut error) = (self.task, self.error);
        error.set(None);
        let options = self.options.peek().clone();
        let running = spawn(async move {
            let result =
                crate::platform::oauth_sign_in(&clerk, &provider, redirect_url, options).await;
            let _ = task.try_write().map(|mut t| *t = None);
            match result {
                Ok(Some(session_id)) => {
                    if let Some(handler) = on_complete {
                        handler.call(session_id);
                    }
                }
                Ok(None) => {}
                Err(failure) => {
                    let _ = error.try_write().map(|mut e| *e = Some(failure.clone()));
                    match on_error {
                        Some(handler) => handler.call(failure),
                        None => clerk.report_error(failure),
                    }
                }
            }
        });
        task.set(Some(running));
    }

    /// Stops waiting: the loopback listener stops and its port is released.
    pub fn cancel(&self) {
        let mut task = self.task;
        if let Some(running) = task.take() {
            running.cancel();
        }
    }
}
