//! OAuth through the emulator's provider stand-in: the redirect allowlist,
//! the provider's consent page ("Continue as Ada"), and the callback to the
//! app with a `rotating_token_nonce` (native apps) or the cookie's client
//! signed in (browsers), as Clerk's flow ends.

use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::records::{OAuthRecord, SignInRecord, VerificationRecord};
use crate::store::Store;

/// How long the provider page can be used.
const OAUTH_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Where OAuth may send users back to: loopback URLs on any port (RFC 8252
/// §7.3, desktop apps), the web origins the emulator allows, and the native
/// redirect URLs on its allowlist (Clerk's "Allowlist for mobile SSO
/// redirect").
pub(crate) fn redirect_allowed(redirect_url: &str, allowlist: &[String]) -> bool {
    let Ok(url) = url::Url::parse(redirect_url) else {
        return false;
    };
    let loopback = url.scheme() == "http"
        && matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    loopback
        || allowlist.iter().any(|allowed| {
            let allowed = allowed.trim_end_matches('/');
            redirect_url == allowed
                || redirect_url.starts_with(&format!("{allowed}/"))
                || redirect_url.starts_with(&format!("{allowed}?"))
        })
}

/// Starts an OAuth attempt: the provider page to open, once the redirect URL
/// is allowed (else Clerk's `422 redirect_url_not_allowed`).
pub(crate) fn start(
    record: &mut SignInRecord,
    provider: &str,
    redirect_url: &str,
    allowlist: &[String],
    native: bool,
) -> Result<(), ApiFailure> {
    if !redirect_allowed(redirect_url, allowlist) {
        return Err(ApiFailure::new(
            422,
            "redirect_url_not_allowed",
            "The redirect URL is not on the instance's allowlist",
        ));
    }
    record.status = "needs_first_factor";
    record.oauth = Some(OAuthRecord {
        provider: provider.to_owned(),
        redirect_url: redirect_url.to_owned(),
        nonce: None,
        native,
    });
    record.first = Some(VerificationRecord {
        strategy: format!("oauth_{provider}"),
        status: "unverified",
        code: None,
        attempts: 0,
        expire_at: now_ms() + OAUTH_LIFETIME_MS,
        // Made absolute with the emulator's own URL when answered.
        external_url: Some(format!(
            "/oauth/{provider}/authorize?sign_in_id={}",
            record.id
        )),
    });
    Ok(())
}

/// The exchange of a callback's nonce: only the nonce handed out, once.
pub(crate) fn exchange(record: &mut SignInRecord, nonce: &str) -> Result<(), ApiFailure> {
    let oauth = record
        .oauth
        .as_mut()
        .ok_or_else(|| ApiFailure::not_found("Sign in"))?;
    if oauth.nonce.as_deref() != Some(nonce) {
        return Err(ApiFailure::new(
            400,
            "invalid_rotating_token_nonce",
            "The nonce does not match this sign-in",
        ));
    }
    oauth.nonce = None;
    Ok(())
}

/// What the provider page shows for attempt `id`: its provider and the
/// accounts to continue as.
pub(crate) struct Consent {
    pub(crate) provider: String,
    pub(crate) redirect_url: String,
    pub(crate) accounts: Vec<(String, String)>,
}

impl Store {
    /// The consent page's content for attempt `id` (any client: the browser
    /// is not the app).
    pub(crate) fn consent(&self, id: &str) -> Result<Consent, ApiFailure> {
        let record = self.pending_oauth(id)?;
        let provider = record
            .oauth
            .as_ref()
            .map(|o| o.provider.clone())
            .unwrap_or_default();
        let redirect_url = record
            .oauth
            .as_ref()
            .map(|o| o.redirect_url.clone())
            .unwrap_or_default();
        let accounts = self
            .users
            .iter()
            .map(|u| {
                (
                    u.id.clone(),
                    u.first_name.clone().unwrap_or_else(|| u.email.clone()),
                )
            })
            .collect();
        Ok(Consent {
            provider,
            redirect_url,
            accounts,
        })
    }

    /// The user chose `user_id` (or refused, `None`): the attempt completes
    /// with a session on its client, and the browser goes back to the app's
    /// redirect URL with a nonce (native) or the cookie's client signed in
    /// (web); a refusal goes back with Clerk's failure parameters.
    pub(crate) fn consented(
        &mut self,
        id: &str,
        user_id: Option<&str>,
    ) -> Result<String, ApiFailure> {
        let mut record = self.pending_oauth(id)?.clone();
        let redirect = record
            .oauth
            .as_ref()
            .map(|o| o.redirect_url.clone())
            .unwrap_or_default();
        let separator = if redirect.contains('?') { '&' } else { '?' };
        let Some(user_id) = user_id else {
            if let Some(first) = record.first.as_mut() {
                first.status = "failed";
            }
            self.sign_ins.insert(record.id.clone(), record);
            return Ok(format!(
                "{redirect}{separator}__clerk_status=failed&__clerk_error_code=oauth_access_denied"
            ));
        };
        if self.user(user_id).is_none() {
            return Err(ApiFailure::not_found("User"));
        }
        record.user_id = Some(user_id.to_owned());
        if let Some(first) = record.first.as_mut() {
            first.status = "verified";
            first.attempts += 1;
        }
        self.complete(&mut record, user_id)?;
        let native = record.oauth.as_ref().is_some_and(|o| o.native);
        let target = if native {
            let nonce = random_id("nonce");
            if let Some(oauth) = record.oauth.as_mut() {
                oauth.nonce = Some(nonce.clone());
            }
            format!("{redirect}{separator}rotating_token_nonce={nonce}")
        } else {
            redirect
        };
        self.sign_ins.insert(record.id.clone(), record);
        Ok(target)
    }

    fn pending_oauth(&self, id: &str) -> Result<&SignInRecord, ApiFailure> {
        self.sign_ins
            .get(id)
            .filter(|r| r.oauth.is_some() && r.status == "needs_first_factor")
            .filter(|r| r.first.as_ref().is_some_and(|f| f.expire_at > now_ms()))
            .ok_or_else(|| ApiFailure::not_found("Sign in"))
    }
}
