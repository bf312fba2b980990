use dioxus::prelude::*;

use super::{ClerkContext, SignedInStatus};
use crate::model::{Session, User};
use crate::state::{Auth, SessionListItem};

fn use_derived<T: PartialEq + 'static>(
    hook: &'static str,
    derive: impl Fn(&crate::AuthState) -> T + 'static,
) -> Memo<T> {
    let state = use_hook(|| ClerkContext::consume(hook).state);
    use_memo(move || derive(&state.read()))
}

/// Clerk's `useAuth()`: loaded, signed in, session id, user id, and
/// [`Auth::get_token`] for the app's own API.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn Greeting() -> Element {
///     let auth = use_auth();
///     rsx! { if auth().is_signed_in { "Welcome back" } else { "Hello, stranger" } }
/// }
/// ```
pub fn use_auth() -> Memo<Auth> {
    let clerk = use_hook(|| ClerkContext::consume("use_auth()").clerk);
    use_derived("use_auth()", move |state| Auth {
        clerk: Some(clerk.clone()),
        ..state.auth()
    })
}

/// The active session, if one is signed in.
pub fn use_session() -> Memo<Option<Session>> {
    use_derived("use_session()", |state| state.active_session().cloned())
}

/// The active session's user.
pub fn use_user() -> Memo<Option<User>> {
    use_derived("use_user()", |state| state.user().cloned())
}

/// The signed-in sessions: the active one first (and marked), then the others
/// by last activity, most recent first.
pub fn use_session_list() -> Memo<Vec<SessionListItem>> {
    use_derived("use_session_list()", |state| state.session_list())
}

/// Whether the client is loaded and whether a session is active: all that
/// `SignedIn`, `SignedOut` and `ClerkLoaded` need, as two booleans (no
/// strings copied or compared when the state changes). The provider keeps
/// it as a signal of its own, so these components need no memo.
pub(crate) fn use_signed_in_status() -> Signal<SignedInStatus> {
    use_hook(|| ClerkContext::consume("SignedIn, SignedOut and ClerkLoaded").status)
}
