//! Preparing and attempting factors: email codes (sent, recorded and printed),
//! passwords, and TOTP second factors, with Clerk's attempt counting, expiry
//! and errors.

use totp_rs::{Algorithm, TOTP};

use super::{field, missing, Form};
use crate::error::ApiFailure;
use crate::ids::now_ms;
use crate::records::{SentCode, SignInRecord, VerificationRecord};
use crate::store::{Store, UserRecord};

/// How long an emailed code can be used (Clerk's is unpublished; ten minutes).
pub(crate) const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// Wrong codes before the verification fails for good (prepare again).
pub(crate) const MAX_ATTEMPTS: u32 = 3;

/// Which factor a step acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    First,
    Second,
}

impl Store {
    /// Sends a new first-factor email code for `record` (replacing any before).
    pub(crate) fn send_first_factor_code(&mut self, record: &mut SignInRecord, user: &UserRecord) {
        let code = self.send_code(record, user, "email_code");
        record.first = Some(code_verification(code));
    }

    fn send_code(&mut self, record: &SignInRecord, user: &UserRecord, purpose: &str) -> String {
        let mut digits = [0u8; 4];
        getrandom::fill(&mut digits).expect("the OS has randomness");
        let code = format!("{:06}", u32::from_le_bytes(digits) % 1_000_000);
        println!("clerk-emulator: {purpose} for {} is {code}", user.email);
        self.codes.push(SentCode {
            to: user.email.clone(),
            code: code.clone(),
            purpose: purpose.to_owned(),
            sign_in_id: record.id.clone(),
        });
        code
    }

    /// `POST …/prepare_first_factor` and `…/prepare_second_factor`.
    pub(crate) fn prepare_factor(
        &mut self,
        client_id: &str,
        id: &str,
        which: Which,
        form: &Form,
    ) -> Result<(), ApiFailure> {
        let (mut record, user, strategy) = self.step_on(client_id, id, form)?;
        match (which, strategy, record.status) {
            (Which::First, "email_code", "needs_first_factor") => {
                self.send_first_factor_code(&mut record, &user)
            }
            (Which::Second, "email_code", "needs_second_factor") => {
                let code = self.send_code(&record, &user, "email_code_second_factor");
                record.second = Some(code_verification(code));
            }
            (_, _, "needs_first_factor" | "needs_second_factor") => {
                return Err(ApiFailure::new(
                    422,
                    "strategy_for_user_invalid",
                    &format!("{strategy} cannot be prepared for this sign-in"),
                ))
            }
            _ => return Err(not_in_this_step()),
        }
        self.sign_ins.insert(record.id.clone(), record);
        Ok(())
    }

    /// `POST …/attempt_first_factor` and `…/attempt_second_factor`.
    pub(crate) fn attempt_factor(
        &mut self,
        client_id: &str,
        id: &str,
        which: Which,
        form: &Form,
    ) -> Result<(), ApiFailure> {
        let (mut record, user, strategy) = self.step_on(client_id, id, form)?;
        let outcome = match (which, record.status) {
            (Which::First, "needs_first_factor") => {
                self.attempt_first(&mut record, &user, strategy, form)
            }
            (Which::Second, "needs_second_factor") => {
                self.attempt_second(&mut record, &user, strategy, form)
            }
            _ => Err(not_in_this_step()),
        };
        // Attempts count (and fail) whether or not this one passed.
        self.sign_ins.insert(record.id.clone(), record);
        outcome
    }

    fn attempt_first(
        &mut self,
        record: &mut SignInRecord,
        user: &UserRecord,
        strategy: &str,
        form: &Form,
    ) -> Result<(), ApiFailure> {
        match strategy {
            "password" => {
                let password = field(form, "password").ok_or_else(|| missing("password"))?;
                self.check_password(user, password)?;
            }
            "email_code" => {
                let code = field(form, "code").ok_or_else(|| missing("code"))?;
                check_code(record.first.as_mut(), code)?;
            }
            other => {
                return Err(ApiFailure::new(
                    422,
                    "strategy_for_user_invalid",
                    &format!("{other} is not a first factor of this sign-in"),
                ))
            }
        }
        self.first_factor_verified(record, strategy, user)
    }

    fn attempt_second(
        &mut self,
        record: &mut SignInRecord,
        user: &UserRecord,
        strategy: &str,
        form: &Form,
    ) -> Result<(), ApiFailure> {
        let code = field(form, "code").ok_or_else(|| missing("code"))?;
        match strategy {
            "totp" => {
                let verification = record.second.get_or_insert_with(|| VerificationRecord {
                    strategy: "totp".into(),
                    status: "unverified",
                    code: None,
                    attempts: 0,
                    expire_at: now_ms() + CODE_LIFETIME_MS,
                    external_url: None,
                });
                if verification.strategy != "totp" {
                    *verification = VerificationRecord {
                        strategy: "totp".into(),
                        code: None,
                        ..verification.clone()
                    };
                }
                let valid = user
                    .totp_secret
                    .as_deref()
                    .and_then(totp)
                    .is_some_and(|totp| totp.check_current(code).unwrap_or(false));
                count_attempt(verification, valid)?;
            }
            "email_code" => check_code(record.second.as_mut(), code)?,
            other => {
                return Err(ApiFailure::new(
                    422,
                    "strategy_for_user_invalid",
                    &format!("{other} is not a second factor of this sign-in"),
                ))
            }
        }
        let user_id = user.id.clone();
        self.complete(record, &user_id)
    }

    /// What a step acts on: a copy of the attempt (written back after), its
    /// user, and the strategy the form names.
    fn step_on<'f>(
        &mut self,
        client_id: &str,
        id: &str,
        form: &'f Form,
    ) -> Result<(SignInRecord, UserRecord, &'f str), ApiFailure> {
        let record = self.sign_in_of(client_id, id)?.clone();
        let user = self.user_of(&record)?;
        let strategy = field(form, "strategy").ok_or_else(|| missing("strategy"))?;
        Ok((record, user, strategy))
    }

    fn user_of(&self, record: &SignInRecord) -> Result<UserRecord, ApiFailure> {
        let id = record.user_id.as_deref().unwrap_or_default();
        self.user(id)
            .cloned()
            .ok_or_else(|| ApiFailure::new(400, "verification_missing", "Identify the user first"))
    }

    /// The current TOTP code of `user_id`, for tests (`None` without a second factor).
    pub(crate) fn totp_code(&self, user_id: &str) -> Option<String> {
        let secret = self.user(user_id)?.totp_secret.clone()?;
        totp(&secret)?.generate_current().ok()
    }

    /// Makes the code of attempt `id` expire now (a test's "come back later").
    pub(crate) fn expire_codes(&mut self, id: &str) -> bool {
        let Some(record) = self.sign_ins.get_mut(id) else {
            return false;
        };
        for verification in [record.first.as_mut(), record.second.as_mut()]
            .into_iter()
            .flatten()
        {
            verification.expire_at = now_ms() - 1;
        }
        true
    }
}

/// A fresh, unverified code verification.
fn code_verification(code: String) -> VerificationRecord {
    VerificationRecord {
        strategy: "email_code".into(),
        status: "unverified",
        code: Some(code),
        attempts: 0,
        expire_at: now_ms() + CODE_LIFETIME_MS,
        external_url: None,
    }
}

/// Checks `code` against a prepared code verification, as Clerk does:
/// missing, expired, failed after too many tries, or incorrect.
fn check_code(verification: Option<&mut VerificationRecord>, code: &str) -> Result<(), ApiFailure> {
    let verification = verification.filter(|v| v.code.is_some()).ok_or_else(|| {
        ApiFailure::new(
            400,
            "verification_missing",
            "Prepare the verification first",
        )
    })?;
    if verification.expire_at <= now_ms() {
        verification.status = "expired";
        return Err(ApiFailure::new(
            400,
            "verification_expired",
            "This verification has expired. Prepare it again.",
        ));
    }
    let valid = verification.code.as_deref() == Some(code);
    count_attempt(verification, valid)
}

/// Counts an attempt: too many wrong ones fail the verification for good.
fn count_attempt(verification: &mut VerificationRecord, valid: bool) -> Result<(), ApiFailure> {
    if verification.status == "failed" || verification.attempts >= MAX_ATTEMPTS {
        verification.status = "failed";
        return Err(ApiFailure::new(
            400,
            "verification_failed",
            "Too many failed attempts. Prepare it again.",
        ));
    }
    verification.attempts += 1;
    if valid {
        verification.status = "verified";
        return Ok(());
    }
    if verification.attempts >= MAX_ATTEMPTS {
        verification.status = "failed";
    }
    Err(ApiFailure::new(
        422,
        "form_code_incorrect",
        "Incorrect code",
    ))
}

fn not_in_this_step() -> ApiFailure {
    ApiFailure::new(
        400,
        "sign_in_status_invalid",
        "The sign-in is not at this step",
    )
}

/// The authenticator of a TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s, one
/// step of skew either way).
pub(crate) fn totp(secret: &[u8]) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec()).ok()
}
