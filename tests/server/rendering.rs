//! Server-rendered pages: the [`AuthSnapshot`] a page renders with, from a
//! real verdict and the user fetched from the emulator's Backend API
//! (`GET /v1/users/{user_id}` with the secret key), and the layer that
//! keeps it for page loads only.

use axum::routing::get;
use axum::{Extension, Router};
use clerk_dioxus::server::{AuthStatus, ClerkLayer, Verifier};
use clerk_dioxus::{AuthSnapshot, SessionStatus};
use clerk_emulator::Emulator;

use super::{emulator, issued};

/// A request from a native app with `token` (a page load, as far as
/// `auth_snapshot` cares: it reads only the verdict).
fn with_token(token: &str) -> http::Request<()> {
    http::Request::get("/")
        .header("authorization", format!("Bearer {token}"))
        .body(())
        .unwrap()
}

fn with_secret(emulator: &Emulator, secret: &str) -> Verifier {
    Verifier::builder(emulator.url())
        .unwrap()
        .secret_key(secret)
        .backend_api_url(emulator.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_signed_in_request_renders_with_its_session_and_the_user_from_the_backend_api() {
    let emulator = emulator().await;
    let token = issued(&emulator).await;
    let verifier = with_secret(&emulator, emulator.secret_key());
    let state = verifier.authenticate_request(&with_token(&token)).await;
    assert_eq!(state.status(), AuthStatus::SignedIn);

    let snapshot = verifier.auth_snapshot(&state).await.expect("a snapshot");
    let session = snapshot.session.expect("signed in");
    assert_eq!(
        Some(session.id.as_str()),
        state.auth().unwrap().session_id.as_deref()
    );
    assert_eq!(session.status, SessionStatus::Active);
    assert_eq!(session.display_name(), "Ada Lovelace");
    assert_eq!(session.email_address(), Some("ada@example.com"));
    assert!(
        session.last_active_token.is_none(),
        "no token goes into a page"
    );
    let json = serde_json::to_string(&session).unwrap();
    assert!(!json.contains(&token), "nor into its hydration data");
}

#[tokio::test]
async fn a_signed_out_request_renders_signed_out_and_an_unknown_user_renders_as_loading() {
    let emulator = emulator().await;
    let verifier = with_secret(&emulator, emulator.secret_key());
    let anonymous = http::Request::get("/").body(()).unwrap();
    let state = verifier.authenticate_request(&anonymous).await;
    assert_eq!(
        verifier.auth_snapshot(&state).await,
        Some(AuthSnapshot::signed_out())
    );

    // The Backend API refuses a wrong key: the page cannot name the user,
    // so it renders as loading (no snapshot) and the browser loads.
    let token = issued(&emulator).await;
    let wrong = with_secret(&emulator, "sk_test_not_this_instance");
    let state = wrong.authenticate_request(&with_token(&token)).await;
    assert_eq!(state.status(), AuthStatus::SignedIn);
    assert_eq!(wrong.auth_snapshot(&state).await, None);

    // No secret key at all: the same.
    let keyless = Verifier::builder(emulator.url()).unwrap().build().unwrap();
    let state = keyless.authenticate_request(&with_token(&token)).await;
    assert_eq!(keyless.auth_snapshot(&state).await, None);
}

#[tokio::test]
async fn the_layer_keeps_a_snapshot_for_page_loads_and_not_for_fetches() {
    let emulator = emulator().await;
    let token = issued(&emulator).await;
    async fn page(snapshot: Option<Extension<AuthSnapshot>>) -> String {
        match snapshot {
            Some(Extension(snapshot)) => match snapshot.session {
                Some(session) => session.display_name(),
                None => "signed out".into(),
            },
            None => "none".into(),
        }
    }
    let layer =
        ClerkLayer::new(with_secret(&emulator, emulator.secret_key())).with_server_rendering();
    let app = Router::new().route("/", get(page).post(page)).layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let http = reqwest::Client::new();
    let ask = |dest: &'static str| {
        http.get(&url)
            .bearer_auth(&token)
            .header("sec-fetch-dest", dest)
            .send()
    };
    assert_eq!(
        ask("document").await.unwrap().text().await.unwrap(),
        "Ada Lovelace"
    );
    assert_eq!(ask("empty").await.unwrap().text().await.unwrap(), "none");
    assert_eq!(ask("script").await.unwrap().text().await.unwrap(), "none");
    let html = http
        .get(&url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        html.text().await.unwrap(),
        "signed out",
        "no token: a visitor's page"
    );
    let post = http
        .post(&url)
        .bearer_auth(&token)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        post.text().await.unwrap(),
        "none",
        "a server function's POST renders no page"
    );
}
