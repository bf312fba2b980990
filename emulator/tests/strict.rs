//! Where the emulator is as strict as Clerk: Clerk's key size, native
//! requests without their header, development browsers without their dev
//! browser, the `__client_uat` cookie production answers set, the session
//! tokens an answer carries, rate limits, pending sessions, and the Account
//! Portal stand-in that signs in the dev browser it is handed.

use base64::Engine;
use clerk_emulator::{Emulator, Seed, SeedClient, SeedUser};
use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, ORIGIN, RETRY_AFTER, SET_COOKIE};
use serde_json::Value;

const APP: &str = "http://127.0.0.1:8080";

fn seed() -> Seed {
    let pending = SeedUser {
        session_tasks: vec!["choose-organization".into()],
        ..SeedUser::new("user_pat", "Pat", "Pending", "pat@example.com", "pw-pat")
    };
    Seed::default()
        .user(SeedUser::new(
            "user_ada",
            "Ada",
            "Lovelace",
            "ada@example.com",
            "pw-ada",
        ))
        .user(pending)
        .client(SeedClient {
            id: Some("client_seeded".into()),
            cookie: Some("cookie-1".into()),
            users: vec!["user_ada".into()],
            ..SeedClient::default()
        })
}

async fn start(development: bool) -> Emulator {
    Emulator::builder()
        .seed(seed())
        .development(development)
        .allow_origin(APP)
        .start()
        .await
        .unwrap()
}

/// A client that follows no redirect, so the portal's `Location` can be read.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn error_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["errors"][0]["code"].as_str().unwrap().to_owned(),
    )
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The values of the `Set-Cookie` headers named `name`.
fn set_cookies(response: &reqwest::Response, name: &str) -> Vec<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn generated_keys_are_rsa_2048_as_clerks_are() {
    let emulator = start(false).await;
    let jwks = emulator.jwks();
    let n = jwks["keys"][0]["n"].as_str().unwrap();
    let modulus = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(n)
        .unwrap();
    assert_eq!(modulus.len() * 8, 2048);
    // The SPKI prefix `@clerk/backend` strips from a PEM `jwtKey` is the
    // 2048-bit one: the PEM must start with it.
    let pem = emulator.public_key_pem();
    assert!(
        pem.contains("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
        "{pem}"
    );
}

#[tokio::test]
async fn a_native_request_without_authorization_is_refused() {
    let emulator = start(false).await;
    let url = format!("{}/v1/client?_is_native=1", emulator.url());
    let missing = http().get(&url).send().await.unwrap();
    assert_eq!(
        error_code(missing).await,
        (400, "request_header_missing".into())
    );
    let first_call = http()
        .get(&url)
        .header(AUTHORIZATION, "")
        .send()
        .await
        .unwrap();
    assert_eq!(first_call.status(), 200, "an empty header starts a client");
    assert!(first_call.headers().contains_key(AUTHORIZATION));
    let both = http()
        .get(&url)
        .header(AUTHORIZATION, "")
        .header(ORIGIN, APP)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(both).await,
        (400, "origin_authorization_headers_conflict".into())
    );
}

#[tokio::test]
async fn a_development_instance_needs_the_dev_browser_on_every_browser_request() {
    let emulator = start(true).await;
    for path in ["/v1/environment", "/v1/client"] {
        let bare = http()
            .get(format!("{}{path}", emulator.url()))
            .header(ORIGIN, APP)
            .header(COOKIE, "__client=cookie-1")
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(bare).await,
            (401, "dev_browser_unauthenticated".into()),
            "{path}: the cookie counts for nothing on a development instance"
        );
    }
    let dev_browser: Value = http()
        .post(format!("{}/v1/dev_browser", emulator.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = dev_browser["id"].as_str().unwrap();
    let client = http()
        .get(format!("{}/v1/client?__clerk_db_jwt={id}", emulator.url()))
        .header(ORIGIN, APP)
        .send()
        .await
        .unwrap();
    assert_eq!(client.status(), 200);
    assert!(
        set_cookies(&client, "__client_uat").is_empty(),
        "clerk-js writes __client_uat itself on development instances"
    );
}

#[tokio::test]
async fn production_answers_set_client_uat_under_both_names() {
    let emulator = start(false).await;
    let suffix = emulator.cookie_suffix();
    let key = emulator.publishable_key();
    let host = emulator.url().strip_prefix("http://").unwrap().to_owned();
    assert_eq!(
        key,
        format!(
            "pk_live_{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{host}$"))
        )
    );
    assert_eq!(suffix.len(), 8);
    let client = http()
        .get(format!("{}/v1/client", emulator.url()))
        .header(ORIGIN, APP)
        .header(COOKIE, "__client=cookie-1")
        .send()
        .await
        .unwrap();
    let plain = set_cookies(&client, "__client_uat");
    let suffixed = set_cookies(&client, &format!("__client_uat_{suffix}"));
    assert_eq!(
        (plain.len(), suffixed.len()),
        (1, 1),
        "{plain:?} {suffixed:?}"
    );
    assert!(plain[0].contains("Path=/") && plain[0].contains("SameSite=Lax"));
    let body: Value = client.json().await.unwrap();
    let updated_at = body["response"]["updated_at"].as_i64().unwrap();
    let uat = |cookie: &str| {
        cookie
            .split(';')
            .next()
            .unwrap()
            .split_once('=')
            .unwrap()
            .1
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(uat(&plain[0]), updated_at.div_euclid(1000));
    assert_eq!(uat(&suffixed[0]), updated_at.div_euclid(1000));

    // The answer's token was issued no earlier than that second, for the
    // origin that asked: what Clerk's backends accept next to the cookie.
    let jwt = body["response"]["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .unwrap();
    let token = claims(jwt);
    assert!(token["iat"].as_i64().unwrap() >= uat(&plain[0]));
    assert_eq!(token["azp"], APP);

    let session = body["response"]["sessions"][0]["id"].as_str().unwrap();
    let touched = http()
        .post(format!(
            "{}/v1/client/sessions/{session}/touch",
            emulator.url()
        ))
        .header(ORIGIN, APP)
        .header(COOKIE, "__client=cookie-1")
        .form(&[("intent", "focus")])
        .send()
        .await
        .unwrap();
    let after_touch = uat(&set_cookies(&touched, "__client_uat")[0]);
    let body: Value = touched.json().await.unwrap();
    let jwt = body["client"]["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .unwrap();
    assert!(
        claims(jwt)["iat"].as_i64().unwrap() >= after_touch,
        "a token older than the client's change is not handed out again"
    );

    let signed_out = http()
        .post(format!(
            "{}/v1/client/sessions?_method=DELETE",
            emulator.url()
        ))
        .header(ORIGIN, APP)
        .header(COOKIE, "__client=cookie-1")
        .send()
        .await
        .unwrap();
    let zeroed: Vec<i64> = set_cookies(&signed_out, "__client_uat")
        .iter()
        .chain(&set_cookies(&signed_out, &format!("__client_uat_{suffix}")))
        .map(|cookie| uat(cookie))
        .collect();
    assert_eq!(zeroed, [0, 0], "signed out: 0 under both names");
}

#[tokio::test]
async fn over_its_rate_limit_the_emulator_answers_429_with_retry_after() {
    let emulator = Emulator::builder()
        .seed(seed())
        .rate_limit(2)
        .start()
        .await
        .unwrap();
    let url = format!("{}/v1/environment", emulator.url());
    for _ in 0..2 {
        assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    }
    let limited = http().get(&url).send().await.unwrap();
    let retry_after: u64 = limited.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        retry_after, 1,
        "the rest of the one-second window, rounded up"
    );
    assert_eq!(error_code(limited).await, (429, "too_many_requests".into()));
    assert_eq!(
        http()
            .get(format!("{}/.well-known/jwks.json", emulator.url()))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "only the Frontend API is limited"
    );
}

#[tokio::test]
async fn a_user_with_a_task_gets_a_pending_session() {
    let emulator = start(false).await;
    let signed_in = http()
        .post(format!("{}/v1/client/sign_ins", emulator.url()))
        .header(ORIGIN, APP)
        .header(COOKIE, "__client=cookie-1")
        .form(&[
            ("identifier", "pat@example.com"),
            ("password", "pw-pat"),
            ("strategy", "password"),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = signed_in.json().await.unwrap();
    let id = body["response"]["created_session_id"].as_str().unwrap();
    let session = body["client"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(session["status"], "pending");
    assert_eq!(
        session["tasks"],
        serde_json::json!([{ "key": "choose-organization" }])
    );
    let jwt = session["last_active_token"]["jwt"].as_str().unwrap();
    assert_eq!(claims(jwt)["sts"], "pending");
    let ada = &body["client"]["sessions"][0];
    assert_eq!(
        (&ada["status"], &ada["tasks"]),
        (&"active".into(), &Value::Null)
    );
}

/// The portal's `Location` and the dev browser it carries.
fn dev_browser_of(location: &str) -> Option<String> {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "__clerk_db_jwt")
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn the_portal_signs_in_the_dev_browser_it_is_handed_and_sends_it_back() {
    let emulator = start(true).await;
    let new_dev_browser = || async {
        let body: Value = http()
            .post(format!("{}/v1/dev_browser", emulator.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["id"].as_str().unwrap().to_owned()
    };
    let app_browser = new_dev_browser().await;
    let back = format!("{APP}/demo/?tab=1");
    let page = http()
        .get(format!("{}/sign-in", emulator.url()))
        .query(&[
            ("redirect_url", back.as_str()),
            ("__clerk_db_jwt", &app_browser),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("value=\"{app_browser}\"")), "{page}");

    // The portal's password form, posted for `dev_browser` (or none).
    let post_password = |password: &'static str, dev_browser: Option<String>| {
        let mut form = vec![
            ("method", "password".to_owned()),
            ("identifier", "ada@example.com".to_owned()),
            ("password", password.to_owned()),
            ("redirect_url", back.clone()),
        ];
        form.extend(dev_browser.map(|id| ("__clerk_db_jwt", id)));
        http()
            .post(format!("{}/sign-in", emulator.url()))
            .form(&form)
            .send()
    };
    let wrong = post_password("nope", Some(app_browser.clone()))
        .await
        .unwrap();
    assert_eq!(wrong.status(), 200, "the form again, with Clerk's message");
    assert!(wrong.text().await.unwrap().contains("portal-error"));

    let signed_in = post_password("pw-ada", Some(app_browser.clone()))
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let location = signed_in.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{APP}/demo/?tab=1&")),
        "{location}"
    );
    assert_eq!(
        dev_browser_of(&location).as_deref(),
        Some(app_browser.as_str())
    );
    let client: Value = http()
        .get(format!(
            "{}/v1/client?__clerk_db_jwt={app_browser}",
            emulator.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions = client["response"]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["user"]["id"], "user_ada");
    assert_eq!(
        client["response"]["last_active_session_id"],
        sessions[0]["id"]
    );

    // Not handed one, the portal signs in a dev browser of its own, and
    // sends that one back: the app's own dev browser stays signed out.
    let unnamed = post_password("pw-ada", None).await.unwrap();
    let location = unnamed.headers()[LOCATION].to_str().unwrap().to_owned();
    let other = dev_browser_of(&location).unwrap();
    assert_ne!(other, app_browser);

    // A redirect URL the instance does not allow is refused.
    let elsewhere = http()
        .get(format!("{}/sign-in", emulator.url()))
        .query(&[("redirect_url", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(elsewhere).await,
        (422, "redirect_url_not_allowed".into())
    );
}

#[tokio::test]
async fn the_portal_signs_in_with_an_emailed_code_on_the_production_cookie() {
    let emulator = Emulator::builder()
        .seed(Seed::default().user(SeedUser::new(
            "user_ada",
            "Ada",
            "Lovelace",
            "ada@example.com",
            "pw-ada",
        )))
        .allow_origin(APP)
        .start()
        .await
        .unwrap();
    let back = format!("{APP}/");
    let sent = http()
        .post(format!("{}/sign-in", emulator.url()))
        .form(&[
            ("method", "email_code"),
            ("identifier", "ada@example.com"),
            ("redirect_url", back.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let cookie = set_cookies(&sent, "__client")
        .first()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a browser new to the portal gets its client cookie");
    let page = sent.text().await.unwrap();
    assert!(page.contains("portal-code-input"), "{page}");
    let code = emulator.sent_codes().pop().unwrap();
    assert_eq!(code.to, "ada@example.com");
    let sign_in_id = code.sign_in_id.clone();
    let verified = http()
        .post(format!("{}/sign-in", emulator.url()))
        .header(COOKIE, &cookie)
        .form(&[
            ("method", "code"),
            ("sign_in_id", sign_in_id.as_str()),
            ("code", code.code.as_str()),
            ("redirect_url", back.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 303);
    assert_eq!(
        verified.headers()[LOCATION],
        back.as_str(),
        "production: nothing added to the way back"
    );
    let client: Value = http()
        .get(format!("{}/v1/client", emulator.url()))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(client["response"]["sessions"][0]["user"]["id"], "user_ada");
}

#[tokio::test]
async fn the_backend_api_answers_a_user_for_the_secret_key_only() {
    let emulator = Emulator::builder()
        .seed(Seed::default().user(SeedUser::new(
            "user_ada",
            "Ada",
            "Lovelace",
            "ada@example.com",
            "pw",
        )))
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let user = |id: &str, key: Option<&str>| {
        let mut request = http.get(format!("{}/v1/users/{id}", emulator.url()));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send()
    };
    let found = user("user_ada", Some(emulator.secret_key())).await.unwrap();
    assert_eq!(found.status(), 200);
    let body: serde_json::Value = found.json().await.unwrap();
    assert_eq!(body["object"], "user");
    assert_eq!(body["first_name"], "Ada");
    assert_eq!(
        body["email_addresses"][0]["email_address"],
        "ada@example.com"
    );
    assert_eq!(
        body["primary_email_address_id"],
        body["email_addresses"][0]["id"]
    );

    let missing = user("user_nobody", Some(emulator.secret_key()))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "resource_not_found");
    for key in [None, Some("sk_test_wrong")] {
        let refused = user("user_ada", key).await.unwrap();
        assert_eq!(refused.status(), 401, "key {key:?}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "authentication_invalid");
    }
}
