//! The API of the `fullstack` example: an axum server that verifies Clerk
//! session tokens with `ClerkLayer` and answers `GET /api/me` for signed-in
//! users only (a typed 401 otherwise). It also serves the web build of the
//! app from `--web DIR`, so page and API share an origin and the browser's
//! `__session` cookie reaches it. `/api/session-state` (any method) answers
//! what `Verifier::authenticate_request` decides for the request, by
//! Clerk's request rules: `{status, reason, user_id, session_id, location}`.
//!
//! `cargo run --example fullstack_server --features server -- --fapi http://127.0.0.1:9400 --port 8081 [--web target/web/fullstack]`
//! (or `--publishable-key pk_…` for the instance; `--authorized-party ORIGIN`, repeatable;
//! `--secret-key sk_…` and `--backend-api-url URL` to exchange a handshake's nonce).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::Path;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use clerk_dioxus::server::{ClerkLayer, RequireAuth, Verifier};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut fapi, mut port, mut web) = (None, 8081u16, None);
    let (mut key, mut parties) = (None, Vec::new());
    let (mut secret, mut backend_api) = (std::env::var("CLERK_SECRET_KEY").ok(), None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fapi" => fapi = args.next(),
            "--publishable-key" => key = args.next(),
            "--authorized-party" => parties.extend(args.next()),
            "--secret-key" => secret = args.next(),
            "--backend-api-url" => backend_api = args.next(),
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or(port),
            "--web" => web = args.next().map(PathBuf::from),
            other => exit(&format!("unknown argument {other}")),
        }
    }
    let builder = match (
        key,
        fapi.or_else(|| std::env::var("CLERK_FRONTEND_API").ok()),
    ) {
        (Some(key), _) => Verifier::from_publishable_key(&key),
        (None, Some(fapi)) => Verifier::builder(&fapi),
        (None, None) => exit("give the Frontend API: --fapi URL (or CLERK_FRONTEND_API)"),
    };
    let configured = builder.map(|b| {
        let b = b.authorized_parties(parties);
        let b = match secret {
            Some(secret) => b.secret_key(secret),
            None => b,
        };
        match backend_api {
            Some(url) => b.backend_api_url(url),
            None => b,
        }
    });
    let verifier = match configured.and_then(|b| b.build()) {
        Ok(verifier) => verifier,
        Err(error) => exit(&format!("cannot verify tokens: {error}")),
    };
    let mut app = Router::new().route("/api/me", get(me)).route(
        "/api/session-state",
        any(session_state).with_state(verifier.clone()),
    );
    if let Some(dir) = web {
        let files = dir.clone();
        app = app
            .route("/", get(move || page(dir.clone(), "index.html".into())))
            .route(
                "/{*file}",
                get(move |Path(file): Path<String>| page(files.clone(), file)),
            );
    }
    let app = app.layer(ClerkLayer::new(verifier));
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => exit(&format!("cannot listen on {address}: {error}")),
    };
    println!(
        "fullstack API on http://{}",
        listener.local_addr().unwrap_or(address)
    );
    if let Err(error) = axum::serve(listener, app).await {
        exit(&format!("the server stopped: {error}"));
    }
}

/// `GET /api/me`: who the verified session token says the request is from.
async fn me(RequireAuth(auth): RequireAuth) -> Json<serde_json::Value> {
    Json(json!({ "user_id": auth.user_id, "session_id": auth.session_id }))
}

/// `/api/session-state`: Clerk's verdict on this request, as JSON.
async fn session_state(
    State(verifier): State<Verifier>,
    request: Request,
) -> Json<serde_json::Value> {
    let state = verifier.authenticate_request(&request).await;
    Json(json!({
        "status": state.status().as_str(),
        "reason": state.reason().map(|r| r.to_string()),
        "user_id": state.auth().map(|a| a.user_id.clone()),
        "session_id": state.auth().and_then(|a| a.session_id.clone()),
        "location": state.location(),
        "set_cookies": state
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split('=').next())
            .collect::<Vec<_>>(),
    }))
}

/// A file of the web build (wasm-bindgen's `snippets/…` included); every
/// segment of its path is a plain name (not empty, `.`, `..`, nor with a backslash).
async fn page(dir: PathBuf, file: String) -> Response {
    let plain = |segment: &str| {
        !segment.is_empty() && segment != "." && segment != ".." && !segment.contains('\\')
    };
    if !file.split('/').all(plain) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let kind = match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(dir.join(&file)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn exit(message: &str) -> ! {
    eprintln!("fullstack_server: {message}");
    std::process::exit(2)
}
