use std::rc::Rc;

use dioxus::core::{current_scope_id, Runtime};
use dioxus::prelude::*;

use super::RedirectTarget;
use crate::hooks::use_clerk;

/// Sends the handle's redirects through dioxus-router while the calling
/// component is mounted: a target the app's routes match becomes
/// `navigator().push(path)`, so no page reload happens; any other target is
/// left to the router as an external link. Call it in a component inside your
/// `Router`.
///
/// The push runs in the calling component's scope, where the router lives,
/// even though a sign-out finishes in a task of its own. When the component
/// unmounts, the navigator it replaced (the platform default, or the one given
/// to [`ClerkBuilder::navigator`](crate::ClerkBuilder::navigator)) comes back.
pub fn use_router_navigation() {
    let clerk = use_clerk();
    let previous = use_hook(|| {
        let router = navigator();
        let scope = current_scope_id();
        let runtime = Rc::downgrade(&Runtime::current());
        let push = move |target: &RedirectTarget| {
            let Some(runtime) = runtime.upgrade() else {
                tracing::warn!(
                    target = target.as_str(),
                    "redirect ignored: the app has closed"
                );
                return;
            };
            // In the router's scope, so that it can tell its own routes from external links.
            let failure = runtime.in_scope(scope, || router.push(target.as_str().to_owned()));
            if let Some(failure) = failure {
                tracing::warn!(
                    target = target.as_str(),
                    ?failure,
                    "the router could not follow the sign-out redirect"
                );
            }
        };
        clerk.set_navigator(Rc::new(push))
    });
    use_drop(move || {
        clerk.set_navigator(previous);
    });
}
