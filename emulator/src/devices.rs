//! Other devices: the user's active sessions on every client, each with its
//! client's device
//! (`GET /v1/me/sessions/active`) and revoking one of them
//! (`POST /v1/me/sessions/{id}/revoke`), acting as the `_clerk_session_id`
//! session.

use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use serde_json::{json, Value};

use crate::credentials::Query;
use crate::device::Device;
use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::json as shapes;
use crate::serving::{query, require_client, serve, App};
use crate::store::{SessionStatus, Store};

/// A client made by [`Emulator::sign_in_elsewhere`](crate::Emulator::sign_in_elsewhere): the same user on another device.
#[derive(Debug, Clone, Serialize)]
pub struct OtherDevice {
    /// The new client.
    pub client_id: String,
    /// The user's session on it.
    pub session_id: String,
    /// A native client token for it (`Authorization`, with `_is_native=1`),
    /// to act as that device.
    pub token: String,
}

impl Store {
    /// Records the device a client's request came from. A seeded device keeps
    /// its place; a request without `User-Agent` keeps the one known.
    pub(crate) fn saw_device(&mut self, client_id: &str, seen: Device) {
        let Some(client) = self.clients.get_mut(client_id) else {
            return;
        };
        if seen.user_agent.is_some() {
            client.device.user_agent = seen.user_agent;
            client.device.native = seen.native;
        }
    }

    /// Signs `user_id` in on a new client with `device`: another browser or
    /// app install of the same user.
    pub(crate) fn sign_in_elsewhere(
        &mut self,
        user_id: &str,
        device: Device,
    ) -> Result<OtherDevice, ApiFailure> {
        if self.user(user_id).is_none() {
            return Err(ApiFailure::not_found("User"));
        }
        let client_id = self.create_client_with_id(random_id("client"), &[]);
        let session_id = self.start_session(&client_id, user_id);
        if let Some(client) = self.clients.get_mut(&client_id) {
            client.device = device;
        }
        let token = self.issue_native_token(&client_id);
        Ok(OtherDevice {
            client_id,
            session_id,
            token,
        })
    }

    /// The session acting for the user: `_clerk_session_id`, else the
    /// client's last active one; it must be active on this client, or the
    /// caller is signed out (Clerk's 401).
    fn acting_user(&self, client_id: &str, query: &Query) -> Result<String, ApiFailure> {
        let client = self.clients.get(client_id);
        let acting = query
            .get("_clerk_session_id")
            .cloned()
            .or_else(|| client.and_then(|c| c.last_active_session_id.clone()))
            .unwrap_or_default();
        self.active_session_of(client_id, &acting)
            .map_err(|_| ApiFailure::new(401, "signed_out", "You are signed out"))?;
        Ok(self.sessions[&acting].user_id.clone())
    }

    /// The acting user's active sessions on every client, most recently
    /// active first, each with its device's latest activity.
    fn active_sessions(&self, client_id: &str, query: &Query) -> Result<Value, ApiFailure> {
        let user_id = self.acting_user(client_id, query)?;
        let mut sessions: Vec<_> = self
            .sessions
            .values()
            .filter(|s| s.user_id == user_id && s.status.is_signed_in())
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.last_active_at));
        let listed = sessions.into_iter().map(|session| {
            let device = self
                .clients
                .values()
                .find(|c| c.session_ids.contains(&session.id))
                .map(|c| c.device.clone())
                .unwrap_or_default();
            let mut value = shapes::session(self, session);
            value["latest_activity"] = device.activity(&session.id);
            value
        });
        Ok(Value::Array(listed.collect()))
    }

    /// Revokes `session_id`, an active session of the acting user on any
    /// client; anything else is Clerk's 404.
    fn revoke(
        &mut self,
        client_id: &str,
        query: &Query,
        session_id: &str,
    ) -> Result<(), ApiFailure> {
        let user_id = self.acting_user(client_id, query)?;
        let revocable = self
            .sessions
            .get(session_id)
            .is_some_and(|s| s.user_id == user_id && s.status.is_signed_in());
        if !revocable {
            return Err(ApiFailure::not_found("Session"));
        }
        self.set_status(session_id, SessionStatus::Revoked);
        let now = now_ms();
        for client in self.clients.values_mut() {
            if client.session_ids.iter().any(|s| s == session_id) {
                client.updated_at = now;
                if client.last_active_session_id.as_deref() == Some(session_id) {
                    client.last_active_session_id = None;
                }
            }
        }
        Ok(())
    }
}

/// `GET /v1/me/sessions/active`: a bare array, as the spec has it.
pub(crate) async fn active_sessions(
    State(shared): App,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let query = query(request.uri().query());
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        store.active_sessions(require_client(client_id)?, &query)
    })
}

/// `POST /v1/me/sessions/{id}/revoke`: `{response: session, client}`.
pub(crate) async fn revoke(
    State(shared): App,
    Path(session_id): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let query = query(request.uri().query());
    serve(&shared, &headers, &query, false, |store, client_id, _| {
        let client_id = require_client(client_id)?;
        store.revoke(client_id, &query, &session_id)?;
        let session = shapes::session(store, &store.sessions[&session_id]);
        Ok(json!({ "response": session, "client": shapes::client_by_id(store, client_id) }))
    })
}
