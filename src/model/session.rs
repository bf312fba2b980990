use std::fmt;

use serde::{Deserialize, Serialize};

use super::User;

/// A session of one user on a client (`Client.Session` in the Frontend API spec).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The session's id (`sess_...`).
    pub id: String,
    /// Where the session is in its life.
    pub status: SessionStatus,
    /// When the session was last used (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub last_active_at: i64,
    /// When the session expires (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub expire_at: i64,
    /// When the session is abandoned if unused (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub abandon_at: i64,
    /// The session's most recent token. A credential: never printed by `Debug`,
    /// and left out when the session is serialised (for hydration, logs, caches).
    #[serde(default, skip_serializing)]
    pub last_active_token: Option<SessionToken>,
    /// The full user, when the server includes it.
    #[serde(default)]
    pub user: Option<User>,
    /// The public part of the user, always present on Clerk's answers.
    #[serde(default)]
    pub public_user_data: Option<PublicUserData>,
    /// What a `pending` session must do before it is active, first task
    /// first (the spec's `tasks`; `null`, or left out, when there are none).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub tasks: Vec<SessionTask>,
}

/// A task a [`Session`] must finish before it is active (`Client.SessionTask`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionTask {
    /// Which task: `choose-organization`, `reset-password`, `setup-mfa`, or
    /// one newer than this crate (kept as it is, so an app can route to it).
    pub key: String,
}

impl Session {
    /// The id of the user this session belongs to.
    pub fn user_id(&self) -> Option<&str> {
        self.user
            .as_ref()
            .map(|u| u.id.as_str())
            .or_else(|| self.public_user_data.as_ref()?.user_id.as_deref())
    }

    /// A name to show for this session's user: full name, then username, then
    /// the identifier (usually the email address).
    pub fn display_name(&self) -> String {
        if let Some(user) = &self.user {
            if let Some(name) = user.display_name() {
                return name;
            }
        }
        let public = self.public_user_data.as_ref();
        let full = public.map(|p| join_name(p.first_name.as_deref(), p.last_name.as_deref()));
        match full {
            Some(name) if !name.is_empty() => name,
            _ => public
                .and_then(|p| p.identifier.clone())
                .unwrap_or_else(|| self.id.clone()),
        }
    }
}

impl Session {
    /// The user's avatar URL, from the full user or its public part.
    pub fn image_url(&self) -> Option<&str> {
        let from_user = self.user.as_ref().and_then(|u| u.image_url.as_deref());
        from_user
            .or_else(|| self.public_user_data.as_ref()?.image_url.as_deref())
            .filter(|url| !url.is_empty())
    }

    /// The user's primary email address, or else the identifier they signed
    /// in with when it is one.
    pub fn email_address(&self) -> Option<&str> {
        let primary = self.user.as_ref().and_then(User::primary_email_address);
        primary.or_else(|| {
            let identifier = self.public_user_data.as_ref()?.identifier.as_deref()?;
            identifier.contains('@').then_some(identifier)
        })
    }
}

pub(crate) fn join_name(first: Option<&str>, last: Option<&str>) -> String {
    [first, last]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The status of a [`Session`]. Only `active` and `pending` sessions are
/// signed in to the client; a `pending` one counts as signed out to the app
/// by default, as Clerk's SDKs count it (see
/// [`AuthState::is_signed_in`](crate::AuthState::is_signed_in)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Signed in and usable.
    Active,
    /// Signed in, with a task left to finish (for example choosing an organization).
    Pending,
    /// Signed out by the user; still listed on the client.
    Ended,
    /// Signed out of this client and removed from it.
    Removed,
    /// Revoked by an administrator or the Backend API.
    Revoked,
    /// Past its lifetime.
    Expired,
    /// Unused for too long.
    Abandoned,
    /// A status this version of the crate does not know.
    #[serde(other)]
    Unknown,
}

impl SessionStatus {
    /// Whether a session in this status is signed in to the client (listed
    /// among its accounts, with tokens): `active` or `pending`. Whether the
    /// app treats a pending one as signed in is
    /// [`AuthState::is_signed_in`](crate::AuthState::is_signed_in)'s call.
    pub fn is_signed_in(self) -> bool {
        matches!(self, Self::Active | Self::Pending)
    }
}

/// A session token (`Token` in the spec). Its JWT is a credential, so `Debug`
/// prints only that one is present, and it cannot be serialised at all: it is
/// read from Clerk's answers, never written anywhere.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct SessionToken {
    /// The encoded JWT.
    pub jwt: String,
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// The public part of a session's user (`Client.PublicUserData`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublicUserData {
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// What the user signed in with (usually the email address).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The user's id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
}

impl PublicUserData {
    /// The public part of `user`, as Clerk lists it on the user's sessions.
    pub(crate) fn of(user: &User) -> Self {
        Self {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            image_url: user.image_url.clone(),
            identifier: user.primary_email_address().map(str::to_owned),
            user_id: Some(user.id.clone()),
            username: user.username.clone(),
        }
    }
}
