//! Where the app goes after a sign-out: redirect validation and navigators.
//!
//! A redirect URL is checked before any request is sent. Allowed: relative
//! paths (`/`, `/goodbye?x=1`) and absolute `http(s)` URLs on the app's own
//! origin or an origin the app allowed. Refused: `javascript:`, `data:` and
//! every other scheme, protocol-relative `//host` tricks, and other origins.

mod policy;
mod redirect_url;
#[cfg(feature = "router")]
mod router;

pub use policy::{validate_redirect, RedirectPolicy, RedirectTarget};
pub use redirect_url::RedirectUrl;
#[cfg(feature = "router")]
pub use router::use_router_navigation;

use std::rc::Rc;

/// Performs a validated redirect. Replace the platform default with
/// [`ClerkBuilder::navigator`](crate::ClerkBuilder::navigator) or
/// [`Clerk::set_navigator`](crate::Clerk::set_navigator).
///
/// Any `Fn(&RedirectTarget)` closure is a navigator:
/// ```
/// use clerk_dioxus::{Clerk, MemoryBackend};
/// let clerk = Clerk::builder(MemoryBackend::new())
///     .navigator(|target: &clerk_dioxus::navigation::RedirectTarget| {
///         println!("would go to {}", target.as_str())
///     })
///     .build();
/// # drop(clerk);
/// ```
pub trait Navigator: 'static {
    /// Go to `target`, which has already passed validation.
    fn navigate(&self, target: &RedirectTarget);
}

impl<F: Fn(&RedirectTarget) + 'static> Navigator for F {
    fn navigate(&self, target: &RedirectTarget) {
        self(target)
    }
}

/// The platform's default navigator: the browser's location on the web; on
/// desktop and mobile, a tracing warning (there is no page to leave).
pub fn default_navigator() -> Rc<dyn Navigator> {
    Rc::new(PageNavigator)
}

/// See [`default_navigator`].
struct PageNavigator;

impl Navigator for PageNavigator {
    fn navigate(&self, target: &RedirectTarget) {
        if let Err(reason) = crate::platform::leave_page(target.as_str()) {
            crate::log::warning!(target = target.as_str(), "{reason}");
        }
    }
}
