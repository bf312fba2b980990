//! What the server modules' unit tests share.

use http::{HeaderMap, HeaderValue};

/// A header map of `(name, value)` pairs, repeated names appended.
pub(crate) fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}
