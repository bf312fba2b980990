//! How a Frontend API request travels and carries the client's credential:
//! the one seam between the browser and native apps inside the FAPI backend,
//! as reqwest splits `wasm/` from `async_impl/`. Everything above it (routes,
//! answers, errors) is one implementation for every platform.
//!
//! - `web.rs` (wasm32): the browser's own `fetch`, the `__client` cookie
//!   (`credentials: include`), `DELETE` as `POST ?_method=DELETE`, and the
//!   dev-browser token.
//! - `native.rs` (desktop, mobile): reqwest, `_is_native=1` and the client
//!   token in `Authorization`, kept in a [`TokenStore`](super::TokenStore).
//!
//! Both take the URL and the form body already encoded (this file), and give
//! back the status and the body's text.

#[cfg(not(target_arch = "wasm32"))]
mod native;
mod settings;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::FapiCredentials;
pub(crate) use settings::CredentialSettings;
#[cfg(target_arch = "wasm32")]
pub(crate) use web::FapiCredentials;

use super::wire::API_VERSION;
use crate::codec;

/// The HTTP methods the Frontend API is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// An answer: its status, its body's text, and its `Retry-After`.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    /// The `Retry-After` header in whole seconds (Clerk's form; an HTTP date
    /// is not read).
    pub(crate) retry_after: Option<std::time::Duration>,
}

/// A `Retry-After` value in seconds, as a duration.
pub(crate) fn retry_after(value: Option<&str>) -> Option<std::time::Duration> {
    let seconds: u64 = value?.trim().parse().ok()?;
    Some(std::time::Duration::from_secs(seconds))
}

/// `base/v1/segments…?__clerk_api_version=…&query`, each segment
/// percent-encoded (a session id cannot leave its segment) and the query
/// form-encoded. `base` has no query and no trailing slash past its host.
pub(crate) fn endpoint(base: &str, segments: &[&str], query: &[(&str, &str)]) -> String {
    let mut url = base.trim_end_matches('/').to_owned();
    url.push_str("/v1");
    for segment in segments {
        url.push('/');
        url.push_str(&codec::encode_path_segment(segment));
    }
    append_query(&mut url, "__clerk_api_version", API_VERSION);
    for (name, value) in query {
        append_query(&mut url, name, value);
    }
    url
}

/// Adds `name=value` to a URL's query, form-encoded.
pub(crate) fn append_query(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(&codec::encode_form(&[(name, value)]));
}

/// A form body (`application/x-www-form-urlencoded`).
pub(crate) fn form_body(form: &[(&str, &str)]) -> String {
    codec::encode_form(form)
}
