//! # clerk-emulator
//!
//! A loopback emulator of Clerk's Frontend API (FAPI), following Clerk's
//! published spec (`clerk-fapi-2026-05-12`): the `{response, client}`
//! envelope, the `Client`/`Session`/`User` shapes, Clerk's error bodies and
//! status codes. Tests, examples and apps run against it with no Clerk account
//! and no network.
//!
//! - Routes: `GET /v1/environment`, `GET|DELETE /v1/client`,
//!   `DELETE /v1/client/sessions`, `POST /v1/client/sessions/{id}/remove|end|touch`,
//!   `POST /v1/client/sign_ins` (password), `POST /v1/dev_browser`, and the
//!   `_method` override browsers use.
//! - Credentials: the `__client` cookie (CORS for the app origins you allow,
//!   with credentials), dev-browser tokens, and native `_is_native=1` +
//!   `Authorization` with a rotated token on every answer. `Origin` together
//!   with `Authorization` is refused with `origin_authorization_headers_conflict`.
//! - Test controls: a request log with secrets masked, and per-route faults,
//!   in process ([`Emulator::requests`], [`Emulator::inject`]) or over HTTP
//!   (`/__emulator/requests`, `/__emulator/faults`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = clerk_emulator::Emulator::start().await?;
//! println!("FAPI at {}", emulator.url());
//! # Ok(()) }
//! ```

mod app;
mod credentials;
mod error;
mod faults;
mod ids;
mod json;
mod log;
mod seed;
mod store;

pub use error::ApiFailure;
pub use faults::{Fault, Route};
pub use log::LoggedRequest;
pub use seed::{Seed, SeedClient, SeedUser, DEMO_PASSWORD};

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::http::HeaderValue;
use tokio::sync::oneshot;

/// State shared by the server and the [`Emulator`] handle.
pub(crate) struct Shared {
    pub(crate) store: Mutex<store::Store>,
    pub(crate) log: Mutex<Vec<LoggedRequest>>,
    pub(crate) faults: Mutex<HashMap<Route, Vec<Fault>>>,
    pub(crate) development: bool,
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Configures an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Seed,
    ip: IpAddr,
    port: u16,
    allow_non_loopback: bool,
    allowed_origins: Vec<String>,
    development: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            seed: Seed::demo(),
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            allow_non_loopback: false,
            allowed_origins: Vec::new(),
            development: false,
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

    /// Reports a development instance in `/v1/environment`.
    pub fn development(mut self, development: bool) -> Self {
        self.development = development;
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
        let shared = Arc::new(Shared {
            store: Mutex::new(store::Store::from_seed(&self.seed)),
            log: Mutex::default(),
            faults: Mutex::default(),
            development: self.development,
        });
        let router = app::service(shared.clone(), &origins);
        Ok((SocketAddr::new(self.ip, self.port), shared, router))
    }

    /// Starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let (address, shared, router) = self.prepare()?;
        let listener = tokio::net::TcpListener::bind(address).await?;
        let url = format!("http://{}", listener.local_addr()?);
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
        Ok(Emulator {
            url,
            shared,
            shutdown: Some(shutdown),
            thread: None,
        })
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

impl Emulator {
    /// Starts the demo emulator on a free loopback port, on the current tokio runtime.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// A builder.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The Frontend API URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every `/v1/…` request received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.log.lock().expect("log lock").clone()
    }

    /// How many requests reached `route` (from the log).
    pub fn count(&self, route: Route) -> usize {
        self.shared
            .log
            .lock()
            .expect("log lock")
            .iter()
            .filter(|r| r.route == Some(route))
            .count()
    }

    /// Forgets the request log (and so the counts).
    pub fn clear_requests(&self) {
        self.shared.log.lock().expect("log lock").clear();
    }

    /// Adds a fault to `route`, applied to every later request until cleared.
    pub fn inject(&self, route: Route, fault: Fault) {
        self.shared
            .faults
            .lock()
            .expect("faults lock")
            .entry(route)
            .or_default()
            .push(fault);
    }

    /// The faults set, by route (what `GET /__emulator/faults` answers).
    pub fn faults(&self) -> HashMap<Route, Vec<Fault>> {
        self.shared.faults.lock().expect("faults lock").clone()
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("faults lock").clear();
    }

    /// The client with this id as the Frontend API would return it (`null` if gone).
    pub fn client_json(&self, client_id: &str) -> serde_json::Value {
        let store = self.shared.store.lock().expect("store lock");
        json::client_by_id(&store, client_id)
    }

    /// The id of the client a native token leads to.
    pub fn client_id_for_native_token(&self, token: &str) -> Option<String> {
        self.shared
            .store
            .lock()
            .expect("store lock")
            .native_tokens
            .get(token)
            .cloned()
    }

    /// Stops the server.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Hands the shutdown signal to the background thread: it waits on the
    /// returned receiver and stops the server when the handle is dropped.
    fn take_shutdown_waiter(&mut self) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        let server = self
            .shutdown
            .replace(tx)
            .expect("a fresh emulator has its shutdown sender");
        let (relay_tx, relay_rx) = oneshot::channel();
        tokio::spawn(async move {
            let _ = rx.await;
            let _ = server.send(());
            let _ = relay_tx.send(());
        });
        relay_rx
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}
