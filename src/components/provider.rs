use std::rc::Rc;

use dioxus::core::{spawn_forever, SuperFrom};
use dioxus::prelude::*;

use crate::backend::fapi::FapiBackend;
use crate::error::KeyError;
use crate::hooks::{ClerkContext, SignedInStatus};
use crate::{AuthSnapshot, Clerk, ClerkError, Subscription};

/// Makes a [`Clerk`] handle and its auth state available to every hook and
/// component below, loads the client when it mounts, and runs the handle's
/// background sync ([`Clerk::run_sync`]) for as long as the app runs.
///
/// Give it a publishable key, clerk-react's one-line entry point, or a handle
/// you built (another backend, a token store, a navigator). A malformed key is
/// no panic: the state's `load_error` holds the typed
/// [`KeyError`](crate::KeyError), and `ClerkFailed` shows it.
///
/// Children render at once, before the client has loaded (`use_auth().is_loaded`
/// is `false` until then; `ClerkLoading` and `ClerkLoaded` choose by it). The
/// handle is taken when the provider mounts; give the provider a `key` to swap
/// handles.
///
/// Rendered on the server (Dioxus fullstack with the `fullstack` feature, and
/// [`ClerkLayer::with_server_rendering`](crate::server::ClerkLayer::with_server_rendering)
/// on the server), the first HTML already shows the request's user:
/// `SignedIn`, `UserButton` and the hooks read the verified session, and the
/// browser hydrates from the same state, then loads the client and takes
/// over (sync, tokens).
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// fn App() -> Element {
///     rsx! {
///         ClerkProvider { publishable_key: "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk",
///             ClerkLoading { "Loading…" }
///             ClerkFailed { "Clerk could not be reached." }
///             SignedIn { SignOutButton {} }
///             SignedOut { p { "Signed out" } }
///         }
///     }
/// }
/// ```
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// fn App() -> Element {
///     let clerk = use_hook(|| Clerk::new(MemoryBackend::demo()));
///     rsx! {
///         ClerkProvider { clerk,
///             SignedIn { SignOutButton {} }
///         }
///     }
/// }
/// ```
#[component]
pub fn ClerkProvider(
    /// The handle every hook below reads. Takes precedence over `publishable_key`.
    clerk: Option<Clerk>,
    /// Your instance's publishable key (`pk_live_…`, `pk_test_…`): the handle
    /// talks to its Frontend API (cookies in browsers; natively the client
    /// token is kept in memory: pass a `clerk` built with a `TokenStore` to
    /// keep the user signed in across runs).
    publishable_key: Option<PublishableKeyProp>,
    /// The state a server rendered this page with, for apps that carry it
    /// themselves ([`Clerk::hydrate`]). With the `fullstack` feature the
    /// provider takes it from Dioxus fullstack's hydration data instead.
    snapshot: Option<AuthSnapshot>,
    /// The app.
    children: Element,
) -> Element {
    let rendered = crate::platform::use_server_rendered();
    let mounted = use_hook(move || {
        let on_server = rendered.on_server;
        Mounted::start(
            clerk,
            publishable_key,
            rendered.snapshot.or(snapshot),
            on_server,
        )
    });
    crate::platform::use_window_focus(&mounted.clerk);
    rsx! {
        {children}
    }
}

/// What the provider keeps while it is mounted: the handle, and its
/// subscription (dropped, so ended, when the provider unmounts).
struct Mounted {
    clerk: Clerk,
    _subscription: Subscription,
}

impl Mounted {
    /// Everything the provider does when it mounts, in one hook (one
    /// non-generic function in the binary): takes or makes the handle, keeps
    /// its state in signals, provides the context, loads the client and
    /// starts the background sync.
    ///
    /// A `snapshot` (the server rendered the page) is the first state, and
    /// the client is loaded all the same. Rendering on the server, the
    /// provider calls nothing: the browser loads after hydration.
    fn start(
        clerk: Option<Clerk>,
        publishable_key: Option<PublishableKeyProp>,
        snapshot: Option<AuthSnapshot>,
        on_server: bool,
    ) -> Rc<Self> {
        let clerk = clerk.unwrap_or_else(|| match publishable_key {
            Some(key) => (key.connect)(&key.key),
            None => Clerk::failed(ClerkError::InvalidPublishableKey(KeyError::Missing)),
        });
        let hydrated = snapshot.is_some_and(|snapshot| clerk.hydrate(snapshot));
        let first = clerk.state();
        let status = Signal::new(SignedInStatus::of(&first));
        let state = Signal::new(first);
        let subscription = clerk.subscribe(move |next| {
            // A no-op write would still re-render every reader.
            if state
                .try_peek()
                .is_ok_and(|current| !next.unchanged_from(&current))
            {
                let mut state = state;
                state.set(next.clone());
            }
            let next_status = SignedInStatus::of(next);
            if status
                .try_peek()
                .is_ok_and(|current| *current != next_status)
            {
                let mut status = status;
                status.set(next_status);
            }
        });
        provide_context(ClerkContext {
            clerk: clerk.clone(),
            state,
            status,
        });
        if on_server {
            return Rc::new(Self {
                clerk,
                _subscription: subscription,
            });
        }
        if hydrated || !clerk.is_loaded() {
            let clerk = clerk.clone();
            spawn(async move {
                // A failure is kept in the state's `last_error` and `load_error`.
                let _ = clerk.load().await;
                // Back from an OAuth provider that reported a failure (web).
                #[cfg(feature = "sign-in")]
                if let Some(code) = crate::platform::take_oauth_failure() {
                    clerk.report_error(ClerkError::OAuth { code });
                }
            });
        }
        // Not in the provider's scope: the sync follows the handle, not this
        // component (it ends when the handle is gone; one runs per handle).
        spawn_forever(clerk.run_sync());
        Rc::new(Self {
            clerk,
            _subscription: subscription,
        })
    }
}

/// `ClerkProvider`'s `publishable_key`: the key, and how to make a handle for
/// it. Made from a `&str` or a `String`. The Frontend API backend is reached
/// only through this conversion, so an app that passes its own `clerk` (an
/// in-memory backend, say) does not carry the HTTP client in its wasm.
#[derive(Clone)]
pub struct PublishableKeyProp {
    key: String,
    connect: fn(&str) -> Clerk,
}

/// Two props are equal when their keys are (there is one way to connect).
impl PartialEq for PublishableKeyProp {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl From<&str> for PublishableKeyProp {
    fn from(key: &str) -> Self {
        key.to_owned().into()
    }
}

impl From<String> for PublishableKeyProp {
    fn from(key: String) -> Self {
        Self {
            key,
            connect: handle_for_key,
        }
    }
}

/// Lets `publishable_key: "pk_…"` (or a `String`) fill the optional prop.
#[doc(hidden)]
pub struct KeyFromText;

impl SuperFrom<&str, KeyFromText> for Option<PublishableKeyProp> {
    fn super_from(key: &str) -> Self {
        Some(key.into())
    }
}

impl SuperFrom<String, KeyFromText> for Option<PublishableKeyProp> {
    fn super_from(key: String) -> Self {
        Some(key.into())
    }
}

/// The handle for a publishable key, or a failed one that says why not.
fn handle_for_key(key: &str) -> Clerk {
    match FapiBackend::from_publishable_key(key) {
        Ok(builder) => Clerk::new(builder.build()),
        Err(error) => {
            crate::log::error!(%error, "ClerkProvider: the publishable key is not valid");
            Clerk::failed(error)
        }
    }
}
