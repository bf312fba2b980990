//! The handshake end to end over loopback HTTP: a page load whose session
//! cookie cannot be trusted is sent to the emulator's
//! `/v1/client/handshake`, which answers back to the page with a nonce (or
//! a signed token); `authenticate_request` exchanges the nonce at the
//! emulator's Backend API route, sets the cookies and signs the page in.
//! A browser here is a cookie jar and a client that does not follow
//! redirects, so every hop is checked.

use std::collections::BTreeMap;

use clerk_dioxus::server::{AuthReason, AuthStatus, RequestState, Verifier};
use clerk_emulator::Emulator;
use serde_json::Value;

use super::common::emulator::seed;

/// The app's origin as the browser sees it (nothing listens there: the
/// verifier reads the request, the test plays the server).
const APP: &str = "http://127.0.0.1:4000";

/// An emulator whose new clients are signed in as Ada.
async fn instance(development: bool) -> Emulator {
    let mut seed = seed();
    seed.sign_in_new_clients = vec!["user_ada".into()];
    Emulator::builder()
        .seed(seed)
        .development(development)
        .start()
        .await
        .unwrap()
}

/// A verifier that can exchange nonces (the emulator's secret key).
fn verifier(emulator: &Emulator) -> Verifier {
    Verifier::from_publishable_key(&emulator.publishable_key())
        .unwrap()
        .authorized_party(APP)
        .secret_key(emulator.secret_key())
        .backend_api_url(emulator.url())
        .build()
        .unwrap()
}

/// The browser: its cookies for the app, and the Frontend API's own.
#[derive(Default)]
struct Browser {
    app: BTreeMap<String, String>,
    fapi: BTreeMap<String, String>,
}

/// The JSON answer to `request`.
async fn json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Applies `Set-Cookie` directives to a jar (`Max-Age=0` deletes).
fn apply<'a>(jar: &mut BTreeMap<String, String>, directives: impl Iterator<Item = &'a str>) {
    for directive in directives {
        let pair = directive.split(';').next().unwrap();
        let (name, value) = pair.split_once('=').unwrap();
        if directive.contains("Max-Age=0") {
            jar.remove(name);
        } else {
            jar.insert(name.to_owned(), value.to_owned());
        }
    }
}

fn cookie_header(jar: &BTreeMap<String, String>) -> String {
    jar.iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Browser {
    /// A browser whose client the emulator signed in as Ada, with the
    /// cookies clerk-js would have left on the app (no `__session` yet).
    async fn signed_in(emulator: &Emulator) -> Self {
        let mut browser = Self::default();
        let mut url = format!("{}/v1/client", emulator.url());
        if emulator.publishable_key().starts_with("pk_test_") {
            let created = json(http().post(format!("{}/v1/dev_browser", emulator.url()))).await;
            let id = created["id"].as_str().unwrap().to_owned();
            url = format!("{url}?__clerk_db_jwt={id}");
            browser.app.insert("__clerk_db_jwt".into(), id);
        }
        let answer = http().get(&url).header("origin", APP).send().await.unwrap();
        let set: Vec<String> = set_cookies(answer.headers());
        apply(&mut browser.fapi, set.iter().map(String::as_str));
        let client: Value = answer.json().await.unwrap();
        let updated_at = client["response"]["updated_at"].as_i64().unwrap();
        assert_eq!(client["response"]["sessions"][0]["user"]["id"], "user_ada");
        browser
            .app
            .insert("__client_uat".into(), (updated_at / 1000).to_string());
        browser
    }

    /// A page load of `path` on the app, as the verifier sees it.
    fn page(&self, path_and_query: &str) -> http::Request<()> {
        http::Request::get(path_and_query)
            .header("host", APP.trim_start_matches("http://"))
            .header("sec-fetch-dest", "document")
            .header("accept", "text/html")
            .header("cookie", cookie_header(&self.app))
            .body(())
            .unwrap()
    }

    /// Follows a handshake's `Location` to the Frontend API: where it sends
    /// the page back to (a path and query on the app).
    async fn through(&mut self, location: &str) -> String {
        let answer = http()
            .get(location)
            .header("cookie", cookie_header(&self.fapi))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 307, "{:?}", answer.text().await);
        assert_eq!(answer.headers()["cache-control"], "no-store");
        // Cookies the Frontend API sets on the app's host (production's
        // payload): loopback cookies are shared by every port.
        let set = set_cookies(answer.headers());
        apply(&mut self.app, set.iter().map(String::as_str));
        let back = answer.headers()["location"].to_str().unwrap().to_owned();
        back.strip_prefix(APP).expect("back to the app").to_owned()
    }

    /// Sets the cookies a state's answer carries.
    fn keep(&mut self, state: &RequestState) {
        let set = set_cookies(state.headers());
        apply(&mut self.app, set.iter().map(String::as_str));
    }
}

fn set_cookies(headers: &http::HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn user(state: &RequestState) -> Option<&str> {
    state.auth().map(|auth| auth.user_id.as_str())
}

#[tokio::test]
async fn a_development_page_is_signed_in_through_the_handshake_and_its_nonce() {
    let emulator = instance(true).await;
    let verifier = verifier(&emulator);
    let mut browser = Browser::signed_in(&emulator).await;

    // No `__session` yet, but the client is signed in: the handshake.
    let state = verifier
        .authenticate_request(&browser.page("/page?tab=1"))
        .await;
    assert_eq!(state.status(), AuthStatus::Handshake);
    assert_eq!(
        state.reason(),
        Some(&AuthReason::ClientUatWithoutSessionToken)
    );
    let location = state.location().unwrap().to_owned();
    assert!(location.starts_with(&format!("{}/v1/client/handshake?", emulator.url())));
    browser.keep(&state);

    // The Frontend API sends the page back with a nonce, in the query.
    let back = browser.through(&location).await;
    assert!(
        back.starts_with("/page?tab=1&__clerk_handshake_nonce="),
        "{back}"
    );

    // The server exchanges it: signed in, the cookies set, and (in
    // development) on to the URL without the nonce.
    let state = verifier.authenticate_request(&browser.page(&back)).await;
    assert_eq!(state.status(), AuthStatus::SignedIn, "{:?}", state.reason());
    assert_eq!(user(&state), Some("user_ada"));
    assert_eq!(state.location(), Some(format!("{APP}/page?tab=1").as_str()));
    assert_eq!(state.headers()["cache-control"], "no-store");
    let set = set_cookies(state.headers()).join("\n");
    assert!(set.contains("__session="), "{set}");
    assert!(set.contains("__client_uat="), "{set}");
    browser.keep(&state);

    // The clean URL, with the cookies the handshake set: signed in as is.
    let state = verifier
        .authenticate_request(&browser.page("/page?tab=1"))
        .await;
    assert_eq!(state.status(), AuthStatus::SignedIn, "{:?}", state.reason());
    assert_eq!(user(&state), Some("user_ada"));
    assert!(state.headers().get("set-cookie").is_none());

    // A nonce is exchanged once: replayed, it brings nothing.
    let replayed = verifier.authenticate_request(&browser.page(&back)).await;
    assert_eq!(replayed.status(), AuthStatus::SignedOut);
    assert_eq!(replayed.reason(), Some(&AuthReason::SessionTokenMissing));
}

#[tokio::test]
async fn a_production_page_gets_its_nonce_as_a_cookie_and_renders_with_the_cookies_set() {
    let emulator = instance(false).await;
    let verifier = verifier(&emulator);
    let mut browser = Browser::signed_in(&emulator).await;
    assert!(browser.fapi.contains_key("__client"), "{:?}", browser.fapi);

    let state = verifier.authenticate_request(&browser.page("/")).await;
    assert_eq!(state.status(), AuthStatus::Handshake);
    let back = browser.through(state.location().unwrap()).await;
    // Production: back to the URL as it was, the nonce in a cookie.
    assert_eq!(back, "/");
    assert!(browser.app.contains_key("__clerk_handshake_nonce"));

    let state = verifier.authenticate_request(&browser.page(&back)).await;
    assert_eq!(state.status(), AuthStatus::SignedIn, "{:?}", state.reason());
    assert_eq!(user(&state), Some("user_ada"));
    // No redirect: the page renders, with the cookies, and the nonce's gone.
    assert_eq!(state.location(), None);
    browser.keep(&state);
    assert!(!browser.app.contains_key("__clerk_handshake_nonce"));
    assert!(browser.app.contains_key("__session"));
    let state = verifier.authenticate_request(&browser.page("/")).await;
    assert_eq!(user(&state), Some("user_ada"), "{:?}", state.reason());
}

#[tokio::test]
async fn a_handshake_token_is_verified_with_the_instances_keys() {
    let emulator = instance(true).await;
    let verifier = verifier(&emulator);
    let mut browser = Browser::signed_in(&emulator).await;
    let state = verifier.authenticate_request(&browser.page("/")).await;
    // The spec's other format: the directives in a signed token.
    let location = state
        .location()
        .unwrap()
        .replace("format=nonce", "format=token");
    let back = browser.through(&location).await;
    assert!(back.starts_with("/?__clerk_handshake="), "{back}");
    let state = verifier.authenticate_request(&browser.page(&back)).await;
    assert_eq!(user(&state), Some("user_ada"), "{:?}", state.reason());

    // The same token signed with another key: refused with the token's
    // reason (where Clerk's SDK throws, in development).
    let (header_and_payload, _) = back
        .trim_start_matches("/?__clerk_handshake=")
        .rsplit_once('.')
        .unwrap();
    let other = Emulator::builder().start().await.unwrap();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(other.signing_key_pem().as_bytes()).unwrap();
    let signature = jsonwebtoken::crypto::sign(
        header_and_payload.as_bytes(),
        &key,
        jsonwebtoken::Algorithm::RS256,
    )
    .unwrap();
    let forged = format!("/?__clerk_handshake={header_and_payload}.{signature}");
    let state = verifier.authenticate_request(&browser.page(&forged)).await;
    assert_eq!(state.status(), AuthStatus::SignedOut);
    assert_eq!(state.reason().unwrap().as_str(), "token-invalid-signature");
    assert!(state.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn a_signed_out_client_comes_back_signed_out_and_a_nonce_needs_the_secret_key() {
    let emulator = instance(true).await;
    let mut browser = Browser::signed_in(&emulator).await;
    let state = verifier(&emulator)
        .authenticate_request(&browser.page("/"))
        .await;
    let location = state.location().unwrap().to_owned();
    let back = browser.through(&location).await;

    // With no secret key, the nonce cannot be exchanged: signed out.
    let keyless = Verifier::from_publishable_key(&emulator.publishable_key())
        .unwrap()
        .build()
        .unwrap();
    let state = keyless.authenticate_request(&browser.page(&back)).await;
    assert_eq!(state.status(), AuthStatus::SignedOut);
    assert_eq!(state.reason(), Some(&AuthReason::SessionTokenMissing));

    // Signed out elsewhere: the handshake deletes the session cookie.
    let signed_out = json(
        http()
            .delete(format!(
                "{}/v1/client/sessions?__clerk_db_jwt={}",
                emulator.url(),
                browser.app["__clerk_db_jwt"]
            ))
            .header("origin", APP),
    )
    .await;
    assert!(signed_out["response"]["sessions"]
        .as_array()
        .unwrap()
        .is_empty());
    let back = browser.through(&location).await;
    let state = verifier(&emulator)
        .authenticate_request(&browser.page(&back))
        .await;
    assert_eq!(state.status(), AuthStatus::SignedOut);
    assert_eq!(state.reason(), Some(&AuthReason::SessionTokenMissing));
    browser.keep(&state);
    assert_eq!(
        browser.app.get("__client_uat").map(String::as_str),
        Some("0")
    );
    assert!(!browser.app.contains_key("__session"));
}

#[tokio::test]
async fn the_handshake_refuses_what_clerk_refuses() {
    let emulator = instance(true).await;
    let base = format!("{}/v1/client/handshake", emulator.url());
    let status = |url: String| async move { http().get(url).send().await.unwrap().status() };
    // No redirect URL; one that is not the instance's; an unknown format;
    // no dev browser on a development instance.
    assert_eq!(status(format!("{base}?format=nonce")).await, 400);
    let elsewhere = "redirect_url=https%3A%2F%2Fevil.example%2F";
    assert_eq!(status(format!("{base}?{elsewhere}")).await, 400);
    let home = "redirect_url=http%3A%2F%2F127.0.0.1%3A4000%2F";
    assert_eq!(status(format!("{base}?{home}&format=jwt")).await, 422);
    assert_eq!(status(format!("{base}?{home}")).await, 401);
    // The payload needs the secret key, and a nonce it issued.
    let payload = format!("{}/v1/clients/handshake_payload?nonce=n", emulator.url());
    assert_eq!(status(payload.clone()).await, 401);
    let wrong = http()
        .get(&payload)
        .bearer_auth("sk_test_other")
        .send()
        .await;
    assert_eq!(wrong.unwrap().status(), 401);
    let unknown = http()
        .get(&payload)
        .bearer_auth(emulator.secret_key())
        .send()
        .await;
    assert_eq!(unknown.unwrap().status(), 404);
}

/// A server-rendered page behind `ClerkLayer::with_handshake`.
async fn serve_pages(verifier: Verifier) -> String {
    use axum::routing::get;
    use clerk_dioxus::server::{ClerkLayer, OptionalAuth};
    async fn page(OptionalAuth(auth): OptionalAuth) -> String {
        match auth {
            Some(auth) => format!("signed in as {}", auth.user_id),
            None => "visitor".into(),
        }
    }
    let app = axum::Router::new()
        .route("/page", get(page))
        .layer(ClerkLayer::new(verifier).with_handshake());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn the_layer_sends_a_page_through_the_handshake_and_renders_it_signed_in() {
    let emulator = instance(true).await;
    let mut browser = Browser::signed_in(&emulator).await;
    let app = serve_pages(verifier(&emulator)).await;
    // The app's origin is the one the browser's cookies and `azp` name.
    let get = |browser: &Browser, path: &str| {
        http()
            .get(format!("{app}{path}"))
            .header("host", APP.trim_start_matches("http://"))
            .header("sec-fetch-dest", "document")
            .header("accept", "text/html")
            .header("cookie", cookie_header(&browser.app))
            .send()
    };
    let first = get(&browser, "/page").await.unwrap();
    assert_eq!(first.status(), 307);
    let counter = set_cookies(first.headers()).join("\n");
    assert!(counter.contains("__clerk_redirect_count=1"), "{counter}");
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(emulator.url()), "{location}");

    let back = browser.through(&location).await;
    let resolved = get(&browser, &back).await.unwrap();
    // Development: the cookies, and on to the clean URL; no page yet.
    assert_eq!(resolved.status(), 307);
    assert_eq!(resolved.headers()["location"], format!("{APP}/page"));
    let set = set_cookies(resolved.headers());
    apply(&mut browser.app, set.iter().map(String::as_str));
    assert!(browser.app.contains_key("__session"), "{set:?}");

    let page = get(&browser, "/page").await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.text().await.unwrap(), "signed in as user_ada");

    // A visitor gets the page, with Clerk's debug headers.
    let visitor = http()
        .get(format!("{app}/page"))
        .header("sec-fetch-dest", "document")
        .header(
            "cookie",
            format!("__clerk_db_jwt={}", browser.app["__clerk_db_jwt"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(visitor.status(), 200);
    assert_eq!(visitor.headers()["x-clerk-auth-status"], "signed-out");
    assert_eq!(
        visitor.headers()["x-clerk-auth-reason"],
        "session-token-and-uat-missing"
    );
    assert_eq!(visitor.text().await.unwrap(), "visitor");
}
