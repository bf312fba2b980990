//! How answer text becomes data, on each platform: `serde_json` natively; in
//! the browser, its own `JSON.parse` and a small serde deserializer over the
//! parsed value (`web/de.rs`), so no JSON parser is compiled into the wasm.
//! Both decode with serde straight into the typed model, and both keep a part
//! of an answer unparsed ([`Raw`]) until the caller knows what it is. JWT payloads are read the same way
//! ([`jwt_times`]), and base64 is the `base64` crate natively and the
//! browser's `atob`/`btoa` on the web, as URL and form encoding is
//! `percent-encoding` natively and `encodeURIComponent`/`URLSearchParams` there.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{
    decode_base64, encode_base64, encode_form, encode_path_segment, from_raw, from_text, jwt_times,
    object_kind, raw_text, Raw,
};
#[cfg(target_arch = "wasm32")]
pub(crate) use web::{
    decode_base64, encode_base64, encode_form, encode_path_segment, from_raw, from_text, jwt_times,
    object_kind, raw_text, Raw,
};
