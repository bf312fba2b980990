use serde::{Deserialize, Serialize};

use super::SessionStatus;

/// One of the signed-in user's active sessions on any client: this browser
/// or app install, or another device (`Client.ActiveSession` in the Frontend
/// API spec, from `GET /v1/me/sessions/active`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    /// The session's id (`sess_...`).
    pub id: String,
    /// Where the session is in its life (`active` when listed).
    pub status: SessionStatus,
    /// When the session was last used (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub last_active_at: i64,
    /// When the session expires (Unix milliseconds).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub expire_at: i64,
    /// Where and on what the session was last used.
    #[serde(default)]
    pub latest_activity: Option<SessionActivity>,
}

/// The device, browser and place of a session's latest activity
/// (`Client.SessionActivity`). Every field but `id` and `is_mobile` may be absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SessionActivity {
    /// The activity's id.
    pub id: String,
    /// The kind of device (`Macintosh`, `iPhone`, `Windows`, ...).
    #[serde(default)]
    pub device_type: Option<String>,
    /// Whether the device is a phone or tablet.
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub is_mobile: bool,
    /// The browser (or native app) name.
    #[serde(default)]
    pub browser_name: Option<String>,
    /// The browser (or native app) version.
    #[serde(default)]
    pub browser_version: Option<String>,
    /// The IP address the session was last used from.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The city that address is in.
    #[serde(default)]
    pub city: Option<String>,
    /// The country that address is in.
    #[serde(default)]
    pub country: Option<String>,
}

/// An active session of the signed-in user, as a device: marked when it is
/// one of this client's own sessions ("this device").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveDevice {
    /// The session and its latest activity.
    pub session: ActiveSession,
    /// Whether the session belongs to this client (this browser, this app
    /// install): sign it out with `SignOutButton`, not by revoking it.
    pub is_this_device: bool,
}

impl ActiveDevice {
    /// A line for people: "Chrome 131 on Linux", "iPhone", or "Unknown device".
    pub fn describe(&self) -> String {
        let Some(activity) = &self.session.latest_activity else {
            return "Unknown device".to_owned();
        };
        let browser = match (&activity.browser_name, &activity.browser_version) {
            (Some(name), Some(version)) if !version.is_empty() => Some(format!("{name} {version}")),
            (Some(name), _) => Some(name.clone()),
            _ => None,
        };
        match (browser, &activity.device_type) {
            (Some(browser), Some(device)) => format!("{browser} on {device}"),
            (Some(browser), None) => browser,
            (None, Some(device)) => device.clone(),
            (None, None) => "Unknown device".to_owned(),
        }
    }

    /// Where it was last used: "Berlin, DE (203.0.113.7)", as far as known.
    pub fn place(&self) -> Option<String> {
        let activity = self.session.latest_activity.as_ref()?;
        let town: Vec<&str> = [activity.city.as_deref(), activity.country.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect();
        match (town.is_empty(), &activity.ip_address) {
            (false, Some(ip)) => Some(format!("{} ({ip})", town.join(", "))),
            (false, None) => Some(town.join(", ")),
            (true, Some(ip)) => Some(ip.clone()),
            (true, None) => None,
        }
    }
}

/// What revoking another device's session came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RevokeOutcome {
    /// The server revoked it.
    Revoked,
    /// The server no longer had it active (ended or revoked elsewhere): it is
    /// gone all the same.
    AlreadyEnded,
}

/// One device's result of signing out every other device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRevocation {
    /// The device.
    pub device: ActiveDevice,
    /// What revoking its session came to.
    pub result: Result<RevokeOutcome, crate::ClerkError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(activity: Option<SessionActivity>) -> ActiveDevice {
        ActiveDevice {
            session: ActiveSession {
                id: "sess_1".into(),
                status: SessionStatus::Active,
                last_active_at: 0,
                expire_at: 0,
                latest_activity: activity,
            },
            is_this_device: false,
        }
    }

    #[test]
    fn devices_describe_themselves_with_what_is_known() {
        let full = SessionActivity {
            browser_name: Some("Chrome".into()),
            browser_version: Some("131.0".into()),
            device_type: Some("Linux".into()),
            city: Some("Berlin".into()),
            country: Some("DE".into()),
            ip_address: Some("203.0.113.7".into()),
            ..SessionActivity::default()
        };
        assert_eq!(
            device(Some(full.clone())).describe(),
            "Chrome 131.0 on Linux"
        );
        assert_eq!(
            device(Some(full)).place().unwrap(),
            "Berlin, DE (203.0.113.7)"
        );
        let bare = SessionActivity {
            device_type: Some("iPhone".into()),
            ..SessionActivity::default()
        };
        assert_eq!(device(Some(bare.clone())).describe(), "iPhone");
        assert_eq!(device(Some(bare)).place(), None);
        assert_eq!(device(None).describe(), "Unknown device");
    }
}
