use dioxus::prelude::*;

use crate::{AuthState, Clerk};

/// What `ClerkProvider` puts in context.
#[derive(Clone)]
pub(crate) struct ClerkContext {
    pub(crate) clerk: Clerk,
    pub(crate) state: Signal<AuthState>,
    /// Whether the client is loaded and a session is active, set only when
    /// one of the two changes: all that `SignedIn`, `SignedOut` and
    /// `ClerkLoaded` read.
    pub(crate) status: Signal<SignedInStatus>,
}

/// See [`ClerkContext::status`].
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct SignedInStatus {
    pub(crate) is_loaded: bool,
    pub(crate) is_signed_in: bool,
}

impl SignedInStatus {
    pub(crate) fn of(state: &AuthState) -> Self {
        Self {
            is_loaded: state.is_loaded,
            is_signed_in: state.is_signed_in(),
        }
    }
}

impl ClerkContext {
    /// The provider's context, or a panic that says how to fix the app.
    pub(crate) fn consume(hook: &str) -> Self {
        try_consume_context::<Self>().unwrap_or_else(|| {
            panic!(
                "{hook} was called outside a ClerkProvider. Wrap the components that use \
                 Clerk in one, at the root of your app: \
                 `rsx! {{ ClerkProvider {{ clerk: Clerk::new(backend), App {{}} }} }}`"
            )
        })
    }
}

/// The provider's handle as a `Copy` value owned by the calling component,
/// for hooks whose click handlers take it along. Gone, and read as an error,
/// once the component unmounts.
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) fn use_copy_handle(hook: &str) -> CopyValue<Clerk> {
    use_hook(|| CopyValue::new(ClerkContext::consume(hook).clerk))
}

/// The [`Clerk`] handle of the nearest `ClerkProvider`.
pub fn use_clerk() -> Clerk {
    use_hook(|| ClerkContext::consume("use_clerk()").clerk)
}

/// The provider's whole auth state, as a read-only signal.
pub fn use_auth_state() -> ReadSignal<AuthState> {
    use_hook(|| ClerkContext::consume("use_auth_state()").state.into())
}
