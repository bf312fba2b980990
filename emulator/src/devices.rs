//! Other devices: the device each client was last used from (read from its
//! requests, or seeded), the user's active sessions on every client
//! (`GET /v1/me/sessions/active`) and revoking one of them
//! (`POST /v1/me/sessions/{id}/revoke`), acting as the `_clerk_session_id`
//! session.

use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::app::{query, require_client, serve, App};
use crate::credentials::{is_native, Query};
use crate::error::ApiFailure;
use crate::ids::{now_ms, random_id};
use crate::json as shapes;
use crate::store::{SessionStatus, Store};

/// Where and on what a client is used: from its requests' `User-Agent` (and
/// `_is_native`), or seeded. The emulator listens on loopback, so the address
/// is `127.0.0.1` unless seeded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The `User-Agent` the client sends.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Whether the client is a native app (`_is_native=1`).
    #[serde(default)]
    pub native: bool,
    /// The IP address to report.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The city to report.
    #[serde(default)]
    pub city: Option<String>,
    /// The country to report.
    #[serde(default)]
    pub country: Option<String>,
}

impl Device {
    /// The device a request comes from.
    pub(crate) fn from_request(headers: &HeaderMap, query: &Query) -> Self {
        let user_agent = headers
            .get("user-agent")
            .and_then(|ua| ua.to_str().ok())
            .map(str::to_owned);
        Self {
            user_agent,
            native: is_native(query),
            ..Self::default()
        }
    }

    /// The spec's `Client.SessionActivity` for `session_id` on this device.
    fn activity(&self, session_id: &str) -> Value {
        let ua = self.user_agent.as_deref().unwrap_or_default();
        let (device_type, is_mobile) = operating_system(ua);
        let mut activity = json!({
            "object": "session_activity",
            "id": format!("sess_activity_{session_id}"),
            "is_mobile": is_mobile,
            "ip_address": self.ip_address.as_deref().unwrap_or("127.0.0.1"),
        });
        let (browser_name, browser_version) = browser(ua);
        let optional = [
            ("device_type", device_type.map(str::to_owned)),
            ("browser_name", browser_name.map(str::to_owned)),
            ("browser_version", browser_version.map(str::to_owned)),
            ("city", self.city.clone()),
            ("country", self.country.clone()),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                activity[field] = json!(value);
            }
        }
        activity
    }
}

/// The browser (or native app) and its version a `User-Agent` names.
fn browser(ua: &str) -> (Option<&str>, Option<&str>) {
    let version_after = |marker: &str| {
        ua.split(marker)
            .nth(1)
            .map(|rest| rest.split([' ', ';', ')']).next().unwrap_or_default())
    };
    let known = [
        ("Edg/", "Edge"),
        ("HeadlessChrome/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Firefox/", "Firefox"),
        ("clerk-dioxus/", "clerk-dioxus"),
    ];
    for (marker, name) in known {
        if ua.contains(marker) {
            return (Some(name), version_after(marker));
        }
    }
    if ua.contains("Safari/") {
        return (Some("Safari"), version_after("Version/"));
    }
    let first = ua.split([' ', '/']).next().filter(|name| !name.is_empty());
    (
        first,
        first.and_then(|name| version_after(&format!("{name}/"))),
    )
}

/// The kind of device a `User-Agent` names, and whether it is mobile.
fn operating_system(ua: &str) -> (Option<&'static str>, bool) {
    let lower = ua.to_ascii_lowercase();
    let known = [
        ("iphone", "iPhone", true),
        ("ipad", "iPad", true),
        ("android", "Android", true),
        ("(ios)", "iPhone", true),
        ("windows", "Windows", false),
        ("macintosh", "Macintosh", false),
        ("(macos)", "Macintosh", false),
        ("cros", "Chrome OS", false),
        ("linux", "Linux", false),
    ];
    known
        .iter()
        .find(|(marker, _, _)| lower.contains(marker))
        .map_or((None, false), |(_, name, mobile)| (Some(*name), *mobile))
}

/// A client made by [`Store::sign_in_elsewhere`]: the same user on another device.
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
            .filter(|s| s.user_id == user_id && s.status == SessionStatus::Active)
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
            .is_some_and(|s| s.user_id == user_id && s.status == SessionStatus::Active);
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

#[cfg(test)]
mod tests {
    use super::{browser, operating_system};

    #[test]
    fn user_agents_name_their_browser_and_device() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36";
        assert_eq!(browser(chrome), (Some("Chrome"), Some("131.0.6778.33")));
        assert_eq!(operating_system(chrome), (Some("Linux"), false));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser(iphone), (Some("Safari"), Some("17.0")));
        assert_eq!(operating_system(iphone), (Some("iPhone"), true));
        assert_eq!(
            browser("clerk-dioxus/0.1.0 (linux)"),
            (Some("clerk-dioxus"), Some("0.1.0"))
        );
        assert_eq!(
            operating_system("clerk-dioxus/0.1.0 (macos)"),
            (Some("Macintosh"), false)
        );
        assert_eq!(browser("node"), (Some("node"), None));
        assert_eq!(browser(""), (None, None));
    }
}
