//! The spec's JSON shapes (`Client.Client-2`, `Client.Session-2`,
//! `Client.User`, `Client.SignIn-2`, …), rendered from the store's records.
//! Every field the spec requires is present; objects the spec closes with
//! `additionalProperties: false` get nothing else.

use serde_json::{json, Value};

use crate::store::{ClientRecord, SessionRecord, Store, UserRecord, SESSION_LIFETIME_MS};

pub(crate) fn client(store: &Store, client: &ClientRecord) -> Value {
    let sessions: Vec<Value> = client
        .session_ids
        .iter()
        .filter_map(|id| store.sessions.get(id))
        .map(|s| session_of(store, s, client.updated_at))
        .collect();
    json!({
        "object": "client",
        "id": client.id,
        "sessions": sessions,
        "sign_in": null,
        "sign_up": null,
        "last_active_session_id": client.last_active_session_id,
        "last_authentication_strategy": null,
        "cookie_expires_at": client.created_at + 365 * 24 * 3600 * 1000,
        "captcha_bypass": false,
        "created_at": client.created_at,
        "updated_at": client.updated_at,
    })
}

pub(crate) fn client_by_id(store: &Store, client_id: &str) -> Value {
    store
        .clients
        .get(client_id)
        .map(|c| client(store, c))
        .unwrap_or(Value::Null)
}

/// A session as Clerk answers it; its client (for `last_active_token`) is
/// looked up.
pub(crate) fn session(store: &Store, session: &SessionRecord) -> Value {
    let client = store.client_of_session(&session.id);
    session_of(store, session, client.map_or(0, |c| c.updated_at))
}

/// A session of a client last changed at `client_updated_at` (ms).
fn session_of(store: &Store, session: &SessionRecord, client_updated_at: i64) -> Value {
    let user = store.user(&session.user_id);
    let mut value = json!({
        "id": session.id,
        "object": "session",
        "status": session.status.as_str(),
        "expire_at": session.last_active_at + SESSION_LIFETIME_MS,
        "abandon_at": session.created_at + 4 * SESSION_LIFETIME_MS,
        "last_active_at": session.last_active_at,
        "last_active_token": null,
        "last_active_organization_id": null,
        "tasks": tasks(session),
        "actor": null,
        "public_user_data": user.map(public_user_data),
        "factor_verification_age": [0, 0],
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    });
    if let Some(user) = user {
        value["user"] = self::user(user);
        if session.status.is_signed_in() {
            // A real session token, as Clerk's answers carry (clerk-js
            // starts its token cache from it), for the origin asking and
            // issued no earlier than the client's last change.
            let client_uat = client_updated_at.div_euclid(1000);
            let origin = store.request_origin.as_deref();
            let jwt = store.issuer.last_active_token(session, origin, client_uat);
            value["last_active_token"] = json!({ "object": "token", "jwt": jwt });
        }
    }
    value
}

/// A session's `tasks`: `[{key}]` while it is pending, else `null`.
fn tasks(session: &SessionRecord) -> Value {
    if session.tasks.is_empty() || session.status != crate::store::SessionStatus::Pending {
        return Value::Null;
    }
    let tasks: Vec<Value> = session
        .tasks
        .iter()
        .map(|key| json!({ "key": key }))
        .collect();
    json!(tasks)
}

fn public_user_data(user: &UserRecord) -> Value {
    json!({
        "first_name": user.first_name,
        "last_name": user.last_name,
        "image_url": null,
        "has_image": false,
        "identifier": user.email,
        "user_id": user.id,
        "username": user.username,
    })
}

pub(crate) fn email_address_id(user: &UserRecord) -> String {
    format!("idn_{}", user.id.trim_start_matches("user_"))
}

pub(crate) fn user(user: &UserRecord) -> Value {
    json!({
        "id": user.id,
        "object": "user",
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "has_image": false,
        "primary_email_address_id": email_address_id(user),
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "password_enabled": true,
        "two_factor_enabled": user.second_factor,
        "totp_enabled": user.second_factor,
        "backup_code_enabled": false,
        "email_addresses": [{
            "id": email_address_id(user),
            "object": "email_address",
            "email_address": user.email,
            "reserved": false,
            "verification": { "object": "verification_otp", "status": "verified", "strategy": "email_code", "attempts": 1, "expire_at": user.created_at },
            "linked_to": [],
            "created_at": user.created_at,
            "updated_at": user.created_at,
        }],
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "public_metadata": {},
        "external_id": null,
        "last_sign_in_at": user.last_sign_in_at,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": null,
        "created_at": user.created_at,
        "updated_at": user.created_at,
        "delete_self_enabled": true,
        "create_organization_enabled": false,
        "last_active_at": null,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "legal_accepted_at": null,
    })
}

/// `GET /v1/environment`: a complete, spec-valid environment. `origin` is the
/// emulator's own (`http://host:port`, from the request), where its stand-in
/// account pages live.
pub(crate) fn environment(development: bool, origin: Option<&str>) -> Value {
    let mut env: Value = serde_json::from_str(include_str!("environment.json"))
        .expect("environment.json is valid JSON");
    env["display_config"]["instance_environment_type"] = json!(if development {
        "development"
    } else {
        "production"
    });
    env["display_config"]["application_name"] = json!("clerk-emulator");
    if let Some(origin) = origin {
        env["display_config"]["user_profile_url"] = json!(format!("{origin}/user"));
        env["display_config"]["sign_in_url"] = json!(format!("{origin}/sign-in"));
    }
    env
}
