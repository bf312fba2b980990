//! `POST /v1/client/sign_ins` with `strategy=password`: Clerk's checks and
//! errors, and a new session on the caller's client.

use std::collections::HashMap;

use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::store::{SessionStatus, Store};

/// What a completed or stopped password sign-in produced.
pub(crate) struct SignInOutcome {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) identifier: String,
    pub(crate) created_session_id: Option<String>,
}

impl Store {
    /// `POST /v1/client/sign_ins` with `strategy=password`.
    pub(crate) fn sign_in_with_password(
        &mut self,
        client_id: &str,
        form: &HashMap<String, String>,
    ) -> Result<SignInOutcome, ApiFailure> {
        let field = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
        match field("strategy") {
            Some("password") => {}
            Some(other) => {
                return Err(ApiFailure::new(
                    422,
                    "strategy_for_user_invalid",
                    &format!("The emulator only supports the password strategy, not {other}"),
                ))
            }
            None => {
                return Err(ApiFailure::new(
                    422,
                    "form_param_missing",
                    "strategy is missing",
                ))
            }
        }
        let identifier = field("identifier")
            .ok_or_else(|| ApiFailure::new(422, "form_param_missing", "identifier is missing"))?;
        let password = field("password")
            .ok_or_else(|| ApiFailure::new(422, "form_param_missing", "password is missing"))?;
        let user = self
            .users
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
            })?;
        if user.password != password {
            return Err(ApiFailure::new(
                422,
                "form_password_incorrect",
                "Password is incorrect. Try again, or use another method.",
            ));
        }
        let already = self.clients[client_id].session_ids.iter().any(|sid| {
            self.sessions[sid].user_id == user.id
                && self.sessions[sid].status == SessionStatus::Active
        });
        if already {
            return Err(ApiFailure::new(
                400,
                "session_exists",
                "You're already signed in on this client.",
            ));
        }
        let created_session_id = if user.second_factor {
            None
        } else {
            if let Some(record) = self.users.iter_mut().find(|u| u.id == user.id) {
                record.last_sign_in_at = Some(now_ms());
            }
            Some(self.start_session(client_id, &user.id))
        };
        Ok(SignInOutcome {
            id: random_id("sia"),
            user_id: user.id,
            identifier: identifier.to_owned(),
            created_session_id,
        })
    }
}
