//! Other tabs of the same app: a sign-out in one signs out the others, over
//! a `BroadcastChannel` (as clerk-js does).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "clerk-dioxus";
const SIGNED_OUT: &str = "signout";

/// Listens for other tabs' sign-outs while it lives.
pub(crate) struct TabSync {
    channel: Option<BroadcastChannel>,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl TabSync {
    /// Calls `on_sign_out` when another tab signs out.
    pub(crate) fn new(on_sign_out: impl Fn() + 'static) -> Self {
        let Ok(channel) = BroadcastChannel::new(CHANNEL) else {
            return Self {
                channel: None,
                _listener: None,
            };
        };
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if event.data().as_string().as_deref() == Some(SIGNED_OUT) {
                on_sign_out();
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Self {
            channel: Some(channel),
            _listener: Some(listener),
        }
    }

    /// Tells the other tabs (not this one) that the user signed out.
    pub(crate) fn announce_sign_out(&self) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&SIGNED_OUT.into());
        }
    }
}

impl Drop for TabSync {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}
