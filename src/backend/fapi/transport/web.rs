//! Browser credential mode, on the browser's own `fetch`: the `__client`
//! cookie (`credentials: include`), never an `Authorization` header; `DELETE`
//! sent as `POST ?_method=DELETE`; on development instances, the dev-browser
//! token in the query string.
//!
//! The dev browser is kept as clerk-js keeps it: in the app domain's
//! `__clerk_db_jwt` cookie and its suffixed twin (which Clerk's backends
//! read), taken from the page's URL when the Account Portal sends the user
//! back with it (and then stripped from the URL), and added to the URLs of
//! other origins the app sends the user to (`url_with_auth`).

use crate::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

use super::settings::CredentialSettings;
use super::{append_query, endpoint, Answer, Method};
use crate::backend::fapi::key::InstanceType;
use crate::backend::fapi::wire::{decode_dev_browser, with_timeout};
use crate::platform::{AuthCookies, CookieKind, Href};
use crate::shared_task::SharedTask;
use crate::ClerkError;

const DB_JWT_HEADER: &str = "clerk-db-jwt";
/// The dev browser's cookie and query parameter.
const DB_JWT: &str = "__clerk_db_jwt";

pub(crate) struct FapiCredentials {
    settings: CredentialSettings,
    dev_browser: RefCell<Option<String>>,
    /// The creation of a dev browser in flight, shared by its waiters.
    creating: RefCell<Option<SharedTask<Result<String, ClerkError>>>>,
    cookies: AuthCookies,
}

impl FapiCredentials {
    pub(crate) fn new(settings: CredentialSettings) -> Self {
        let cookies = AuthCookies::new(settings.cookie_suffix.clone());
        let credentials = Self {
            settings,
            dev_browser: RefCell::new(None),
            creating: RefCell::new(None),
            cookies,
        };
        if credentials.is_development() {
            // Back from the Account Portal: its dev browser is this one.
            match take_from_page_url() {
                Some(token) => credentials.remember(Some(token)),
                None => *credentials.dev_browser.borrow_mut() = credentials.cookies.read(DB_JWT),
            }
        }
        credentials
    }

    /// clerk-js's `buildUrlWithAuth`: on a development instance, a URL of
    /// another origin than the page's gets the dev browser (one is made if
    /// there is none yet) as `__clerk_db_jwt`, unless it has one already.
    pub(crate) async fn url_with_auth(&self, url: &str) -> Result<String, ClerkError> {
        if !self.is_development() {
            return Ok(url.to_owned());
        }
        let page = crate::platform::page_url().and_then(|page| Href::parse(&page));
        let Some(target) = page.as_ref().and_then(|page| page.join(url)) else {
            return Ok(url.to_owned());
        };
        let same_origin = page.is_some_and(|page| page.origin() == target.origin());
        if same_origin || target.query_param(DB_JWT).is_some() {
            return Ok(url.to_owned());
        }
        let token = self.dev_browser_token().await?;
        let mut target = target;
        target.append_query_pair(DB_JWT, &token);
        Ok(target.as_string())
    }

    fn is_development(&self) -> bool {
        self.settings.instance == InstanceType::Development
    }

    /// Sends one request with the browser's credentials and reads its answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        mut url: String,
        form: Option<String>,
    ) -> Result<Answer, ClerkError> {
        if matches!(method, Method::Delete | Method::Patch) {
            append_query(&mut url, "_method", method.as_str());
        }
        if self.is_development() {
            let token = self.dev_browser_token().await?;
            append_query(&mut url, "__clerk_db_jwt", &token);
        }
        let post = method != Method::Get;
        let (response, answer) = fetch(&url, post, form, RequestCredentials::Include).await?;
        self.absorb(&response);
        Ok(answer)
    }

    /// The dev browser: the one kept, or a new one (`POST /v1/dev_browser`),
    /// which the requests that need it meanwhile (a load and the
    /// environment, say) share, so that a page makes one.
    async fn dev_browser_token(&self) -> Result<String, ClerkError> {
        if let Some(token) = self.dev_browser.borrow().clone() {
            return Ok(token);
        }
        let in_flight = self.creating.borrow().clone();
        let task = match in_flight {
            Some(task) => task,
            None => {
                let url = endpoint(&self.settings.base, &["dev_browser"], &[]);
                let timeout = self.settings.timeout;
                let exchange = async move {
                    // A bare request, as clerk-js makes it: a new dev browser needs no cookie.
                    let create = async {
                        let (_, answer) =
                            fetch(&url, true, None, RequestCredentials::SameOrigin).await?;
                        decode_dev_browser(answer.status, &answer.body)
                    };
                    with_timeout(timeout, create).await
                };
                let task = SharedTask::new(Box::pin(exchange));
                *self.creating.borrow_mut() = Some(task.clone());
                task
            }
        };
        let created = task.await;
        self.creating.borrow_mut().take();
        let token = created?;
        if self.dev_browser.borrow().is_none() {
            self.remember(Some(token.clone()));
        }
        Ok(token)
    }

    fn remember(&self, token: Option<String>) {
        self.cookies
            .write(DB_JWT, token.as_deref(), CookieKind::HostOnly);
        *self.dev_browser.borrow_mut() = token;
    }

    /// Keeps a renewed dev-browser token.
    fn absorb(&self, response: &Response) {
        if !self.is_development() {
            return;
        }
        if let Ok(Some(token)) = response.headers().get(DB_JWT_HEADER) {
            if !token.is_empty() && self.dev_browser.borrow().as_deref() != Some(&token) {
                self.remember(Some(token));
            }
        }
    }

    /// Whether the environment is read with `PATCH` (clerk-js's "update
    /// environment using request origin", which a development instance
    /// records the app's origin from) rather than `GET`: on development
    /// instances, as clerk-js does.
    pub(crate) fn patches_environment(&self) -> bool {
        self.is_development()
    }

    /// The cookie identifies the client, and signing out keeps the client.
    pub(crate) fn forget(&self) {}

    /// A dev-browser token the server no longer knows: drop it, get a new one, retry once.
    pub(crate) fn should_retry(&self, error: &ClerkError) -> bool {
        if self.is_development() && error.code() == Some("dev_browser_unauthenticated") {
            self.remember(None);
            true
        } else {
            false
        }
    }
}

/// Aborts the request when its future is dropped (a timeout, a cancelled call).
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `fetch(url, {method, credentials, body})`, then the body's text.
/// A form body goes as `application/x-www-form-urlencoded`, which keeps the
/// request a simple one (no CORS preflight).
async fn fetch(
    url: &str,
    post: bool,
    form: Option<String>,
    credentials: RequestCredentials,
) -> Result<(Response, Answer), ClerkError> {
    let window = web_sys::window().ok_or_else(|| network("no window to fetch from"))?;
    // The browser knows it has no network: nothing is sent (clerk-js's
    // `isBrowserOnline` check before its token requests).
    if !window.navigator().on_line() {
        return Err(ClerkError::Offline("the browser is offline".into()));
    }
    let init = RequestInit::new();
    init.set_method(if post { "POST" } else { "GET" });
    init.set_credentials(credentials);
    if let Some(form) = form.filter(|_| post) {
        let headers = Headers::new().map_err(|_| network("request failed"))?;
        let _ = headers.set(
            "content-type",
            "application/x-www-form-urlencoded;charset=UTF-8",
        );
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&form));
    }
    let abort = AbortController::new().ok().map(AbortOnDrop);
    if let Some(abort) = &abort {
        init.set_signal(Some(&abort.0.signal()));
    }
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        // `fetch` rejects when no answer came at all: no connection (or
        // CORS refused it, which looks the same to the page).
        .map_err(|_| ClerkError::Offline("the Frontend API could not be reached".into()))?
        .unchecked_into();
    let status = response.status();
    let text = response
        .text()
        .map_err(|_| network("the answer did not arrive whole"))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| network("the answer did not arrive whole"))?
        .as_string()
        .unwrap_or_default();
    let retry_after = super::retry_after(
        response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .as_deref(),
    );
    Ok((
        response,
        Answer {
            status,
            body,
            retry_after,
        },
    ))
}

fn network(message: &str) -> ClerkError {
    ClerkError::Network(message.to_owned())
}

/// The dev browser the page's URL carries (`?__clerk_db_jwt=`, as the
/// Account Portal sends the user back), taken off the URL with
/// `history.replaceState` (with the legacy `__dev_session`), as clerk-js does.
fn take_from_page_url() -> Option<String> {
    let window = web_sys::window()?;
    let url = web_sys::Url::new(&window.location().href().ok()?).ok()?;
    let params = url.search_params();
    let token = params.get(DB_JWT).filter(|token| !token.is_empty());
    if token.is_none() && params.get("__dev_session").is_none() {
        return None;
    }
    params.delete(DB_JWT);
    params.delete("__dev_session");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
    }
    token
}
