//! Browser credential mode, on the browser's own `fetch`: the `__client`
//! cookie (`credentials: include`), never an `Authorization` header; `DELETE`
//! sent as `POST ?_method=DELETE`; on development instances, the dev-browser
//! token in the query string.

use crate::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

use super::settings::CredentialSettings;
use super::{append_query, endpoint, Answer, Method};
use crate::backend::fapi::key::InstanceType;
use crate::backend::fapi::wire::{decode_dev_browser, with_timeout};
use crate::ClerkError;

const DB_JWT_HEADER: &str = "clerk-db-jwt";

pub(crate) struct FapiCredentials {
    settings: CredentialSettings,
    dev_browser: RefCell<Option<String>>,
}

impl FapiCredentials {
    pub(crate) fn new(settings: CredentialSettings) -> Self {
        let dev_browser = RefCell::new(storage_get(&storage_key(&settings.base)));
        Self {
            settings,
            dev_browser,
        }
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
        if method == Method::Delete {
            append_query(&mut url, "_method", method.as_str());
        }
        if self.is_development() {
            let token = self.dev_browser_token().await?;
            append_query(&mut url, "__clerk_db_jwt", &token);
        }
        let post = method != Method::Get;
        let (response, answer) = fetch(&url, post, form).await?;
        self.absorb(&response);
        Ok(answer)
    }

    async fn dev_browser_token(&self) -> Result<String, ClerkError> {
        if let Some(token) = self.dev_browser.borrow().clone() {
            return Ok(token);
        }
        let url = endpoint(&self.settings.base, &["dev_browser"], &[]);
        let exchange = async {
            let (_, answer) = fetch(&url, true, None).await?;
            decode_dev_browser(answer.status, &answer.body)
        };
        let token = with_timeout(self.settings.timeout, exchange).await?;
        self.remember(Some(token.clone()));
        Ok(token)
    }

    fn remember(&self, token: Option<String>) {
        let key = storage_key(&self.settings.base);
        match &token {
            Some(token) => storage_set(&key, token),
            None => storage_remove(&key),
        }
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

/// `fetch(url, {method, credentials: "include", body})`, then the body's text.
/// A form body goes as `application/x-www-form-urlencoded`, which keeps the
/// request a simple one (no CORS preflight).
async fn fetch(
    url: &str,
    post: bool,
    form: Option<String>,
) -> Result<(Response, Answer), ClerkError> {
    let window = web_sys::window().ok_or_else(|| network("no window to fetch from"))?;
    let init = RequestInit::new();
    init.set_method(if post { "POST" } else { "GET" });
    init.set_credentials(RequestCredentials::Include);
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
        .map_err(|_| network("request failed"))?
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
    Ok((response, Answer { status, body }))
}

fn network(message: &str) -> ClerkError {
    ClerkError::Network(message.to_owned())
}

fn storage_key(base: &str) -> String {
    format!("clerk-dioxus:dev-browser:{base}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
