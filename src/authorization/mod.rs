//! Clerk's `has()`: whether the signed-in user holds a role or permission in
//! the active organization, a billing feature or plan, or verified recently
//! enough, read from the session token's claims as Clerk's SDKs read them
//! (`@clerk/shared`'s `authorization.ts` and `jwtPayloadParser.ts`).
//!
//! A [`Check`] names what to ask; each of its three dimensions
//! (organization, billing, reverification) passes, fails or is not asked,
//! and the answer is `true` only when at least one is asked and every asked
//! one passes: `has(&Check::default())` is `false`, as `has({})` is.
//!
//! ```
//! use clerk_dioxus::authorization::{Check, Reverification};
//! let admin_who_just_verified = Check::role("admin").and_reverification(Reverification::Strict);
//! # let _ = admin_who_just_verified;
//! ```

mod claims;
mod reverification;

pub use reverification::{Reverification, VerificationLevel};

pub(crate) use claims::org_permissions;

/// What to ask `has()`: any of a role and a permission in the active
/// organization, a feature and a plan, and a reverification. All that are
/// given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    role: Option<String>,
    permission: Option<String>,
    feature: Option<String>,
    plan: Option<String>,
    reverification: Option<Reverification>,
}

impl Check {
    /// The user's role in the active organization (`admin` or `org:admin`, alike).
    pub fn role(role: impl Into<String>) -> Self {
        Self::default().and_role(role)
    }

    /// A permission in the active organization (`org:invoices:read`; the
    /// `org:` prefix is added when missing).
    pub fn permission(permission: impl Into<String>) -> Self {
        Self::default().and_permission(permission)
    }

    /// A billing feature: `o:`/`org:`/`organization:` for the organization's,
    /// `u:`/`user:` for the user's, bare for either.
    pub fn feature(feature: impl Into<String>) -> Self {
        Self::default().and_feature(feature)
    }

    /// A billing plan, scoped as [`feature`](Self::feature).
    pub fn plan(plan: impl Into<String>) -> Self {
        Self::default().and_plan(plan)
    }

    /// A first or second factor verified recently enough.
    pub fn reverification(reverification: Reverification) -> Self {
        Self::default().and_reverification(reverification)
    }

    /// This check, and the role too.
    pub fn and_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// This check, and the permission too.
    pub fn and_permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// This check, and the feature too.
    pub fn and_feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// This check, and the plan too.
    pub fn and_plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }

    /// This check, and the reverification too.
    pub fn and_reverification(mut self, reverification: Reverification) -> Self {
        self.reverification = Some(reverification);
        self
    }
}

/// What `has()` reads: the claims of a session token, decoded.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Facts<'a> {
    pub user_id: Option<&'a str>,
    pub org_id: Option<&'a str>,
    /// With its `org:` prefix.
    pub org_role: Option<&'a str>,
    pub org_permissions: Option<&'a [String]>,
    /// `fea`: scoped features (`o:dashboard,u:export`).
    pub features: Option<&'a str>,
    /// `pla`: scoped plans.
    pub plans: Option<&'a str>,
    /// `fva`: minutes since the first and second factor (`-1`: never).
    pub factor_verification_age: Option<[i64; 2]>,
}

/// How one dimension of a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Fail,
    NotAsked,
}

impl From<bool> for Outcome {
    fn from(pass: bool) -> Self {
        if pass {
            Self::Pass
        } else {
            Self::Fail
        }
    }
}

impl Facts<'_> {
    /// Clerk's `has()` on these facts.
    pub(crate) fn has(&self, check: &Check) -> bool {
        if self.user_id.is_none_or(str::is_empty) {
            return false;
        }
        let outcomes = [
            self.organization(check),
            self.billing(check),
            reverification::outcome(check.reverification.as_ref(), self.factor_verification_age),
        ];
        outcomes.contains(&Outcome::Pass) && !outcomes.contains(&Outcome::Fail)
    }

    fn organization(&self, check: &Check) -> Outcome {
        if check.role.is_none() && check.permission.is_none() {
            return Outcome::NotAsked;
        }
        if self.org_id.is_none_or(str::is_empty) {
            return Outcome::Fail;
        }
        let role_holds = check.role.as_deref().is_none_or(|asked| {
            self.org_role
                .filter(|role| !role.is_empty())
                .is_some_and(|role| with_org_prefix(role) == with_org_prefix(asked))
        });
        let permission_holds = check.permission.as_deref().is_none_or(|asked| {
            let asked = with_org_prefix(asked);
            self.org_permissions
                .is_some_and(|held| held.contains(&asked))
        });
        Outcome::from(role_holds && permission_holds)
    }

    fn billing(&self, check: &Check) -> Outcome {
        if check.feature.is_none() && check.plan.is_none() {
            return Outcome::NotAsked;
        }
        let holds = |claim: Option<&str>, asked: Option<&str>| {
            asked.is_none_or(|asked| {
                claim
                    .filter(|c| !c.is_empty())
                    .is_some_and(|claim| claims::entitles(claim, asked))
            })
        };
        Outcome::from(
            holds(self.features, check.feature.as_deref())
                && holds(self.plans, check.plan.as_deref()),
        )
    }
}

/// `value` with exactly one leading `org:` (however many it had).
fn with_org_prefix(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

#[cfg(test)]
mod tests;
