use std::cell::Cell;
use std::rc::{Rc, Weak};

use dioxus::core::{current_scope_id, use_drop, Runtime, ScopeId};
use dioxus::prelude::*;

use super::{Navigator, RedirectTarget};
use crate::hooks::use_clerk;

/// Sends the handle's redirects through dioxus-router while the calling
/// component is mounted: a target the app's routes match becomes
/// `navigator().push(path)`, so no page reload happens; any other target is
/// left to the router as an external link. Call it in a component inside your
/// `Router`: in one, or in several (each route's page, say).
///
/// The push runs in the calling component's scope, where the router lives,
/// even though a sign-out finishes in a task of its own. Once the component
/// unmounts, its navigator hands redirects on to the one it replaced (the
/// platform default, the one given to
/// [`ClerkBuilder::navigator`](crate::ClerkBuilder::navigator), or another
/// page's), and that one is put back unless a newer one was set since.
pub fn use_router_navigation() {
    let clerk = use_clerk();
    let (ours, previous, mounted) = use_hook(|| {
        let mounted = Rc::new(Cell::new(true));
        let previous = clerk.navigator();
        let ours: Rc<dyn Navigator> = Rc::new(RouterNavigator {
            router: navigator(),
            scope: current_scope_id(),
            runtime: Rc::downgrade(&Runtime::current()),
            mounted: mounted.clone(),
            fallback: previous.clone(),
        });
        clerk.set_navigator(ours.clone());
        (ours, previous, mounted)
    });
    use_drop(move || {
        mounted.set(false);
        clerk.restore_navigator(&ours, previous);
    });
}

/// dioxus-router's navigator, bound to the scope of the component that set it.
struct RouterNavigator {
    router: dioxus::router::Navigator,
    scope: ScopeId,
    runtime: Weak<Runtime>,
    /// Whether that component is still mounted (its scope still exists).
    mounted: Rc<Cell<bool>>,
    /// The navigator this one replaced: redirects go there once unmounted.
    fallback: Rc<dyn Navigator>,
}

impl Navigator for RouterNavigator {
    fn navigate(&self, target: &RedirectTarget) {
        let runtime = self.runtime.upgrade().filter(|_| self.mounted.get());
        let Some(runtime) = runtime else {
            self.fallback.navigate(target);
            return;
        };
        // In the router's scope, so that it can tell its own routes from external links.
        let failure = runtime.in_scope(self.scope, || self.router.push(target.as_str().to_owned()));
        if let Some(failure) = failure {
            crate::log::warning!(
                target = target.as_str(),
                ?failure,
                "the router could not follow the sign-out redirect"
            );
        }
    }
}
