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

use percent_encoding::{AsciiSet, CONTROLS};

use super::wire::API_VERSION;

/// The HTTP methods the Frontend API is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

/// An answer: its status and its body's text.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// What a URL path segment may not hold as is (the WHATWG path-segment set):
/// a session id with a `/` or `?` cannot leave its segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// `base/v1/segments…?__clerk_api_version=…&query`, each segment
/// percent-encoded and the query form-encoded. `base` has no query and no
/// trailing slash past its host.
pub(crate) fn endpoint(base: &str, segments: &[&str], query: &[(&str, &str)]) -> String {
    let mut url = base.trim_end_matches('/').to_owned();
    url.push_str("/v1");
    for segment in segments {
        url.push('/');
        url.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
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
    url.extend(form_urlencoded::byte_serialize(name.as_bytes()));
    url.push('=');
    url.extend(form_urlencoded::byte_serialize(value.as_bytes()));
}

/// A form body (`application/x-www-form-urlencoded`).
pub(crate) fn form_body(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}
