use std::rc::Rc;

use dioxus::prelude::*;

use crate::hooks::ClerkContext;
use crate::Clerk;

/// Makes a [`Clerk`] handle and its auth state available to every hook and
/// component below, and loads the client when it mounts.
///
/// Children render at once, before the client has loaded (`use_auth().is_loaded`
/// is `false` until then). The handle is taken when the provider mounts; give
/// the provider a `key` to swap handles.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// fn App() -> Element {
///     let clerk = use_hook(|| Clerk::new(MemoryBackend::demo()));
///     rsx! {
///         ClerkProvider { clerk,
///             SignedIn { SignOutButton {} }
///             SignedOut { p { "Signed out" } }
///         }
///     }
/// }
/// ```
#[component]
pub fn ClerkProvider(
    /// The handle every hook below reads.
    clerk: Clerk,
    /// The app.
    children: Element,
) -> Element {
    let state = use_signal(|| clerk.state());
    use_hook(|| {
        let subscription = clerk.subscribe(move |next| {
            // A no-op write would still re-render every reader.
            if state.try_peek().is_ok_and(|current| *current != *next) {
                let mut state = state;
                state.set(next.clone());
            }
        });
        Rc::new(subscription)
    });
    use_context_provider(|| ClerkContext {
        clerk: clerk.clone(),
        handle: CopyValue::new(clerk.clone()),
        state,
    });
    use_hook(|| {
        if !clerk.is_loaded() {
            let clerk = clerk.clone();
            spawn(async move {
                // A failure is kept in the state's `last_error` by `load`.
                let _ = clerk.load().await;
            });
        }
    });
    rsx! {
        {children}
    }
}
