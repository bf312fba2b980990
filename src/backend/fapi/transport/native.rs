//! Native credential mode (desktop, mobile): `_is_native=1` and the client
//! token in the `Authorization` header, persisted through a `TokenStore`.

use crate::cell::RefCell;
use std::cell::Cell;
use std::rc::Rc;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::settings::CredentialSettings;
use super::{append_query, Answer, Method};
use crate::backend::fapi::token_store::{MemoryTokenStore, TokenStore};
use crate::backend::fapi::wire::transport_error;
use crate::error::TokenStoreError;
use crate::ClerkError;

/// The HTTP client for the Frontend API. It follows no redirect: a `3xx` is
/// an error, so no answer can move a request (and its token or password) to
/// another host or to plain HTTP. It names itself and the OS in `User-Agent`
/// (`clerk-dioxus/0.1.0 (linux)`), which is how the user's device list shows
/// this app install (`GET /v1/me/sessions/active`).
fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(format!(
            "clerk-dioxus/{} ({})",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS
        ))
        .build()
}

/// A request that made no connection (refused, no route, no DNS) is the
/// Frontend API out of reach, [`ClerkError::Offline`]; one that broke after
/// connecting is a network error.
fn send_error(error: reqwest::Error) -> ClerkError {
    let connect = error.is_connect();
    match transport_error(error) {
        ClerkError::Network(message) if connect => ClerkError::Offline(message),
        other => other,
    }
}

pub(crate) struct FapiCredentials {
    /// The client, or why it could not be made (reported by every call).
    http: Result<reqwest::Client, ClerkError>,
    store: Rc<dyn TokenStore>,
    /// The token in use; `None` until read from the store.
    token: RefCell<Option<Option<String>>>,
    /// Requests sent so far: each one's number is its place in send order.
    sent: Cell<u64>,
    /// The number of the request whose answer gave the token in use (or
    /// the last one sent when it was dropped). Clerk rotates the token on
    /// answers, and concurrent answers land in any order: an answer to an
    /// earlier request than that one is not kept, so a slow answer cannot
    /// put back an older token (or a dropped one).
    kept_from: Cell<u64>,
}

impl FapiCredentials {
    pub(crate) fn new(settings: CredentialSettings) -> Self {
        let store = settings
            .token_store
            .unwrap_or_else(|| Rc::new(MemoryTokenStore::new()));
        Self {
            http: http_client().map_err(transport_error),
            store,
            token: RefCell::new(None),
            sent: Cell::new(0),
            kept_from: Cell::new(0),
        }
    }

    /// The token in use, read from the store on first use. A failed read is
    /// not cached: the next request reads again, and none is sent without the
    /// token (Clerk would answer an empty `Authorization` with a new client,
    /// whose token would then replace the user's stored one).
    fn current(&self) -> Result<Option<String>, ClerkError> {
        if let Some(token) = self.token.borrow().clone() {
            return Ok(token);
        }
        let stored = self.store.load()?;
        *self.token.borrow_mut() = Some(stored.clone());
        Ok(stored)
    }

    /// Sends one request with `_is_native=1` and the token (an empty header
    /// on the very first call, as Clerk expects), and reads its answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        mut url: String,
        form: Option<String>,
    ) -> Result<Answer, ClerkError> {
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let token = self.current()?.unwrap_or_default();
        let Ok(mut header) = HeaderValue::from_str(&token) else {
            // No request could ever carry it: drop it, so the next one starts a new client.
            let message = match self.drop_token() {
                Ok(()) => "the stored client token is not a valid header value; it was removed",
                Err(_) => {
                    "the stored client token is not a valid header value, and removing it failed"
                }
            };
            return Err(TokenStoreError(message.into()).into());
        };
        // A credential: HTTP/2's header compression and reqwest's `Debug` keep it out.
        header.set_sensitive(true);
        append_query(&mut url, "_is_native", "1");
        let method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = http.request(method, url).header(AUTHORIZATION, header);
        if let Some(form) = form {
            request = request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form);
        }
        let number = self.sent.get() + 1;
        self.sent.set(number);
        let response = request.send().await.map_err(send_error)?;
        self.absorb(number, response.headers());
        let status = response.status().as_u16();
        let retry_after = super::retry_after(
            response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
        );
        let body = response.text().await.map_err(transport_error)?;
        Ok(Answer {
            status,
            body,
            retry_after,
        })
    }

    /// Keeps the token of the answer to request `number`: Clerk rotates
    /// it. Unless a later request's answer already gave one (see
    /// `kept_from`).
    fn absorb(&self, number: u64, headers: &HeaderMap) {
        let Some(token) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return;
        };
        if number <= self.kept_from.get() {
            crate::log::debug!("an answer overtaken by a later one; its client token is not kept");
            return;
        }
        self.kept_from.set(number);
        // `build` read the store before this request went out, so the cache is set.
        if token.is_empty()
            || self.token.borrow().as_ref().and_then(Option::as_deref) == Some(token)
        {
            return;
        }
        *self.token.borrow_mut() = Some(Some(token.to_owned()));
        if let Err(error) = self.store.save(token) {
            crate::log::warning!(%error, "could not persist the Clerk client token");
        }
    }

    /// After every session is signed out, no stored credential may act for the
    /// user, and the next sign-in starts clean (Clerk's Expo SDK once kept a
    /// stale token here and broke re-sign-in).
    pub(crate) fn forget(&self) {
        if let Err(error) = self.drop_token() {
            crate::log::warning!(%error, "could not clear the stored Clerk client token");
        }
    }

    /// No token from now on, in memory and in the store.
    fn drop_token(&self) -> Result<(), TokenStoreError> {
        *self.token.borrow_mut() = Some(None);
        // Answers to requests already sent bring no token back.
        self.kept_from.set(self.sent.get());
        self.store.clear()
    }

    /// Native mode has nothing to renew and retry.
    pub(crate) fn should_retry(&self, _error: &ClerkError) -> bool {
        false
    }

    /// Native apps read the environment with `GET` (they have no origin to record).
    pub(crate) fn patches_environment(&self) -> bool {
        false
    }

    /// Native apps hand no dev browser to other pages: the URL as it is.
    pub(crate) async fn url_with_auth(&self, url: &str) -> Result<String, ClerkError> {
        Ok(url.to_owned())
    }
}
