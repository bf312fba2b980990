//! The page around the app: focus, visibility and connectivity events for
//! the background sync.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

use crate::SyncReason;

/// The web keeps the active session's token in the app origin's `__session` cookie.
pub(crate) const KEEPS_SESSION_COOKIE: bool = true;

/// One event listener: where, for which event, and the closure to remove.
type Listener = (EventTarget, &'static str, Closure<dyn FnMut()>);

/// Listens to the page while it lives: `focus` and `online` on the window,
/// `visibilitychange` (to visible) on the document.
pub(crate) struct WindowWatch {
    listeners: Vec<Listener>,
}

/// Calls `on_event` when the page gains focus, becomes visible, or the
/// browser comes back online.
pub(crate) fn watch_window(on_event: impl Fn(SyncReason) + 'static) -> WindowWatch {
    let mut watch = WindowWatch {
        listeners: Vec::new(),
    };
    let Some(window) = web_sys::window() else {
        return watch;
    };
    let on_event = std::rc::Rc::new(on_event);
    let mut listen = |target: EventTarget, name: &'static str, handler: Box<dyn FnMut()>| {
        let closure = Closure::<dyn FnMut()>::new(handler);
        if target
            .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
            .is_ok()
        {
            watch.listeners.push((target, name, closure));
        }
    };
    let focus = on_event.clone();
    listen(
        window.clone().into(),
        "focus",
        Box::new(move || focus(SyncReason::Focus)),
    );
    let online = on_event.clone();
    listen(
        window.clone().into(),
        "online",
        Box::new(move || online(SyncReason::Online)),
    );
    if let Some(document) = window.document() {
        let page = document.clone();
        let visible = on_event;
        listen(
            document.into(),
            "visibilitychange",
            Box::new(move || {
                if !page.hidden() {
                    visible(SyncReason::Visible);
                }
            }),
        );
    }
    watch
}

impl Drop for WindowWatch {
    fn drop(&mut self) {
        for (target, name, closure) in self.listeners.drain(..) {
            let _ =
                target.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
    }
}
