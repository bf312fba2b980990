//! The seam between platforms for the app around the handle: what differs
//! between the browser (`wasm32`) and native renderers (desktop, mobile) lives
//! below this module: URLs (the `url` crate natively, the browser's `URL` on
//! the web), the page URL and navigation, running tasks, and telling
//! other tabs about a sign-out. (How a Frontend API request carries its
//! credential is the FAPI backend's own seam, `backend/fapi/transport`.)

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{
    default_navigator, oauth_sign_in, open_instance_page, page_url, set_session_cookie,
    take_oauth_failure, use_window_focus, watch_window, with_session, Href, TabSync, FOCUS_SETTLE,
    KEEPS_SESSION_COOKIE, SHOWS_INSTANCE_PAGES,
};
#[cfg(target_arch = "wasm32")]
pub(crate) use web::{
    default_navigator, oauth_sign_in, open_instance_page, page_url, set_session_cookie,
    take_oauth_failure, use_window_focus, watch_window, with_session, Href, TabSync, FOCUS_SETTLE,
    KEEPS_SESSION_COOKIE, SHOWS_INSTANCE_PAGES,
};
