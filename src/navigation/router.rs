use std::rc::Rc;

use dioxus::prelude::*;

use super::RedirectTarget;
use crate::hooks::use_clerk;

/// Sends the handle's redirects through dioxus-router while the calling
/// component is mounted: same-origin paths become `navigator().push(path)`, so
/// no page reload happens. Call it in a component inside your `Router`.
///
/// When the component unmounts, the platform default navigator is restored.
pub fn use_router_navigation() {
    let clerk = use_clerk();
    use_hook(|| {
        let router = navigator();
        clerk.set_navigator(Rc::new(move |target: &RedirectTarget| {
            router.push(target.as_str().to_owned());
        }));
    });
    use_drop(move || clerk.set_navigator(super::default_navigator()));
}
