//! [`MemoryBackend`]: a real in-process Clerk server for tests, demos and
//! your own tests.

mod calls;
mod controls;
mod devices;
mod server;
mod sign_in;

pub use calls::{BackendCall, CallKind, Hold};

use crate::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use async_trait::async_trait;

use super::{ClerkBackend, SignInAnswer, SignInCall};
use crate::model::{
    ActiveSession, Environment, PublicUserData, Session, SessionStatus, SessionToken, User,
};
use crate::{ClerkError, Client};
use server::{make_user, Server, EPOCH_MS, SESSION_LIFETIME_MS};

/// The demo accounts: id, first name, last name, email address.
const DEMO_ACCOUNTS: [(&str, &str, &str, &str); 3] = [
    ("user_ada", "Ada", "Lovelace", "ada@example.com"),
    ("user_grace", "Grace", "Hopper", "grace@example.com"),
    ("user_alan", "Alan", "Turing", "alan@example.com"),
];

/// How long the session tokens of a new backend live, as Clerk's do.
#[cfg(feature = "memory-tokens")]
const DEFAULT_TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);

/// A complete in-process Clerk server: seeded users and sessions, multi-session,
/// with a log of every call and per-call delays, failures and holds.
///
/// It is cheap to clone; clones share one server, so a test can keep one to
/// inspect while the [`Clerk`](crate::Clerk) handle owns another.
///
/// With the `memory-tokens` feature (on by default) it issues session tokens:
/// unsigned JWTs with the claims a client reads, for tests and demos of code
/// that calls [`Clerk::get_token`](crate::Clerk::get_token). Without it, it
/// answers token requests with [`ClerkError::Unsupported`], and an app links
/// no token minting.
///
/// ```
/// use clerk_dioxus::{CallKind, MemoryBackend};
/// let backend = MemoryBackend::demo();
/// assert_eq!(backend.signed_in_session_ids().len(), 3);
/// backend.fail(CallKind::SignOutAll, clerk_dioxus::ApiError::new(500, "internal", "boom"));
/// assert!(backend.calls().is_empty());
/// ```
#[derive(Clone, Default)]
pub struct MemoryBackend {
    server: Rc<RefCell<Server>>,
}

impl MemoryBackend {
    /// A server with an empty client: nobody signed in.
    pub fn new() -> Self {
        let backend = Self::default();
        {
            let mut server = backend.server.borrow_mut();
            server.clock = EPOCH_MS;
            #[cfg(feature = "memory-tokens")]
            {
                server.token_lifetime = DEFAULT_TOKEN_LIFETIME;
            }
            let id = server.fresh_id("client");
            server.client = Some(Client {
                id,
                created_at: EPOCH_MS,
                updated_at: EPOCH_MS,
                ..Client::default()
            });
        }
        backend
    }

    /// Three demo accounts, all signed in; the first one (Ada) is active.
    /// With the `sign-in` feature, each can sign in again with the password
    /// [`MemoryBackend::DEMO_PASSWORD`].
    pub fn demo() -> Self {
        let backend = Self::new();
        // Signed in last to first, so the first is the active one.
        for &(id, first, last, email) in DEMO_ACCOUNTS.iter().rev() {
            let user = make_user(id, first, last, email);
            // Only a sign-in reads the accounts.
            #[cfg(feature = "sign-in")]
            backend.add_account(user.clone(), Self::DEMO_PASSWORD);
            backend.sign_in(user);
        }
        backend
    }

    /// `count` users signed in (`user_0`, "User 0", `u0@example.com`, …), the
    /// last one active: a long account list for tests and benchmarks.
    pub fn with_numbered_users(count: usize) -> Self {
        let backend = Self::new();
        for n in 0..count {
            let email = format!("u{n}@example.com");
            backend.sign_in(Self::user(
                &format!("user_{n}"),
                "User",
                &n.to_string(),
                &email,
            ));
        }
        backend
    }

    /// The demo accounts' password.
    pub const DEMO_PASSWORD: &'static str = "demo-password";

    /// Lets `user` sign in with `password` (by email address or username).
    pub fn add_account(&self, user: User, password: &str) {
        self.server
            .borrow_mut()
            .accounts
            .push((user, password.to_owned()));
    }

    /// The demo users: Ada Lovelace, Grace Hopper and Alan Turing.
    pub fn demo_users() -> Vec<User> {
        DEMO_ACCOUNTS
            .iter()
            .map(|&(id, first, last, email)| make_user(id, first, last, email))
            .collect()
    }

    /// A user with a name and a primary email address, for seeding.
    pub fn user(id: &str, first_name: &str, last_name: &str, email: &str) -> User {
        make_user(id, first_name, last_name, email)
    }

    /// Seeds a new active session for `user` and makes it the active one, as a
    /// sign-in does. Returns the session id. Not recorded as a call.
    pub fn sign_in(&self, user: User) -> String {
        let mut server = self.server.borrow_mut();
        let now = server.tick();
        let id = server.fresh_id("sess");
        let session = Session {
            id: id.clone(),
            status: SessionStatus::Active,
            last_active_at: now,
            expire_at: now + SESSION_LIFETIME_MS,
            abandon_at: now + 2 * SESSION_LIFETIME_MS,
            // Stands in for a session JWT: tests look for it in logs and `Debug` output.
            last_active_token: Some(SessionToken {
                // The stamp as `u64`: its formatter is one every app has.
                jwt: format!("memjwt.{id}.{}", now.unsigned_abs()),
            }),
            public_user_data: Some(PublicUserData::of(&user)),
            user: Some(user),
            tasks: Vec::new(),
        };
        let client = server.client_mut(now);
        client.sessions.push(Arc::new(session));
        client.last_active_session_id = Some(id.clone());
        id
    }

    /// The client as the server holds it now.
    pub fn client(&self) -> Option<Client> {
        self.server.borrow().client.clone()
    }

    /// The ids of the server's signed-in sessions.
    pub fn signed_in_session_ids(&self) -> Vec<String> {
        let server = self.server.borrow();
        server
            .client
            .iter()
            .flat_map(|c| c.signed_in_sessions().map(|s| s.id.clone()))
            .collect()
    }
}

#[async_trait(?Send)]
impl ClerkBackend for MemoryBackend {
    async fn environment(&self) -> Result<Environment, ClerkError> {
        Ok(self.server.borrow().environment.clone())
    }

    async fn active_sessions(
        &self,
        acting_session_id: &str,
    ) -> Result<Vec<ActiveSession>, ClerkError> {
        self.list_active_sessions(acting_session_id).await
    }

    async fn revoke_session(
        &self,
        acting_session_id: &str,
        session_id: &str,
    ) -> Result<Option<Client>, ClerkError> {
        self.revoke(acting_session_id, session_id).await
    }

    // The calls that answer with the client return `answer_with_client`'s
    // boxed future as it is: written out as `async_trait` would expand them,
    // without its wrapper future around ours.
    fn load_client<'s, 'f>(&'s self) -> ClientAnswer<'f>
    where
        's: 'f,
        Self: 'f,
    {
        self.answer_with_client(BackendCall::LoadClient, "", |server, _| {
            Ok(server.client.clone())
        })
    }

    fn sign_out_all<'s, 'f>(&'s self) -> ClientAnswer<'f>
    where
        's: 'f,
        Self: 'f,
    {
        self.answer_with_client(BackendCall::SignOutAll, "", |server, _| {
            let now = server.tick();
            let client = server.client_mut(now);
            client.sessions.retain(|s| !s.status.is_signed_in());
            client.last_active_session_id = None;
            Ok(server.client.clone())
        })
    }

    fn remove_session<'s, 'i, 'f>(&'s self, session_id: &'i str) -> ClientAnswer<'f>
    where
        's: 'f,
        'i: 'f,
        Self: 'f,
    {
        let call = BackendCall::RemoveSession(session_id.to_owned());
        self.answer_with_client(call, session_id, |server, session_id| {
            server.signed_in_index(session_id)?;
            let now = server.tick();
            let client = server.client_mut(now);
            client.sessions.retain(|s| s.id != session_id);
            if client.last_active_session_id.as_deref() == Some(session_id) {
                client.last_active_session_id = None;
            }
            Ok(server.client.clone())
        })
    }

    async fn sign_in(
        &self,
        sign_in_id: Option<&str>,
        call: SignInCall<'_>,
        form: &[(&str, &str)],
    ) -> Result<SignInAnswer, ClerkError> {
        self.sign_in_call(sign_in_id, call, form).await
    }

    #[cfg(not(feature = "memory-tokens"))]
    async fn session_token(
        &self,
        _session_id: &str,
        _template: Option<&str>,
        _organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        Err(ClerkError::Unsupported(
            "MemoryBackend issues session tokens with the crate's `memory-tokens` feature".into(),
        ))
    }

    #[cfg(feature = "memory-tokens")]
    async fn session_token(
        &self,
        session_id: &str,
        _template: Option<&str>,
        _organization_id: Option<&str>,
    ) -> Result<String, ClerkError> {
        if let Some(controls) = self.receive(BackendCall::SessionToken(session_id.to_owned())) {
            controls.await?;
        }
        let mut server = self.server.borrow_mut();
        let index = server.signed_in_index(session_id)?;
        let user_id = server.client.as_ref().expect("a session is in it").sessions[index]
            .user_id()
            .unwrap_or_default()
            .to_owned();
        Ok(server.mint_token(session_id, &user_id))
    }

    fn touch_session<'s, 'i, 'f>(&'s self, session_id: &'i str) -> ClientAnswer<'f>
    where
        's: 'f,
        'i: 'f,
        Self: 'f,
    {
        let call = BackendCall::TouchSession(session_id.to_owned());
        self.answer_with_client(call, session_id, |server, id| server.touch(id, false))
    }

    fn set_active_session<'s, 'i, 'f>(&'s self, session_id: &'i str) -> ClientAnswer<'f>
    where
        's: 'f,
        'i: 'f,
        Self: 'f,
    {
        let call = BackendCall::SetActiveSession(session_id.to_owned());
        self.answer_with_client(call, session_id, |server, id| server.touch(id, true))
    }
}

/// A call's answer with the client, as `async_trait` boxes it.
type ClientAnswer<'f> =
    futures_util::future::LocalBoxFuture<'f, Result<Option<Client>, ClerkError>>;

/// What a call that answers with the client does to the server, given the
/// session it names (or `""`).
type ClientChange = fn(&mut Server, &str) -> Result<Option<Client>, ClerkError>;

impl MemoryBackend {
    /// Receives `call`, then answers it with `change`: one future for every
    /// call that answers with the client, instead of one state machine each.
    fn answer_with_client(
        &self,
        call: BackendCall,
        session_id: &str,
        change: ClientChange,
    ) -> futures_util::future::LocalBoxFuture<'static, Result<Option<Client>, ClerkError>> {
        let controls = self.receive(call);
        let server = self.server.clone();
        let session_id = session_id.to_owned();
        Box::pin(async move {
            if let Some(controls) = controls {
                controls.await?;
            }
            change(&mut server.borrow_mut(), &session_id)
        })
    }
}
