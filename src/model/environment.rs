use serde::{Deserialize, Serialize};

/// The instance's settings that the UI needs (`Environment.Environment` in
/// the Frontend API spec; only `display_config` is read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Environment {
    /// URLs and names the instance shows users.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub display_config: DisplayConfig,
}

/// The instance's pages and after-action URLs (`Environment.DisplayConfig`).
/// Clerk sends `""` for a page the instance has not set; [`DisplayConfig::url`]
/// reads that as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DisplayConfig {
    /// The application's name.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub application_name: String,
    /// The sign-in page (Clerk's Account Portal unless the instance set its own).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub sign_in_url: String,
    /// The sign-up page.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub sign_up_url: String,
    /// The page where users manage their account.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub user_profile_url: String,
    /// Where to go after signing out of every account.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub after_sign_out_all_url: String,
    /// Where to go after signing out of one account of several.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub after_sign_out_one_url: String,
    /// Where to go after switching accounts.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub after_switch_session_url: String,
}

impl DisplayConfig {
    /// `value` as a URL: `None` when the instance left it empty.
    pub fn url(value: &str) -> Option<&str> {
        Some(value.trim()).filter(|url| !url.is_empty())
    }
}
