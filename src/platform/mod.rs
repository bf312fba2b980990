//! The seam between platforms for the app around the handle: what differs
//! between the browser (`wasm32`) and native renderers (desktop, mobile) lives
//! below this module: URLs (the `url` crate natively, the browser's `URL` on
//! the web), the clock and timers, the page URL and navigation, running tasks, telling
//! other tabs about a sign-out, and the app domain's cookies (none natively), and (Dioxus fullstack) the state a
//! page was rendered with on the server. (How a Frontend API request carries its
//! credential is the FAPI backend's own seam, `backend/fapi/transport`.)

#[cfg(feature = "fullstack")]
mod fullstack;
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
    is_online, leave_page, now_secs, page_has_focus, page_host, page_url, random_unit, read_cookie,
    sleep, tab_state, use_window_focus, watch_window, with_session, write_cookie, AuthCookies,
    Href, Sleep, TabSync, KEEPS_SESSION_COOKIE,
};

#[cfg(feature = "fullstack")]
pub(crate) use fullstack::use_server_rendered;

/// Without Dioxus fullstack no page is rendered on the server.
#[cfg(not(feature = "fullstack"))]
pub(crate) struct Rendered {
    pub(crate) snapshot: Option<crate::AuthSnapshot>,
    pub(crate) on_server: bool,
}

/// Without Dioxus fullstack: nothing was rendered on the server.
#[cfg(not(feature = "fullstack"))]
pub(crate) fn use_server_rendered() -> Rendered {
    Rendered {
        snapshot: None,
        on_server: false,
    }
}

/// Where an app-domain cookie may be read, and how long it lives (the
/// web's cookies; natively there are none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) enum CookieKind {
    /// `__session` and `__clerk_db_jwt`: this host only, `SameSite=Lax`.
    HostOnly,
    /// `__client_uat`: the registrable domain (found by probing, as
    /// clerk-js does), `SameSite=Strict`.
    SiteWide,
    /// `clerk_active_context`: this host, no `SameSite`, gone with the
    /// browser session.
    BrowserSession,
}
#[cfg(feature = "sign-in")]
pub(crate) use platform::{oauth_sign_in, take_oauth_failure};
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) use platform::{open_instance_page, SHOWS_INSTANCE_PAGES};
