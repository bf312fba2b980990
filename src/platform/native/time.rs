//! The clock and timers natively: the system clock and futures-timer.

use std::time::Duration;

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_secs_f64())
        .unwrap_or_default()
}

/// A wait of a given length.
pub(crate) type Sleep = futures_timer::Delay;

/// Waits `duration`.
pub(crate) fn sleep(duration: Duration) -> Sleep {
    futures_timer::Delay::new(duration)
}
