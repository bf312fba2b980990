//! The client's clock, in the unit of a JWT's `iat` and `exp`.

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> f64 {
    crate::platform::now_secs()
}
