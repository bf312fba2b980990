//! The records the store keeps: users, sessions and clients, as plain data.

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionStatus {
    Active,
    Ended,
    Removed,
    Revoked,
}

impl SessionStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
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
