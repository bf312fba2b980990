//! Browser credential mode: the `__client` cookie (`credentials: include`),
//! never an `Authorization` header; `DELETE` sent as `POST ?_method=DELETE`;
//! on development instances, the dev-browser token in the query string.

use std::cell::RefCell;

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use url::Url;

use super::settings::CredentialSettings;
use crate::backend::fapi::key::InstanceType;
use crate::backend::fapi::wire::{
    api_error, decode_error, transport_error, with_timeout, API_VERSION,
};
use crate::ClerkError;

/// The HTTP client for the Frontend API: the browser's `fetch`, which follows
/// redirects only as CORS allows (reqwest has no redirect switch on wasm).
pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().build()
}

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

    pub(crate) async fn build(
        &self,
        http: &reqwest::Client,
        method: Method,
        mut url: Url,
    ) -> Result<RequestBuilder, ClerkError> {
        let method = if method == Method::GET || method == Method::POST {
            method
        } else {
            url.query_pairs_mut()
                .append_pair("_method", method.as_str());
            Method::POST
        };
        if self.is_development() {
            let token = self.dev_browser_token(http).await?;
            url.query_pairs_mut().append_pair("__clerk_db_jwt", &token);
        }
        Ok(http.request(method, url).fetch_credentials_include())
    }

    async fn dev_browser_token(&self, http: &reqwest::Client) -> Result<String, ClerkError> {
        if let Some(token) = self.dev_browser.borrow().clone() {
            return Ok(token);
        }
        let mut url = self.settings.base.clone();
        let path = format!("{}/v1/dev_browser", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.query_pairs_mut()
            .append_pair("__clerk_api_version", API_VERSION);
        let request = http.post(url).fetch_credentials_include();
        let exchange = async {
            let response = request.send().await.map_err(transport_error)?;
            let status = response.status().as_u16();
            let body = response.text().await.map_err(transport_error)?;
            if !(200..300).contains(&status) {
                return Err(api_error(status, &body));
            }
            #[derive(serde::Deserialize)]
            struct DevBrowser {
                id: String,
            }
            serde_json::from_str::<DevBrowser>(&body)
                .map(|d| d.id)
                .map_err(|e| decode_error(&e, &body))
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
    pub(crate) fn absorb(&self, headers: &HeaderMap) {
        if !self.is_development() {
            return;
        }
        if let Some(token) = headers.get(DB_JWT_HEADER).and_then(|v| v.to_str().ok()) {
            if !token.is_empty() && self.dev_browser.borrow().as_deref() != Some(token) {
                self.remember(Some(token.to_owned()));
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

fn storage_key(base: &Url) -> String {
    format!("clerk-dioxus:dev-browser:{}", base.as_str())
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
