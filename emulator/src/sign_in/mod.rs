//! Sign-ins (`/v1/client/sign_ins`): Clerk's statuses, checks and errors for
//! a password, an email code, second factors (TOTP, email code) and OAuth
//! through the emulator's provider stand-in, each ending in a new session on
//! the caller's client.
//!
//! - [`factors`]: preparing and attempting factors, the codes sent, TOTP;
//! - [`oauth`]: the provider's consent page, the redirect allowlist, the nonce;
//! - [`shape`]: the spec's `Client.SignIn` JSON;
//! - [`routes`]: the HTTP handlers.

mod factors;
mod oauth;
pub(crate) mod routes;
mod shape;

use std::collections::HashMap;

pub(crate) use factors::Which;
pub(crate) use oauth::redirect_allowed;

use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::records::{SignInRecord, VerificationRecord};
use crate::store::{Store, UserRecord};

/// How long an attempt lives before it is abandoned, as Clerk's do (a day).
const SIGN_IN_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// The form of a request, read by field name.
pub(crate) type Form = HashMap<String, String>;

pub(crate) fn field<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

fn missing(name: &str) -> ApiFailure {
    ApiFailure::new(422, "form_param_missing", &format!("{name} is missing"))
}

impl Store {
    /// `POST /v1/client/sign_ins`: an identifier alone (`needs_first_factor`),
    /// with `strategy=email_code` (the code sent at once), with a password
    /// (complete, or `needs_second_factor`), or `strategy=oauth_<provider>`
    /// with a `redirect_url` (the provider page to open).
    pub(crate) fn create_sign_in(
        &mut self,
        client_id: &str,
        form: &Form,
        allowlist: &[String],
        native: bool,
    ) -> Result<String, ApiFailure> {
        let strategy = field(form, "strategy");
        let mut record = SignInRecord {
            id: random_id("sia"),
            client_id: client_id.to_owned(),
            user_id: None,
            identifier: None,
            status: "needs_identifier",
            first: None,
            second: None,
            created_session_id: None,
            abandon_at: now_ms() + SIGN_IN_LIFETIME_MS,
            oauth: None,
        };
        if let Some(provider) = strategy.and_then(|s| s.strip_prefix("oauth_")) {
            let redirect_url =
                field(form, "redirect_url").ok_or_else(|| missing("redirect_url"))?;
            oauth::start(&mut record, provider, redirect_url, allowlist, native)?;
            return Ok(self.keep(record));
        }
        let identifier = field(form, "identifier").ok_or_else(|| missing("identifier"))?;
        let user = self.find_user(identifier)?;
        record.user_id = Some(user.id.clone());
        record.identifier = Some(identifier.to_owned());
        record.status = "needs_first_factor";
        match strategy {
            None => {}
            Some("email_code") => self.send_first_factor_code(&mut record, &user),
            Some("password") => {
                let password = field(form, "password").ok_or_else(|| missing("password"))?;
                self.check_password(&user, password)?;
                self.first_factor_verified(&mut record, "password", &user)?;
            }
            Some(other) => {
                return Err(ApiFailure::new(
                    422,
                    "strategy_for_user_invalid",
                    &format!(
                        "The emulator signs in with password, email_code or oauth_*, not {other}"
                    ),
                ))
            }
        }
        Ok(self.keep(record))
    }

    /// `GET /v1/client/sign_ins/{id}`: the attempt; with an OAuth callback's
    /// `rotating_token_nonce`, the exchange that hands the session over.
    pub(crate) fn read_sign_in(
        &mut self,
        client_id: &str,
        id: &str,
        nonce: Option<&str>,
    ) -> Result<(), ApiFailure> {
        let record = self.sign_in_of(client_id, id)?;
        if let Some(nonce) = nonce {
            oauth::exchange(record, nonce)?;
        }
        Ok(())
    }

    /// The client's attempt `id`, or Clerk's 404 (another client's, or abandoned).
    pub(crate) fn sign_in_of(
        &mut self,
        client_id: &str,
        id: &str,
    ) -> Result<&mut SignInRecord, ApiFailure> {
        let now = now_ms();
        self.sign_ins
            .get_mut(id)
            .filter(|r| r.client_id == client_id && r.abandon_at > now)
            .ok_or_else(|| ApiFailure::not_found("Sign in"))
    }

    fn keep(&mut self, record: SignInRecord) -> String {
        let id = record.id.clone();
        self.sign_ins.insert(id.clone(), record);
        id
    }

    /// The user `identifier` (email address or username) names.
    pub(crate) fn find_user(&self, identifier: &str) -> Result<UserRecord, ApiFailure> {
        self.users
            .iter()
            .find(|u| {
                u.email.eq_ignore_ascii_case(identifier)
                    || u.username.as_deref() == Some(identifier)
            })
            .cloned()
            .ok_or_else(|| {
                ApiFailure::new(
                    422,
                    "form_identifier_not_found",
                    "Couldn't find your account.",
                )
            })
    }

    fn check_password(&self, user: &UserRecord, password: &str) -> Result<(), ApiFailure> {
        if user.password == password {
            Ok(())
        } else {
            Err(ApiFailure::new(
                422,
                "form_password_incorrect",
                "Password is incorrect. Try again, or use another method.",
            ))
        }
    }

    /// The first factor passed: a second one comes next for users who have
    /// one, else the session is created.
    fn first_factor_verified(
        &mut self,
        record: &mut SignInRecord,
        strategy: &str,
        user: &UserRecord,
    ) -> Result<(), ApiFailure> {
        // A code's attempts were counted when it was checked; a password is
        // one attempt of its own.
        let verification = record.first.get_or_insert_with(|| VerificationRecord {
            strategy: strategy.to_owned(),
            status: "unverified",
            code: None,
            attempts: 0,
            expire_at: now_ms(),
            external_url: None,
        });
        if verification.code.is_none() {
            verification.attempts += 1;
        }
        verification.status = "verified";
        if user.totp_secret.is_some() {
            record.status = "needs_second_factor";
            Ok(())
        } else {
            self.complete(record, &user.id)
        }
    }

    /// Creates the session on the attempt's client, making it the active one.
    fn complete(&mut self, record: &mut SignInRecord, user_id: &str) -> Result<(), ApiFailure> {
        let already = self.clients[&record.client_id]
            .session_ids
            .iter()
            .any(|sid| {
                self.sessions[sid].user_id == user_id && self.sessions[sid].status.is_signed_in()
            });
        if already {
            return Err(ApiFailure::new(
                400,
                "session_exists",
                "You're already signed in on this client.",
            ));
        }
        if let Some(user) = self.users.iter_mut().find(|u| u.id == user_id) {
            user.last_sign_in_at = Some(now_ms());
        }
        record.created_session_id = Some(self.start_session(&record.client_id, user_id));
        record.status = "complete";
        Ok(())
    }
}
