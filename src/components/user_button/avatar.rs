//! The account's picture: its image, or its initials when it has none.

use dioxus::prelude::*;

/// An avatar: `img` when the account has an image URL, else up to two initials.
/// Decorative (`aria-hidden`): the name beside it, or the control's label,
/// says whose it is.
#[component]
pub fn UserAvatar(
    /// The account's name, for the initials.
    name: String,
    /// The account's image (`image_url`); `None` shows initials.
    image_url: Option<String>,
    /// The avatar's class (`clerk-user-avatar` by default, which the default
    /// stylesheet styles).
    class: Option<String>,
) -> Element {
    avatar(&name, image_url.as_deref(), class)
}

/// The avatar's markup, for rows that render it without a component of its own.
pub(super) fn avatar(name: &str, image_url: Option<&str>, class: Option<String>) -> Element {
    let class = class.unwrap_or_else(|| "clerk-user-avatar".to_owned());
    rsx! {
        span { class, "data-clerk-avatar": "", aria_hidden: "true",
            if let Some(src) = image_url {
                img { src, alt: "", draggable: "false" }
            } else {
                {initials(name)}
            }
        }
    }
}

/// Up to two initials, upper case: "Ada Lovelace" is "AL".
pub(crate) fn initials(name: &str) -> String {
    let initials: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if initials.is_empty() {
        "?".to_owned()
    } else {
        initials
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letter_of_two_words() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("grace brewster hopper"), "GB");
        assert_eq!(initials("alan"), "A");
        assert_eq!(initials("  "), "?");
        assert_eq!(initials("(Ada) Lovelace"), "AL");
    }
}
