use dioxus::prelude::*;

use crate::hooks::{use_active_devices_if, UseActiveDevices};
use crate::model::DeviceRevocation;
use crate::ClerkError;

/// Signs the user out of every other device: lists the user's active
/// sessions and revokes each one on another client (one request per device,
/// at most four at a time). This device stays signed in: `SignOutButton`
/// signs it out.
///
/// - A `<button type="button">`, labelled "Sign out of all other devices"
///   unless you give it text; your attributes go on it.
/// - `on_complete` gets each device's result, so a partial failure says
///   which devices are still signed in; `on_error` gets the error when the
///   devices could not even be listed.
/// - While it runs: `aria-disabled="true"`, `aria-busy="true"`,
///   `data-state="pending"` (else `idle`), and clicks are ignored.
/// - Pass the `devices` of an [`ActiveDevices`](super::ActiveDevices) list
///   (from [`use_active_devices`](crate::hooks::use_active_devices)) and the
///   list follows: revoked devices go, failed ones show their error.
#[component]
pub fn SignOutOtherDevicesButton(
    /// The device list this button acts on and updates.
    devices: Option<UseActiveDevices>,
    /// Each device's result, once every revoke has answered.
    on_complete: Option<EventHandler<Vec<DeviceRevocation>>>,
    /// The error when the devices could not be listed.
    on_error: Option<EventHandler<ClerkError>>,
    /// Attributes for the button.
    #[props(extends = GlobalAttributes)]
    attributes: Vec<Attribute>,
    /// The button's text.
    children: Option<Element>,
) -> Element {
    let own = use_active_devices_if(false);
    let devices = devices.unwrap_or(own);
    let pending = devices.is_signing_out_others();
    rsx! {
        button {
            r#type: "button",
            aria_disabled: pending.then_some("true"),
            aria_busy: if pending { "true" } else { "false" },
            "data-state": if pending { "pending" } else { "idle" },
            onclick: move |_| devices.sign_out_others(on_complete, on_error),
            ..attributes,
            match children {
                Some(children) => children,
                None => rsx! { "Sign out of all other devices" },
            }
        }
    }
}
