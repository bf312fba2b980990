use dioxus::prelude::*;

use crate::hooks::{use_active_devices_if, DevicesStatus, UseActiveDevices};
use crate::model::ActiveDevice;
use crate::ClerkError;

/// Clerk's "Active devices", headless: the signed-in user's active sessions
/// on every client, this device marked, and "Sign out of device" on each
/// other one.
///
/// Markup, for your styles and tests: a `div` (your attributes,
/// `data-state="loading|ready|failed"`, an `role="alert"` paragraph when the
/// list could not be fetched) holding a `ul` with one `li` per device:
/// `data-session-id`, `data-this-device="true|false"`,
/// `data-state="active|revoking|failed"`, spans for the device, the place and
/// the last activity (classes `device`, `place`, `last-active`), then "This
/// device" (class `this-device`) or the sign-out button (id
/// `clerk-device-{session id}-sign-out`), and a
/// `role="alert"` span with the error of a failed revoke.
///
/// Pass `devices` to share the list with a `SignOutOtherDevicesButton`.
#[component]
pub fn ActiveDevices(
    /// The device state to show; by default the component's own
    /// ([`use_active_devices`](crate::hooks::use_active_devices)).
    devices: Option<UseActiveDevices>,
    /// The sign-out buttons' class.
    #[props(into)]
    button_class: Option<String>,
    /// Receives the error when signing out of a device fails.
    on_error: Option<EventHandler<ClerkError>>,
    /// Attributes for the wrapping `div`.
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
) -> Element {
    // Hooks run on every render: the own state exists either way, and fetches
    // only when no state was passed in.
    let own = use_active_devices_if(devices.is_none());
    let devices = devices.unwrap_or(own);
    let status = devices.status();
    let state = match status {
        DevicesStatus::Idle | DevicesStatus::Loading => "loading",
        DevicesStatus::Ready => "ready",
        DevicesStatus::Failed(_) => "failed",
    };
    let list = devices.devices();
    let now = crate::platform::now_secs();
    rsx! {
        div { "data-state": state, ..attributes,
            if let DevicesStatus::Failed(error) = &status {
                p { role: "alert", "Could not list your devices: {error}" }
            }
            ul {
                for device in list {
                    DeviceRow {
                        key: "{device.session.id}",
                        revoking: devices.is_revoking(&device.session.id),
                        failure: devices.failure(&device.session.id).map(|e| e.to_string()),
                        last_active: super::ago(device.session.last_active_at, now),
                        device,
                        devices,
                        button_class: button_class.clone(),
                        on_error,
                    }
                }
            }
        }
    }
}

#[component]
fn DeviceRow(
    device: ActiveDevice,
    revoking: bool,
    failure: Option<String>,
    last_active: String,
    devices: UseActiveDevices,
    button_class: Option<String>,
    on_error: Option<EventHandler<ClerkError>>,
) -> Element {
    let description = device.describe();
    let id = device.session.id.clone();
    let state = match (revoking, &failure) {
        (true, _) => "revoking",
        (false, Some(_)) => "failed",
        (false, None) => "active",
    };
    rsx! {
        li {
            "data-session-id": "{id}",
            "data-this-device": if device.is_this_device { "true" } else { "false" },
            "data-state": state,
            span { class: "device", "{description}" }
            if let Some(place) = device.place() {
                span { class: "place", "{place}" }
            }
            span { class: "last-active", "{last_active}" }
            if device.is_this_device {
                span { class: "this-device", "This device" }
            } else {
                button {
                    r#type: "button",
                    id: "clerk-device-{id}-sign-out",
                    class: button_class,
                    aria_label: "Sign out of {description}",
                    aria_disabled: revoking.then_some("true"),
                    aria_busy: if revoking { "true" } else { "false" },
                    "data-state": if revoking { "pending" } else { "idle" },
                    onclick: {
                        let id = id.clone();
                        move |_| devices.revoke(id.clone(), on_error)
                    },
                    if revoking { "Signing out…" } else { "Sign out of device" }
                }
            }
            if let Some(message) = failure {
                span { role: "alert", "{message}" }
            }
        }
    }
}
