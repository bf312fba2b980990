//! The browser: the page's URL and `window.location`.

/// Leaves this page for `url` (`window.location.assign`), or says why not.
pub(crate) fn leave_page(url: &str) -> Result<(), &'static str> {
    match web_sys::window().map(|w| w.location().assign(url)) {
        Some(Ok(())) => Ok(()),
        _ => Err("could not set window.location"),
    }
}

/// The browser can show the instance's own pages (its user profile, say).
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) const SHOWS_INSTANCE_PAGES: bool = true;

/// Opens one of the instance's pages (a URL from its environment or the app,
/// not from user input) in place of the app.
#[cfg(any(feature = "sign-in", feature = "user-button"))]
pub(crate) fn open_instance_page(url: &str) {
    if leave_page(url).is_err() {
        crate::log::warning!("could not open the instance page");
    }
}

/// A button's OAuth sign-in on the web: this page goes to the provider and
/// comes back to `redirect_url` (this page by default), signed in.
#[cfg(feature = "sign-in")]
pub(crate) async fn oauth_sign_in(
    clerk: &crate::Clerk,
    provider: &str,
    redirect_url: Option<String>,
    _options: crate::OAuthOptions,
) -> Result<Option<String>, crate::ClerkError> {
    let back = redirect_url.or_else(page_url).unwrap_or_default();
    clerk.redirect_to_oauth(provider, &back).await?;
    Ok(None)
}

/// This page's URL: where a sign-in comes back to, and the reference for
/// same-origin redirects.
pub(crate) fn page_url() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// A failed OAuth return (`__clerk_status=failed&__clerk_error_code=…` on
/// this page's URL): its code, once (the parameters are taken off the URL).
#[cfg(feature = "sign-in")]
pub(crate) fn take_oauth_failure() -> Option<String> {
    let window = web_sys::window()?;
    let url = web_sys::Url::new(&window.location().href().ok()?).ok()?;
    let params = url.search_params();
    if params.get("__clerk_status").as_deref() != Some("failed") {
        return None;
    }
    let code = params
        .get("__clerk_error_code")
        .unwrap_or_else(|| "unknown".into());
    let clerk_keys: Vec<String> = js_sys::try_iter(&params.keys())
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .filter_map(|key| key.ok()?.as_string())
        .filter(|key| key.starts_with("__clerk_"))
        .collect();
    for key in clerk_keys {
        params.delete(&key);
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
    Some(code)
}

/// How long a menu waits after focus leaves it before it counts as gone:
/// the next task, by which the browser has dispatched the `focusin` of a
/// move inside the menu.
#[cfg(feature = "user-button")]
pub(crate) const FOCUS_SETTLE: std::time::Duration = std::time::Duration::ZERO;

/// A request to the page's own origin carries the browser's cookies, and with
/// them the `__session` token (kept by `get_token`), not repeated in a header;
/// one to another origin, which that host-only cookie never reaches, carries
/// the token as `Authorization: Bearer` and no cookies.
pub(crate) fn with_session(
    client: reqwest::Client,
    request: reqwest::Request,
    token: &str,
) -> reqwest::RequestBuilder {
    let same_origin = is_page_origin(request.url());
    let request = reqwest::RequestBuilder::from_parts(client, request);
    match same_origin {
        true => request.fetch_credentials_include(),
        false => request.bearer_auth(token),
    }
}

/// Whether `url` is on the page's own origin (where the host-only
/// `__session` cookie goes).
fn is_page_origin(url: &reqwest::Url) -> bool {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .is_some_and(|page| page == url.origin().ascii_serialization())
}

/// The web's focus events reach the sync through `watch_window`.
pub(crate) fn use_window_focus(_clerk: &crate::Clerk) {}

/// The page's host (`app.example.com:8080`).
pub(crate) fn page_host() -> Option<String> {
    web_sys::window()?.location().host().ok()
}

/// How the user sees the page, as clerk-js tells the Frontend API with each
/// session token request (`tab_state`): `focused`, `visible` or `hidden`.
pub(crate) fn tab_state() -> Option<&'static str> {
    let document = web_sys::window()?.document()?;
    Some(
        match (document.has_focus().unwrap_or(false), document.hidden()) {
            (true, _) => "focused",
            (false, false) => "visible",
            (false, true) => "hidden",
        },
    )
}

/// A random number in `[0, 1)`, for jitter (not for secrets).
pub(crate) fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Whether the page has the user's focus.
pub(crate) fn page_has_focus() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.has_focus().ok())
        .unwrap_or(false)
}

mod cookies;
mod href;
mod tabs;
mod time;
mod window;

pub(crate) use cookies::{read as read_cookie, write as write_cookie, AuthCookies};

pub(crate) use href::Href;
pub(crate) use tabs::TabSync;
pub(crate) use time::{now_secs, sleep, Sleep};
pub(crate) use window::{watch_window, KEEPS_SESSION_COOKIE};

/// Whether the browser says it has a network (`navigator.onLine`): while it
/// does not, the background sync sends nothing and waits for `online`.
pub(crate) fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
