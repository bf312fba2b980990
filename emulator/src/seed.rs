//! Who exists on the emulator when it starts: users with passwords and
//! clients with signed-in sessions, from a builder or a TOML file.

use serde::{Deserialize, Serialize};

/// The emulator's starting state.
///
/// ```toml
/// sign_in_new_clients = ["user_ada"]
///
/// [[users]]
/// id = "user_ada"
/// first_name = "Ada"
/// last_name = "Lovelace"
/// email = "ada@example.com"
/// password = "demo-password"
///
/// [[clients]]
/// id = "client_test"
/// native_token = "token-for-tests"
/// users = ["user_ada"]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Accounts that exist and can sign in with their password.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Clients that exist from the start, reachable by their credential.
    #[serde(default)]
    pub clients: Vec<SeedClient>,
    /// Users signed in on every client the emulator creates (a fresh browser
    /// or app install starts signed in to these accounts; demos use it).
    #[serde(default)]
    pub sign_in_new_clients: Vec<String>,
}

/// One account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// `user_…`
    pub id: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username, usable as a sign-in identifier.
    #[serde(default)]
    pub username: Option<String>,
    /// Primary email address, usable as a sign-in identifier.
    pub email: String,
    /// Password for `strategy=password` sign-ins.
    pub password: String,
    /// Whether a sign-in needs a second factor (the sign-in stops at
    /// `needs_second_factor`): TOTP, with `totp_secret` or one derived from
    /// the id, or an emailed code.
    #[serde(default)]
    pub second_factor: bool,
    /// The authenticator secret (base32), for tests that compute codes
    /// themselves; see also `Emulator::totp_code`.
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// Session tasks (`choose-organization`, `reset-password`, `setup-mfa`)
    /// every new session of this user starts with: such a session is
    /// `pending`, and its tokens say `sts: "pending"`, as on an instance
    /// that requires them.
    #[serde(default)]
    pub session_tasks: Vec<String>,
}

/// A client with signed-in sessions, and the credentials that reach it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedClient {
    /// `client_…`; generated when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Native apps reach it with this `Authorization` token.
    #[serde(default)]
    pub native_token: Option<String>,
    /// Browsers reach it with this `__client` cookie value.
    #[serde(default)]
    pub cookie: Option<String>,
    /// Dev browsers reach it with this `__clerk_db_jwt` value.
    #[serde(default)]
    pub dev_browser: Option<String>,
    /// Users with an active session on it; the first is the active one
    /// unless `active` says otherwise.
    #[serde(default)]
    pub users: Vec<String>,
    /// The user whose session is active.
    #[serde(default)]
    pub active: Option<String>,
}

/// The password of the demo accounts.
pub const DEMO_PASSWORD: &str = "demo-password";

impl Seed {
    /// Three demo accounts (Ada Lovelace, Grace Hopper, Alan Turing) with the
    /// password [`DEMO_PASSWORD`], signed in on every new client, Ada active:
    /// the seed in `emulator/accounts.toml`.
    pub fn demo() -> Self {
        Self::from_toml(include_str!("../accounts.toml")).expect("accounts.toml is a valid seed")
    }

    /// Reads a seed from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Adds an account.
    pub fn user(mut self, user: SeedUser) -> Self {
        self.users.push(user);
        self
    }

    /// Adds a client.
    pub fn client(mut self, client: SeedClient) -> Self {
        self.clients.push(client);
        self
    }
}

impl SeedUser {
    /// An account with a name, email and password.
    pub fn new(id: &str, first_name: &str, last_name: &str, email: &str, password: &str) -> Self {
        Self {
            id: id.into(),
            first_name: Some(first_name.into()),
            last_name: Some(last_name.into()),
            username: None,
            email: email.into(),
            password: password.into(),
            second_factor: false,
            totp_secret: None,
            session_tasks: Vec::new(),
        }
    }

    /// The authenticator secret's bytes: the seeded one, or for a user with
    /// a second factor and no secret, one derived from the id (20 bytes or more).
    pub(crate) fn totp_secret_bytes(&self) -> Option<Vec<u8>> {
        if let Some(encoded) = &self.totp_secret {
            return totp_rs::Secret::Encoded(encoded.clone()).to_bytes().ok();
        }
        self.second_factor
            .then(|| format!("clerk-emulator-totp:{}", self.id).into_bytes())
    }
}
