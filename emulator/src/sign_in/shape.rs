//! The spec's `Client.SignIn`, from a sign-in record.

use serde_json::{json, Value};

use crate::json::email_address_id;
use crate::records::{SignInRecord, VerificationRecord};
use crate::store::Store;

/// `Client.SignIn` for `record`; `origin` (the emulator's own URL) makes the
/// provider page absolute.
pub(crate) fn sign_in(store: &Store, record: &SignInRecord, origin: &str) -> Value {
    let user = record.user_id.as_deref().and_then(|id| store.user(id));
    let first_factors: Vec<Value> = user
        .map(|u| {
            vec![
                json!({ "strategy": "email_code", "safe_identifier": u.email, "email_address_id": email_address_id(u), "primary": true }),
                json!({ "strategy": "password" }),
            ]
        })
        .unwrap_or_default();
    let second_factors = match (record.status, user) {
        ("needs_second_factor", Some(u)) => json!([
            { "strategy": "totp" },
            { "strategy": "email_code", "safe_identifier": u.email, "email_address_id": email_address_id(u) },
        ]),
        _ => Value::Null,
    };
    json!({
        "object": "sign_in_attempt",
        "id": record.id,
        "status": record.status,
        "supported_identifiers": ["email_address", "username"],
        "supported_first_factors": first_factors,
        "supported_second_factors": second_factors,
        "first_factor_verification": record.first.as_ref().map(|v| verification(v, origin)),
        "second_factor_verification": record.second.as_ref().map(|v| verification(v, origin)),
        "identifier": record.identifier,
        "user_data": user.map(|u| json!({ "first_name": u.first_name, "last_name": u.last_name, "has_image": false })),
        "created_session_id": record.created_session_id,
        "abandon_at": record.abandon_at,
    })
}

/// A verification in the shape of its strategy (`Stubs.Verification.*`).
fn verification(v: &VerificationRecord, origin: &str) -> Value {
    let attempts = if v.attempts == 0 {
        Value::Null
    } else {
        json!(v.attempts)
    };
    match v.strategy.as_str() {
        "password" => {
            json!({ "object": "verification_password", "status": v.status, "strategy": "password", "attempts": attempts, "expire_at": null })
        }
        "totp" => {
            json!({ "object": "verification_totp", "status": v.status, "strategy": "totp", "attempts": attempts, "expire_at": null })
        }
        strategy if strategy.starts_with("oauth_") => json!({
            "object": "verification_oauth",
            "status": v.status,
            "strategy": strategy,
            "external_verification_redirect_url": v.external_url.as_ref().map(|path| format!("{origin}{path}")),
            "error": null,
            "expire_at": v.expire_at,
            "attempts": attempts,
        }),
        strategy => {
            json!({ "object": "verification_otp", "status": v.status, "strategy": strategy, "attempts": attempts, "expire_at": v.expire_at })
        }
    }
}
