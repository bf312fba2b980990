//! What a verified session token says: the claims of Clerk's session token
//! (v2, with v1's organization claims understood), and the [`Auth`] a
//! handler gets, decoded as `@clerk/shared`'s `jwtPayloadParser.ts` does.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::authorization::{org_permissions, Check, Facts};

/// A verified session token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The user (`user_…`).
    pub sub: String,
    /// The session (`sess_…`): every session token has one (a verified
    /// [`Auth`] always does).
    #[serde(default)]
    pub sid: Option<String>,
    /// The instance's Frontend API URL.
    pub iss: String,
    /// The origin that minted the token (web apps); absent for native apps.
    #[serde(default)]
    pub azp: Option<String>,
    /// The audience, when the instance's token adds one (a string or a list).
    #[serde(default, deserialize_with = "lenient")]
    pub aud: Option<Audience>,
    /// Issued at (Unix seconds).
    #[serde(default)]
    pub iat: i64,
    /// Not before (Unix seconds).
    #[serde(default)]
    pub nbf: Option<i64>,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The token's version (`2`).
    #[serde(default, deserialize_with = "lenient")]
    pub v: Option<u32>,
    /// The session's status: `active`, or `pending` with a task left.
    #[serde(default, deserialize_with = "lenient")]
    pub sts: Option<String>,
    /// Minutes since the first and the second factor (`-1`: never).
    #[serde(default, deserialize_with = "lenient")]
    pub fva: Option<[i64; 2]>,
    /// Who is acting as the user, in an impersonation.
    #[serde(default, deserialize_with = "lenient")]
    pub act: Option<Actor>,
    /// The active organization (v2).
    #[serde(default, deserialize_with = "lenient")]
    pub o: Option<OrganizationClaims>,
    /// Billing features, scoped (`o:dashboard,u:export`; v2).
    #[serde(default, deserialize_with = "lenient")]
    pub fea: Option<String>,
    /// Billing plans, scoped (`u:free_user,o:pro`; v2).
    #[serde(default, deserialize_with = "lenient")]
    pub pla: Option<String>,
    /// The active organization's id (v1).
    #[serde(default)]
    pub org_id: Option<String>,
    /// The active organization's slug (v1).
    #[serde(default, deserialize_with = "lenient")]
    pub org_slug: Option<String>,
    /// The user's role in it, `org:`-prefixed (v1).
    #[serde(default, deserialize_with = "lenient")]
    pub org_role: Option<String>,
    /// The user's permissions in it (v1).
    #[serde(default, deserialize_with = "lenient")]
    pub org_permissions: Option<Vec<String>>,
}

/// A claim of the wrong shape reads as absent, as Clerk's SDKs read their
/// claims untyped: an odd `fva` or `o` must not make the token malformed.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// `aud`: one audience or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// One.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl Audience {
    /// Every audience named (empty ones left out, as Clerk's SDKs leave them).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let all: &[String] = match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        };
        all.iter().map(String::as_str).filter(|a| !a.is_empty())
    }
}

/// The actor of an impersonation (`act`): who signed in as the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The impersonator (`user_…`).
    pub sub: String,
    /// Where the impersonation started (Clerk's dashboard, say).
    #[serde(default)]
    pub iss: Option<String>,
    /// The impersonator's own session.
    #[serde(default)]
    pub sid: Option<String>,
}

/// The active organization in a v2 token (`o`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationClaims {
    /// `org_…` (empty when the claim has none).
    #[serde(default)]
    pub id: String,
    /// Its slug.
    #[serde(default)]
    pub slg: Option<String>,
    /// The user's role in it, without the `org:` prefix.
    #[serde(default)]
    pub rol: Option<String>,
    /// The permission names, comma-separated, that `fpm` indexes.
    #[serde(default)]
    pub per: Option<String>,
    /// Per organization feature of `fea`, a decimal bit mask over `per`.
    #[serde(default)]
    pub fpm: Option<String>,
}

/// Who a request is from, once its session token is verified: what a handler
/// reads (`RequireAuth`, `OptionalAuth`), with the fields of Clerk's `auth()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Auth {
    /// The user (`sub`).
    pub user_id: String,
    /// The session (`sid`).
    pub session_id: Option<String>,
    /// The session's status (`sts`): `active`, or `pending` when the
    /// verifier lets pending sessions through.
    pub session_status: Option<String>,
    /// The active organization, if any.
    pub org_id: Option<String>,
    /// Its slug.
    pub org_slug: Option<String>,
    /// The user's role in it, `org:`-prefixed (`org:admin`).
    pub org_role: Option<String>,
    /// The user's permissions in it (`org:invoices:read`), decoded from the
    /// compact v2 claims.
    pub org_permissions: Vec<String>,
    /// Minutes since the first and the second factor were verified (`-1`: never).
    pub factor_verification_age: Option<[i64; 2]>,
    /// Who is acting as the user, in an impersonation.
    pub actor: Option<Actor>,
    /// Every claim of the token.
    pub claims: SessionClaims,
}

impl Auth {
    /// Clerk's `has()`: whether the user holds what `check` asks (a role or
    /// permission in the active organization, a feature or plan, a recent
    /// enough verification). See [`crate::authorization`].
    ///
    /// ```
    /// # fn route(auth: clerk_dioxus::server::Auth) {
    /// use clerk_dioxus::authorization::Check;
    /// if !auth.has(&Check::permission("org:invoices:manage")) {
    ///     // 403
    /// }
    /// # }
    /// ```
    pub fn has(&self, check: &Check) -> bool {
        Facts {
            user_id: Some(&self.user_id),
            org_id: self.org_id.as_deref(),
            org_role: self.org_role.as_deref(),
            org_permissions: Some(&self.org_permissions),
            features: self.claims.fea.as_deref(),
            plans: self.claims.pla.as_deref(),
            factor_verification_age: self.factor_verification_age,
        }
        .has(check)
    }
}

impl From<SessionClaims> for Auth {
    fn from(claims: SessionClaims) -> Self {
        // v2 tokens carry the organization in `o`; others in v1's fields.
        let (org_id, org_slug, org_role, org_permissions) = match (claims.v, &claims.o) {
            (Some(2), Some(o)) => (
                Some(o.id.clone()).filter(|id| !id.is_empty()),
                o.slg.clone(),
                o.rol
                    .as_ref()
                    .filter(|role| !role.is_empty())
                    .map(|role| format!("org:{role}")),
                org_permissions(claims.fea.as_deref(), o.per.as_deref(), o.fpm.as_deref()),
            ),
            (Some(2), None) => (None, None, None, Vec::new()),
            _ => (
                claims.org_id.clone(),
                claims.org_slug.clone(),
                claims.org_role.clone(),
                claims.org_permissions.clone().unwrap_or_default(),
            ),
        };
        Self {
            user_id: claims.sub.clone(),
            session_id: claims.sid.clone(),
            session_status: claims.sts.clone(),
            org_id,
            org_slug,
            org_role,
            org_permissions,
            factor_verification_age: claims.fva,
            actor: claims.act.clone(),
            claims,
        }
    }
}
