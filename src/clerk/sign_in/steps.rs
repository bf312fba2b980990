//! The steps of a sign-in and their answers: what comes next, or the new
//! session, active.

use super::super::Clerk;
use crate::backend::{SignInAnswer, SignInCall};
use crate::model::{SignIn, SignInStatus};
use crate::{AuthState, ClerkError};

/// Where a sign-in stands after a step.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SignInStep {
    /// Signed in: the new session joined the client and is the active one.
    Complete {
        /// The new session.
        session_id: String,
    },
    /// A first factor is to be verified: for an email code, the code was
    /// sent; call [`Clerk::attempt_first_factor`].
    NeedsFirstFactor(SignIn),
    /// A second factor is to be verified: the choices are in
    /// `supported_second_factors` (TOTP needs no preparing; an email or SMS
    /// code does, with [`Clerk::prepare_second_factor`]); then call
    /// [`Clerk::attempt_second_factor`].
    NeedsSecondFactor(SignIn),
}

/// A first factor to attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor<'a> {
    /// The code emailed by [`Clerk::sign_in_with_email_code`].
    EmailCode(&'a str),
    /// The user's password.
    Password(&'a str),
}

/// A second factor to attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor<'a> {
    /// The current code of the user's authenticator app.
    Totp(&'a str),
    /// A code emailed by [`Clerk::prepare_second_factor`].
    EmailCode(&'a str),
    /// A code texted by [`Clerk::prepare_second_factor`].
    PhoneCode(&'a str),
    /// One of the user's backup codes.
    BackupCode(&'a str),
}

impl Clerk {
    /// Signs in with an identifier (email or username) and a password. With
    /// no second factor the new session joins the client's others and becomes
    /// the active one ([`SignInStep::Complete`]); otherwise the second factor
    /// comes next ([`SignInStep::NeedsSecondFactor`]).
    ///
    /// When the answer reaches the handle after a newer one, it is not applied
    /// (see [`Clerk`]): the state keeps the newer client, where the new
    /// session is active unless a later change signed it out or switched away.
    pub async fn sign_in_with_password(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<SignInStep, ClerkError> {
        let form = [
            ("strategy", "password"),
            ("identifier", identifier),
            ("password", password),
        ];
        self.sign_in_step(None, SignInCall::Create, &form).await
    }

    /// Starts an email-code sign-in: identifies the user by `identifier`
    /// (email or username) and emails them a code
    /// ([`SignInStep::NeedsFirstFactor`]). Finish with
    /// [`Clerk::attempt_first_factor`] and [`FirstFactor::EmailCode`].
    pub async fn sign_in_with_email_code(
        &self,
        identifier: &str,
    ) -> Result<SignInStep, ClerkError> {
        let created = self
            .sign_in_call(None, SignInCall::Create, &[("identifier", identifier)])
            .await?;
        let factor = created
            .sign_in
            .first_factor("email_code")
            .cloned()
            .ok_or_else(|| {
                ClerkError::Unsupported("this account cannot sign in with an email code".into())
            })?;
        let address = factor.email_address_id.unwrap_or_default();
        let form = [
            ("strategy", "email_code"),
            ("email_address_id", address.as_str()),
        ];
        let id = created.sign_in.id;
        self.sign_in_step(Some(&id), SignInCall::PrepareFirstFactor, &form)
            .await
    }

    /// Attempts the first factor of the sign-in `sign_in_id`. A wrong code is
    /// Clerk's `422 form_code_incorrect` ([`ClerkError::Api`]); the
    /// verification counts the attempts, as Clerk does, and too many are
    /// `verification_failed`; an old code is `verification_expired`.
    pub async fn attempt_first_factor(
        &self,
        sign_in_id: &str,
        factor: FirstFactor<'_>,
    ) -> Result<SignInStep, ClerkError> {
        let form = match factor {
            FirstFactor::EmailCode(code) => [("strategy", "email_code"), ("code", code)],
            FirstFactor::Password(password) => [("strategy", "password"), ("password", password)],
        };
        self.sign_in_step(Some(sign_in_id), SignInCall::AttemptFirstFactor, &form)
            .await
    }

    /// Sends the code of an `email_code` or `phone_code` second factor of
    /// `sign_in` (TOTP and backup codes need none) and returns the attempt.
    pub async fn prepare_second_factor(
        &self,
        sign_in: &SignIn,
        strategy: &str,
    ) -> Result<SignIn, ClerkError> {
        let factor = sign_in.second_factor(strategy).ok_or_else(|| {
            ClerkError::Unsupported(format!(
                "`{strategy}` is not a second factor of this sign-in"
            ))
        })?;
        let mut form = vec![("strategy", strategy)];
        form.extend(
            factor
                .email_address_id
                .as_deref()
                .map(|id| ("email_address_id", id)),
        );
        form.extend(
            factor
                .phone_number_id
                .as_deref()
                .map(|id| ("phone_number_id", id)),
        );
        let answer = self
            .sign_in_call(Some(&sign_in.id), SignInCall::PrepareSecondFactor, &form)
            .await?;
        Ok(answer.sign_in)
    }

    /// Attempts the second factor of the sign-in `sign_in_id`; errors as in
    /// [`Clerk::attempt_first_factor`].
    pub async fn attempt_second_factor(
        &self,
        sign_in_id: &str,
        factor: SecondFactor<'_>,
    ) -> Result<SignInStep, ClerkError> {
        let (strategy, code) = match factor {
            SecondFactor::Totp(code) => ("totp", code),
            SecondFactor::EmailCode(code) => ("email_code", code),
            SecondFactor::PhoneCode(code) => ("phone_code", code),
            SecondFactor::BackupCode(code) => ("backup_code", code),
        };
        let form = [("strategy", strategy), ("code", code)];
        self.sign_in_step(Some(sign_in_id), SignInCall::AttemptSecondFactor, &form)
            .await
    }

    /// Sends one sign-in call and reads where the attempt stands, making its
    /// session active once it is complete.
    pub(super) async fn sign_in_step(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInStep, ClerkError> {
        let ticket = self.inner.order.ticket();
        let answer = self.sign_in_call(sign_in_id, call, form).await?;
        match answer.sign_in.status {
            SignInStatus::Complete => {
                let session_id = answer.sign_in.created_session_id.clone().ok_or_else(|| {
                    ClerkError::Decode {
                        message: "a complete sign-in named no session".into(),
                    }
                })?;
                self.activate_signed_in(ticket, &session_id, answer.client)
                    .await;
                Ok(SignInStep::Complete { session_id })
            }
            SignInStatus::NeedsFirstFactor => Ok(SignInStep::NeedsFirstFactor(answer.sign_in)),
            SignInStatus::NeedsSecondFactor | SignInStatus::NeedsClientTrust => {
                Ok(SignInStep::NeedsSecondFactor(answer.sign_in))
            }
            other => Err(ClerkError::Unsupported(format!(
                "the sign-in needs a step this crate does not take ({other:?})"
            ))),
        }
    }

    /// One sign-in call, as is.
    pub(super) async fn sign_in_call(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        self.backend().sign_in(sign_in_id, call, form).await
    }

    /// Takes the client a completed sign-in answered with, the new session active.
    async fn activate_signed_in(
        &self,
        ticket: super::super::order::Ticket,
        session_id: &str,
        client: Option<crate::Client>,
    ) {
        self.land_change("sign_in", ticket, client, |state, client| {
            let listed = client
                .as_ref()
                .and_then(|c| c.signed_in_session(session_id))
                .is_some();
            state.active_session_id = if listed {
                Some(session_id.to_owned())
            } else {
                AuthState::server_active_session_id(client.as_ref())
            };
            state.replace_client(client);
            state.is_loaded = true;
            state.last_error = None;
            state.load_error = None;
        })
        .await;
    }
}
