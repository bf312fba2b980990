//! Redirects after a sign-out: validation and the navigator.

use std::rc::Rc;

use super::Clerk;
use crate::navigation::{Navigator, RedirectTarget, RedirectUrl};
use crate::ClerkError;

impl Clerk {
    /// Checks a redirect URL against the page's origin and the allowed origins.
    pub fn validate_redirect(&self, url: &str) -> Result<RedirectTarget, ClerkError> {
        self.check_redirect(&RedirectUrl::new(url))
    }

    /// [`validate_redirect`](Self::validate_redirect), with the check `url`
    /// carries (so a sign-out without a redirect links no URL parsing).
    pub(crate) fn check_redirect(&self, url: &RedirectUrl) -> Result<RedirectTarget, ClerkError> {
        url.validate(&self.inner.redirects)
            .map_err(|reason| ClerkError::InvalidRedirect {
                url: url.as_str().to_owned(),
                reason,
            })
    }

    /// Hands a validated target to the navigator.
    pub fn navigate(&self, target: &RedirectTarget) {
        let navigator = self.inner.navigator.borrow().clone();
        navigator.navigate(target);
    }

    /// Replaces the navigator (for example with dioxus-router's, see
    /// [`use_router_navigation`](crate::navigation)).
    pub fn set_navigator(&self, navigator: Rc<dyn Navigator>) {
        *self.inner.navigator.borrow_mut() = navigator;
    }

    /// The navigator in use.
    #[cfg(feature = "router")]
    pub(crate) fn navigator(&self) -> Rc<dyn Navigator> {
        self.inner.navigator.borrow().clone()
    }

    /// Puts `previous` back if `current` is still the navigator in use (a
    /// navigator set later stays).
    #[cfg(feature = "router")]
    pub(crate) fn restore_navigator(
        &self,
        current: &Rc<dyn Navigator>,
        previous: Rc<dyn Navigator>,
    ) {
        let mut navigator = self.inner.navigator.borrow_mut();
        if Rc::ptr_eq(&navigator, current) {
            *navigator = previous;
        }
    }

    /// Keeps an error nobody handled in the state's `last_error`, and logs it.
    pub fn report_error(&self, error: ClerkError) {
        crate::log::warning!(%error, "unhandled Clerk error");
        self.update(|state| state.last_error = Some(error));
    }
}
