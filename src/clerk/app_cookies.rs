//! What the handle keeps in the app's own cookies, when and as clerk-js
//! keeps it (see `platform::AuthCookies` for the names and attributes):
//!
//! - `__session`: the active session's token, written with every new one
//!   (a load's `last_active_token`, a refresh), removed when the active
//!   session changes or signs out. `clerk_active_context` says whose it is,
//!   so that two tabs on different sessions do not overwrite each other's:
//!   a tab writes only when it has focus or the context is its own.
//! - `__client_uat`, on development instances only (production's Frontend
//!   API sets it itself): the client's `updated_at` in seconds while a
//!   session is signed in, `0` otherwise. Not on the Account Portal's own
//!   host, where Clerk writes it.
//!
//! Natively the platform has no cookies, and all of this does nothing.

use std::cell::Cell;

use crate::backend::fapi::{InstanceType, PublishableKey};
use crate::platform::{AuthCookies, CookieKind};
use crate::AuthState;

const SESSION: &str = "__session";
const CLIENT_UAT: &str = "__client_uat";
const ACTIVE_CONTEXT: &str = "clerk_active_context";

/// The handle's cookies on the app's domain.
pub(crate) struct AppCookies {
    cookies: AuthCookies,
    /// A development instance, off the Account Portal's host.
    writes_client_uat: bool,
    /// The `__client_uat` last written, so an unchanged one is not again.
    client_uat: Cell<Option<i64>>,
}

impl AppCookies {
    /// The cookies for the instance of `key` (plain names only without one).
    pub(crate) fn new(key: Option<&PublishableKey>) -> Self {
        let development = key.is_some_and(|k| k.instance_type() == InstanceType::Development);
        let on_portal = key.is_some_and(|k| on_account_portal(k.frontend_api_host()));
        Self {
            cookies: AuthCookies::new(key.map(PublishableKey::cookie_suffix)),
            writes_client_uat: development && !on_portal,
            client_uat: Cell::new(None),
        }
    }

    /// Removes the session's token and its context (a sign-out, a switch).
    pub(crate) fn remove_session_token(&self) {
        self.cookies.write(SESSION, None, CookieKind::HostOnly);
        crate::platform::write_cookie(ACTIVE_CONTEXT, None, CookieKind::BrowserSession);
    }

    /// Keeps `jwt` as the token of `session_id`, the active session.
    pub(crate) fn keep_session_token(&self, session_id: &str, jwt: &str) {
        // No organization yet: the personal account's context.
        let context = format!("{session_id}:");
        let theirs = crate::platform::read_cookie(ACTIVE_CONTEXT)
            .filter(|current| !current.is_empty() && *current != context);
        if theirs.is_some() && !crate::platform::page_has_focus() {
            // Another tab, on another session, has the user's attention.
            return;
        }
        crate::platform::write_cookie(ACTIVE_CONTEXT, Some(&context), CookieKind::BrowserSession);
        self.cookies.write(SESSION, Some(jwt), CookieKind::HostOnly);
    }

    /// The state changed: `__client_uat` follows the client (development
    /// instances; once loaded).
    pub(crate) fn client_changed(&self, state: &AuthState) {
        if !self.writes_client_uat || !state.is_loaded {
            return;
        }
        let uat = match &state.client {
            Some(client) if client.signed_in_sessions().next().is_some() => {
                client.updated_at.div_euclid(1000)
            }
            _ => 0,
        };
        if self.client_uat.replace(Some(uat)) != Some(uat) {
            let value = uat.to_string();
            self.cookies
                .write(CLIENT_UAT, Some(&value), CookieKind::SiteWide);
        }
    }
}

/// Whether this page is the instance's Account Portal: its host ends with
/// the Frontend API's host without its first `clerk.` (`foo-bar-13.accounts.dev`
/// for `foo-bar-13.clerk.accounts.dev`), as clerk-js decides.
fn on_account_portal(frontend_api_host: &str) -> bool {
    let portal = frontend_api_host.replacen("clerk.", "", 1);
    crate::platform::page_host().is_some_and(|host| host.ends_with(&portal))
}
