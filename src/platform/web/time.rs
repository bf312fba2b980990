//! The browser's clock and timers: `Date.now()` and `setTimeout`, without a
//! timer crate (futures-timer's wasm timers carry a thread check and its
//! messages).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A wait of a given length: a `setTimeout`, cleared when the wait is dropped.
/// Without a window (a worker) it never ends.
pub(crate) struct Sleep {
    timer: Option<i32>,
    fired: Rc<Fired>,
    /// The timer's callback: kept alive until the timer is cleared.
    _callback: Closure<dyn FnMut()>,
}

/// What the timer's callback and the wait share (one thread).
#[derive(Default)]
struct Fired {
    done: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

/// Waits `duration` (at most `i32::MAX` milliseconds, as `setTimeout` does).
/// A callback that wakes the waiting task, not a `Promise`: no promise
/// machinery for a timer.
pub(crate) fn sleep(duration: Duration) -> Sleep {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let fired = Rc::new(Fired::default());
    let signal = fired.clone();
    let callback = Closure::<dyn FnMut()>::new(move || {
        signal.done.set(true);
        if let Some(waker) = signal.waker.take() {
            waker.wake();
        }
    });
    let timer = web_sys::window().and_then(|window| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                millis,
            )
            .ok()
    });
    Sleep {
        timer,
        fired,
        _callback: callback,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.fired.done.get() {
            return Poll::Ready(());
        }
        self.fired.waker.set(Some(cx.waker().clone()));
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        // Before the callback goes: a cleared timer never calls it.
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
    }
}
