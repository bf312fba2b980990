//! The client's clock, in the unit of a JWT's `iat` and `exp`.

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> f64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}
