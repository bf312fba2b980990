//! Where the keys come from: the JWKS, its cache and refreshes, a PEM key.

use super::*;

#[tokio::test]
async fn a_rotated_key_is_picked_up_and_a_flood_of_unknown_kids_fetches_the_jwks_once() {
    let emulator = emulator().await;
    let rotating = verifier(&emulator)
        .jwks_min_refresh(Duration::ZERO)
        .build()
        .unwrap();
    let before = issued(&emulator).await;
    rotating.verify(&before).await.unwrap();
    assert_eq!(rotating.jwks_fetches(), 1);
    emulator.rotate_signing_key();
    let after = issued(&emulator).await;
    assert_ne!(
        jsonwebtoken::decode_header(&after).unwrap().kid,
        jsonwebtoken::decode_header(&before).unwrap().kid
    );
    rotating
        .verify(&after)
        .await
        .expect("the new key is fetched");
    assert_eq!(rotating.jwks_fetches(), 2);
    rotating
        .verify(&before)
        .await
        .expect("the old key is still listed");

    // The default interval (60 s): 1,000 concurrent tokens with made-up kids,
    // right after the first fetch, cost the instance no fetch at all.
    let guarded = verifier(&emulator).build().unwrap();
    guarded.verify(&after).await.unwrap();
    let mut c = claims(&emulator);
    c["sub"] = json!("user_forged");
    let forged: Vec<String> = (0..1000)
        .map(|n| {
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some(format!("kid_{n}"));
            jsonwebtoken::encode(
                &header,
                &c,
                &EncodingKey::from_rsa_pem(emulator.signing_key_pem().as_bytes()).unwrap(),
            )
            .unwrap()
        })
        .collect();
    let results = futures_util::future::join_all(forged.iter().map(|t| guarded.verify(t))).await;
    assert!(results
        .iter()
        .all(|r| *r == Err(clerk_dioxus::server::Rejection::UnknownKey)));
    assert_eq!(guarded.jwks_fetches(), 1, "the flood fetched nothing more");

    // Past the interval, a flood fetches once for all of it.
    let short = verifier(&emulator)
        .jwks_min_refresh(Duration::from_millis(200))
        .build()
        .unwrap();
    short.verify(&after).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let results = futures_util::future::join_all(forged.iter().map(|t| short.verify(t))).await;
    assert!(results.iter().all(Result::is_err));
    assert_eq!(
        short.jwks_fetches(),
        2,
        "one at start, one for the whole flood"
    );
}

#[tokio::test]
async fn a_pem_key_verifies_with_no_network() {
    let emulator = emulator().await;
    let token = issued(&emulator).await;
    let offline = verifier(&emulator)
        .pem_key(emulator.public_key_pem())
        .jwks_url("http://127.0.0.1:9/unreachable")
        .build()
        .unwrap();
    let auth = offline.verify(&token).await.unwrap();
    assert_eq!(auth.user_id, "user_ada");
    assert_eq!(offline.jwks_fetches(), 0);
    assert!(matches!(
        Verifier::builder(emulator.url())
            .unwrap()
            .pem_key("not a key")
            .build(),
        Err(clerk_dioxus::ClerkError::InvalidJwtKey { .. })
    ));
}

/// A JWKS that cannot be fetched is the server's problem, not the token's:
/// `503` (the client keeps its session), never `401`, and the fetch is
/// retried after a backoff rather than on every request.
#[tokio::test]
async fn a_jwks_out_of_reach_is_503_retried_with_backoff_never_401() {
    let emulator = emulator().await;
    let token = issued(&emulator).await;
    let mut network = common::network::Outage::forward_to(emulator.url()).await;
    network.refuse().await;
    let verifier = verifier(&emulator)
        .jwks_url(format!("{}/.well-known/jwks.json", network.url()))
        .build()
        .unwrap();
    let api = serve(verifier.clone()).await;
    let (status, body) = me(&api, &token).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("jwk-remote-failed-to-load"), "{body}");
    for _ in 0..20 {
        assert_eq!(
            verifier.verify(&token).await,
            Err(Rejection::KeysUnavailable),
            "still 503 while backing off, not jwk-kid-mismatch"
        );
    }
    assert_eq!(
        verifier.jwks_fetches(),
        1,
        "the backoff holds the fetches back"
    );

    network.restore().await;
    // The first request after the backoff (0.5 s) fetches again and passes.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while verifier.verify(&token).await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the keys never came back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(verifier.jwks_fetches(), 2);
    assert_eq!(me(&api, &token).await.0, 200);
}

/// The key set lives for its ttl (Clerk's 5 minutes; 1 s here): a key Clerk
/// withdraws stops verifying once it is over, and while the JWKS is out of
/// reach the keys it last held keep verifying.
#[tokio::test]
async fn a_withdrawn_key_stops_verifying_once_the_key_set_expires() {
    let emulator = emulator().await;
    let old = issued(&emulator).await;
    let mut network = common::network::Outage::forward_to(emulator.url()).await;
    let ttl = Duration::from_secs(1);
    let verifier = verifier(&emulator)
        .jwks_url(format!("{}/.well-known/jwks.json", network.url()))
        .jwks_ttl(ttl)
        .jwks_min_refresh(Duration::ZERO)
        .build()
        .unwrap();
    verifier.verify(&old).await.unwrap();

    // Past the ttl with the JWKS out of reach: the old set still verifies.
    network.refuse().await;
    tokio::time::sleep(ttl).await;
    verifier
        .verify(&old)
        .await
        .expect("the last keys serve through an outage");
    assert_eq!(verifier.jwks_fetches(), 2, "a fetch was tried");
    network.restore().await;

    // Rotated twice: the first key is withdrawn from the JWKS.
    emulator.rotate_signing_key();
    emulator.rotate_signing_key();
    tokio::time::sleep(ttl).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let refused = loop {
        match verifier.verify(&old).await {
            Err(Rejection::KeysUnavailable) => {
                // The backoff of the failed fetch above.
                assert!(
                    std::time::Instant::now() < deadline,
                    "the JWKS never came back"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => break other,
        }
    };
    assert_eq!(
        refused,
        Err(Rejection::UnknownKey),
        "jwk-kid-mismatch once withdrawn"
    );
    verifier
        .verify(&issued(&emulator).await)
        .await
        .expect("the current key verifies");
}
