//! An emulator seeded for tests, and handles that talk to it.

use std::time::Duration;

use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore, TokenStore};
use clerk_dioxus::{Clerk, Client, SessionStatus};
use clerk_emulator::{Emulator, Seed, SeedClient, SeedUser};

/// The native token of the seeded three-account client.
pub const SEEDED_TOKEN: &str = "native_seeded_test_token";
/// The seeded client's id.
pub const SEEDED_CLIENT: &str = "client_test";

pub fn seed() -> Seed {
    let mfa = SeedUser {
        second_factor: true,
        ..SeedUser::new("user_mia", "Mia", "Factor", "mia@example.com", "pw-mia")
    };
    Seed::default()
        .user(SeedUser::new(
            "user_ada",
            "Ada",
            "Lovelace",
            "ada@example.com",
            "pw-ada",
        ))
        .user(SeedUser::new(
            "user_grace",
            "Grace",
            "Hopper",
            "grace@example.com",
            "pw-grace",
        ))
        .user(SeedUser::new(
            "user_alan",
            "Alan",
            "Turing",
            "alan@example.com",
            "pw-alan",
        ))
        .user(mfa)
        .client(SeedClient {
            id: Some(SEEDED_CLIENT.into()),
            native_token: Some(SEEDED_TOKEN.into()),
            users: vec!["user_ada".into(), "user_grace".into(), "user_alan".into()],
            ..SeedClient::default()
        })
}

pub async fn emulator() -> Emulator {
    Emulator::builder()
        .seed(seed())
        .start()
        .await
        .expect("the emulator starts on loopback")
}

/// An emulator of the seeded accounts whose session tokens live `lifetime`
/// (compressed time: tokens that expire within a test).
pub async fn emulator_with_lifetime(lifetime: Duration) -> Emulator {
    Emulator::builder()
        .seed(seed())
        .token_lifetime(lifetime)
        .start()
        .await
        .expect("the emulator starts on loopback")
}

/// The claims of a session token, read without checking it.
pub fn token_claims(jwt: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// This machine's clock, in Unix seconds.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// A native-mode handle on the seeded client, with its token store.
pub fn native_clerk(emulator: &Emulator) -> (Clerk, MemoryTokenStore) {
    let store = MemoryTokenStore::new();
    store.save(SEEDED_TOKEN).unwrap();
    (
        native_clerk_with(emulator, store.clone(), Duration::from_secs(5)),
        store,
    )
}

pub fn native_clerk_with(emulator: &Emulator, store: impl TokenStore, timeout: Duration) -> Clerk {
    let backend = FapiBackend::from_frontend_api_url(emulator.url())
        .unwrap()
        .token_store(store)
        .timeout(timeout)
        .build();
    Clerk::new(backend)
}

/// How many signed-in sessions a native client token reaches now (0 for a
/// token that acts for nobody).
pub async fn sessions_reached_by(emulator: &Emulator, token: &str) -> usize {
    let probe = MemoryTokenStore::new();
    probe.save(token).unwrap();
    let clerk = native_clerk_with(emulator, probe, Duration::from_secs(5));
    clerk.load().await.unwrap();
    let reached = clerk.state().signed_in_sessions().len();
    reached
}

/// What matters of a client for "the state is what the server holds":
/// its sessions (id, status) and the active one. (Session JWTs differ per answer.)
pub type Summary = (Vec<(String, SessionStatus)>, Option<String>);

pub fn summary(client: &Client) -> Summary {
    (
        client
            .sessions
            .iter()
            .map(|s| (s.id.clone(), s.status))
            .collect(),
        client.last_active_session_id.clone(),
    )
}

/// The seeded client as the emulator holds it now.
pub fn server_summary(emulator: &Emulator) -> Summary {
    let client: Client = serde_json::from_value(emulator.client_json(SEEDED_CLIENT))
        .expect("the seeded client exists");
    summary(&client)
}

pub fn local_summary(clerk: &Clerk) -> Summary {
    summary(clerk.state().client.as_ref().expect("a loaded client"))
}
