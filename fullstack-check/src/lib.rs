//! A Dioxus 0.7 fullstack server function that reads the verified Clerk
//! user: `ClerkLayer` on the server's router verifies the request's session
//! token, and the function takes `RequireAuth` like any axum extractor.

use clerk_dioxus::server::RequireAuth;
use dioxus::prelude::*;

/// Who the request is from, for the signed-in user only: a request without a
/// valid session token is refused (401) before the body runs.
#[server(endpoint = "whoami", auth: RequireAuth)]
pub async fn whoami() -> Result<String, ServerFnError> {
    Ok(auth.0.user_id.clone())
}
