//! Over real HTTP: a Dioxus fullstack router with `ClerkLayer`, called with a
//! session token the emulator issued, and without one.

use clerk_dioxus::backend::fapi::{FapiBackend, MemoryTokenStore, TokenStore};
use clerk_dioxus::server::{ClerkLayer, Verifier};
use clerk_dioxus::{Clerk, GetTokenOptions};
use clerk_emulator::{Emulator, Seed, SeedClient, SeedUser};
use dioxus::server::{DioxusRouterExt, FullstackState};

const NATIVE_TOKEN: &str = "fullstack_check_token";

async fn signed_in_token(emulator: &Emulator) -> String {
    let store = MemoryTokenStore::new();
    store.save(NATIVE_TOKEN).unwrap();
    let backend = FapiBackend::from_frontend_api_url(emulator.url())
        .unwrap()
        .token_store(store)
        .build();
    let clerk = Clerk::new(backend);
    clerk.load().await.unwrap();
    clerk
        .get_token(GetTokenOptions::new())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_server_function_reads_the_verified_user_and_refuses_a_missing_token() {
    let seed = Seed::default()
        .user(SeedUser::new(
            "user_ada",
            "Ada",
            "Lovelace",
            "ada@example.com",
            "pw",
        ))
        .client(SeedClient {
            native_token: Some(NATIVE_TOKEN.into()),
            users: vec!["user_ada".into()],
            ..SeedClient::default()
        });
    let emulator = Emulator::builder().seed(seed).start().await.unwrap();
    let token = signed_in_token(&emulator).await;

    // Keep the server function in this binary (it registers itself).
    let _ = clerk_dioxus_fullstack_app::whoami;
    let verifier = Verifier::builder(emulator.url()).unwrap().build().unwrap();
    let app = dioxus::server::axum::Router::new()
        .register_server_functions()
        .with_state(FullstackState::headless())
        .layer(ClerkLayer::new(verifier));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/whoami", listener.local_addr().unwrap());
    tokio::spawn(async move { dioxus::server::axum::serve(listener, app).await.unwrap() });

    let http = reqwest::Client::new();
    let signed_in = http
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 200);
    let who = signed_in.text().await.unwrap();
    assert!(who.starts_with("\"user_ada (sess_"), "{who}");

    let anonymous = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let body: serde_json::Value = serde_json::from_str(&anonymous.text().await.unwrap()).unwrap();
    assert_eq!(body["reason"], "session-token-missing", "{body}");
}
