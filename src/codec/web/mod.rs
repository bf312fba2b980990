//! In the browser: its own `JSON.parse` and `atob`, and a small serde
//! deserializer ([`de`]) from the parsed value into the model.

mod de;

use js_sys::{Reflect, JSON};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use de::ValueDeserializer;

/// A parsed JSON value kept as is until it is decoded with [`from_raw`].
pub(crate) type Raw = de::KeptValue;

/// `text` decoded as `T`; the error says what was wrong.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    from_value(value)
}

/// A kept value decoded as `T`.
pub(crate) fn from_raw<T: DeserializeOwned>(raw: &Raw) -> Result<T, String> {
    from_value(raw.0.clone())
}

/// A parsed value decoded as `T`.
fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    T::deserialize(ValueDeserializer(value)).map_err(|error| error.to_string())
}

/// The `object` field of a JSON object (`"client"`, `"sign_in_attempt"`);
/// `None` for anything else, arrays included.
pub(crate) fn object_kind(raw: &Raw) -> Option<String> {
    if !raw.0.is_object() || js_sys::Array::is_array(&raw.0) {
        return None;
    }
    Reflect::get(&raw.0, &JsValue::from_str("object"))
        .ok()?
        .as_string()
}

/// A kept value's text, for error messages (callers mask it with `excerpt`).
pub(crate) fn raw_text(raw: &Raw) -> String {
    JSON::stringify(&raw.0)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// `iat` and `exp` of a JWT, read without checking it.
pub(crate) fn jwt_times(jwt: &str) -> Option<(f64, f64)> {
    let payload = jwt.split('.').nth(1)?;
    // base64url as standard base64: `atob` pads for itself, and takes
    // correct padding too.
    let standard: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let bytes = decode_base64(&standard)?;
    let claims = JSON::parse(std::str::from_utf8(&bytes).ok()?).ok()?;
    let number = |name: &str| {
        Reflect::get(&claims, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    };
    Some((number("iat")?, number("exp")?))
}

/// `text` decoded from standard base64, padded or not (`atob`, which also
/// takes blanks: refused here, as the `base64` crate refuses them natively).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let alphabet = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    if !text.chars().all(alphabet) {
        return None;
    }
    let binary = web_sys::window()?.atob(text).ok()?;
    // One char per byte.
    Some(binary.chars().map(|c| c as u32 as u8).collect())
}

/// `bytes` in base64 without padding, through `btoa`: the URL-safe
/// alphabet (JWT segments, cookie suffixes) or the standard one
/// (publishable keys).
pub(crate) fn encode_base64(bytes: &[u8], url_safe: bool) -> String {
    // `btoa` takes a "binary string": one char per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let encoded = web_sys::window()
        .and_then(|window| window.btoa(&binary).ok())
        .unwrap_or_default();
    // `=` is only ever padding there.
    encoded
        .chars()
        .filter_map(|c| match c {
            '+' if url_safe => Some('-'),
            '/' if url_safe => Some('_'),
            '=' => None,
            c => Some(c),
        })
        .collect()
}

/// `segment` percent-encoded for a URL path (`encodeURIComponent`: no `/`,
/// `?` or `#` stays as is).
pub(crate) fn encode_path_segment(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

/// `pairs` as `application/x-www-form-urlencoded` (`URLSearchParams`).
pub(crate) fn encode_form(pairs: &[(&str, &str)]) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return String::new();
    };
    for (name, value) in pairs {
        params.append(name, value);
    }
    String::from(params.to_string())
}
