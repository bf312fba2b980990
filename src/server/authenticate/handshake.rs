//! The handshake a page load is sent through when its session cookie cannot
//! be trusted as it is (expired, older than the client, missing): which
//! requests may be redirected, where to (`/v1/client/handshake` with the
//! parameters `buildRedirectToHandshake` adds, in its order), and the
//! counter that breaks a redirect loop at 3.

use http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method};

use super::context::Context;
use super::AuthReason;

/// The Frontend API version Clerk's backend names in the handshake.
const API_VERSION: &str = "2026-05-12";

/// Redirects in a row after which the request is signed out instead.
const LOOP_LIMIT: i64 = 3;

/// Whether the request is probably a page load (`isRequestEligibleForHandshake`):
/// a `GET` for a document or an iframe, or with no `Sec-Fetch-Dest` an
/// `Accept` that starts with `text/html`.
pub(super) fn eligible(context: &Context<'_>) -> bool {
    if *context.method != Method::GET {
        return false;
    }
    match context.sec_fetch_dest {
        Some(dest) => dest == "document" || dest == "iframe",
        None => context.accept.is_some_and(|a| a.starts_with("text/html")),
    }
}

/// The handshake's headers, or `None` when the redirect count says this is
/// a loop: `Location` (the Frontend API's handshake, or `to`),
/// `Cache-Control: no-store`, and the counter's cookie.
pub(super) fn redirect(
    context: &Context<'_>,
    reason: &AuthReason,
    to: Option<url::Url>,
) -> Option<HeaderMap> {
    if context.redirect_count == LOOP_LIMIT {
        tracing::warn!(
            %reason,
            "Clerk: refreshing the session token ended in a redirect loop; signed out. \
             The instance's keys may not match."
        );
        return None;
    }
    let mut headers = HeaderMap::new();
    let location = to.unwrap_or_else(|| location(context, reason));
    headers.insert(LOCATION, sensitive(location.as_str())?);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let counter = format!(
        "__clerk_redirect_count={}; SameSite=Lax; HttpOnly; Max-Age=2",
        context.redirect_count.saturating_add(1)
    );
    headers.append(SET_COOKIE, HeaderValue::from_str(&counter).ok()?);
    Some(headers)
}

/// `/v1/client/handshake` on the Frontend API, with `redirect_url` (this
/// URL without the dev-browser parameters), the API version, which cookie
/// names are in use, the reason, `format=nonce`, the session token and (in
/// development) the dev browser.
fn location(context: &Context<'_>, reason: &AuthReason) -> url::Url {
    let mut back = context.url().clone();
    without_params(&mut back, &["__clerk_db_jwt", "__dev_session"]);
    let base = context.frontend_api_url();
    let mut url = url::Url::parse(&format!(
        "{}/v1/client/handshake",
        base.trim_end_matches('/')
    ))
    .unwrap_or_else(|_| {
        context
            .url()
            .join("/v1/client/handshake")
            .expect("a path joins")
    });
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("redirect_url", back.as_str())
            .append_pair("__clerk_api_version", API_VERSION)
            .append_pair(
                "suffixed_cookies",
                if context.uses_suffixed {
                    "true"
                } else {
                    "false"
                },
            )
            .append_pair("__clerk_hs_reason", &reason.as_str())
            .append_pair("format", "nonce");
        if let Some(token) = context.session_token() {
            query.append_pair("__session", token);
        }
        if let (true, Some(dev_browser)) = (context.is_development(), &context.dev_browser) {
            query.append_pair("__clerk_db_jwt", dev_browser);
        }
    }
    url
}

/// A header value that `Debug` does not print: a handshake's `Location`
/// carries the session token.
pub(super) fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Where a primary domain sends a satellite back (`?__clerk_redirect_url=`,
/// development): that URL with the dev browser and `__clerk_synced=true`.
pub(super) fn back_to_satellite(context: &Context<'_>, redirect_url: &str) -> Option<url::Url> {
    let mut back = url::Url::parse(redirect_url).ok()?;
    if let Some(dev_browser) = &context.dev_browser {
        back.query_pairs_mut()
            .append_pair("__clerk_db_jwt", dev_browser);
    }
    set_param(&mut back, "__clerk_synced", "true");
    Some(back)
}

/// `URLSearchParams.set`: the first `name` takes `value` in place, the
/// others go; appended when there is none.
fn set_param(url: &mut url::Url, name: &str, value: &str) {
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    match pairs.iter().position(|(key, _)| key == name) {
        Some(first) => {
            pairs[first].1 = value.to_owned();
            let mut index = 0;
            pairs.retain(|(key, _)| {
                index += 1;
                key != name || index - 1 == first
            });
        }
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

/// Drops the query parameters named `names`, and writes the rest as
/// `URLSearchParams` does after a `delete` (no `?` when none is left).
pub(super) fn without_params(url: &mut url::Url, names: &[&str]) {
    if url.query().is_none() {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| !names.contains(&key.as_ref()))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}
