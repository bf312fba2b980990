//! [`EmulatorBuilder`]: what the emulator starts with, and starting it.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderValue;
use tokio::sync::oneshot;

use crate::signing::SigningKeys;
use crate::tokens::TokenIssuer;
use crate::{app, store, Emulator, Seed, Shared};

/// The instance's secret key unless set: what the Backend API routes
/// (the handshake payload) require as `Authorization: Bearer`.
pub const DEFAULT_SECRET_KEY: &str = "sk_test_emulator";

/// How long session tokens live unless set: Clerk's 60 s.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(60);

/// Configures an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Seed,
    ip: IpAddr,
    port: u16,
    allow_non_loopback: bool,
    allowed_origins: Vec<String>,
    allowed_redirects: Vec<String>,
    development: bool,
    signing_key: Option<String>,
    token_lifetime: Duration,
    rate_limit: Option<u32>,
    clock_offset_ms: i64,
    secret_key: String,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            seed: Seed::demo(),
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            allow_non_loopback: false,
            allowed_origins: Vec::new(),
            allowed_redirects: Vec::new(),
            development: false,
            signing_key: None,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            rate_limit: None,
            clock_offset_ms: 0,
            secret_key: DEFAULT_SECRET_KEY.to_owned(),
        }
    }
}

impl EmulatorBuilder {
    /// Who exists at start (default: [`Seed::demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The port (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The address to bind (default `127.0.0.1`). Anything but loopback is
    /// refused unless [`EmulatorBuilder::allow_non_loopback`] is set.
    pub fn ip(mut self, ip: IpAddr) -> Self {
        self.ip = ip;
        self
    }

    /// Allows binding a non-loopback address.
    pub fn allow_non_loopback(mut self, allow: bool) -> Self {
        self.allow_non_loopback = allow;
        self
    }

    /// Lets a web app on `origin` call with credentials (CORS).
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// Lets OAuth send users back to `url` (and below it): a native app's
    /// custom-scheme callback, as on Clerk's "Allowlist for mobile SSO
    /// redirect". Loopback URLs and the allowed web origins need no entry;
    /// any other redirect URL is `422 redirect_url_not_allowed`.
    pub fn allow_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.allowed_redirects.push(url.into());
        self
    }

    /// Reports a development instance in `/v1/environment`.
    pub fn development(mut self, development: bool) -> Self {
        self.development = development;
        self
    }

    /// Signs session tokens with this RSA private key (PEM, PKCS#8 or
    /// PKCS#1) instead of one generated at start.
    pub fn signing_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.signing_key = Some(pem.into());
        self
    }

    /// How long session tokens live (default 60 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Stamps session tokens (`iat`, `nbf`, `exp`) with a clock this many
    /// seconds ahead of this machine's (behind when negative): what a client
    /// whose clock is off by as much sees, for clock-skew tests. Only the
    /// difference matters to a client.
    pub fn clock_offset_secs(mut self, seconds: i64) -> Self {
        self.clock_offset_ms = seconds.saturating_mul(1000);
        self
    }

    /// The instance's secret key (`sk_test_emulator` unless set): the
    /// Backend API's routes (the handshake payload) require it as
    /// `Authorization: Bearer`.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = key.into();
        self
    }

    /// Answers at most `per_second` Frontend API requests a second (from
    /// all callers together); the rest get Clerk's `429 too_many_requests`
    /// with `Retry-After`, the seconds until the next one is allowed.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second.max(1));
        self
    }

    fn prepare(&self) -> io::Result<(SocketAddr, Arc<Shared>, axum::Router)> {
        if !self.ip.is_loopback() && !self.allow_non_loopback {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to bind {}: not a loopback address", self.ip),
            ));
        }
        let origins = self
            .allowed_origins
            .iter()
            .map(|o| {
                HeaderValue::from_str(o.trim_end_matches('/')).map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidInput, format!("bad origin {o}"))
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        let keys = match &self.signing_key {
            Some(pem) => SigningKeys::from_pem(pem)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
            None => SigningKeys::generate(),
        };
        let mut issuer = TokenIssuer::new(keys, self.token_lifetime);
        issuer.clock_offset_ms = self.clock_offset_ms;
        let shared = Arc::new(Shared {
            store: Mutex::new(store::Store::from_seed(&self.seed, issuer)),
            log: Mutex::default(),
            faults: Mutex::default(),
            development: self.development,
            instance: std::sync::OnceLock::new(),
            rate_limit: self
                .rate_limit
                .map(crate::rate_limit::RateLimit::per_second),
            redirect_allowlist: self
                .allowed_origins
                .iter()
                .chain(&self.allowed_redirects)
                .cloned()
                .collect(),
            secret_key: self.secret_key.clone(),
            handshake_nonces: Mutex::default(),
        });
        let router = app::service(shared.clone(), &origins);
        Ok((SocketAddr::new(self.ip, self.port), shared, router))
    }

    /// Starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let (address, shared, router) = self.prepare()?;
        let listener = tokio::net::TcpListener::bind(address).await?;
        let host = listener.local_addr()?.to_string();
        let url = format!("http://{host}");
        let _ = shared
            .instance
            .set(crate::instance::Instance::new(shared.development, host));
        shared.store.lock().expect("store lock").issuer.url = url.clone();
        let (shutdown, stopped) = oneshot::channel();
        tokio::spawn(async move {
            let serve =
                axum::serve(listener, router.into_make_service()).with_graceful_shutdown(async {
                    let _ = stopped.await;
                });
            if let Err(error) = serve.await {
                tracing::error!(%error, "emulator stopped");
            }
        });
        Ok(Emulator::new(url, shared, shutdown))
    }

    /// Starts serving on a thread of its own, for code that has no tokio
    /// runtime (a desktop app's `main`, a synchronous test).
    pub fn start_in_background(self) -> io::Result<Emulator> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("clerk-emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = ready_tx.send(Err(error));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match self.start().await {
                        Ok(mut emulator) => {
                            let stopped = emulator.take_shutdown_waiter();
                            let _ = ready_tx.send(Ok(emulator));
                            let _ = stopped.await;
                        }
                        Err(error) => {
                            let _ = ready_tx.send(Err(error));
                        }
                    }
                });
            })?;
        let mut emulator = ready_rx
            .recv()
            .map_err(|_| io::Error::other("the emulator thread died"))??;
        emulator.thread = Some(thread);
        Ok(emulator)
    }
}
