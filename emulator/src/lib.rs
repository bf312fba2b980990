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
//!   `POST /v1/client/sign_ins` (password, email code, second factors, OAuth),
//!   `GET /v1/client/sign_ins/{id}`, `POST …/{id}/prepare|attempt_first|second_factor`,
//!   `POST /v1/dev_browser`, and the
//!   `_method` override browsers use. The environment's `sign_in_url` and
//!   `user_profile_url` are the emulator's own `/sign-in` and `/user`, a
//!   working stand-in for Clerk's Account Portal (`portal`).
//! - Other devices: `GET /v1/me/sessions/active` and
//!   `POST /v1/me/sessions/{id}/revoke`, acting as `_clerk_session_id`; each
//!   client's device comes from its requests' `User-Agent`, or is seeded
//!   with [`Emulator::sign_in_elsewhere`] (`POST /__emulator/users/{id}/devices`).
//! - Credentials, as strict as Clerk's: the `__client` cookie (CORS for the
//!   app origins you allow, with credentials; production instances),
//!   dev-browser tokens (required on every browser request of a development
//!   instance), and native `_is_native=1` + `Authorization` (required) with a
//!   rotated token on every answer. `Origin` together with `Authorization` is
//!   refused with `origin_authorization_headers_conflict`. Production answers
//!   set `__client_uat`, as Clerk's Frontend API does.
//! - The instance's publishable key ([`Emulator::publishable_key`]), which
//!   names the emulator's host as a Clerk key names its Frontend API, and an
//!   optional rate limit ([`EmulatorBuilder::rate_limit`]).
//! - The Backend API calls an app's server makes with the secret key
//!   ([`Emulator::secret_key`]): the handshake's nonce exchange and
//!   `GET /v1/users/{user_id}` (a server-rendered page's user).
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
mod backend_api;
mod builder;
mod controls;
mod credentials;
mod device;
mod devices;
mod error;
mod faults;
mod handshake;
mod ids;
mod instance;
mod json;
mod log;
mod portal;
mod rate_limit;
mod records;
mod seed;
mod serving;
mod sign_in;
mod signing;
mod store;
mod tokens;

pub use builder::{EmulatorBuilder, DEFAULT_SECRET_KEY, DEFAULT_TOKEN_LIFETIME};
pub use device::Device;
pub use devices::OtherDevice;
pub use error::ApiFailure;
pub use faults::{Fault, Route};
pub use log::LoggedRequest;
pub use records::SentCode;
pub use seed::{Seed, SeedClient, SeedUser, DEMO_PASSWORD};

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// State shared by the server and the [`Emulator`] handle.
pub(crate) struct Shared {
    pub(crate) store: Mutex<store::Store>,
    pub(crate) log: Mutex<Vec<LoggedRequest>>,
    pub(crate) faults: Mutex<HashMap<Route, Vec<Fault>>>,
    pub(crate) development: bool,
    /// Where OAuth may send users back to, besides loopback URLs: the web
    /// origins allowed, and the native redirect URLs allowed.
    pub(crate) redirect_allowlist: Vec<String>,
    /// The instance, set once the Frontend API is bound (its host is in the key).
    pub(crate) instance: std::sync::OnceLock<instance::Instance>,
    /// Requests allowed per second on the Frontend API, if limited.
    pub(crate) rate_limit: Option<rate_limit::RateLimit>,
    /// The instance's secret key: what the Backend API routes require.
    pub(crate) secret_key: String,
    /// Handshake directives kept for one exchange, by nonce.
    pub(crate) handshake_nonces: Mutex<handshake::Nonces>,
}

impl Shared {
    /// The instance: its type, host, publishable key and cookie suffix.
    pub(crate) fn instance(&self) -> &instance::Instance {
        self.instance
            .get_or_init(|| instance::Instance::new(self.development, String::new()))
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    fn new(url: String, shared: Arc<Shared>, shutdown: oneshot::Sender<()>) -> Self {
        Self {
            url,
            shared,
            shutdown: Some(shutdown),
            thread: None,
        }
    }

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

    /// Every request logged since the last take, and an empty log: for a
    /// long run that counts requests without keeping them all.
    pub fn take_requests(&self) -> Vec<LoggedRequest> {
        std::mem::take(&mut *self.shared.log.lock().expect("log lock"))
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

    /// The JWKS the emulator serves at `/.well-known/jwks.json`: the public
    /// keys that verify its session tokens.
    pub fn jwks(&self) -> serde_json::Value {
        self.store().issuer.keys.jwks()
    }

    /// The current signing key's public half, PEM: what Clerk's dashboard
    /// offers as `CLERK_JWT_KEY`, for verification with no network.
    pub fn public_key_pem(&self) -> String {
        self.store().issuer.keys.public_pem().to_owned()
    }

    /// The current signing key's private half (PKCS#8 PEM), for `--signing-key`
    /// and for tests that craft tokens the emulator did not issue.
    pub fn signing_key_pem(&self) -> String {
        self.store().issuer.keys.private_pem().to_owned()
    }

    /// The publishable key that names this emulator as a Clerk instance
    /// (`pk_test_…` for a development one, `pk_live_…` otherwise): what an
    /// app, or Clerk's backend SDKs, are given to talk about it.
    pub fn publishable_key(&self) -> String {
        self.shared.instance().publishable_key.clone()
    }

    /// The suffix of the second names of the cookies (`__session_<suffix>`,
    /// `__client_uat_<suffix>`), derived from the publishable key as Clerk's
    /// SDKs derive it.
    pub fn cookie_suffix(&self) -> String {
        self.shared.instance().cookie_suffix.clone()
    }

    /// The instance's secret key, for the Backend API routes it serves
    /// (`GET /v1/clients/handshake_payload`, `GET /v1/users/{user_id}`), as Clerk's backend SDKs send it.
    pub fn secret_key(&self) -> &str {
        &self.shared.secret_key
    }

    /// The current signing key's `kid`.
    pub fn key_id(&self) -> String {
        self.store().issuer.keys.kid().to_owned()
    }

    /// A new key signs session tokens from now on; the JWKS lists it first
    /// and keeps the previous one (tokens it signed verify until they expire).
    pub fn rotate_signing_key(&self) {
        self.store().issuer.rotate();
    }

    /// Ends a session out of band, as another device or an admin does: its
    /// status becomes `ended` (or `revoked`), its client's `updated_at` moves
    /// on, and the next call that client makes sees it gone. Returns whether
    /// it was signed in.
    pub fn end_session(&self, session_id: &str, revoke: bool) -> bool {
        let mut store = self.shared.store.lock().expect("store lock");
        store.end_out_of_band(|s| s.id == session_id, revoke) > 0
    }

    /// Signs `user_id` in on another device: a new client with one session,
    /// whose device (user agent, place) is `device`. Returns the client, the
    /// session and a native token to act as that device.
    pub fn sign_in_elsewhere(
        &self,
        user_id: &str,
        device: Device,
    ) -> Result<OtherDevice, ApiFailure> {
        let mut store = self.shared.store.lock().expect("store lock");
        store.sign_in_elsewhere(user_id, device)
    }

    /// A session's status (`active`, `revoked`, ...), or `None` if there is none.
    pub fn session_status(&self, session_id: &str) -> Option<&'static str> {
        let store = self.shared.store.lock().expect("store lock");
        store.sessions.get(session_id).map(|s| s.status.as_str())
    }

    /// Every code the emulator has "sent" (emails for sign-in codes), oldest first.
    pub fn sent_codes(&self) -> Vec<SentCode> {
        self.store().codes.clone()
    }

    /// The current authenticator (TOTP) code of `user_id`, as their phone
    /// shows it; `None` for users without a second factor.
    pub fn totp_code(&self, user_id: &str) -> Option<String> {
        self.store().totp_code(user_id)
    }

    /// Makes the codes of sign-in attempt `sign_in_id` expire now. Returns
    /// whether there was such an attempt.
    pub fn expire_sign_in_codes(&self, sign_in_id: &str) -> bool {
        self.store().expire_codes(sign_in_id)
    }

    /// Ends every session of a user, on every client. Returns how many.
    pub fn end_user_sessions(&self, user_id: &str) -> usize {
        let mut store = self.shared.store.lock().expect("store lock");
        store.end_out_of_band(|s| s.user_id == user_id, false)
    }

    /// Ends every session of one client. Returns how many.
    pub fn end_client_sessions(&self, client_id: &str) -> usize {
        let mut store = self.shared.store.lock().expect("store lock");
        let ids: Vec<String> = store
            .clients
            .get(client_id)
            .map(|c| c.session_ids.clone())
            .unwrap_or_default();
        store.end_out_of_band(|s| ids.contains(&s.id), false)
    }

    /// Ends every session of every client. Returns how many.
    pub fn end_all_sessions(&self) -> usize {
        let mut store = self.shared.store.lock().expect("store lock");
        store.end_out_of_band(|_| true, false)
    }

    fn store(&self) -> std::sync::MutexGuard<'_, store::Store> {
        self.shared.store.lock().expect("store lock")
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
