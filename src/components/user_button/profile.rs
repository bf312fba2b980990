//! Where "Manage account" goes on the web: the instance's profile page.

use dioxus::prelude::*;

use crate::hooks::use_clerk;
use crate::model::DisplayConfig;

/// The instance's profile page (`display_config.user_profile_url`), fetched
/// once per handle on renderers that show pages and when no callback
/// replaces it; `None` until then, or when the instance has none.
pub(super) fn use_instance_profile_url(has_callback: bool) -> Signal<Option<String>> {
    let clerk = use_clerk();
    let mut url = use_signal(|| None::<String>);
    use_hook(move || {
        if crate::platform::SHOWS_INSTANCE_PAGES && !has_callback {
            spawn(async move {
                match clerk.environment().await {
                    Ok(environment) => {
                        let found =
                            DisplayConfig::url(&environment.display_config.user_profile_url);
                        url.set(found.map(str::to_owned));
                    }
                    Err(error) => crate::log::debug!(%error, "no environment; no profile link"),
                }
            });
        }
    });
    url
}
