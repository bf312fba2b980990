//! The records the store keeps: users, sessions, clients, sign-in attempts
//! and the codes sent, as plain data.

use serde::Serialize;

pub(crate) const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone)]
pub(crate) struct UserRecord {
    pub(crate) id: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) email: String,
    pub(crate) password: String,
    pub(crate) second_factor: bool,
    /// The authenticator secret of a user with a second factor.
    pub(crate) totp_secret: Option<Vec<u8>>,
    pub(crate) created_at: i64,
    pub(crate) last_sign_in_at: Option<i64>,
    /// Session tasks every new session of this user starts with (it is
    /// `pending` until they are done).
    pub(crate) session_tasks: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionStatus {
    Active,
    /// Signed in, with tasks left (`choose-organization`, ...).
    Pending,
    Ended,
    Removed,
    Revoked,
}

impl SessionStatus {
    /// Active or pending: the session counts as signed in (its client's
    /// `__client_uat` is not `0`, and it gets tokens).
    pub(crate) fn is_signed_in(self) -> bool {
        matches!(self, Self::Active | Self::Pending)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Ended => "ended",
            Self::Removed => "removed",
            Self::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SessionRecord {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) status: SessionStatus,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) last_active_at: i64,
    /// What a pending session must do before it is active (`choose-organization`).
    pub(crate) tasks: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ClientRecord {
    pub(crate) id: String,
    /// Sessions listed on the client (removed ones are dropped from it).
    pub(crate) session_ids: Vec<String>,
    pub(crate) last_active_session_id: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    /// The device the client was last used from (its sessions' latest activity).
    pub(crate) device: crate::device::Device,
}

/// A sign-in attempt on one client.
#[derive(Debug, Clone)]
pub(crate) struct SignInRecord {
    pub(crate) id: String,
    pub(crate) client_id: String,
    pub(crate) user_id: Option<String>,
    pub(crate) identifier: Option<String>,
    pub(crate) status: &'static str,
    pub(crate) first: Option<VerificationRecord>,
    pub(crate) second: Option<VerificationRecord>,
    pub(crate) created_session_id: Option<String>,
    pub(crate) abandon_at: i64,
    pub(crate) oauth: Option<OAuthRecord>,
}

/// One factor's verification.
#[derive(Debug, Clone)]
pub(crate) struct VerificationRecord {
    pub(crate) strategy: String,
    pub(crate) status: &'static str,
    /// The code sent, for code strategies.
    pub(crate) code: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) expire_at: i64,
    /// The provider page, for OAuth.
    pub(crate) external_url: Option<String>,
}

/// An OAuth attempt's provider and where it goes back to.
#[derive(Debug, Clone)]
pub(crate) struct OAuthRecord {
    pub(crate) provider: String,
    pub(crate) redirect_url: String,
    /// Set once the user consented; the app exchanges it for the session.
    pub(crate) nonce: Option<String>,
    /// Whether a native app started it (its callback carries a nonce).
    pub(crate) native: bool,
}

/// A code the emulator "sent", readable by tests over `/__emulator/codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentCode {
    /// The address it went to.
    pub to: String,
    /// The code.
    pub code: String,
    /// `email_code` for a first factor, `email_code_second_factor` for a second.
    pub purpose: String,
    /// The sign-in it belongs to.
    pub sign_in_id: String,
}
