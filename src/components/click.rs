//! What the buttons share about a click: the app's `onclick` runs first, and
//! `evt.prevent_default()` there is the one way to cancel.

use dioxus::prelude::*;

/// Runs the app's `onclick` and says whether the button's own action goes
/// ahead. Only a default prevented by that handler cancels; one prevented
/// before it (by a child link, say) is not a request to cancel.
pub(crate) fn app_allows(onclick: Option<EventHandler<MouseEvent>>, evt: &MouseEvent) -> bool {
    let allowed_before = evt.default_action_enabled();
    if let Some(handler) = onclick {
        handler.call(evt.clone());
    }
    !allowed_before || evt.default_action_enabled()
}
