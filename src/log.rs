//! The crate's logging, through `tracing`, except in wasm release builds.
//!
//! In a browser app built for release, log lines cost size (their strings,
//! callsites and the `Display` of every error they name) and nobody reads
//! them, so there they are compiled out unless the `tracing` feature asks
//! for them. Native builds and wasm debug builds always log.

/// Whether this build logs: natively, in debug builds, or with the `tracing` feature.
pub(crate) const ENABLED: bool = cfg!(any(
    not(target_arch = "wasm32"),
    debug_assertions,
    feature = "tracing"
));

/// Items compiled only in builds that log (the same condition as [`ENABLED`]).
/// For code an `if ENABLED` cannot remove: an `async fn`'s state keeps every
/// future it may await, taken or not.
macro_rules! when_enabled {
    ($($item:item)*) => {
        $(
            #[cfg(any(not(target_arch = "wasm32"), debug_assertions, feature = "tracing"))]
            $item
        )*
    };
}

/// Items compiled only in builds that do not log.
macro_rules! unless_enabled {
    ($($item:item)*) => {
        $(
            #[cfg(not(any(not(target_arch = "wasm32"), debug_assertions, feature = "tracing")))]
            $item
        )*
    };
}

macro_rules! debug {
    ($($field:tt)*) => {
        if $crate::log::ENABLED {
            ::tracing::debug!($($field)*)
        }
    };
}

macro_rules! info {
    ($($field:tt)*) => {
        if $crate::log::ENABLED {
            ::tracing::info!($($field)*)
        }
    };
}

macro_rules! warning {
    ($($field:tt)*) => {
        if $crate::log::ENABLED {
            ::tracing::warn!($($field)*)
        }
    };
}

macro_rules! error {
    ($($field:tt)*) => {
        if $crate::log::ENABLED {
            ::tracing::error!($($field)*)
        }
    };
}

pub(crate) use {debug, error, info, unless_enabled, warning, when_enabled};
