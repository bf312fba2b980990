//! The emulator's state: users, clients, sessions, and the credentials that
//! lead to clients. All mutations of Clerk's data model live here.

use std::collections::HashMap;

use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::seed::{Seed, SeedClient};
use crate::tokens::TokenIssuer;

pub(crate) use crate::records::{
    ClientRecord, SentCode, SessionRecord, SessionStatus, SignInRecord, UserRecord,
    SESSION_LIFETIME_MS,
};

pub(crate) struct Store {
    pub(crate) users: Vec<UserRecord>,
    pub(crate) clients: HashMap<String, ClientRecord>,
    pub(crate) sessions: HashMap<String, SessionRecord>,
    /// Native client tokens (every token ever issued to a live client).
    pub(crate) native_tokens: HashMap<String, String>,
    /// `__client` cookie values.
    pub(crate) cookies: HashMap<String, String>,
    /// Dev-browser ids, with the client each one reached, once it has one.
    pub(crate) dev_browsers: HashMap<String, Option<String>>,
    sign_in_new_clients: Vec<String>,
    /// Signs session tokens.
    pub(crate) issuer: TokenIssuer,
    /// Sign-in attempts, by id.
    pub(crate) sign_ins: HashMap<String, SignInRecord>,
    /// The codes sent, oldest first.
    pub(crate) codes: Vec<SentCode>,
    /// The `Origin` of the request being served (set under the lock for
    /// each request): the `azp` of the tokens its answer carries.
    pub(crate) request_origin: Option<String>,
}

impl Store {
    pub(crate) fn from_seed(seed: &Seed, issuer: TokenIssuer) -> Self {
        let now = now_ms();
        let mut store = Store {
            users: seed
                .users
                .iter()
                .map(|u| UserRecord {
                    id: u.id.clone(),
                    first_name: u.first_name.clone(),
                    last_name: u.last_name.clone(),
                    username: u.username.clone(),
                    email: u.email.clone(),
                    password: u.password.clone(),
                    second_factor: u.second_factor,
                    totp_secret: u.totp_secret_bytes(),
                    created_at: now,
                    last_sign_in_at: None,
                    session_tasks: u.session_tasks.clone(),
                })
                .collect(),
            sign_in_new_clients: seed.sign_in_new_clients.clone(),
            clients: HashMap::new(),
            sessions: HashMap::new(),
            native_tokens: HashMap::new(),
            cookies: HashMap::new(),
            dev_browsers: HashMap::new(),
            issuer,
            sign_ins: HashMap::new(),
            codes: Vec::new(),
            request_origin: None,
        };
        for client in &seed.clients {
            store.seed_client(client);
        }
        store
    }

    fn seed_client(&mut self, seed: &SeedClient) {
        let id = self.create_client_with_id(
            seed.id.clone().unwrap_or_else(|| random_id("client")),
            &seed.users,
        );
        if let Some(active) = &seed.active {
            let session = self.clients[&id]
                .session_ids
                .iter()
                .find(|sid| self.sessions[*sid].user_id == *active)
                .cloned();
            if let Some(session) = session {
                self.clients
                    .get_mut(&id)
                    .expect("just created")
                    .last_active_session_id = Some(session);
            }
        }
        if let Some(token) = &seed.native_token {
            self.native_tokens.insert(token.clone(), id.clone());
        }
        if let Some(cookie) = &seed.cookie {
            self.cookies.insert(cookie.clone(), id.clone());
        }
        if let Some(dev_browser) = &seed.dev_browser {
            self.dev_browsers
                .insert(dev_browser.clone(), Some(id.clone()));
        }
    }

    /// Whether new clients start signed in (then a browser gets a client on its first visit).
    pub(crate) fn signs_in_new_clients(&self) -> bool {
        !self.sign_in_new_clients.is_empty()
    }

    /// A new client, signed in to the `sign_in_new_clients` accounts.
    pub(crate) fn create_client(&mut self) -> String {
        let users = self.sign_in_new_clients.clone();
        self.create_client_with_id(random_id("client"), &users)
    }

    pub(crate) fn create_client_with_id(&mut self, id: String, users: &[String]) -> String {
        let now = now_ms();
        self.clients.insert(
            id.clone(),
            ClientRecord {
                id: id.clone(),
                session_ids: Vec::new(),
                last_active_session_id: None,
                created_at: now,
                updated_at: now,
                device: Default::default(),
            },
        );
        // The first listed user ends up active: sign them in last.
        for user_id in users.iter().rev() {
            if self.users.iter().any(|u| u.id == *user_id) {
                self.start_session(&id, user_id);
            }
        }
        id
    }

    pub(crate) fn start_session(&mut self, client_id: &str, user_id: &str) -> String {
        let now = now_ms();
        let id = random_id("sess");
        let tasks = self
            .user(user_id)
            .map(|u| u.session_tasks.clone())
            .unwrap_or_default();
        let status = if tasks.is_empty() {
            SessionStatus::Active
        } else {
            SessionStatus::Pending
        };
        self.sessions.insert(
            id.clone(),
            SessionRecord {
                id: id.clone(),
                user_id: user_id.into(),
                status,
                created_at: now,
                updated_at: now,
                last_active_at: now,
                tasks,
            },
        );
        let client = self.clients.get_mut(client_id).expect("client exists");
        client.session_ids.push(id.clone());
        client.last_active_session_id = Some(id.clone());
        client.updated_at = now;
        id
    }

    pub(crate) fn issue_native_token(&mut self, client_id: &str) -> String {
        let token = random_id("native");
        self.native_tokens
            .insert(token.clone(), client_id.to_owned());
        token
    }

    pub(crate) fn issue_cookie(&mut self, client_id: &str) -> String {
        let cookie = random_id("cookie");
        self.cookies.insert(cookie.clone(), client_id.to_owned());
        cookie
    }

    pub(crate) fn create_dev_browser(&mut self) -> String {
        let id = random_id("dvb");
        self.dev_browsers.insert(id.clone(), None);
        id
    }

    pub(crate) fn user(&self, user_id: &str) -> Option<&UserRecord> {
        self.users.iter().find(|u| u.id == user_id)
    }

    /// The client that lists `session_id`.
    pub(crate) fn client_of_session(&self, session_id: &str) -> Option<&ClientRecord> {
        self.clients
            .values()
            .find(|c| c.session_ids.iter().any(|s| s == session_id))
    }

    /// What `__client_uat` says of a client, as Clerk writes it: its
    /// `updated_at` in whole seconds while a session on it is signed in
    /// (active or pending), else `0`.
    pub(crate) fn client_uat(&self, client_id: &str) -> i64 {
        let Some(client) = self.clients.get(client_id) else {
            return 0;
        };
        let signed_in = client
            .session_ids
            .iter()
            .filter_map(|id| self.sessions.get(id))
            .any(|s| s.status.is_signed_in());
        if signed_in {
            client.updated_at.div_euclid(1000)
        } else {
            0
        }
    }

    /// The signed-in session `session_id` of `client_id`, or Clerk's 404.
    pub(crate) fn active_session_of(
        &self,
        client_id: &str,
        session_id: &str,
    ) -> Result<(), ApiFailure> {
        let listed = self
            .clients
            .get(client_id)
            .is_some_and(|c| c.session_ids.iter().any(|s| s == session_id));
        let active = self
            .sessions
            .get(session_id)
            .is_some_and(|s| s.status.is_signed_in());
        if listed && active {
            Ok(())
        } else {
            Err(ApiFailure::not_found("Session"))
        }
    }

    pub(crate) fn set_status(&mut self, session_id: &str, status: SessionStatus) {
        if let Some(session) = self.sessions.get_mut(session_id) {
            session.status = status;
            session.updated_at = now_ms();
        }
    }

    fn touch_client(&mut self, client_id: &str) -> &mut ClientRecord {
        let client = self.clients.get_mut(client_id).expect("client exists");
        client.updated_at = now_ms();
        client
    }

    /// `POST …/remove`: signs the session out and drops it from the client.
    pub(crate) fn remove_session(
        &mut self,
        client_id: &str,
        session_id: &str,
    ) -> Result<(), ApiFailure> {
        self.active_session_of(client_id, session_id)?;
        self.set_status(session_id, SessionStatus::Removed);
        let client = self.touch_client(client_id);
        client.session_ids.retain(|s| s != session_id);
        if client.last_active_session_id.as_deref() == Some(session_id) {
            client.last_active_session_id = None;
        }
        Ok(())
    }

    /// `POST …/end`: signs the session out and keeps it listed as `ended`.
    pub(crate) fn end_session(
        &mut self,
        client_id: &str,
        session_id: &str,
    ) -> Result<(), ApiFailure> {
        self.active_session_of(client_id, session_id)?;
        self.set_status(session_id, SessionStatus::Ended);
        let client = self.touch_client(client_id);
        if client.last_active_session_id.as_deref() == Some(session_id) {
            client.last_active_session_id = None;
        }
        Ok(())
    }

    /// `POST …/touch`: `select_session` makes it the active one; every intent
    /// marks it as used now.
    pub(crate) fn touch_session(
        &mut self,
        client_id: &str,
        session_id: &str,
        intent: Option<&str>,
    ) -> Result<(), ApiFailure> {
        if !matches!(
            intent,
            None | Some("") | Some("focus") | Some("select_session") | Some("select_org")
        ) {
            return Err(ApiFailure::new(
                422,
                "form_param_value_invalid",
                "intent must be focus, select_session or select_org",
            ));
        }
        self.active_session_of(client_id, session_id)?;
        let now = now_ms();
        if let Some(session) = self.sessions.get_mut(session_id) {
            session.last_active_at = now;
            session.updated_at = now;
        }
        let client = self.touch_client(client_id);
        if intent == Some("select_session") {
            client.last_active_session_id = Some(session_id.to_owned());
        }
        Ok(())
    }

    /// Ends, out of band, every active session `which` picks (another device,
    /// an admin, the Backend API): `ended` or `revoked`, still listed on its
    /// client, whose `updated_at` moves on. Returns how many ended.
    pub(crate) fn end_out_of_band(
        &mut self,
        which: impl Fn(&SessionRecord) -> bool,
        revoke: bool,
    ) -> usize {
        let ended: Vec<String> = self
            .sessions
            .values()
            .filter(|s| s.status.is_signed_in() && which(s))
            .map(|s| s.id.clone())
            .collect();
        let status = if revoke {
            SessionStatus::Revoked
        } else {
            SessionStatus::Ended
        };
        for id in &ended {
            self.set_status(id, status);
        }
        let now = now_ms();
        for client in self.clients.values_mut() {
            if client.session_ids.iter().any(|s| ended.contains(s)) {
                client.updated_at = now;
                if client
                    .last_active_session_id
                    .as_ref()
                    .is_some_and(|s| ended.contains(s))
                {
                    client.last_active_session_id = None;
                }
            }
        }
        ended.len()
    }

    /// A token for the active session `session_id` of `client_id` (Clerk's
    /// 404 for any other), from a JWT template when one is named.
    pub(crate) fn session_token(
        &self,
        client_id: &str,
        session_id: &str,
        template: Option<&str>,
        origin: Option<&str>,
    ) -> Result<String, ApiFailure> {
        self.active_session_of(client_id, session_id)?;
        Ok(self
            .issuer
            .token(&self.sessions[session_id], template, origin))
    }

    /// `DELETE /v1/client/sessions`: every session removed, the client kept.
    pub(crate) fn remove_all_sessions(&mut self, client_id: &str) {
        let ids = std::mem::take(&mut self.touch_client(client_id).session_ids);
        for id in &ids {
            self.set_status(id, SessionStatus::Removed);
        }
        self.touch_client(client_id).last_active_session_id = None;
    }

    /// `DELETE /v1/client`: every session ended and the client gone, with
    /// every credential that led to it.
    pub(crate) fn destroy_client(&mut self, client_id: &str) {
        self.remove_all_sessions(client_id);
        self.clients.remove(client_id);
        self.native_tokens.retain(|_, c| c != client_id);
        self.cookies.retain(|_, c| c != client_id);
        for client in self.dev_browsers.values_mut() {
            if client.as_deref() == Some(client_id) {
                *client = None;
            }
        }
    }
}
