//! Session tokens: RS256 JWTs with the claims of Clerk's session token v2,
//! for `POST /v1/client/sessions/{id}/tokens[/{template}]` and for every
//! active session's `last_active_token`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use crate::ids::{now_ms, random_id};
use crate::records::SessionRecord;
use crate::signing::SigningKeys;

/// How far `nbf` lies before `iat`: Clerk's default allowed clock skew.
const NOT_BEFORE_SKEW_SECS: i64 = 10;

/// The instance's token issuer: its signing keys, token lifetime and URL.
pub(crate) struct TokenIssuer {
    pub(crate) keys: SigningKeys,
    pub(crate) lifetime: Duration,
    /// The Frontend API URL, the tokens' `iss` (set once the port is bound).
    pub(crate) url: String,
    /// How far the clock that stamps tokens (`iat`, `nbf`, `exp`) is off
    /// this machine's, in milliseconds: a client whose clock is skewed,
    /// seen from the other side.
    pub(crate) clock_offset_ms: i64,
    /// Each session's `last_active_token`, handed out again while it is
    /// still good (see [`TokenIssuer::last_active_token`]), so an unchanged
    /// session reads the same in every answer, as on Clerk.
    last_active: Mutex<HashMap<String, LastActive>>,
}

/// A `last_active_token` and what decides whether it is handed out again.
struct LastActive {
    jwt: String,
    iat: i64,
    exp: i64,
    /// The `azp` it carries.
    origin: Option<String>,
}

impl TokenIssuer {
    pub(crate) fn new(keys: SigningKeys, lifetime: Duration) -> Self {
        Self {
            keys,
            lifetime,
            url: String::new(),
            clock_offset_ms: 0,
            last_active: Mutex::default(),
        }
    }

    /// The session's latest token for `last_active_token`, for a request
    /// from `origin`: the one handed out before while it has more than half
    /// its life left, was issued for the same origin (its `azp`), and is
    /// not older than `client_uat` (the client's `updated_at` in seconds:
    /// Clerk's backends refuse a cookie token issued before the client last
    /// changed, `session-token-iat-before-client-uat`); else a new one.
    pub(crate) fn last_active_token(
        &self,
        session: &SessionRecord,
        origin: Option<&str>,
        client_uat: i64,
    ) -> String {
        let now = self.now_ms() / 1000;
        let half = (self.lifetime.as_secs() / 2) as i64;
        let mut tokens = self.last_active.lock().unwrap_or_else(|p| p.into_inner());
        match tokens.get(&session.id) {
            Some(last)
                if last.exp - now > half
                    && last.iat >= client_uat + self.clock_offset_ms / 1000
                    && last.origin.as_deref() == origin =>
            {
                last.jwt.clone()
            }
            _ => {
                let jwt = self.token(session, None, origin);
                let last = LastActive {
                    jwt: jwt.clone(),
                    iat: now,
                    exp: now + self.lifetime.as_secs() as i64,
                    origin: origin.map(str::to_owned),
                };
                tokens.insert(session.id.clone(), last);
                jwt
            }
        }
    }

    /// A signed token for `session`: `sid`, `sub`, `iss`, `azp` (the request's
    /// `Origin`, when it has one, as Clerk does), `iat`, `nbf`, `exp`, `jti`,
    /// `v: 2`, `sts` and `fva`. A JWT template's token has no `sid` (as
    /// Clerk's) and names the template.
    pub(crate) fn token(
        &self,
        session: &SessionRecord,
        template: Option<&str>,
        origin: Option<&str>,
    ) -> String {
        let now_ms = self.now_ms();
        let iat = now_ms / 1000;
        // Minutes since the first factor; no second factor yet (-1).
        let first_factor_minutes =
            (now_ms - self.clock_offset_ms - session.created_at).max(0) / 60_000;
        let mut claims = json!({
            "sub": session.user_id,
            "iss": self.url,
            "iat": iat,
            "nbf": iat - NOT_BEFORE_SKEW_SECS,
            "exp": iat + self.lifetime.as_secs() as i64,
            "jti": random_id("jwt"),
            "v": 2,
            "sts": session.status.as_str(),
            "fva": [first_factor_minutes, -1],
        });
        match template {
            None => claims["sid"] = json!(session.id),
            Some(name) => claims["tpl"] = json!(name),
        }
        if let Some(origin) = origin {
            claims["azp"] = json!(origin);
        }
        self.keys.sign(&claims)
    }

    /// The token clock, in Unix milliseconds.
    fn now_ms(&self) -> i64 {
        now_ms() + self.clock_offset_ms
    }

    /// A new key signs from now on (see `SigningKeys::rotate`); the
    /// sessions' `last_active_token`s are signed anew with it.
    pub(crate) fn rotate(&mut self) {
        self.keys.rotate();
        self.last_active
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// The answer to a token request: the spec's `{jwt}`, typed `token` as clerk-js reads it.
    pub(crate) fn answer(jwt: String) -> Value {
        json!({ "object": "token", "jwt": jwt })
    }
}
