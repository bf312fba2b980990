//! The browser's clock and timers: `Date.now()` and `setTimeout`, without a
//! timer crate (futures-timer's wasm timers carry a thread check and its
//! messages).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use wasm_bindgen_futures::JsFuture;

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A wait of a given length: a `setTimeout`, cleared when the wait is dropped.
/// Without a window (a worker) it never ends.
pub(crate) struct Sleep {
    timer: Option<i32>,
    done: JsFuture,
}

/// Waits `duration` (at most `i32::MAX` milliseconds, as `setTimeout` does).
pub(crate) fn sleep(duration: Duration) -> Sleep {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let mut timer = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
                .ok()
        });
    });
    Sleep {
        timer,
        done: JsFuture::from(promise),
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.done).poll(cx).map(|_| ())
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
    }
}
