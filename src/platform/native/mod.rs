//! Desktop and mobile: no page URL, no browser location.

use std::rc::Rc;

use url::Url;

use crate::navigation::{Navigator, RedirectTarget};

/// Native apps have no web origin; only paths and allowed origins pass validation.
pub(crate) fn app_url() -> Option<Url> {
    None
}

struct WarnNavigator;

impl Navigator for WarnNavigator {
    fn navigate(&self, target: &RedirectTarget) {
        tracing::warn!(
            target = target.as_str(),
            "sign-out redirect ignored: native apps have no page to leave; \
             set a navigator with ClerkBuilder::navigator or use the `router` feature"
        );
    }
}

pub(crate) fn default_navigator() -> Rc<dyn Navigator> {
    Rc::new(WarnNavigator)
}

mod tabs;

pub(crate) use tabs::{spawn_local, TabSync};
