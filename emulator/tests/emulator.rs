//! The emulator on its own: browser credential modes, CORS, seeds, binding,
//! and the HTTP controls that out-of-process tests use.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Stdio};

use base64::Engine;
use clerk_emulator::{Emulator, Fault, Route, Seed, SeedClient, SeedUser};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use serde_json::Value;

const APP: &str = "http://127.0.0.1:8080";

async fn json(response: reqwest::Response) -> Value {
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// `GET {url}{path}` with no headers, as JSON.
async fn get_json(http: &reqwest::Client, url: &str, path: &str) -> Value {
    json(http.get(format!("{url}{path}")).send().await.unwrap()).await
}

#[tokio::test]
async fn browsers_get_a_cookie_and_cors_with_credentials() {
    let emulator = Emulator::builder().allow_origin(APP).start().await.unwrap();
    let http = reqwest::Client::new();
    let first = http
        .get(format!("{}/v1/client", emulator.url()))
        .header(ORIGIN, APP)
        .send()
        .await
        .unwrap();
    assert_eq!(first.headers()["access-control-allow-origin"], APP);
    assert_eq!(first.headers()["access-control-allow-credentials"], "true");
    let cookie = first.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__client=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let body = json(first).await;
    assert_eq!(
        body["response"]["sessions"].as_array().unwrap().len(),
        3,
        "the demo seed signs new browsers in"
    );

    let pair = cookie.split(';').next().unwrap().to_owned();
    let deleted = http
        .post(format!(
            "{}/v1/client/sessions?_method=DELETE",
            emulator.url()
        ))
        .header(ORIGIN, APP)
        .header(COOKIE, &pair)
        .form(&[("", "")][..0])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert_eq!(
        json(deleted).await["response"]["sessions"],
        serde_json::json!([])
    );
    let again = json(
        http.get(format!("{}/v1/client", emulator.url()))
            .header(COOKIE, &pair)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        again["response"]["sessions"],
        serde_json::json!([]),
        "the cookie still names the same, now empty, client"
    );

    let other = http
        .get(format!("{}/v1/client", emulator.url()))
        .header(ORIGIN, "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        other.headers().get("access-control-allow-origin").is_none(),
        "other origins get no CORS grant"
    );

    let log = emulator.requests();
    assert_eq!(log[1].method, "POST");
    assert_eq!(log[1].effective_method(), "DELETE");
    assert_eq!(log[1].cookies, vec!["__client".to_owned()]);
    assert_eq!(log[1].authorization, None);
}

#[tokio::test]
async fn dev_browsers_get_a_token_and_unknown_ones_a_401() {
    let emulator = Emulator::builder().development(true).start().await.unwrap();
    let http = reqwest::Client::new();
    let dev = json(
        http.post(format!("{}/v1/dev_browser", emulator.url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = dev["id"].as_str().unwrap();
    let response = http
        .get(format!("{}/v1/client?__clerk_db_jwt={id}", emulator.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["clerk-db-jwt"], id);
    assert_eq!(
        json(response).await["response"]["sessions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let unknown = http
        .get(format!(
            "{}/v1/client?__clerk_db_jwt=dvb_forged",
            emulator.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        json(unknown).await["errors"][0]["code"],
        "dev_browser_unauthenticated"
    );
    assert!(emulator.requests().iter().all(|r| r
        .query_value("__clerk_db_jwt")
        .is_none_or(|v| v == "<redacted>")));
    let bare = http
        .get(format!("{}/v1/environment", emulator.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bare.status(),
        401,
        "a development instance needs the dev browser"
    );
    let env = get_json(
        &http,
        emulator.url(),
        &format!("/v1/environment?__clerk_db_jwt={id}"),
    )
    .await;
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "development"
    );
}

#[test]
fn seeds_read_from_toml_and_reject_unknown_fields() {
    let seed = Seed::from_toml(include_str!("../accounts.toml")).unwrap();
    assert_eq!(
        seed.users.len(),
        4,
        "the three demo accounts and Mia (second factor)"
    );
    assert!(seed.users[3].second_factor && seed.users[3].totp_secret.is_some());
    assert_eq!(
        seed.sign_in_new_clients,
        vec!["user_ada", "user_grace", "user_alan"]
    );
    let error = Seed::from_toml(
        "[[users]]\nid = \"u\"\nemail = \"a@b.c\"\npassword = \"x\"\nrole = \"admin\"\n",
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("unknown field `role`"),
        "{error}"
    );
}

#[tokio::test]
async fn seeded_clients_are_reachable_by_their_credentials() {
    let seed = Seed::default()
        .user(SeedUser::new(
            "user_1",
            "One",
            "User",
            "one@example.com",
            "pw",
        ))
        .client(SeedClient {
            id: Some("client_seeded".into()),
            cookie: Some("cookie-1".into()),
            users: vec!["user_1".into()],
            ..SeedClient::default()
        });
    let emulator = Emulator::builder().seed(seed).start().await.unwrap();
    let body = json(
        reqwest::Client::new()
            .get(format!("{}/v1/client", emulator.url()))
            .header(COOKIE, "__client=cookie-1")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(body["response"]["id"], "client_seeded");
    assert_eq!(
        emulator.client_json("client_seeded")["sessions"][0]["user"]["id"],
        "user_1"
    );
    let anonymous = json(
        reqwest::get(format!("{}/v1/client", emulator.url()))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        anonymous["response"],
        Value::Null,
        "without auto sign-in, a new browser has no client"
    );
}

#[tokio::test]
async fn only_loopback_addresses_are_bound_unless_allowed() {
    let error = Emulator::builder()
        .ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
        .start()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("not a loopback address"),
        "{error}"
    );
}

#[test]
fn it_runs_in_the_background_without_a_runtime() {
    let emulator = Emulator::builder().start_in_background().unwrap();
    let url = format!("{}/__emulator/health", emulator.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = runtime.block_on(async { reqwest::get(&url).await.unwrap().text().await.unwrap() });
    assert_eq!(body, "ok");
    emulator.stop();
    let after = runtime.block_on(async { reqwest::get(&url).await });
    assert!(after.is_err(), "stopped means stopped");
}

#[tokio::test]
async fn faults_and_the_log_are_controlled_over_http() {
    let emulator = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let fault = serde_json::json!({ "route": "get_client", "fault": { "kind": "error", "status": 503, "code": "unavailable", "message": "down" } });
    http.post(format!("{}/__emulator/faults", emulator.url()))
        .json(&fault)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let listed = get_json(&http, emulator.url(), "/__emulator/faults").await;
    assert_eq!(
        listed,
        serde_json::json!({ "get_client": [fault["fault"]] })
    );
    let failing = http
        .get(format!("{}/v1/client", emulator.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(failing.status(), 503);
    let log: Vec<Value> =
        serde_json::from_value(get_json(&http, emulator.url(), "/__emulator/requests").await)
            .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["route"], "get_client");
    http.delete(format!("{}/__emulator/faults", emulator.url()))
        .send()
        .await
        .unwrap();
    http.delete(format!("{}/__emulator/requests", emulator.url()))
        .send()
        .await
        .unwrap();
    let listed = get_json(&http, emulator.url(), "/__emulator/faults").await;
    assert_eq!(listed, serde_json::json!({}), "cleared");
    assert_eq!(
        http.get(format!("{}/v1/client", emulator.url()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(emulator.requests().len(), 1);
    emulator.inject(Route::GetClient, Fault::Delay { ms: 1 });
    assert_eq!(
        emulator.faults(),
        [(Route::GetClient, vec![Fault::Delay { ms: 1 }])].into()
    );
    emulator.clear_faults();
    assert!(emulator.faults().is_empty());
}

/// A `clerk-emulator` process, killed when dropped (even when a test fails).
struct Binary(std::process::Child);

impl Binary {
    fn start(args: &[&str]) -> (Self, std::sync::mpsc::Receiver<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-emulator"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (lines, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        (Self(child), received)
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The next line the binary prints, failing after 30 s of silence.
fn next_line(lines: &std::sync::mpsc::Receiver<String>) -> String {
    lines
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("clerk-emulator printed its next line within 30 s")
}

#[test]
fn the_binary_serves_a_seed_file_prints_its_url_and_allows_the_dx_serve_origins() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/accounts.toml");
    let (_binary, lines) = Binary::start(&["--port", "0", "--seed", seed]);
    let first = next_line(&lines);
    let url = first
        .strip_prefix("clerk-emulator listening on ")
        .expect(&first)
        .to_owned();
    let accounts: Vec<String> = (0..4).map(|_| next_line(&lines)).collect();
    assert!(accounts[0].contains("ada@example.com"), "{accounts:?}");
    assert!(accounts[3].contains("mia@example.com"), "{accounts:?}");
    assert_eq!(
        next_line(&lines),
        "  web apps allowed from: http://127.0.0.1:8080, http://localhost:8080"
    );
    assert!(next_line(&lines).starts_with("  session tokens: RS256"));
    let host = url.strip_prefix("http://").expect("an http URL");
    assert_eq!(
        next_line(&lines),
        format!(
            "  publishable key: pk_live_{} (production instance)",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{host}$"))
        ),
        "the key names the emulator's host, as a Clerk key names its Frontend API"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let allowed = |origin: &'static str| {
        let url = url.clone();
        runtime.block_on(async move {
            let answer = reqwest::Client::new()
                .get(format!("{url}/v1/environment"))
                .header(ORIGIN, origin)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            answer
                .headers()
                .get("access-control-allow-origin")
                .map(|value| value.to_str().unwrap().to_owned())
        })
    };
    assert_eq!(allowed(APP).as_deref(), Some(APP));
    assert_eq!(
        allowed("http://localhost:8080").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(allowed("http://127.0.0.1:3000"), None, "only the defaults");
}

#[test]
fn the_binary_allows_only_the_origins_it_is_given() {
    let (_binary, lines) =
        Binary::start(&["--port", "0", "--allow-origin", "http://127.0.0.1:3000"]);
    let url = next_line(&lines)
        .strip_prefix("clerk-emulator listening on ")
        .expect("the URL line")
        .to_owned();
    let printed: Vec<String> = (0..5).map(|_| next_line(&lines)).collect();
    assert_eq!(printed[4], "  web apps allowed from: http://127.0.0.1:3000");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (origin, expected) in [("http://127.0.0.1:3000", true), (APP, false)] {
        let answer = runtime.block_on(
            reqwest::Client::new()
                .get(format!("{url}/v1/environment"))
                .header(ORIGIN, origin)
                .send(),
        );
        let answer = answer.unwrap();
        assert_eq!(
            answer.headers().contains_key("access-control-allow-origin"),
            expected,
            "{origin}"
        );
    }
}

#[tokio::test]
async fn the_method_override_is_for_the_frontend_api_only() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator.inject(Route::GetClient, Fault::Delay { ms: 1 });
    let http = reqwest::Client::new();
    // What a cross-site page can send without a preflight: a form post.
    let answer = http
        .post(format!(
            "{}/__emulator/faults?_method=DELETE",
            emulator.url()
        ))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_client_error(), "{}", answer.status());
    assert_eq!(emulator.faults().len(), 1, "the faults are still set");
    let cleared = http
        .post(format!(
            "{}/__emulator/requests?_method=DELETE",
            emulator.url()
        ))
        .send()
        .await
        .unwrap();
    assert!(cleared.status().is_client_error(), "{}", cleared.status());
}
