use serde::{Deserialize, Serialize};

use super::session::join_name;

/// A signed-in user (`Client.User` in the Frontend API spec).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct User {
    /// The user's id (`user_...`).
    pub id: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Which of `email_addresses` is the primary one.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// Every email address of the user.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub email_addresses: Vec<EmailAddress>,
}

impl User {
    /// The primary email address, if the user has one.
    pub fn primary_email_address(&self) -> Option<&str> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.email_address.as_str())
    }

    /// Full name, or else the username; `None` when the user has neither.
    pub fn display_name(&self) -> Option<String> {
        let full = join_name(self.first_name.as_deref(), self.last_name.as_deref());
        if full.is_empty() {
            self.username.clone().filter(|u| !u.is_empty())
        } else {
            Some(full)
        }
    }
}

/// One email address of a [`User`] (`Client.EmailAddress`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmailAddress {
    /// The address's id (`idn_...`).
    pub id: String,
    /// The address itself.
    pub email_address: String,
}
