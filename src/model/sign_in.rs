use serde::{Deserialize, Serialize};

/// A sign-in attempt (`Client.SignIn` in the Frontend API spec): where it
/// stands, what it accepts next, and the session it created once complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// The attempt's id (`sia_...`).
    pub id: String,
    /// Where the attempt stands.
    pub status: SignInStatus,
    /// What the user identified with (usually the email address).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The first factors the user can verify with.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub supported_first_factors: Vec<SignInFactor>,
    /// The second factors the user can verify with, when one is needed.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub supported_second_factors: Vec<SignInFactor>,
    /// The first factor's verification, once prepared or attempted.
    #[serde(default)]
    pub first_factor_verification: Option<Verification>,
    /// The second factor's verification, once prepared or attempted.
    #[serde(default)]
    pub second_factor_verification: Option<Verification>,
    /// The session the attempt created, once complete.
    #[serde(default)]
    pub created_session_id: Option<String>,
    /// When the attempt is abandoned (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub abandon_at: i64,
}

impl SignIn {
    /// The first factor offered for `strategy` (`email_code`, `password`, ...).
    pub fn first_factor(&self, strategy: &str) -> Option<&SignInFactor> {
        self.supported_first_factors
            .iter()
            .find(|f| f.strategy == strategy)
    }

    /// The second factor offered for `strategy` (`totp`, `email_code`, ...).
    pub fn second_factor(&self, strategy: &str) -> Option<&SignInFactor> {
        self.supported_second_factors
            .iter()
            .find(|f| f.strategy == strategy)
    }
}

/// Where a sign-in attempt stands (`Client.SignIn.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInStatus {
    /// No identifier yet.
    NeedsIdentifier,
    /// The first factor (a code, a password, OAuth) is to be verified.
    NeedsFirstFactor,
    /// A second factor (TOTP, an email or SMS code) is to be verified.
    NeedsSecondFactor,
    /// A new device: a second check is asked for (Clerk's client trust).
    NeedsClientTrust,
    /// The password must be changed first.
    NeedsNewPassword,
    /// Clerk Protect asks for a check.
    NeedsProtectCheck,
    /// Done: `created_session_id` is the new session.
    Complete,
    /// Given up (too old).
    Abandoned,
    /// A status this version of the crate does not know.
    #[serde(other)]
    Unknown,
}

/// A way to verify (`Stubs.SignInFactor`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignInFactor {
    /// `email_code`, `password`, `totp`, `phone_code`, `oauth_github`, ...
    pub strategy: String,
    /// Where a code goes, masked (`a***@example.com`).
    #[serde(default)]
    pub safe_identifier: Option<String>,
    /// The email address a code goes to.
    #[serde(default)]
    pub email_address_id: Option<String>,
    /// The phone number a code goes to.
    #[serde(default)]
    pub phone_number_id: Option<String>,
    /// Whether this is the user's primary address or number.
    #[serde(default)]
    pub primary: Option<bool>,
}

/// A factor's verification (`Stubs.Verification.*`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Verification {
    /// `unverified`, `verified`, `failed`, `expired` or `transferable`.
    pub status: String,
    /// The strategy being verified.
    #[serde(default)]
    pub strategy: Option<String>,
    /// How many attempts were made, as Clerk counts them.
    #[serde(default)]
    pub attempts: Option<u32>,
    /// When the code expires (Unix milliseconds).
    #[serde(default)]
    pub expire_at: Option<i64>,
    /// For OAuth: the provider page to open in the browser.
    #[serde(default)]
    pub external_verification_redirect_url: Option<String>,
}
