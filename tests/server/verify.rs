//! What passes and what is refused, with Clerk's reasons.

use super::*;

#[tokio::test]
async fn a_token_the_emulator_issued_is_accepted_and_every_bad_one_refused_with_its_reason() {
    let emulator = emulator().await;
    let api = serve(
        verifier(&emulator)
            .authorized_party("http://127.0.0.1:8080")
            .allow_tokens_without_azp(true)
            .build()
            .unwrap(),
    )
    .await;
    let token = issued(&emulator).await;
    let (status, body) = me(&api, &token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("user_ada sess_"), "{body}");
    // A native app's token has no `azp`: with authorized parties set,
    // Clerk's SDKs refuse it unless told otherwise.
    let web_only = serve(
        verifier(&emulator)
            .authorized_party("http://127.0.0.1:8080")
            .build()
            .unwrap(),
    )
    .await;
    refused(&web_only, &token, "token-invalid-authorized-parties").await;

    let mut c = claims(&emulator);
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "the forging works"
    );

    c["exp"] = json!(now() - 30);
    refused(&api, &forge(&emulator, &c), "token-expired").await;
    let mut c = claims(&emulator);
    c["exp"] = json!(now() - 2);
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "within the 5 s leeway"
    );
    let mut c = claims(&emulator);
    c["nbf"] = json!(now() + 30);
    refused(&api, &forge(&emulator, &c), "token-not-active-yet").await;
    let mut c = claims(&emulator);
    c["iat"] = json!(now() + 30);
    refused(&api, &forge(&emulator, &c), "token-iat-in-the-future").await;
    let mut c = claims(&emulator);
    c["iss"] = json!("https://clerk.other.example");
    refused(&api, &forge(&emulator, &c), "token-invalid-issuer").await;
    let mut c = claims(&emulator);
    c["azp"] = json!("https://evil.example");
    refused(
        &api,
        &forge(&emulator, &c),
        "token-invalid-authorized-parties",
    )
    .await;
    c["azp"] = json!("http://127.0.0.1:8080");
    assert_eq!(
        me(&api, &forge(&emulator, &c)).await.0,
        200,
        "an authorized party"
    );
    let mut c = claims(&emulator);
    c["sts"] = json!("pending");
    refused(&api, &forge(&emulator, &c), "session-pending").await;

    // Tampered: a payload naming another user with the old signature, and a
    // signature with one character changed.
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["sub"] = json!("user_grace");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    refused(&api, &tampered, "token-invalid-signature").await;
    // A character inside the signature: the last one of a 2048-bit
    // signature also holds padding bits, and changing those is malformed
    // base64, not a wrong signature.
    let mut signature = parts[2].to_owned();
    let other = if signature[10..11] == *"A" { "B" } else { "A" };
    signature.replace_range(10..11, other);
    refused(
        &api,
        &format!("{}.{}.{signature}", parts[0], parts[1]),
        "token-invalid-signature",
    )
    .await;

    // `alg: none`, and HS256 keyed with the RSA public key (the classic
    // confusion): refused once the key is found, as in Clerk's `verifyJwt`
    // (with no `kid`, no key is found first).
    let header = format!(
        r#"{{"alg":"none","typ":"JWT","kid":"{}"}}"#,
        emulator.key_id()
    );
    let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(header), parts[1]);
    refused(&api, &none, "token-invalid-algorithm").await;
    let no_kid = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    refused(&api, &no_kid, "jwk-kid-mismatch").await;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(emulator.key_id());
    let hs256 = jsonwebtoken::encode(
        &header,
        &claims(&emulator),
        &EncodingKey::from_secret(emulator.public_key_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    refused(&api, &hs256, "token-invalid-algorithm").await;

    refused(&api, "garbage", "token-invalid").await;
    refused(&api, "a.b.c", "token-invalid").await;
    refused(&api, &"a".repeat(100 * 1024), "token-invalid").await;

    // A key the instance never had.
    let other = Emulator::start().await.unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(other.key_id());
    let foreign = jsonwebtoken::encode(
        &header,
        &claims(&emulator),
        &EncodingKey::from_rsa_pem(other.signing_key_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    refused(&api, &foreign, "jwk-kid-mismatch").await;

    let missing = reqwest::get(format!("{api}/api/me")).await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["reason"], "session-token-missing");
}

#[tokio::test]
async fn web_requests_authenticate_with_the_session_cookie_and_optional_routes_never_refuse() {
    let emulator = emulator().await;
    let api = serve(verifier(&emulator).build().unwrap()).await;
    let token = issued(&emulator).await;
    let http = reqwest::Client::new();
    let with_cookie = http
        .get(format!("{api}/api/me"))
        .header("cookie", format!("theme=dark; __session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_cookie.status().as_u16(), 200);
    let hello = http
        .get(format!("{api}/api/hello"))
        .header("cookie", format!("__session={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(hello, "hello user_ada");
    let stranger = http
        .get(format!("{api}/api/hello"))
        .header("authorization", "Bearer garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 200);
    assert_eq!(stranger.text().await.unwrap(), "hello stranger");
}

/// `aud` is checked only when the server names an audience, as Clerk's SDKs
/// do: an instance whose token carries one must not lock every user out.
#[tokio::test]
async fn an_audience_is_checked_only_when_the_server_names_one() {
    let emulator = emulator().await;
    let mut c = claims(&emulator);
    c["aud"] = json!("https://api.example.com");
    let with_aud = forge(&emulator, &c);
    let any = serve(verifier(&emulator).build().unwrap()).await;
    assert_eq!(
        me(&any, &with_aud).await.0,
        200,
        "no audience set: not checked"
    );

    let strict = serve(
        verifier(&emulator)
            .audience("https://api.example.com")
            .audience("https://other.example.com")
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(me(&strict, &with_aud).await.0, 200);
    c["aud"] = json!(["https://elsewhere.example", "https://other.example.com"]);
    assert_eq!(
        me(&strict, &forge(&emulator, &c)).await.0,
        200,
        "one of a list"
    );
    c["aud"] = json!("https://elsewhere.example");
    refused(&strict, &forge(&emulator, &c), "token-verification-failed").await;
    c["aud"] = json!(["https://elsewhere.example"]);
    refused(&strict, &forge(&emulator, &c), "token-verification-failed").await;
    let without = claims(&emulator);
    assert_eq!(
        me(&strict, &forge(&emulator, &without)).await.0,
        200,
        "a token without aud passes, as in Clerk's SDKs"
    );
}

/// Only session tokens pass: a JWT template's (which may live long and go
/// to third parties), an OAuth access token, a machine's, or one with no
/// session are `token-type-mismatch`, whatever their signature.
#[tokio::test]
async fn tokens_of_other_kinds_are_refused_with_clerks_reason() {
    let emulator = emulator().await;
    let api = serve(verifier(&emulator).build().unwrap()).await;
    let c = claims(&emulator);
    let with = |extra: Value| forge_with_header(&emulator, &header_with(&emulator, extra), &c);
    assert_eq!(
        me(&api, &with(json!({}))).await.0,
        200,
        "the crafting works"
    );
    assert_eq!(
        me(&api, &with(json!({ "cat": "cl_B7d4PD111AAA" }))).await.0,
        200,
        "a session token's category"
    );
    assert_eq!(
        me(&api, &with(json!({ "cat": "cl_I7d4PD111III" }))).await.0,
        200,
        "the category Clerk ignores"
    );
    refused(
        &api,
        &with(json!({ "cat": "cl_B7d4PD222AAA" })),
        "token-type-mismatch",
    )
    .await;
    refused(
        &api,
        &with(json!({ "cat": "cl_B7d4PD333AAA" })),
        "token-type-mismatch",
    )
    .await;
    refused(
        &api,
        &with(json!({ "typ": "at+jwt" })),
        "token-type-mismatch",
    )
    .await;
    refused(
        &api,
        &with(json!({ "typ": "application/at+jwt" })),
        "token-type-mismatch",
    )
    .await;

    let mut machine = claims(&emulator);
    machine["sub"] = json!("mch_2x");
    refused(&api, &forge(&emulator, &machine), "token-type-mismatch").await;
    // Before the signature: a machine token with a bad one is still of the wrong kind.
    let forged = forge(&emulator, &machine);
    let (rest, _) = forged.rsplit_once('.').unwrap();
    refused(&api, &format!("{rest}.AAAA"), "token-type-mismatch").await;

    let mut template = claims(&emulator);
    template.as_object_mut().unwrap().remove("sid");
    refused(&api, &forge(&emulator, &template), "token-type-mismatch").await;
}

/// A cookie-authenticated `POST` from another site is refused (`403`), so a
/// page elsewhere cannot act as the user; from the app's own pages, with a
/// bearer token, or for a `GET` it passes.
#[tokio::test]
async fn a_cookie_post_from_another_site_is_refused_as_forgery() {
    let emulator = emulator().await;
    let api = serve(
        verifier(&emulator)
            .authorized_party("https://admin.example.com")
            .allow_tokens_without_azp(true)
            .build()
            .unwrap(),
    )
    .await;
    let token = issued(&emulator).await;
    let http = reqwest::Client::new();
    let post = |headers: &[(&str, &str)], cookie: bool| {
        let mut request = http.post(format!("{api}/api/me"));
        request = match cookie {
            true => request.header("cookie", format!("__session={token}")),
            false => request.bearer_auth(&token),
        };
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let (status, body) = post(
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        true,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["reason"], "cross-site-request");
    assert_eq!(body["error"], "forbidden");

    assert_eq!(
        post(&[("origin", &api)], true).await.0,
        200,
        "the app's own origin"
    );
    assert_eq!(
        post(&[("sec-fetch-site", "same-origin")], true).await.0,
        200
    );
    assert_eq!(
        post(&[("origin", "https://admin.example.com")], true)
            .await
            .0,
        200,
        "an authorized party"
    );
    assert_eq!(
        post(&[("origin", "https://evil.example")], false).await.0,
        200,
        "a bearer token is no ambient credential"
    );
    let get = http
        .get(format!("{api}/api/me"))
        .header("cookie", format!("__session={token}"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 200, "a GET changes nothing");
    let anonymous = http
        .post(format!("{api}/api/me"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.status().as_u16(),
        401,
        "no cookie: simply signed out"
    );
}
