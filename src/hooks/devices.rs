use dioxus::core::spawn_forever;
use dioxus::prelude::*;

use super::ClerkContext;
use crate::model::{ActiveDevice, DeviceRevocation};
use crate::{Clerk, ClerkError};

/// Where the device list is.
#[derive(Debug, Clone, PartialEq)]
pub enum DevicesStatus {
    /// Not asked for yet (a `SignOutOtherDevicesButton` of its own lists the
    /// devices only when clicked).
    Idle,
    /// Being fetched.
    Loading,
    /// As the server had it at the last fetch.
    Ready,
    /// The last fetch failed; the list is the one before it.
    Failed(ClerkError),
}

/// The active user's devices and what is being done to them, made by
/// [`use_active_devices`]. `Copy`: pass it to `SignOutOtherDevicesButton`
/// so that the list follows what the button revokes.
#[derive(Clone, Copy, PartialEq)]
pub struct UseActiveDevices {
    clerk: CopyValue<Clerk>,
    devices: Signal<Vec<ActiveDevice>>,
    status: Signal<DevicesStatus>,
    /// The sessions being revoked now.
    revoking: Signal<Vec<String>>,
    /// The last failure to revoke each session, by session id.
    failures: Signal<Vec<(String, ClerkError)>>,
    /// Whether "sign out of all other devices" runs.
    signing_out_others: Signal<bool>,
    /// Numbers fetches, so an older answer never replaces a newer one.
    fetches: CopyValue<u64>,
}

/// Clerk's "Active devices": the signed-in user's active sessions on every
/// client (this browser or app install, marked, and the user's other
/// devices), with their loading state and errors. It fetches on mount, when
/// the active session or the client changes (a switch, a sign-in, the touch
/// of a regained focus), and after each revoke.
///
/// ```no_run
/// use clerk_dioxus::prelude::*;
/// #[component]
/// fn Devices() -> Element {
///     let devices = use_active_devices();
///     rsx! {
///         for device in devices.devices() {
///             p { "{device.describe()}" if device.is_this_device { " (this device)" } }
///         }
///         SignOutOtherDevicesButton { devices }
///     }
/// }
/// ```
pub fn use_active_devices() -> UseActiveDevices {
    use_active_devices_if(true)
}

/// The device state, fetching on mount and on each change of the active
/// session only when `fetch` (a `SignOutOtherDevicesButton` of its own lists
/// the devices only when clicked).
pub(crate) fn use_active_devices_if(fetch: bool) -> UseActiveDevices {
    let context = use_hook(|| ClerkContext::consume("use_active_devices()"));
    let devices = UseActiveDevices {
        clerk: use_hook(|| CopyValue::new(context.clerk.clone())),
        devices: use_signal(Vec::new),
        status: use_signal(|| DevicesStatus::Idle),
        revoking: use_signal(Vec::new),
        failures: use_signal(Vec::new),
        signing_out_others: use_signal(|| false),
        fetches: use_hook(|| CopyValue::new(0)),
    };
    // The list follows the client: a switch, a sign-in or sign-out, and the
    // touch a regained focus sends all change the client's `updated_at`.
    let state = context.state;
    let client_changed = use_memo(move || {
        let state = state.read();
        let updated_at = state.client.as_ref().map(|client| client.updated_at);
        (state.active_session_id.clone(), updated_at)
    });
    use_effect(move || {
        client_changed.read();
        if fetch {
            devices.reload();
        }
    });
    devices
}

impl UseActiveDevices {
    /// The devices: this one first, then the others, most recently active
    /// first. A device being revoked stays listed until the server confirms;
    /// a revoked one goes at once.
    pub fn devices(&self) -> Vec<ActiveDevice> {
        self.devices.read().clone()
    }

    /// Where the list is.
    pub fn status(&self) -> DevicesStatus {
        self.status.read().clone()
    }

    /// Whether `session_id` is being revoked.
    pub fn is_revoking(&self, session_id: &str) -> bool {
        self.revoking.read().iter().any(|id| id == session_id)
    }

    /// Why revoking `session_id` failed last, if it did.
    pub fn failure(&self, session_id: &str) -> Option<ClerkError> {
        let failures = self.failures.read();
        failures
            .iter()
            .find(|(id, _)| id == session_id)
            .map(|(_, e)| e.clone())
    }

    /// Whether "sign out of all other devices" runs.
    pub fn is_signing_out_others(&self) -> bool {
        (self.signing_out_others)()
    }

    /// Fetches the list again. An answer older than a later fetch's is dropped.
    pub fn reload(&self) {
        let Some(clerk) = self.handle() else { return };
        let this = *self;
        let mut fetches = this.fetches;
        let fetch = *fetches.read() + 1;
        fetches.set(fetch);
        this.set(this.status, DevicesStatus::Loading);
        spawn_forever(async move {
            let result = clerk.active_devices().await;
            if this.fetches.try_read().map(|f| *f) != Ok(fetch) {
                return;
            }
            match result {
                Ok(devices) => {
                    this.set(this.devices, devices);
                    this.set(this.status, DevicesStatus::Ready);
                }
                Err(error) => this.set(this.status, DevicesStatus::Failed(error)),
            }
        });
    }

    /// Signs one other device out (revokes its session); the list drops it
    /// on success and is fetched again. This device's own session is refused
    /// ([`ClerkError::ThisDevice`]): sign it out with `SignOutButton`.
    /// Ignored while that device is being revoked.
    pub fn revoke(&self, session_id: String, on_error: Option<EventHandler<ClerkError>>) {
        if self.revoking.peek().contains(&session_id) {
            return;
        }
        let Some(clerk) = self.handle() else { return };
        let this = *self;
        this.update(this.revoking, |ids| ids.push(session_id.clone()));
        this.update(this.failures, |f| f.retain(|(id, _)| *id != session_id));
        spawn_forever(async move {
            let result = clerk.revoke_device(&session_id).await;
            this.update(this.revoking, |ids| ids.retain(|id| *id != session_id));
            match result {
                Ok(_) => this.update(this.devices, |d| d.retain(|d| d.session.id != session_id)),
                Err(error) => {
                    this.update(this.failures, |f| f.push((session_id, error.clone())));
                    match on_error {
                        Some(handler) => handler.call(error),
                        None => crate::log::warning!(%error, "could not sign out of a device"),
                    }
                }
            }
            this.reload();
        });
    }

    /// Signs the user out of every other device, one request per device (at
    /// most four at a time). `on_done` gets each device's result; failed ones
    /// stay listed with their error, revoked ones go. Ignored while running.
    pub fn sign_out_others(
        &self,
        on_done: Option<EventHandler<Vec<DeviceRevocation>>>,
        on_error: Option<EventHandler<ClerkError>>,
    ) {
        if *self.signing_out_others.peek() {
            return;
        }
        let Some(clerk) = self.handle() else { return };
        let this = *self;
        this.set(this.signing_out_others, true);
        spawn_forever(async move {
            let result = clerk.sign_out_other_devices().await;
            this.set(this.signing_out_others, false);
            match result {
                Ok(revocations) => {
                    for revocation in &revocations {
                        let id = revocation.device.session.id.clone();
                        match &revocation.result {
                            Ok(_) => {
                                this.update(this.devices, |d| d.retain(|d| d.session.id != id))
                            }
                            Err(error) => {
                                this.update(this.failures, |f| f.push((id, error.clone())))
                            }
                        }
                    }
                    if let Some(handler) = on_done {
                        handler.call(revocations);
                    }
                }
                Err(error) => match on_error {
                    Some(handler) => handler.call(error),
                    None => crate::log::warning!(%error, "could not sign out of the other devices"),
                },
            }
            this.reload();
        });
    }

    /// The handle, unless the provider is gone.
    fn handle(&self) -> Option<Clerk> {
        let clerk = self.clerk.try_read().map(|clerk| clerk.clone()).ok();
        if clerk.is_none() {
            crate::log::warning!(
                "use_active_devices() used after its component unmounted; ignored"
            );
        }
        clerk
    }

    /// Writes a signal of this state unless its component is gone.
    fn set<T: 'static>(&self, mut signal: Signal<T>, value: T) {
        let _ = signal.try_write().map(|mut slot| *slot = value);
    }

    /// Changes a signal of this state unless its component is gone.
    fn update<T: 'static>(&self, mut signal: Signal<T>, change: impl FnOnce(&mut T)) {
        let _ = signal.try_write().map(|mut slot| change(&mut slot));
    }
}
