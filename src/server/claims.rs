//! What a verified session token says: the claims of Clerk's session token
//! (v2, with v1's organization claims understood), and the [`Auth`] a handler gets.

use serde::{Deserialize, Serialize};

/// A verified session token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The user (`user_…`).
    pub sub: String,
    /// The session (`sess_…`); JWT-template tokens have none.
    #[serde(default)]
    pub sid: Option<String>,
    /// The instance's Frontend API URL.
    pub iss: String,
    /// The origin that minted the token (web apps); absent for native apps.
    #[serde(default)]
    pub azp: Option<String>,
    /// Issued at (Unix seconds).
    #[serde(default)]
    pub iat: i64,
    /// Not before (Unix seconds).
    #[serde(default)]
    pub nbf: Option<i64>,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The token's version (`2`).
    #[serde(default)]
    pub v: Option<u32>,
    /// The session's status: `active`, or `pending` with a task left.
    #[serde(default)]
    pub sts: Option<String>,
    /// Minutes since the first and the second factor (`-1`: never).
    #[serde(default)]
    pub fva: Option<[i64; 2]>,
    /// The active organization (v2).
    #[serde(default)]
    pub o: Option<OrganizationClaims>,
    /// The active organization's id (v1).
    #[serde(default)]
    pub org_id: Option<String>,
}

/// The active organization in a v2 token (`o`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationClaims {
    /// `org_…`.
    pub id: String,
    /// Its slug.
    #[serde(default)]
    pub slg: Option<String>,
    /// The user's role in it, without the `org:` prefix.
    #[serde(default)]
    pub rol: Option<String>,
}

/// Who a request is from, once its session token is verified: what a handler
/// reads (`RequireAuth`, `OptionalAuth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The user (`sub`).
    pub user_id: String,
    /// The session (`sid`).
    pub session_id: Option<String>,
    /// The active organization, if any.
    pub org_id: Option<String>,
    /// Every claim of the token.
    pub claims: SessionClaims,
}

impl From<SessionClaims> for Auth {
    fn from(claims: SessionClaims) -> Self {
        Self {
            user_id: claims.sub.clone(),
            session_id: claims.sid.clone(),
            org_id: claims
                .o
                .as_ref()
                .map(|o| o.id.clone())
                .or_else(|| claims.org_id.clone()),
            claims,
        }
    }
}
