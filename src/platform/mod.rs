//! The seam between platforms for the app around the handle: what differs
//! between the browser (`wasm32`) and native renderers (desktop, mobile) lives
//! below this module: URLs (the `url` crate natively, the browser's `URL` on
//! the web), the clock and timers, the page URL and navigation, running tasks, and telling
//! other tabs about a sign-out. (How a Frontend API request carries its
//! credential is the FAPI backend's own seam, `backend/fapi/transport`.)

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
use native as platform;
#[cfg(target_arch = "wasm32")]
use web as platform;

#[cfg(feature = "user-button")]
pub(crate) use platform::FOCUS_SETTLE;
pub(crate) use platform::{
    leave_page, now_secs, page_url, set_session_cookie, sleep, use_window_focus, watch_window,
    with_session, Href, Sleep, TabSync, KEEPS_SESSION_COOKIE,
};
#[cfg(feature = "sign-in")]
pub(crate) use platform::{oauth_sign_in, take_oauth_failure};
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) use platform::{open_instance_page, SHOWS_INSTANCE_PAGES};
