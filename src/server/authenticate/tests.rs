//! The rows decided before any token is verified, and what a handshake
//! answers with. (Every row against `@clerk/backend` itself:
//! `e2e/request-rules.test.mjs`.)

use http::Request;

use super::*;

fn verifier(development: bool) -> Verifier {
    Verifier::builder("https://clerk.example.com")
        .unwrap()
        .development(development)
        .build()
        .unwrap()
}

fn page(uri: &str, cookie: &str) -> Request<()> {
    Request::get(uri)
        .header("host", "app.example.com")
        .header("sec-fetch-dest", "document")
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(())
        .unwrap()
}

fn now_minus(seconds: i64) -> String {
    (crate::server::jwt::now_secs() - seconds).to_string()
}

#[tokio::test]
async fn a_page_with_a_client_but_no_session_goes_through_the_handshake() {
    let verifier = verifier(false);
    let cookie = format!("__client_uat={}", now_minus(60));
    let state = verifier
        .authenticate_request(&page("/dashboard?tab=1", &cookie))
        .await;
    assert_eq!(state.status(), AuthStatus::Handshake);
    assert_eq!(
        state.reason(),
        Some(&AuthReason::ClientUatWithoutSessionToken)
    );
    let location = url::Url::parse(state.location().unwrap()).unwrap();
    assert_eq!(
        location.origin().ascii_serialization(),
        "https://clerk.example.com"
    );
    assert_eq!(location.path(), "/v1/client/handshake");
    let params: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    let expected = [
        ("redirect_url", "http://app.example.com/dashboard?tab=1"),
        ("__clerk_api_version", "2026-05-12"),
        ("suffixed_cookies", "false"),
        ("__clerk_hs_reason", "client-uat-but-no-session-token"),
        ("format", "nonce"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(params, expected);
    let headers = state.headers();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers["set-cookie"],
        "__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2"
    );
    assert_eq!(headers["x-clerk-auth-status"], "handshake");
    assert!(state.auth().is_none());
}

#[tokio::test]
async fn the_third_redirect_in_a_row_signs_out_instead() {
    let verifier = verifier(false);
    let cookie = format!("__client_uat={}; __clerk_redirect_count=3", now_minus(60));
    let state = verifier.authenticate_request(&page("/", &cookie)).await;
    assert_eq!(state.status(), AuthStatus::SignedOut);
    assert_eq!(
        state.reason(),
        Some(&AuthReason::ClientUatWithoutSessionToken)
    );
    assert!(state.location().is_none());
}

#[tokio::test]
async fn a_fetch_is_never_redirected_and_says_why_in_its_headers() {
    let verifier = verifier(false);
    let request = Request::get("/api/notes")
        .header("host", "app.example.com")
        .header("sec-fetch-dest", "empty")
        .header("cookie", format!("__client_uat={}", now_minus(60)))
        .body(())
        .unwrap();
    let state = verifier.authenticate_request(&request).await;
    assert_eq!(state.status(), AuthStatus::SignedOut);
    assert_eq!(
        state.headers()["x-clerk-auth-reason"],
        "client-uat-but-no-session-token"
    );
    assert_eq!(state.headers()["x-clerk-auth-status"], "signed-out");
    let nothing = Request::get("/").body(()).unwrap();
    let state = verifier.authenticate_request(&nothing).await;
    assert_eq!(
        state.reason().map(|r| r.to_string()).as_deref(),
        Some("session-token-and-uat-missing")
    );
}

#[tokio::test]
async fn a_development_page_takes_in_its_dev_browser_through_the_handshake() {
    let verifier = verifier(true);
    let state = verifier
        .authenticate_request(&page("/?__clerk_db_jwt=dvb_1&tab=2", ""))
        .await;
    assert_eq!(state.reason(), Some(&AuthReason::DevBrowserSync));
    let location = url::Url::parse(state.location().unwrap()).unwrap();
    let param = |name: &str| {
        location
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(
        param("redirect_url").as_deref(),
        Some("http://app.example.com/?tab=2"),
        "the dev browser leaves the page's URL"
    );
    assert_eq!(
        param("__clerk_db_jwt").as_deref(),
        Some("dvb_1"),
        "and goes to the Frontend API"
    );
    let state = verifier.authenticate_request(&page("/", "")).await;
    assert_eq!(state.reason(), Some(&AuthReason::DevBrowserMissing));
}

#[tokio::test]
async fn a_handshake_carries_the_session_token_but_its_debug_output_does_not() {
    use base64::Engine;
    let encode = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    // Older than the client's last change: sent through the handshake
    // before any key is needed.
    let token = format!(
        "{}.{}.c2ln",
        encode(r#"{"alg":"RS256","kid":"k"}"#),
        encode(r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1000}"#)
    );
    let cookie = format!("__session={token}; __client_uat={}", now_minus(60));
    let state = verifier(false)
        .authenticate_request(&page("/", &cookie))
        .await;
    assert_eq!(
        state.reason(),
        Some(&AuthReason::SessionTokenIatBeforeClientUat)
    );
    assert!(
        state.location().unwrap().contains(&token),
        "the handshake takes the token along"
    );
    let debug = format!("{state:?}");
    assert!(
        !debug.contains(&token) && !debug.contains("c2ln"),
        "{debug}"
    );
}
