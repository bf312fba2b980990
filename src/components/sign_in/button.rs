use dioxus::prelude::*;

use crate::hooks::{use_clerk, use_oauth_sign_in};
use crate::model::DisplayConfig;
use crate::{ClerkError, OAuthOptions};

/// Starts a sign-in: clerk-react's `<SignInButton />` for Dioxus.
///
/// - A `<button type="button">Sign in</button>` (your text as its label,
///   your attributes on it), `data-state="idle|pending"` and `aria-busy`.
/// - With `oauth_provider` (`"github"`, `"google"`, ...) it signs in with
///   that provider: on desktop and mobile in the system browser, waiting
///   for the loopback callback (a second click cancels, and the listener's
///   port is released); on the web by sending the page to the provider,
///   which comes back to `force_redirect_url`, else `redirect_url`, else
///   this page, signed in.
/// - Without one, on the web it goes to the instance's sign-in page
///   (`display_config.sign_in_url`) with `redirect_url` set to where to come
///   back; on desktop and mobile it does nothing but `onclick`: show your
///   [`EmailCodeSignIn`](super::EmailCodeSignIn) there.
/// - `mode` is clerk-react's: only `"redirect"` exists here (a `"modal"`
///   needs Clerk's UI); other values act as `"redirect"`.
/// - `onclick` runs first; `evt.prevent_default()` cancels, as in
///   `SignOutButton`.
#[component]
pub fn SignInButton(
    /// Where to come back to after signing in (web), unless the sign-in page says otherwise.
    #[props(into)]
    redirect_url: Option<String>,
    /// Where to come back to after signing in (web), whatever the sign-in page says.
    #[props(into)]
    force_redirect_url: Option<String>,
    /// clerk-react's `mode`; only `"redirect"` is available.
    #[props(into)]
    mode: Option<String>,
    /// Sign in with this OAuth provider (`"github"`) instead of the sign-in page.
    #[props(into)]
    oauth_provider: Option<String>,
    /// How long a desktop OAuth sign-in waits for the browser.
    #[props(default)]
    oauth_options: OAuthOptions,
    /// Called with the new session's id (desktop and mobile OAuth).
    on_complete: Option<EventHandler<String>>,
    /// Receives the error when the sign-in cannot start or fails.
    on_error: Option<EventHandler<ClerkError>>,
    /// Runs before anything else; `evt.prevent_default()` cancels.
    onclick: Option<EventHandler<MouseEvent>>,
    /// Attributes for the button.
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
    /// The button's text.
    children: Option<Element>,
) -> Element {
    let _ = mode;
    let clerk = use_clerk();
    let oauth = use_oauth_sign_in(oauth_options);
    let pending = oauth.is_pending();
    let back = force_redirect_url.or(redirect_url);
    let click = move |evt: MouseEvent| {
        if !super::super::click::app_allows(onclick, &evt) {
            return;
        }
        if pending {
            oauth.cancel();
            return;
        }
        match oauth_provider.clone() {
            Some(provider) => oauth.start(provider, back.clone(), on_complete, on_error),
            None if crate::platform::SHOWS_INSTANCE_PAGES => {
                let clerk = clerk.clone();
                let back = back.clone().or_else(crate::platform::page_url);
                spawn(async move {
                    match sign_in_page(&clerk, back.as_deref()).await {
                        Ok(url) => clerk.open_instance_page(&url).await,
                        Err(error) => match on_error {
                            Some(handler) => handler.call(error),
                            None => clerk.report_error(error),
                        },
                    }
                });
            }
            None => {}
        }
    };
    rsx! {
        button {
            r#type: "button",
            aria_busy: if pending { "true" } else { "false" },
            "data-state": if pending { "pending" } else { "idle" },
            onclick: click,
            ..attributes,
            match children {
                Some(children) => children,
                None => rsx! { "Sign in" },
            }
        }
    }
}

/// The instance's sign-in page, with where to come back to.
async fn sign_in_page(clerk: &crate::Clerk, back: Option<&str>) -> Result<String, ClerkError> {
    let environment = clerk.environment().await?;
    let page = DisplayConfig::url(&environment.display_config.sign_in_url)
        .ok_or_else(|| ClerkError::Unsupported("the instance has no sign-in page".into()))?;
    let mut url = crate::platform::Href::parse(page).ok_or_else(|| ClerkError::Decode {
        message: "the instance's sign-in page is not a URL".into(),
    })?;
    if let Some(back) = back {
        url.append_query_pair("redirect_url", back);
    }
    Ok(url.as_string())
}
