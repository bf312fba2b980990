//! Decoding a Frontend API answer (`{response: client, client: null}`) with 1,
//! 10 and 100 signed-in sessions, as the emulator shapes them: time and
//! allocations.
//!
//! `cargo bench --bench decode --features fuzzing`

use clerk_dioxus::backend::fapi::decode_client_answer;
use divan::{AllocProfiler, Bencher};
use serde_json::{json, Value};

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

fn user(n: usize) -> Value {
    json!({
        "id": format!("user_{n:024}"),
        "object": "user",
        "first_name": "Ada",
        "last_name": format!("Lovelace {n}"),
        "username": null,
        "image_url": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
        "has_image": false,
        "primary_email_address_id": format!("idn_{n:024}"),
        "email_addresses": [{
            "id": format!("idn_{n:024}"),
            "object": "email_address",
            "email_address": format!("user{n}@example.com"),
            "verification": { "status": "verified", "strategy": "email_code" },
            "linked_to": [],
        }],
        "phone_numbers": [],
        "web3_wallets": [],
        "external_accounts": [],
        "public_metadata": {},
        "unsafe_metadata": {},
        "created_at": 1_764_000_000_000_i64,
        "updated_at": 1_764_000_000_000_i64,
    })
}

/// A client answer with `sessions` signed-in sessions.
fn answer(sessions: usize) -> String {
    let sessions: Vec<Value> = (0..sessions)
        .map(|n| {
            json!({
                "id": format!("sess_{n:024}"),
                "object": "session",
                "status": "active",
                "expire_at": 1_764_604_800_000_i64,
                "abandon_at": 1_766_592_000_000_i64,
                "last_active_at": 1_764_000_000_000_i64 + n as i64,
                "last_active_token": { "object": "token", "jwt": format!("eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJzZXNzXyJ9.{n:0>86}") },
                "last_active_organization_id": null,
                "actor": null,
                "user": user(n),
                "public_user_data": {
                    "first_name": "Ada",
                    "last_name": format!("Lovelace {n}"),
                    "image_url": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9",
                    "has_image": false,
                    "identifier": format!("user{n}@example.com"),
                    "user_id": format!("user_{n:024}"),
                },
                "factor_verification_age": [0, 0],
                "created_at": 1_764_000_000_000_i64,
                "updated_at": 1_764_000_000_000_i64,
            })
        })
        .collect();
    json!({
        "response": {
            "object": "client",
            "id": "client_000000000000000000000001",
            "sessions": sessions,
            "sign_in": null,
            "sign_up": null,
            "last_active_session_id": "sess_000000000000000000000000",
            "cookie_expires_at": 1_795_536_000_000_i64,
            "created_at": 1_764_000_000_000_i64,
            "updated_at": 1_764_000_000_000_i64,
        },
        "client": null,
    })
    .to_string()
}

#[divan::bench(args = [1, 10, 100])]
fn client_answer(bencher: Bencher, sessions: usize) {
    let body = answer(sessions);
    bencher
        .counter(divan::counter::BytesCount::of_str(&body))
        .bench(|| {
            let client = decode_client_answer(200, divan::black_box(&body))
                .expect("decodes")
                .expect("a client");
            assert_eq!(client.sessions.len(), sessions);
            client
        });
}
