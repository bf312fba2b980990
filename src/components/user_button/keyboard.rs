//! The open menu's keyboard, and closing when focus leaves the button.

use dioxus::prelude::*;

use super::actions::Menu;
use super::focus::Landing;

/// The keyboard inside the open menu.
pub(super) fn on_menu_key(menu: Menu, event: KeyboardEvent) {
    let focus = menu.focus;
    match event.key() {
        Key::ArrowDown => focus.step(1),
        Key::ArrowUp => focus.step(-1),
        Key::Home => focus.land(Landing::First),
        Key::End => focus.land(Landing::Last),
        Key::Escape => menu.close(true),
        // Focus moves on to what follows the button; the menu closes behind it.
        Key::Tab => {
            menu.close(false);
            return;
        }
        Key::Character(typed)
            if typed.chars().count() == 1
                && typed != " "
                && !event
                    .modifiers()
                    .intersects(Modifiers::CONTROL | Modifiers::META | Modifiers::ALT) =>
        {
            focus.type_ahead(&typed)
        }
        _ => return,
    }
    event.prevent_default();
}

/// Focus left one of the button's elements: once the move has settled, the
/// menu closes if focus went elsewhere (a click outside, say).
pub(super) fn watch_focus_leaving(menu: Menu) {
    menu.focus.left();
    spawn(async move {
        crate::platform::sleep(crate::platform::FOCUS_SETTLE).await;
        let still_open = menu.open.try_peek().is_ok_and(|open| *open);
        if still_open && !menu.focus.is_inside() {
            menu.close(false);
        }
    });
}
