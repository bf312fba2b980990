//! The keys that verify session tokens: a PEM public key (no network), or
//! the instance's JWKS, fetched, cached, and refreshed at most once per
//! interval when a token names a key it does not hold.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use serde::Deserialize;

use super::Rejection;

/// Where the verifier's keys come from.
pub(crate) enum Keys {
    /// `CLERK_JWT_KEY`: one RSA public key, whatever the token's `kid`.
    Pem(DecodingKey),
    /// The instance's JWKS.
    Jwks(JwksCache),
}

impl Keys {
    /// The key for a token whose header names `kid`.
    pub(crate) async fn key(&self, kid: Option<&str>) -> Result<DecodingKey, Rejection> {
        match self {
            Self::Pem(key) => Ok(key.clone()),
            Self::Jwks(cache) => cache.key(kid.ok_or(Rejection::UnknownKey)?).await,
        }
    }
}

/// A JWKS, fetched on first use and again when an unknown `kid` arrives, but
/// never twice within `min_refresh`: a flood of tokens with made-up `kid`s
/// costs the instance at most one fetch per interval.
pub(crate) struct JwksCache {
    url: String,
    http: reqwest::Client,
    min_refresh: Duration,
    keys: RwLock<HashMap<String, DecodingKey>>,
    /// When the last fetch started (successful or not).
    last_fetch: Mutex<Option<Instant>>,
    /// One fetch at a time; the others wait for it, then look again.
    fetching: tokio::sync::Mutex<()>,
    /// How many fetches were made, for tests and benchmarks.
    fetches: std::sync::atomic::AtomicUsize,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kid: Option<String>,
    kty: String,
    #[serde(default)]
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl JwksCache {
    pub(crate) fn new(url: String, http: reqwest::Client, min_refresh: Duration) -> Self {
        Self {
            url,
            http,
            min_refresh,
            keys: RwLock::default(),
            last_fetch: Mutex::default(),
            fetching: tokio::sync::Mutex::new(()),
            fetches: Default::default(),
        }
    }

    pub(crate) fn fetches(&self) -> usize {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        self.keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(kid)
            .cloned()
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, Rejection> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let _one_at_a_time = self.fetching.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let allowed = {
            let mut last = self.last_fetch.lock().unwrap_or_else(|p| p.into_inner());
            let allowed = last.is_none_or(|at| at.elapsed() >= self.min_refresh);
            if allowed {
                *last = Some(Instant::now());
            }
            allowed
        };
        if !allowed {
            return Err(Rejection::UnknownKey);
        }
        let fetched = self.fetch().await;
        match fetched {
            Ok(keys) => {
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
                self.cached(kid).ok_or(Rejection::UnknownKey)
            }
            Err(error) => {
                tracing::warn!(url = %self.url, %error, "could not load the Clerk JWKS");
                Err(Rejection::KeysUnavailable)
            }
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, String> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("the JWKS answered {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let jwks: Jwks = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        Ok(jwks
            .keys
            .into_iter()
            .filter(|k| k.kty == "RSA" && k.alg.as_deref().is_none_or(|a| a == "RS256"))
            .filter_map(|k| {
                let key =
                    DecodingKey::from_rsa_components(k.n.as_deref()?, k.e.as_deref()?).ok()?;
                Some((k.kid?, key))
            })
            .collect())
    }
}
