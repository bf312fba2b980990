//! Natively: `serde_json` and the `base64` crate.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use percent_encoding::{AsciiSet, CONTROLS};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A JSON value kept as its text until it is decoded with [`from_raw`].
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct Raw(Box<RawValue>);

/// `text` decoded as `T`; the error is serde's message.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

/// A kept value decoded as `T`.
pub(crate) fn from_raw<T: DeserializeOwned>(raw: &Raw) -> Result<T, String> {
    from_text(raw.0.get())
}

/// The `object` field of a JSON object (`"client"`, `"sign_in_attempt"`);
/// `None` for anything else, arrays included.
pub(crate) fn object_kind(raw: &Raw) -> Option<String> {
    #[derive(Deserialize)]
    struct ObjectKind {
        #[serde(default)]
        object: Option<String>,
    }
    let text = raw.0.get();
    text.starts_with('{')
        .then(|| serde_json::from_str::<ObjectKind>(text).ok()?.object)
        .flatten()
}

/// A kept value's text, for error messages (callers mask it with `excerpt`).
pub(crate) fn raw_text(raw: &Raw) -> String {
    raw.0.get().to_owned()
}

/// `iat` and `exp` of a JWT, read without checking it.
pub(crate) fn jwt_times(jwt: &str) -> Option<(f64, f64)> {
    #[derive(Deserialize)]
    struct Times {
        iat: f64,
        exp: f64,
    }
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let times: Times = serde_json::from_slice(&bytes).ok()?;
    Some((times.iat, times.exp))
}

/// Standard base64, with or without its padding (publishable keys).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `text` decoded from standard base64, padded or not.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    LENIENT_BASE64.decode(text).ok()
}

/// `bytes` in base64 without padding: the URL-safe alphabet (JWT segments,
/// cookie suffixes) or the standard one (publishable keys).
pub(crate) fn encode_base64(bytes: &[u8], url_safe: bool) -> String {
    match url_safe {
        true => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        false => base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes),
    }
}

/// What a URL path segment may not hold as is (the WHATWG path-segment set).
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

/// `segment` percent-encoded for a URL path: no `/`, `?` or `#` stays as is.
pub(crate) fn encode_path_segment(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// `pairs` as `application/x-www-form-urlencoded`.
pub(crate) fn encode_form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}
