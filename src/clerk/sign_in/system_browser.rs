//! The system browser of a desktop OAuth sign-in, and the whole flow: the
//! loopback listener, the browser, the wait, the nonce exchange.

use futures_util::future::{select, Either};

use super::super::Clerk;
use super::loopback::Loopback;
use super::{OAuthOptions, SignInStep};
use crate::ClerkError;

/// Opens a URL in the user's browser: the system browser by default
/// ([`DefaultBrowser`]); tests and apps can hand it to anything else.
pub trait SystemBrowser {
    /// Opens `url`.
    fn open(&self, url: &str) -> Result<(), ClerkError>;
}

/// The system browser, through the `webbrowser` crate (which honours
/// `$BROWSER` on Linux).
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultBrowser;

impl SystemBrowser for DefaultBrowser {
    fn open(&self, url: &str) -> Result<(), ClerkError> {
        webbrowser::open(url).map_err(|error| ClerkError::Browser(error.to_string()))
    }
}

impl<F: Fn(&str) -> Result<(), ClerkError>> SystemBrowser for F {
    fn open(&self, url: &str) -> Result<(), ClerkError> {
        self(url)
    }
}

impl Clerk {
    /// Signs in with an OAuth provider (`"github"`, `"google"`, ...) in the
    /// system browser, for desktop apps: listens on a random loopback port,
    /// opens the provider page with `browser`, and finishes when the browser
    /// comes back. Only a callback with this attempt's own `state` is taken;
    /// anything else gets a `400` and the wait goes on. On timeout, or when
    /// this future is dropped (a "Cancel" button), the listener stops and the
    /// port is released ([`ClerkError::BrowserTimeout`] on timeout).
    pub async fn sign_in_with_oauth(
        &self,
        provider: &str,
        browser: &dyn SystemBrowser,
        options: OAuthOptions,
    ) -> Result<SignInStep, ClerkError> {
        let (loopback, callback) = Loopback::listen()?;
        let start = self.start_oauth(provider, loopback.redirect_url()).await?;
        browser.open(&start.url)?;
        let timeout = futures_timer::Delay::new(options.timeout);
        let callback = match select(callback, timeout).await {
            Either::Left((Ok(url), _)) => url,
            Either::Left((Err(_), _)) => {
                return Err(ClerkError::Network("the loopback listener stopped".into()))
            }
            Either::Right(_) => return Err(ClerkError::BrowserTimeout(options.timeout)),
        };
        drop(loopback);
        self.finish_oauth(&start.sign_in_id, &callback).await
    }
}
