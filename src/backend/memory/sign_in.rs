//! The in-memory backend's sign-ins: a password at once, or an email code
//! (create, prepare, attempt), each ending in a new active session. Second
//! factors are the emulator's (`clerk-emulator`).

use crate::small_map::SmallMap;

use crate::backend::{SignInAnswer, SignInCall};
use crate::error::ApiError;
use crate::model::{SignIn, SignInFactor, SignInStatus, User, Verification};
use crate::ClerkError;

use super::{BackendCall, MemoryBackend};

/// A sign-in in progress.
#[derive(Debug, Clone)]
pub(crate) struct PendingSignIn {
    user: User,
    code: Option<String>,
    attempts: u32,
    created_session_id: Option<String>,
}

/// The codes "emailed" so far, by address, newest last.
pub(crate) type Inbox = SmallMap<String, Vec<String>>;

impl MemoryBackend {
    /// The newest email code sent to `email`, as a test reads an inbox.
    pub fn last_email_code(&self, email: &str) -> Option<String> {
        let server = self.server.borrow();
        server
            .inbox
            .get(&email.to_ascii_lowercase())?
            .last()
            .cloned()
    }

    pub(super) async fn sign_in_call(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let field = |name: &str| form_field(form, name);
        let password = call == SignInCall::Create && field("strategy") == Some("password");
        // One await, then plain code: the answer is worked out synchronously.
        let recorded = if password {
            BackendCall::SignInWithPassword(field("identifier").unwrap_or_default().to_owned())
        } else {
            BackendCall::SignIn(call.name().to_owned())
        };
        if let Some(controls) = self.receive(recorded) {
            controls.await?;
        }
        if password {
            self.sign_in_with_password_now(form)
        } else {
            self.sign_in_now(sign_in_id, call, form)
        }
    }

    /// A password sign-in, complete at once.
    fn sign_in_with_password_now(&self, form: &[(&str, &str)]) -> Result<SignInAnswer, ClerkError> {
        let field = |name: &str| form_field(form, name);
        let identifier = field("identifier").unwrap_or_default();
        let user = self
            .server
            .borrow()
            .authenticate(identifier, field("password").unwrap_or_default())?;
        let id = self.server.borrow_mut().fresh_id("sia");
        let session = self.sign_in(user.clone());
        let pending = PendingSignIn {
            user,
            code: None,
            attempts: 0,
            created_session_id: Some(session),
        };
        Ok(self.answer(&id, &pending))
    }

    /// Every other sign-in call, after it was recorded.
    fn sign_in_now(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        let field = |name: &str| form_field(form, name);
        match call {
            SignInCall::Create => {
                let identifier = field("identifier").unwrap_or_default();
                let user = self.server.borrow().find_user(identifier)?;
                let id = self.server.borrow_mut().fresh_id("sia");
                let mut pending = PendingSignIn {
                    user,
                    code: None,
                    attempts: 0,
                    created_session_id: None,
                };
                if field("strategy") == Some("email_code") {
                    self.send_code(&mut pending);
                }
                self.server
                    .borrow_mut()
                    .sign_ins
                    .insert(id.clone(), pending.clone());
                Ok(self.answer(&id, &pending))
            }
            SignInCall::Get { .. } => {
                let id = sign_in_id.unwrap_or_default();
                let pending = self.pending(id)?;
                Ok(self.answer(id, &pending))
            }
            SignInCall::PrepareFirstFactor if field("strategy") == Some("email_code") => {
                let id = sign_in_id.unwrap_or_default();
                let mut pending = self.pending(id)?;
                self.send_code(&mut pending);
                self.server
                    .borrow_mut()
                    .sign_ins
                    .insert(id.to_owned(), pending.clone());
                Ok(self.answer(id, &pending))
            }
            SignInCall::AttemptFirstFactor if field("strategy") == Some("email_code") => {
                let id = sign_in_id.unwrap_or_default();
                let mut pending = self.pending(id)?;
                let Some(expected) = pending.code.clone() else {
                    return Err(api(
                        400,
                        "verification_missing",
                        "Prepare the verification first",
                    ));
                };
                if field("code") != Some(expected.as_str()) {
                    pending.attempts += 1;
                    self.server
                        .borrow_mut()
                        .sign_ins
                        .insert(id.to_owned(), pending);
                    return Err(api(422, "form_code_incorrect", "Incorrect code"));
                }
                pending.attempts += 1;
                pending.created_session_id = Some(self.sign_in(pending.user.clone()));
                self.server.borrow_mut().sign_ins.remove(id);
                Ok(self.answer(id, &pending))
            }
            _ => Err(api(
                422,
                "strategy_for_user_invalid",
                "the in-memory backend signs in with a password or an email code",
            )),
        }
    }

    fn pending(&self, id: &str) -> Result<PendingSignIn, ClerkError> {
        let server = self.server.borrow();
        server
            .sign_ins
            .get(id)
            .cloned()
            .ok_or_else(|| api(404, "resource_not_found", "Sign in not found"))
    }

    fn send_code(&self, pending: &mut PendingSignIn) {
        let mut server = self.server.borrow_mut();
        server.next_id += 1;
        let code = format!("{:06}", (server.next_id * 7919 + 424_242) % 1_000_000);
        let email = pending
            .user
            .primary_email_address()
            .unwrap_or_default()
            .to_ascii_lowercase();
        server.inbox.get_or_default(email).push(code.clone());
        pending.code = Some(code);
        pending.attempts = 0;
    }

    fn answer(&self, id: &str, pending: &PendingSignIn) -> SignInAnswer {
        let email = pending.user.primary_email_address().map(str::to_owned);
        let email_id = pending.user.primary_email_address_id.clone();
        let status = if pending.created_session_id.is_some() {
            SignInStatus::Complete
        } else {
            SignInStatus::NeedsFirstFactor
        };
        let sign_in = SignIn {
            id: id.to_owned(),
            status,
            identifier: email.clone(),
            supported_first_factors: vec![
                SignInFactor {
                    strategy: "email_code".into(),
                    safe_identifier: email,
                    email_address_id: email_id,
                    primary: Some(true),
                    ..SignInFactor::default()
                },
                SignInFactor {
                    strategy: "password".into(),
                    ..SignInFactor::default()
                },
            ],
            supported_second_factors: Vec::new(),
            first_factor_verification: pending.code.as_ref().map(|_| Verification {
                status: if status == SignInStatus::Complete {
                    "verified"
                } else {
                    "unverified"
                }
                .into(),
                strategy: Some("email_code".into()),
                attempts: Some(pending.attempts),
                ..Verification::default()
            }),
            second_factor_verification: None,
            created_session_id: pending.created_session_id.clone(),
            abandon_at: 0,
        };
        SignInAnswer {
            sign_in,
            client: self.client(),
        }
    }
}

fn api(status: u16, code: &str, message: &str) -> ClerkError {
    ApiError::new(status, code, message).into()
}

/// The value of `name` in a form.
fn form_field<'a>(form: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| *value)
}
