//! The stand-in for Clerk's Account Portal: the hosted `/sign-in` and
//! `/user` pages an instance's `display_config` points at.
//!
//! As Clerk's development portal does, a page works on the dev browser its
//! URL names (`?__clerk_db_jwt=`): the one the app sent the user over with.
//! Without one it uses a dev browser of its own (the real portal lives on
//! another domain and cannot read the app's), so an app that does not pass
//! its dev browser signs in a browser it does not know. Going back, the
//! portal adds the dev browser it used to the `redirect_url`, and the app
//! reads it from there. On a production instance the pages work on the
//! `__client` cookie's client, as the portal on the instance's domain does.
//!
//! Sign-in: a password, or an email code (sent as the Frontend API sends
//! one, listed at `/__emulator/codes`). The pages are plain HTML forms.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};

use crate::credentials;
use crate::error::ApiFailure;
use crate::serving::{escape, App};
use crate::sign_in::Which;
use crate::store::Store;
use crate::Shared;

/// The portal's routes.
pub(crate) fn routes() -> Router<std::sync::Arc<Shared>> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/user", get(profile_page))
}

type Fields = HashMap<String, String>;

/// The browser the page acts for: a dev browser, or the `__client` cookie.
enum Visitor {
    DevBrowser(String),
    Cookie(Option<String>),
}

impl Visitor {
    /// Who is visiting: the dev browser the URL (or the form) names, else a
    /// new one, on a development instance; the cookie otherwise.
    fn of(shared: &Shared, store: &mut Store, fields: &Fields, headers: &HeaderMap) -> Self {
        if shared.development {
            let named = fields
                .get("__clerk_db_jwt")
                .filter(|id| store.dev_browsers.contains_key(*id))
                .cloned();
            return Self::DevBrowser(named.unwrap_or_else(|| store.create_dev_browser()));
        }
        Self::Cookie(credentials::cookie_value(headers, "__client").map(str::to_owned))
    }

    /// The visitor's client, made when it has none; and a new `__client`
    /// cookie to set, when one was made for a cookie visitor.
    fn client(&self, store: &mut Store) -> (String, Option<String>) {
        match self {
            Self::DevBrowser(id) => {
                let known = store
                    .dev_browsers
                    .get(id)
                    .cloned()
                    .flatten()
                    .filter(|c| store.clients.contains_key(c));
                let client = known.unwrap_or_else(|| {
                    let client = store.create_client();
                    store.dev_browsers.insert(id.clone(), Some(client.clone()));
                    client
                });
                (client, None)
            }
            Self::Cookie(cookie) => {
                let known = cookie
                    .as_ref()
                    .and_then(|c| store.cookies.get(c))
                    .filter(|c| store.clients.contains_key(*c))
                    .cloned();
                match known {
                    Some(client) => (client, None),
                    None => {
                        let client = store.create_client();
                        let cookie = store.issue_cookie(&client);
                        (client, Some(cookie))
                    }
                }
            }
        }
    }

    fn dev_browser(&self) -> Option<&str> {
        match self {
            Self::DevBrowser(id) => Some(id),
            Self::Cookie(_) => None,
        }
    }
}

/// `GET /sign-in?redirect_url=…[&__clerk_db_jwt=…]`: the sign-in form.
async fn sign_in_page(
    State(shared): App,
    Query(fields): Query<Fields>,
    headers: HeaderMap,
) -> Response {
    let (_store, visitor) = visit(&shared, &fields, &headers);
    match back_to(&shared, &fields) {
        Ok(back) => page(&visitor, &back, Step::Identify, None),
        Err(failure) => failure.into_response(),
    }
}

/// What a posted form asks: a password sign-in, an email code sent, or that code.
async fn sign_in(State(shared): App, headers: HeaderMap, Form(fields): Form<Fields>) -> Response {
    let (mut store, visitor) = visit(&shared, &fields, &headers);
    let back = match back_to(&shared, &fields) {
        Ok(back) => back,
        Err(failure) => return failure.into_response(),
    };
    let (client, new_cookie) = visitor.client(&mut store);
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let outcome = match field("method").as_str() {
        "password" => {
            let form = Fields::from([
                ("identifier".to_owned(), field("identifier")),
                ("password".to_owned(), field("password")),
                ("strategy".to_owned(), "password".to_owned()),
            ]);
            store
                .create_sign_in(&client, &form, &[], false)
                .map(|id| (id, None))
        }
        "email_code" => {
            let form = Fields::from([
                ("identifier".to_owned(), field("identifier")),
                ("strategy".to_owned(), "email_code".to_owned()),
            ]);
            store
                .create_sign_in(&client, &form, &[], false)
                .map(|id| (id.clone(), Some(id)))
        }
        "code" => {
            let id = field("sign_in_id");
            let form = Fields::from([
                ("strategy".to_owned(), "email_code".to_owned()),
                ("code".to_owned(), field("code")),
            ]);
            store
                .attempt_factor(&client, &id, Which::First, &form)
                .map(|()| (id, None))
        }
        _ => Err(ApiFailure::new(
            422,
            "form_param_missing",
            "Choose how to sign in",
        )),
    };
    let mut response = match outcome {
        // The code was sent: ask for it.
        Ok((_, Some(id))) => page(&visitor, &back, Step::Code { sign_in_id: id }, None),
        Ok((id, None)) => match store.sign_ins.get(&id).map(|r| r.status) {
            Some("complete") => back_with(&visitor, &back),
            _ => page(
                &visitor,
                &back,
                Step::Identify,
                Some("This account needs a second factor: sign in from the app itself."),
            ),
        },
        Err(failure) => {
            let step = match field("method").as_str() {
                "code" => Step::Code {
                    sign_in_id: field("sign_in_id"),
                },
                _ => Step::Identify,
            };
            page(&visitor, &back, step, Some(&failure.long_message))
        }
    };
    if let Some(cookie) = new_cookie {
        let cookie = credentials::client_cookie(&cookie);
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// `GET /user`: who is signed in on the visitor's client, and the way back.
async fn profile_page(
    State(shared): App,
    Query(fields): Query<Fields>,
    headers: HeaderMap,
) -> Response {
    let (mut store, visitor) = visit(&shared, &fields, &headers);
    let (client, _) = match &visitor {
        Visitor::Cookie(None) => (String::new(), None),
        _ => visitor.client(&mut store),
    };
    let active = store
        .clients
        .get(&client)
        .and_then(|c| c.last_active_session_id.clone())
        .and_then(|s| store.sessions.get(&s))
        .and_then(|s| store.user(&s.user_id))
        .map(|u| u.email.clone());
    let who = match active {
        Some(email) => format!("<p id=\"portal-user\">Signed in as {}</p>", escape(&email)),
        None => "<p id=\"portal-user\">Nobody is signed in here.</p>".to_owned(),
    };
    let back = fields
        .get("redirect_url")
        .map(|url| {
            format!(
                "<p><a id=\"portal-back\" href=\"{}\">Back to the app</a></p>",
                escape(&with_dev_browser(url, visitor.dev_browser()))
            )
        })
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Account (clerk-emulator)</title>\
         <h1 id=\"emulator-user-profile\">Manage account</h1>{who}\
         <p>Clerk's Account Portal would let the user manage their account here.</p>{back}"
    ))
    .into_response()
}

/// The store, locked for the page, and who is visiting it.
fn visit<'a>(
    shared: &'a Shared,
    fields: &Fields,
    headers: &HeaderMap,
) -> (std::sync::MutexGuard<'a, Store>, Visitor) {
    let mut store = shared.store.lock().expect("store lock");
    let visitor = Visitor::of(shared, &mut store, fields, headers);
    (store, visitor)
}

/// Where the portal sends the user back to: the `redirect_url` asked for,
/// when it is one the instance allows (an allowed origin, or loopback).
fn back_to(shared: &Shared, fields: &Fields) -> Result<String, ApiFailure> {
    let back = fields.get("redirect_url").cloned().unwrap_or_default();
    if back.is_empty() {
        return Err(ApiFailure::new(
            422,
            "form_param_missing",
            "redirect_url is missing",
        ));
    }
    if !crate::sign_in::redirect_allowed(&back, &shared.redirect_allowlist) {
        return Err(ApiFailure::new(
            422,
            "redirect_url_not_allowed",
            "The redirect URL is not one of the instance's allowed origins",
        ));
    }
    Ok(back)
}

/// Back to the app, signed in, with the dev browser used.
fn back_with(visitor: &Visitor, back: &str) -> Response {
    let target = with_dev_browser(back, visitor.dev_browser());
    (StatusCode::SEE_OTHER, [(LOCATION, target)]).into_response()
}

/// `url` with `__clerk_db_jwt` set to `dev_browser` (replacing any there).
fn with_dev_browser(url: &str, dev_browser: Option<&str>) -> String {
    let Some(dev_browser) = dev_browser else {
        return url.to_owned();
    };
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let kept: Vec<(String, String)> = parsed
                .query_pairs()
                .filter(|(name, _)| name != "__clerk_db_jwt")
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            parsed
                .query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("__clerk_db_jwt", dev_browser);
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// Which form the page shows.
enum Step {
    /// Email and password, or email for a code.
    Identify,
    /// The code sent for this attempt.
    Code { sign_in_id: String },
}

fn page(visitor: &Visitor, back: &str, step: Step, error: Option<&str>) -> Response {
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        )
    };
    let mut carried = hidden("redirect_url", back);
    if let Some(id) = visitor.dev_browser() {
        carried.push_str(&hidden("__clerk_db_jwt", id));
    }
    let error = error
        .map(|e| format!("<p id=\"portal-error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let forms = match step {
        Step::Identify => format!(
            "<form method=\"post\" action=\"/sign-in\" id=\"portal-password\">{carried}\
             <input type=\"hidden\" name=\"method\" value=\"password\">\
             <label>Email <input id=\"portal-identifier\" name=\"identifier\" type=\"email\"></label>\
             <label>Password <input id=\"portal-password-input\" name=\"password\" type=\"password\"></label>\
             <button id=\"portal-sign-in\">Sign in</button></form>\
             <form method=\"post\" action=\"/sign-in\" id=\"portal-email-code\">{carried}\
             <input type=\"hidden\" name=\"method\" value=\"email_code\">\
             <label>Email <input id=\"portal-code-identifier\" name=\"identifier\" type=\"email\"></label>\
             <button id=\"portal-send-code\">Email me a code</button></form>"
        ),
        Step::Code { sign_in_id } => format!(
            "<form method=\"post\" action=\"/sign-in\" id=\"portal-code\">{carried}{}\
             <input type=\"hidden\" name=\"method\" value=\"code\">\
             <label>Code <input id=\"portal-code-input\" name=\"code\" inputmode=\"numeric\"></label>\
             <button id=\"portal-verify\">Verify</button></form>",
            hidden("sign_in_id", &sign_in_id)
        ),
    };
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Sign in (clerk-emulator)</title>\
         <h1 id=\"emulator-sign-in\">Sign in</h1>\
         <p>The emulator's stand-in for Clerk's Account Portal.</p>{error}{forms}"
    ))
    .into_response()
}
