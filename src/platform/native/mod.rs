//! Desktop and mobile: no page URL, no browser location.

/// Native apps have no page to leave: says so, and what to do instead.
pub(crate) fn leave_page(_url: &str) -> Result<(), &'static str> {
    Err(
        "sign-out redirect ignored: native apps have no page to leave; \
         set a navigator with ClerkBuilder::navigator or use the `router` feature",
    )
}

/// Native apps have no browser to show the instance's pages in: their
/// components call the app's callbacks instead.
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) const SHOWS_INSTANCE_PAGES: bool = false;

/// Nothing to open natively (see [`SHOWS_INSTANCE_PAGES`]).
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) fn open_instance_page(_url: &str) {
    crate::log::warning!("instance pages are not shown natively; give the component a callback");
}

/// How long a menu waits after focus leaves it before it counts as gone:
/// the webview reports `focusout` and the `focusin` of a move inside the
/// menu as two messages, so a little longer than the browser's next task.
#[cfg(feature = "user-button")]
pub(crate) const FOCUS_SETTLE: std::time::Duration = std::time::Duration::from_millis(30);

/// A button's OAuth sign-in: the system browser and a loopback callback.
/// Returns the new session's id.
#[cfg(feature = "sign-in")]
pub(crate) async fn oauth_sign_in(
    clerk: &crate::Clerk,
    provider: &str,
    _redirect_url: Option<String>,
    options: crate::OAuthOptions,
) -> Result<Option<String>, crate::ClerkError> {
    let step = clerk
        .sign_in_with_oauth(provider, &crate::DefaultBrowser, options)
        .await?;
    Ok(match step {
        crate::SignInStep::Complete { session_id } => Some(session_id),
        _ => None,
    })
}

/// Native apps come back from OAuth through the callback, not a page load.
#[cfg(feature = "sign-in")]
pub(crate) fn take_oauth_failure() -> Option<String> {
    None
}

/// The page's URL: none natively, so redirects pass only as paths or to
/// allowed origins, and no sign-in page is sent back anywhere.
pub(crate) fn page_url() -> Option<String> {
    None
}

/// Native apps have no cookie jar shared with a server: tokens go in
/// `Authorization` headers (see `Clerk::get_token`).
pub(crate) const KEEPS_SESSION_COOKIE: bool = false;

/// A request to the app's own API carries the session token in `Authorization`.
pub(crate) fn with_session(
    client: reqwest::Client,
    request: reqwest::Request,
    token: &str,
) -> reqwest::RequestBuilder {
    reqwest::RequestBuilder::from_parts(client, request).bearer_auth(token)
}

/// Native apps have no page, so no host.
pub(crate) fn page_host() -> Option<String> {
    None
}

/// Native apps have no tab to describe (Clerk's native SDKs send none).
pub(crate) fn tab_state() -> Option<&'static str> {
    None
}

/// A random number in `[0, 1)`, for jitter (not for secrets): the OS's
/// random source, or the middle when it fails.
pub(crate) fn random_unit() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / 4_294_967_296.0,
        Err(_) => 0.5,
    }
}

/// Natively the OS's connectivity is not watched: a request that cannot
/// connect says so itself (`ClerkError::Offline`), and the sync backs off.
pub(crate) fn is_online() -> bool {
    true
}

/// No page to focus natively (and no cookies to guard).
pub(crate) fn page_has_focus() -> bool {
    false
}

/// Nothing to stop: native windows are not watched here.
pub(crate) struct WindowWatch;

/// Native windows tell the handle about focus through the renderer
/// (`ClerkProvider` does it on desktop) or `Clerk::resync`.
pub(crate) fn watch_window(_on_event: impl Fn(crate::SyncReason) + 'static) -> WindowWatch {
    WindowWatch
}

/// Forwards the desktop window's focus to the handle's background sync
/// (`ClerkProvider` calls it). Other renderers call `Clerk::resync` from
/// their own lifecycle events.
pub(crate) fn use_window_focus(clerk: &crate::Clerk) {
    #[cfg(feature = "desktop")]
    {
        use dioxus::core::{try_consume_context, use_hook_with_cleanup};
        use dioxus::desktop::tao::event::{Event, WindowEvent};
        let clerk = clerk.clone();
        use_hook_with_cleanup(
            move || {
                // No desktop window (a headless test of a desktop build): nothing to watch.
                let desktop = try_consume_context::<dioxus::desktop::DesktopContext>()?;
                Some(desktop.create_wry_event_handler(move |event, _| {
                    if let Event::WindowEvent {
                        event: WindowEvent::Focused(true),
                        ..
                    } = event
                    {
                        clerk.resync(crate::SyncReason::Focus);
                    }
                }))
            },
            |handler| {
                if let Some(handler) = handler {
                    handler.remove();
                }
            },
        );
    }
    #[cfg(not(feature = "desktop"))]
    let _ = clerk;
}

mod cookies;
mod href;
mod tabs;
mod time;

pub(crate) use cookies::{read_cookie, write_cookie, AuthCookies};

pub(crate) use href::Href;
pub(crate) use tabs::TabSync;
pub(crate) use time::{now_secs, sleep, Sleep};
