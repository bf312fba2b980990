//! OAuth in the system browser, as Clerk's native SDKs do it: create the
//! sign-in with a redirect URL, open the provider page in the browser, and
//! exchange the `rotating_token_nonce` the callback carries for the new
//! session. On desktop the callback comes to a loopback listener on a random
//! port (RFC 8252 §7.3, `loopback`); on mobile to a custom-scheme deep link
//! that the app hands to [`Clerk::finish_oauth`].

use std::time::Duration;

use super::super::Clerk;
use super::SignInStep;
use crate::backend::SignInCall;
use crate::ClerkError;

/// How a desktop OAuth sign-in waits for the browser
/// (`Clerk::sign_in_with_oauth`, `use_oauth_sign_in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthOptions {
    /// How long the user has to finish in the browser (5 minutes by
    /// default). After it the listener stops, its port is released and the
    /// call is [`ClerkError::BrowserTimeout`].
    pub timeout: Duration,
}

impl Default for OAuthOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(300),
        }
    }
}

/// A started OAuth sign-in: the attempt, and the provider page to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthStart {
    /// The sign-in attempt, for [`Clerk::finish_oauth`].
    pub sign_in_id: String,
    /// The provider's page (`external_verification_redirect_url`).
    pub url: String,
}

impl Clerk {
    /// Sends this page to the provider for an OAuth sign-in that comes back to
    /// `redirect_url` (an absolute URL of this app, on the instance's
    /// allowed origins), where the client is signed in; `ClerkProvider`
    /// reports a failed return (a refused consent) as [`ClerkError::OAuth`].
    #[cfg(target_arch = "wasm32")]
    pub async fn redirect_to_oauth(
        &self,
        provider: &str,
        redirect_url: &str,
    ) -> Result<(), ClerkError> {
        let start = self.start_oauth(provider, redirect_url).await?;
        crate::platform::open_instance_page(&start.url);
        Ok(())
    }

    /// Starts an OAuth sign-in that comes back to `redirect_url` (a loopback
    /// URL, or a custom-scheme deep link on mobile, which must be on the
    /// instance's allowlist): returns the provider page to open.
    pub async fn start_oauth(
        &self,
        provider: &str,
        redirect_url: &str,
    ) -> Result<OAuthStart, ClerkError> {
        let strategy = format!("oauth_{provider}");
        let form = [
            ("strategy", strategy.as_str()),
            ("redirect_url", redirect_url),
        ];
        let answer = self.sign_in_call(None, SignInCall::Create, &form).await?;
        let verification = answer.sign_in.first_factor_verification.as_ref();
        let url = verification
            .and_then(|v| v.external_verification_redirect_url.clone())
            .ok_or_else(|| ClerkError::Decode {
                message: "the OAuth sign-in named no provider page".into(),
            })?;
        Ok(OAuthStart {
            sign_in_id: answer.sign_in.id,
            url,
        })
    }

    /// Finishes an OAuth sign-in with the URL the browser came back to:
    /// exchanges its `rotating_token_nonce` for the new session
    /// (`GET /v1/client/sign_ins/{id}`), which becomes the active one. A
    /// callback that reports a failure (`__clerk_status=failed`, a refused
    /// consent) is [`ClerkError::OAuth`].
    pub async fn finish_oauth(
        &self,
        sign_in_id: &str,
        callback_url: &str,
    ) -> Result<SignInStep, ClerkError> {
        let url = crate::platform::Href::parse(callback_url).ok_or_else(|| ClerkError::Decode {
            message: "the OAuth callback is not a URL".into(),
        })?;
        let param = |name: &str| url.query_param(name);
        if param("__clerk_status").as_deref() == Some("failed") {
            let code = param("__clerk_error_code").unwrap_or_else(|| "unknown".into());
            return Err(ClerkError::OAuth { code });
        }
        let nonce = param("rotating_token_nonce").ok_or_else(|| ClerkError::Decode {
            message: "the OAuth callback carries no rotating_token_nonce".into(),
        })?;
        let call = SignInCall::Get {
            rotating_token_nonce: Some(&nonce),
        };
        self.sign_in_step(Some(sign_in_id), call, &[]).await
    }
}
