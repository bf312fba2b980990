//! Who is calling: a native app (`_is_native=1` + `Authorization`), a browser
//! (the `__client` cookie), or a development browser (`__clerk_db_jwt`, or
//! the spec's `__dev_session`). And what each gets back: a rotated token, a
//! cookie, or the dev-browser header.
//!
//! As strict as Clerk: a native request needs its `Authorization` header
//! (empty on the very first call), never with an `Origin`; a browser on a
//! development instance needs its dev browser on every request (the spec:
//! "it must be set before making any request to a dev instance"), and the
//! `__client` cookie counts only on production instances. Production
//! answers to browsers set `__client_uat` (and its suffixed twin), the
//! cookie Clerk's backends compare session tokens against.

use std::collections::HashMap;

use axum::http::header::{AUTHORIZATION, COOKIE, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};

use crate::error::ApiFailure;
use crate::instance::Instance;
use crate::store::Store;

pub(crate) type Query = HashMap<String, String>;

enum Channel {
    Native,
    Cookie { new_cookie: Option<String> },
    DevBrowser(String),
}

/// The caller and the client their credential leads to.
pub(crate) struct Caller {
    channel: Channel,
    pub(crate) client_id: Option<String>,
}

pub(crate) fn is_native(query: &Query) -> bool {
    query
        .get("_is_native")
        .is_some_and(|v| v == "1" || v == "true")
}

pub(crate) fn dev_browser_param(query: &Query) -> Option<&String> {
    query
        .get("__clerk_db_jwt")
        .or_else(|| query.get("__dev_session"))
}

/// The first cookie named `name` the request carries.
pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// On a development instance, a browser's request names a dev browser the
/// instance knows (native requests need none): else Clerk's 401.
pub(crate) fn dev_browser_present(store: &Store, query: &Query) -> Result<(), ApiFailure> {
    let known = dev_browser_param(query).is_some_and(|id| store.dev_browsers.contains_key(id));
    if is_native(query) || known {
        Ok(())
    } else {
        Err(ApiFailure::new(
            401,
            "dev_browser_unauthenticated",
            "A development instance needs the dev browser (__clerk_db_jwt) on every request.",
        ))
    }
}

/// Finds (or, when `create` is set, makes) the caller's client.
pub(crate) fn identify(
    store: &mut Store,
    instance: &Instance,
    headers: &HeaderMap,
    query: &Query,
    create: bool,
) -> Result<Caller, ApiFailure> {
    let authorization = headers.get(AUTHORIZATION);
    if authorization.is_some() && headers.contains_key(ORIGIN) {
        return Err(ApiFailure::new(
            400,
            "origin_authorization_headers_conflict",
            "You cannot send both an Origin and an Authorization header: browsers authenticate with cookies.",
        ));
    }
    if is_native(query) {
        let Some(authorization) = authorization else {
            return Err(ApiFailure::new(
                400,
                "request_header_missing",
                "A native request needs the Authorization header (empty on the first call).",
            ));
        };
        let token = authorization.to_str().unwrap_or_default();
        let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
        let known = store
            .native_tokens
            .get(token)
            .filter(|c| store.clients.contains_key(*c))
            .cloned();
        // A native app always has a client: the first call (empty token) gets a new one.
        let client_id = known.unwrap_or_else(|| store.create_client());
        return Ok(Caller {
            channel: Channel::Native,
            client_id: Some(client_id),
        });
    }
    if let Some(dev_browser) = dev_browser_param(query) {
        let Some(reached) = store.dev_browsers.get(dev_browser).cloned() else {
            return Err(ApiFailure::new(
                401,
                "dev_browser_unauthenticated",
                "The dev browser is not recognised; create a new one.",
            ));
        };
        let client_id = match reached.filter(|c| store.clients.contains_key(c)) {
            Some(client_id) => client_id,
            None => {
                let client_id = store.create_client();
                store
                    .dev_browsers
                    .insert(dev_browser.clone(), Some(client_id.clone()));
                client_id
            }
        };
        return Ok(Caller {
            channel: Channel::DevBrowser(dev_browser.clone()),
            client_id: Some(client_id),
        });
    }
    if instance.development {
        return Err(ApiFailure::new(
            401,
            "dev_browser_unauthenticated",
            "A development instance needs the dev browser (__clerk_db_jwt) on every request.",
        ));
    }
    let known = cookie_value(headers, "__client")
        .and_then(|c| store.cookies.get(c))
        .filter(|c| store.clients.contains_key(*c))
        .cloned();
    match known {
        Some(client_id) => Ok(Caller {
            channel: Channel::Cookie { new_cookie: None },
            client_id: Some(client_id),
        }),
        None if create || store.signs_in_new_clients() => {
            let client_id = store.create_client();
            let cookie = store.issue_cookie(&client_id);
            Ok(Caller {
                channel: Channel::Cookie {
                    new_cookie: Some(cookie),
                },
                client_id: Some(client_id),
            })
        }
        None => Ok(Caller {
            channel: Channel::Cookie { new_cookie: None },
            client_id: None,
        }),
    }
}

/// Adds the caller's credential to the answer: native apps get a fresh
/// (rotated) token, new browsers their cookie, dev browsers their id back;
/// browsers of a production instance get `__client_uat` as the client now is.
pub(crate) fn answer(
    store: &mut Store,
    instance: &Instance,
    caller: &Caller,
    headers: &mut HeaderMap,
) {
    let value =
        |text: &str| HeaderValue::from_str(text).expect("generated ids are valid header values");
    match (&caller.channel, &caller.client_id) {
        (Channel::Native, Some(client_id)) if store.clients.contains_key(client_id) => {
            let token = store.issue_native_token(client_id);
            headers.insert(AUTHORIZATION, value(&token));
        }
        (
            Channel::Cookie {
                new_cookie: Some(cookie),
            },
            _,
        ) => {
            headers.append(SET_COOKIE, client_cookie(cookie));
        }
        (Channel::DevBrowser(id), _) => {
            headers.insert("clerk-db-jwt", value(id));
        }
        _ => {}
    }
    if matches!(caller.channel, Channel::Cookie { .. }) {
        let uat = caller
            .client_id
            .as_deref()
            .map_or(0, |client| store.client_uat(client));
        set_client_uat(instance, uat, headers);
    }
}

/// The `__client` cookie that reaches a browser's client: `HttpOnly`, a year.
pub(crate) fn client_cookie(value: &str) -> HeaderValue {
    let cookie = format!("__client={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000");
    HeaderValue::from_str(&cookie).expect("generated cookies are valid header values")
}

/// `__client_uat` and `__client_uat_<suffix>`, as Clerk's production
/// Frontend API sets them for the app's backend: the client's `updated_at`
/// in seconds while someone is signed in, `0` otherwise. Clerk sets them on
/// the app's registrable domain; the emulator's host is an IP address, whose
/// cookies are host-only (and shared by every port, so the app on
/// `127.0.0.1:8080` receives them too). `SameSite=Lax`, readable by scripts,
/// a year long.
fn set_client_uat(instance: &Instance, uat: i64, headers: &mut HeaderMap) {
    let suffix = &instance.cookie_suffix;
    for name in ["__client_uat".to_owned(), format!("__client_uat_{suffix}")] {
        let cookie = format!("{name}={uat}; Path=/; SameSite=Lax; Max-Age=31536000");
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            headers.append(SET_COOKIE, cookie);
        }
    }
}

/// An expired `__client` cookie, sent when the client is destroyed.
pub(crate) fn clear_cookie(headers: &mut HeaderMap) {
    headers.append(
        SET_COOKIE,
        HeaderValue::from_static("__client=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
}
