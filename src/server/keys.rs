//! The keys that verify session tokens: a PEM public key (no network), or
//! the instance's JWKS, fetched, cached, and refreshed at most once per
//! interval when a token names a key it does not hold.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use std::sync::Arc;

use super::signature::VerifyingKey;
use serde::Deserialize;

use super::Rejection;

/// Where the verifier's keys come from.
pub(crate) enum Keys {
    /// `CLERK_JWT_KEY`: one RSA public key, whatever the token's `kid`.
    Pem(Arc<VerifyingKey>),
    /// The instance's JWKS.
    Jwks(Box<JwksCache>),
}

impl Keys {
    /// The key for a token whose header names `kid`.
    /// Shared, not copied: a key is read on every verification.
    pub(crate) async fn key(&self, kid: Option<&str>) -> Result<Arc<VerifyingKey>, Rejection> {
        match self {
            Self::Pem(key) => Ok(key.clone()),
            Self::Jwks(cache) => cache.key(kid.ok_or(Rejection::UnknownKey)?).await,
        }
    }
}

/// A JWKS, fetched on first use, again once it is `ttl` old (Clerk's SDKs
/// keep theirs 5 minutes), and when an unknown `kid` arrives, but for that
/// never twice within `min_refresh`: a flood of tokens with made-up `kid`s
/// costs the instance at most one fetch per interval.
///
/// A fetch that fails is [`Rejection::KeysUnavailable`] (a `503`, never a
/// `401`: the token may be fine) and is tried again after a backoff
/// (0.5 s, doubling, at most 30 s), not on every request. Meanwhile a set
/// past its `ttl` keeps verifying the `kid`s it holds: an outage of the
/// JWKS does not sign anyone out, and a withdrawn key goes with the first
/// fetch that succeeds.
pub(crate) struct JwksCache {
    url: String,
    http: reqwest::Client,
    ttl: Duration,
    min_refresh: Duration,
    keys: RwLock<KeySet>,
    /// When fetching may be tried again after failures, and how many in a row.
    failing: Mutex<Option<(Instant, u32)>>,
    /// One fetch at a time; the others wait for it, then look again.
    fetching: tokio::sync::Mutex<()>,
    /// How many fetches were made, for tests and benchmarks.
    fetches: std::sync::atomic::AtomicUsize,
}

/// The keys of the last fetch that succeeded, and when it started.
#[derive(Default)]
struct KeySet {
    keys: HashMap<String, Arc<VerifyingKey>>,
    fetched_at: Option<Instant>,
}

/// The longest wait between two fetches after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

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

/// What a lookup found in the set at hand.
enum Lookup {
    /// The key, from a set younger than the ttl.
    Fresh(Arc<VerifyingKey>),
    /// The key, from a set past its ttl: usable only if a fetch fails.
    Stale(Arc<VerifyingKey>),
    /// Not there; the set is `age` old (`None`: never fetched).
    Missing { age: Option<Duration> },
}

impl JwksCache {
    pub(crate) fn new(
        url: String,
        http: reqwest::Client,
        ttl: Duration,
        min_refresh: Duration,
    ) -> Self {
        Self {
            url,
            http,
            ttl,
            min_refresh,
            keys: RwLock::default(),
            failing: Mutex::default(),
            fetching: tokio::sync::Mutex::new(()),
            fetches: Default::default(),
        }
    }

    pub(crate) fn fetches(&self) -> usize {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn lookup(&self, kid: &str) -> Lookup {
        let set = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let age = set.fetched_at.map(|at| at.elapsed());
        match set.keys.get(kid) {
            Some(key) if age.is_some_and(|age| age < self.ttl) => Lookup::Fresh(key.clone()),
            Some(key) => Lookup::Stale(key.clone()),
            None => Lookup::Missing { age },
        }
    }

    async fn key(&self, kid: &str) -> Result<Arc<VerifyingKey>, Rejection> {
        // The hot path: a shared read of the set; no fetch lock is taken.
        let found = self.lookup(kid);
        if let Lookup::Fresh(key) = found {
            return Ok(key);
        }
        let _one_at_a_time = match (found, self.fetching.try_lock()) {
            (Lookup::Fresh(key), _) => return Ok(key),
            (_, Ok(guard)) => guard,
            // A key past its ttl serves while another request refreshes the set.
            (Lookup::Stale(key), Err(_)) => return Ok(key),
            (Lookup::Missing { .. }, Err(_)) => self.fetching.lock().await,
        };
        // Another request may have fetched while this one waited.
        let stale = match self.lookup(kid) {
            Lookup::Fresh(key) => return Ok(key),
            Lookup::Stale(key) => Some(key),
            // A fresh set without it: fetch only past the cooldown.
            Lookup::Missing { age: Some(age) } if age < self.min_refresh.min(self.ttl) => {
                return Err(Rejection::UnknownKey)
            }
            Lookup::Missing { .. } => None,
        };
        let backing_off = {
            let failing = self.failing.lock().unwrap_or_else(|p| p.into_inner());
            failing.is_some_and(|(retry_at, _)| Instant::now() < retry_at)
        };
        if backing_off {
            return stale.ok_or(Rejection::KeysUnavailable);
        }
        let started = Instant::now();
        match self.fetch().await {
            Ok(keys) => {
                *self.failing.lock().unwrap_or_else(|p| p.into_inner()) = None;
                let key = keys.get(kid).cloned();
                *self.keys.write().unwrap_or_else(|p| p.into_inner()) = KeySet {
                    keys,
                    fetched_at: Some(started),
                };
                key.ok_or(Rejection::UnknownKey)
            }
            Err(error) => {
                let mut failing = self.failing.lock().unwrap_or_else(|p| p.into_inner());
                let failures = failing.map_or(0, |(_, n)| n).saturating_add(1);
                let backoff = Duration::from_millis(500)
                    .saturating_mul(1 << (failures - 1).min(6))
                    .min(MAX_BACKOFF);
                *failing = Some((Instant::now() + backoff, failures));
                tracing::warn!(url = %self.url, %error, retry_in = ?backoff, "could not load the Clerk JWKS");
                stale.ok_or(Rejection::KeysUnavailable)
            }
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<VerifyingKey>>, String> {
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
        let keys: HashMap<String, Arc<VerifyingKey>> = jwks
            .keys
            .into_iter()
            .filter(|k| k.kty == "RSA" && k.alg.as_deref().is_none_or(|a| a == "RS256"))
            .filter_map(|k| {
                let key = VerifyingKey::from_components(k.n.as_deref()?, k.e.as_deref()?)?;
                Some((k.kid?, Arc::new(key)))
            })
            .collect();
        // A set with no key would refuse every token as an unknown `kid`:
        // a failure of the instance's, as Clerk's SDKs count it.
        if keys.is_empty() {
            return Err("the JWKS holds no RS256 key".to_owned());
        }
        Ok(keys)
    }
}
