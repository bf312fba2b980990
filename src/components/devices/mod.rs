//! Other devices: the user's active devices as a headless list, and a button
//! that signs out of every other one.

mod list;
mod sign_out_others;

pub use list::ActiveDevices;
pub use sign_out_others::SignOutOtherDevicesButton;

/// "Active now", "5 min ago", "3 h ago", "2 d ago": how long ago `at` (Unix
/// milliseconds) was, from `now` (Unix seconds).
pub(crate) fn ago(at: i64, now: f64) -> String {
    let seconds = (now - at as f64 / 1000.0).max(0.0) as u64;
    match seconds {
        0..60 => "Active now".to_owned(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::ago;

    #[test]
    fn last_activity_reads_as_time_ago() {
        let now = 1_000_000.0;
        assert_eq!(ago(1_000_000_000, now), "Active now");
        assert_eq!(ago(999_700_000, now), "5 min ago");
        assert_eq!(ago(1_000_000_000 - 3 * 3_600_000, now), "3 h ago");
        assert_eq!(ago(1_000_000_000 - 2 * 86_400_000, now), "2 d ago");
        assert_eq!(
            ago(2_000_000_000, now),
            "Active now",
            "a clock ahead of ours"
        );
    }
}
