//! The page around the app: focus, visibility and connectivity events for
//! the background sync, and the `__session` cookie for the app's own server.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, HtmlDocument};

use crate::SyncReason;

/// The web keeps the active session's token in the app origin's `__session` cookie.
pub(crate) const KEEPS_SESSION_COOKIE: bool = true;

/// Writes (or, with `None`, removes) the app origin's `__session` cookie, as
/// clerk-js does: path `/`, `SameSite=Lax`, `Secure` on https. Scripts can
/// read it, as clerk-js's can; the token in it lives about a minute.
pub(crate) fn set_session_cookie(jwt: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window
        .document()
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
    else {
        return;
    };
    let secure = window.location().protocol().as_deref() == Ok("https:");
    let cookie = match jwt {
        Some(jwt) => format!(
            "__session={jwt}; path=/; SameSite=Lax; max-age=31536000{}",
            if secure { "; Secure" } else { "" }
        ),
        None => "__session=; path=/; SameSite=Lax; max-age=0".to_owned(),
    };
    let _ = document.set_cookie(&cookie);
}

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
