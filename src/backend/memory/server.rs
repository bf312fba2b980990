//! The in-memory server's data and its rules: the client, sessions, accounts
//! and the clock, with Clerk's errors.

use std::rc::Rc;
use std::time::Duration;

use futures_util::future::LocalBoxFuture;

use super::calls::{BackendCall, CallKind, Gate};
use crate::cell::RefCell;
#[cfg(feature = "memory-tokens")]
use crate::codec::encode_base64;
use crate::error::ApiError;
use crate::model::{Client, EmailAddress, User};
use crate::small_map::SmallMap;
use crate::ClerkError;

#[derive(Default)]
pub(super) struct Server {
    pub(super) client: Option<Client>,
    pub(super) calls: Vec<BackendCall>,
    /// What a test set for each kind of call (a failure, a delay, a hold),
    /// once it set any.
    pub(super) controls: Option<Box<dyn CallControls>>,
    /// Who can sign in with a password: (user, password).
    pub(super) accounts: Vec<(User, String)>,
    pub(super) clock: i64,
    pub(super) next_id: u64,
    /// Calls waiting out a delay now.
    pub(super) delayed: usize,
    /// How long the session tokens it issues live.
    #[cfg(feature = "memory-tokens")]
    pub(super) token_lifetime: Duration,
    /// Session tokens issued so far (each carries its number as `jti`).
    #[cfg(feature = "memory-tokens")]
    pub(super) tokens_issued: u64,
    /// Every change gets the same `updated_at` (a clock that does not move):
    /// for tests of answers with equal stamps.
    pub(super) frozen_clock: bool,
    /// What `environment()` answers.
    pub(super) environment: crate::model::Environment,
    /// The users' sessions on other clients (other devices).
    pub(super) other_devices: Vec<super::devices::OtherDevice>,
    /// Revokes that fail, by the session they aim at.
    pub(super) revoke_failures: SmallMap<String, ClerkError>,
    /// Sign-ins in progress, by id.
    pub(super) sign_ins: SmallMap<String, super::sign_in::PendingSignIn>,
    /// The email codes sent, by address.
    pub(super) inbox: super::sign_in::Inbox,
}

/// The controls a test set, as the server holds them: made by the first
/// `fail`, `delay` or `hold` (`controls.rs`), so an app that sets none
/// links none of their code.
pub(super) trait CallControls {
    /// Changes the controls of `kind`.
    fn change(&mut self, kind: CallKind, change: &mut dyn FnMut(&mut Controls));

    /// A call of `kind` was received: wait out its hold and delay, then fail
    /// it if a failure is set by then.
    fn apply(
        &self,
        kind: CallKind,
        server: &Rc<RefCell<Server>>,
    ) -> LocalBoxFuture<'static, Result<(), ClerkError>>;

    /// The failure set for `kind` now.
    fn failure(&self, kind: CallKind) -> Option<ClerkError>;
}

/// What happens to every call of one kind (see `MemoryBackend::fail`,
/// `delay` and `hold`).
#[derive(Default)]
pub(super) struct Controls {
    pub(super) failure: Option<ClerkError>,
    pub(super) delay: Option<Duration>,
    pub(super) hold: Option<Gate>,
}

/// The seed time of the in-memory clock (2026-01-01T00:00:00Z, in ms).
pub(super) const EPOCH_MS: i64 = 1_767_225_600_000;
pub(super) const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

impl Server {
    /// The account `identifier` (email address or username) names, with its
    /// password, or Clerk's `form_identifier_not_found`.
    fn account(&self, identifier: &str) -> Result<&(User, String), ClerkError> {
        self.accounts
            .iter()
            .find(|(user, _)| {
                user.primary_email_address()
                    .is_some_and(|e| e.eq_ignore_ascii_case(identifier))
                    || user.username.as_deref() == Some(identifier)
            })
            .ok_or_else(|| {
                ClerkError::from(ApiError::new(
                    422,
                    "form_identifier_not_found",
                    "Couldn't find your account.",
                ))
            })
    }

    /// The user `identifier` names.
    pub(super) fn find_user(&self, identifier: &str) -> Result<User, ClerkError> {
        self.account(identifier).map(|(user, _)| user.clone())
    }

    /// The account an identifier names, if the password matches; Clerk's 422 otherwise.
    pub(super) fn authenticate(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<User, ClerkError> {
        let (user, expected) = self.account(identifier)?;
        if expected != password {
            return Err(ApiError::new(
                422,
                "form_password_incorrect",
                "Password is incorrect. Try again, or use another method.",
            )
            .into());
        }
        Ok(user.clone())
    }

    /// A session token for `session_id`: a JWT-shaped string with the claims
    /// a client reads (`sid`, `sub`, `iat`, `exp`, `jti`), unsigned (`alg:
    /// none`): the in-memory server stands in for Clerk on the client side
    /// only; servers verify the emulator's signed tokens instead.
    #[cfg(feature = "memory-tokens")]
    pub(super) fn mint_token(&mut self, session_id: &str, user_id: &str) -> String {
        self.tokens_issued += 1;
        let now = Duration::from_millis((crate::platform::now_secs() * 1000.0) as u64);
        let expires = now + self.token_lifetime;
        // Written out rather than through a JSON serializer: five fields, and
        // apps on this backend then carry no JSON code. Times in milliseconds.
        let claims = format!(
            r#"{{"sid":"{}","sub":"{}","iat":{},"exp":{},"jti":{}}}"#,
            json_escaped(session_id),
            json_escaped(user_id),
            seconds(now),
            seconds(expires),
            self.tokens_issued,
        );
        format!(
            "{}.{}.",
            encode_base64(br#"{"alg":"none","typ":"JWT"}"#, true),
            encode_base64(claims.as_bytes(), true)
        )
    }

    /// Marks a signed-in session as used now (and, with `activate`, makes it
    /// the active one), as Clerk's `touch` does; the client after it.
    pub(super) fn touch(
        &mut self,
        session_id: &str,
        activate: bool,
    ) -> Result<Option<Client>, ClerkError> {
        let index = self.signed_in_index(session_id)?;
        let now = self.tick();
        let client = self.client_mut(now);
        // A new copy rather than `Arc::make_mut`: the handle's state shares
        // these sessions, so it would copy anyway, and one path is smaller.
        if let Some(slot) = client.sessions.get_mut(index) {
            let mut session = crate::model::Session::clone(slot);
            session.last_active_at = now;
            *slot = std::sync::Arc::new(session);
        }
        if activate {
            client.last_active_session_id = Some(session_id.to_owned());
        }
        Ok(self.client.clone())
    }

    /// Advances the deterministic clock by one second (unless frozen) and returns it.
    pub(super) fn tick(&mut self) -> i64 {
        if !self.frozen_clock {
            self.clock += 1000;
        }
        self.clock
    }

    pub(super) fn fresh_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:06}", self.next_id)
    }

    /// The client, created if the server had none, marked as updated at `now`.
    pub(super) fn client_mut(&mut self, now: i64) -> &mut Client {
        let id = match self.client {
            Some(_) => String::new(),
            None => self.fresh_id("client"),
        };
        let client = self.client.get_or_insert_with(|| Client {
            id,
            created_at: now,
            ..Client::default()
        });
        client.updated_at = now;
        client
    }

    /// Where the signed-in session is, or Clerk's 404 answer.
    pub(super) fn signed_in_index(&self, session_id: &str) -> Result<usize, ClerkError> {
        self.client
            .as_ref()
            .and_then(|c| {
                c.sessions
                    .iter()
                    .position(|s| s.id == session_id && s.status.is_signed_in())
            })
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "resource_not_found",
                    format!("No session was found with id {session_id}"),
                )
                .into()
            })
    }
}

pub(super) fn make_user(id: &str, first_name: &str, last_name: &str, email: &str) -> User {
    let email_id = format!("idn_{}", id.trim_start_matches("user_"));
    User {
        id: id.to_owned(),
        first_name: Some(first_name.to_owned()),
        last_name: Some(last_name.to_owned()),
        username: None,
        image_url: None,
        primary_email_address_id: Some(email_id.clone()),
        email_addresses: vec![EmailAddress {
            id: email_id,
            email_address: email.to_owned(),
        }],
    }
}

#[cfg(feature = "memory-tokens")]
/// A time as a JSON number of seconds, to the millisecond (`1700000000.250`).
fn seconds(time: std::time::Duration) -> String {
    format!("{}.{:03}", time.as_secs(), time.subsec_millis())
}

#[cfg(feature = "memory-tokens")]
/// `text` as the inside of a JSON string.
fn json_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let byte = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(test, feature = "memory-tokens"))]
mod tests {
    use base64::Engine;

    #[test]
    fn minted_claims_are_json_with_escaped_ids_and_millisecond_times() {
        let mut server = super::Server {
            token_lifetime: std::time::Duration::from_millis(1500),
            ..Default::default()
        };
        let jwt = server.mint_token("sess_\"1\\", "user\n1");
        let payload = jwt.split('.').nth(1).unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(claims["sid"], "sess_\"1\\");
        assert_eq!(claims["sub"], "user\n1");
        assert_eq!(claims["jti"], 1);
        let lifetime = claims["exp"].as_f64().unwrap() - claims["iat"].as_f64().unwrap();
        assert!((lifetime - 1.5).abs() < 0.002, "{lifetime}");
    }
}
