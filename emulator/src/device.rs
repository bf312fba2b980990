//! The device a client is used from: read from its requests' `User-Agent`
//! or seeded, and shown as the spec's `Client.SessionActivity`.

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Where and on what a client is used: from its requests' `User-Agent` (and
/// `_is_native`), or seeded. The emulator listens on loopback, so the address
/// is `127.0.0.1` unless seeded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The `User-Agent` the client sends.
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Whether the client is a native app (`_is_native=1`).
    #[serde(default)]
    pub native: bool,
    /// The IP address to report.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The city to report.
    #[serde(default)]
    pub city: Option<String>,
    /// The country to report.
    #[serde(default)]
    pub country: Option<String>,
}

impl Device {
    /// The device a request comes from (`native`: it has `_is_native=1`).
    pub(crate) fn from_request(headers: &HeaderMap, native: bool) -> Self {
        let user_agent = headers
            .get("user-agent")
            .and_then(|ua| ua.to_str().ok())
            .map(str::to_owned);
        Self {
            user_agent,
            native,
            ..Self::default()
        }
    }

    /// The spec's `Client.SessionActivity` for `session_id` on this device.
    pub(crate) fn activity(&self, session_id: &str) -> Value {
        let ua = self.user_agent.as_deref().unwrap_or_default();
        let (device_type, is_mobile) = operating_system(ua);
        let mut activity = json!({
            "object": "session_activity",
            "id": format!("sess_activity_{session_id}"),
            "is_mobile": is_mobile,
            "ip_address": self.ip_address.as_deref().unwrap_or("127.0.0.1"),
        });
        let (browser_name, browser_version) = browser(ua);
        let optional = [
            ("device_type", device_type.map(str::to_owned)),
            ("browser_name", browser_name.map(str::to_owned)),
            ("browser_version", browser_version.map(str::to_owned)),
            ("city", self.city.clone()),
            ("country", self.country.clone()),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                activity[field] = json!(value);
            }
        }
        activity
    }
}

/// The browser (or native app) and its version a `User-Agent` names.
fn browser(ua: &str) -> (Option<&str>, Option<&str>) {
    let version_after = |marker: &str| {
        ua.split(marker)
            .nth(1)
            .map(|rest| rest.split([' ', ';', ')']).next().unwrap_or_default())
    };
    let known = [
        ("Edg/", "Edge"),
        ("HeadlessChrome/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Firefox/", "Firefox"),
        ("clerk-dioxus/", "clerk-dioxus"),
    ];
    for (marker, name) in known {
        if ua.contains(marker) {
            return (Some(name), version_after(marker));
        }
    }
    if ua.contains("Safari/") {
        return (Some("Safari"), version_after("Version/"));
    }
    let first = ua.split([' ', '/']).next().filter(|name| !name.is_empty());
    (
        first,
        first.and_then(|name| version_after(&format!("{name}/"))),
    )
}

/// The kind of device a `User-Agent` names, and whether it is mobile.
fn operating_system(ua: &str) -> (Option<&'static str>, bool) {
    let lower = ua.to_ascii_lowercase();
    let known = [
        ("iphone", "iPhone", true),
        ("ipad", "iPad", true),
        ("android", "Android", true),
        ("(ios)", "iPhone", true),
        ("windows", "Windows", false),
        ("macintosh", "Macintosh", false),
        ("(macos)", "Macintosh", false),
        ("cros", "Chrome OS", false),
        ("linux", "Linux", false),
    ];
    known
        .iter()
        .find(|(marker, _, _)| lower.contains(marker))
        .map_or((None, false), |(_, name, mobile)| (Some(*name), *mobile))
}

#[cfg(test)]
mod tests {
    use super::{browser, operating_system};

    #[test]
    fn user_agents_name_their_browser_and_device() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36";
        assert_eq!(browser(chrome), (Some("Chrome"), Some("131.0.6778.33")));
        assert_eq!(operating_system(chrome), (Some("Linux"), false));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser(iphone), (Some("Safari"), Some("17.0")));
        assert_eq!(operating_system(iphone), (Some("iPhone"), true));
        assert_eq!(
            browser("clerk-dioxus/0.1.0 (linux)"),
            (Some("clerk-dioxus"), Some("0.1.0"))
        );
        assert_eq!(
            operating_system("clerk-dioxus/0.1.0 (macos)"),
            (Some("Macintosh"), false)
        );
        assert_eq!(browser("node"), (Some("node"), None));
        assert_eq!(browser(""), (None, None));
    }
}
