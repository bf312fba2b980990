//! Other devices on the in-memory backend: listing the user's active
//! devices, revoking one (never this device's own session), a session
//! already gone, and signing out of every other device with per-device
//! results; then the hook and the components, headless.

mod common;

use clerk_dioxus::model::{SessionActivity, SessionStatus};
use clerk_dioxus::prelude::*;
use clerk_dioxus::{
    ApiError, BackendCall, CallKind, DeviceRevocation, MemoryBackend, RevokeOutcome,
};
use common::Harness;

fn chrome_on(device_type: &str) -> SessionActivity {
    SessionActivity {
        browser_name: Some("Chrome".into()),
        browser_version: Some("131.0".into()),
        device_type: Some(device_type.into()),
        city: Some("Berlin".into()),
        country: Some("DE".into()),
        ..SessionActivity::default()
    }
}

/// Ada signed in here (with Grace and Alan) and on `others` more devices;
/// Grace on one more device, which Ada never sees.
async fn loaded(others: usize) -> (Clerk, MemoryBackend, Vec<String>) {
    let backend = MemoryBackend::demo();
    let elsewhere = (0..others)
        .map(|n| backend.sign_in_elsewhere("user_ada", chrome_on(&format!("Device {n}"))))
        .collect();
    backend.sign_in_elsewhere("user_grace", chrome_on("Grace's laptop"));
    let clerk = Clerk::new(backend.clone());
    clerk.load().await.unwrap();
    backend.clear_calls();
    (clerk, backend, elsewhere)
}

#[tokio::test]
async fn the_active_users_devices_are_listed_this_one_first_and_marked() {
    let (clerk, backend, elsewhere) = loaded(2).await;
    let devices = clerk.active_devices().await.unwrap();
    let active = clerk.state().active_session_id.unwrap();
    assert_eq!(devices.len(), 3, "{devices:#?}");
    assert!(devices[0].is_this_device);
    assert_eq!(devices[0].session.id, active);
    let others: Vec<_> = devices[1..].iter().map(|d| d.session.id.clone()).collect();
    assert_eq!(
        others,
        [elsewhere[1].clone(), elsewhere[0].clone()],
        "most recent first"
    );
    assert!(devices[1..].iter().all(|d| !d.is_this_device));
    assert_eq!(devices[1].describe(), "Chrome 131.0 on Device 1");
    assert_eq!(backend.calls(), [BackendCall::ActiveSessions(active)]);
}

#[tokio::test]
async fn revoking_this_devices_own_session_is_refused_and_sends_nothing() {
    let (clerk, backend, _) = loaded(1).await;
    for own in backend.signed_in_session_ids() {
        let error = clerk.revoke_device(&own).await.unwrap_err();
        assert_eq!(error, ClerkError::ThisDevice { session_id: own });
    }
    assert!(backend.calls().is_empty());
    assert_eq!(
        clerk.state().signed_in_sessions().len(),
        3,
        "nothing signed out here"
    );
}

#[tokio::test]
async fn revoking_another_device_ends_its_session_and_a_second_revoke_converges() {
    let (clerk, backend, elsewhere) = loaded(1).await;
    let other = &elsewhere[0];
    assert_eq!(clerk.revoke_device(other).await, Ok(RevokeOutcome::Revoked));
    assert_eq!(
        backend.other_device_status(other),
        Some(SessionStatus::Revoked)
    );
    assert_eq!(
        clerk.revoke_device(other).await,
        Ok(RevokeOutcome::AlreadyEnded),
        "a 404: gone all the same"
    );
    assert_eq!(
        clerk.active_devices().await.unwrap().len(),
        1,
        "only this device is left"
    );
    assert_eq!(
        clerk.state().signed_in_sessions().len(),
        3,
        "this client is untouched"
    );
}

#[tokio::test]
async fn signed_out_there_is_no_device_list_and_nothing_to_revoke() {
    let (clerk, backend, elsewhere) = loaded(1).await;
    clerk.sign_out(SignOutOptions::new()).await.unwrap();
    backend.clear_calls();
    assert_eq!(clerk.active_devices().await, Err(ClerkError::SignedOut));
    assert_eq!(
        clerk.revoke_device(&elsewhere[0]).await,
        Err(ClerkError::SignedOut)
    );
    assert!(backend.calls().is_empty());
}

#[tokio::test]
async fn signing_out_of_other_devices_reports_each_device_when_some_fail() {
    let (clerk, backend, elsewhere) = loaded(3).await;
    backend.fail_revoke(
        &elsewhere[1],
        ApiError::new(500, "internal_clerk_error", "Oops"),
    );
    let results = clerk.sign_out_other_devices().await.unwrap();
    let by_id = |id: &str| results.iter().find(|r| r.device.session.id == id).unwrap();
    assert_eq!(results.len(), 3, "one result per other device");
    assert_eq!(by_id(&elsewhere[0]).result, Ok(RevokeOutcome::Revoked));
    assert_eq!(by_id(&elsewhere[2]).result, Ok(RevokeOutcome::Revoked));
    assert!(matches!(&by_id(&elsewhere[1]).result, Err(ClerkError::Api(api)) if api.status == 500));
    assert_eq!(
        backend.call_count(CallKind::RevokeSession),
        3,
        "one request per device"
    );
    assert_eq!(backend.call_count(CallKind::ActiveSessions), 1);
    assert_eq!(
        backend.other_device_status(&elsewhere[1]),
        Some(SessionStatus::Active),
        "still signed in there"
    );
    let left: Vec<_> = clerk
        .active_devices()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.session.id)
        .collect();
    assert_eq!(left.len(), 2);
    assert!(left.contains(&elsewhere[1]));
}

#[tokio::test]
async fn revokes_run_concurrently_at_most_four_at_a_time() {
    let (clerk, backend, _) = loaded(6).await;
    let hold = backend.hold(CallKind::RevokeSession);
    let run = clerk.sign_out_other_devices();
    let mut run = std::pin::pin!(run);
    // Poll until the four in flight have reached the backend and wait there.
    let watch = async {
        while backend.call_count(CallKind::RevokeSession) < 4 {
            tokio::task::yield_now().await;
        }
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        backend.call_count(CallKind::RevokeSession)
    };
    let in_flight = tokio::select! {
        _ = &mut run => panic!("finished while held"),
        n = watch => n,
    };
    assert_eq!(in_flight, 4, "four at once, the other two wait for a slot");
    hold.release();
    let results = run.await.unwrap();
    assert_eq!(results.len(), 6);
    assert!(results
        .iter()
        .all(|r| r.result == Ok(RevokeOutcome::Revoked)));
}

thread_local! {
    static DONE: std::cell::RefCell<Vec<DeviceRevocation>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[component]
fn DevicesPage() -> Element {
    let devices = use_active_devices();
    rsx! {
        ActiveDevices { id: "devices", devices }
        SignOutOtherDevicesButton {
            id: "others",
            devices,
            on_complete: move |results: Vec<DeviceRevocation>| DONE.with(|d| *d.borrow_mut() = results),
        }
    }
}

async fn page(others: usize) -> (Harness, MemoryBackend, Vec<String>) {
    DONE.with(|d| d.borrow_mut().clear());
    let backend = MemoryBackend::demo();
    let elsewhere = (0..others)
        .map(|n| backend.sign_in_elsewhere("user_ada", chrome_on(&format!("Device {n}"))))
        .collect();
    common::watch(&backend);
    let clerk = Clerk::new(backend.clone());
    let h = Harness::mount(move || rsx! { ClerkProvider { clerk: clerk.clone(), DevicesPage {} } })
        .await;
    (h, backend, elsewhere)
}

/// The rows as `(session id, data-this-device, data-state)`.
fn rows(h: &Harness) -> Vec<(String, String, String)> {
    let html = h.html();
    html.split("<li ")
        .skip(1)
        .map(|li| {
            let attr = |name: &str| {
                let start = li
                    .find(&format!("{name}=\""))
                    .map(|i| i + name.len() + 2)
                    .unwrap();
                li[start..].split('"').next().unwrap().to_owned()
            };
            (
                attr("data-session-id"),
                attr("data-this-device"),
                attr("data-state"),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_list_marks_this_device_and_signs_out_another_from_its_row() {
    let (mut h, backend, elsewhere) = page(2).await;
    let html = h.html();
    assert!(html.contains(r#"data-state="ready""#), "{html}");
    assert!(
        html.contains("This device") && html.contains("Chrome 131.0 on Device 0"),
        "{html}"
    );
    assert!(html.contains("Berlin, DE"), "{html}");
    let shown = rows(&h);
    assert_eq!(shown.len(), 3);
    assert_eq!(
        (shown[0].1.as_str(), shown[0].2.as_str()),
        ("true", "active")
    );
    h.click_and_settle(&format!("clerk-device-{}-sign-out", elsewhere[0]))
        .await;
    let ids: Vec<_> = rows(&h).into_iter().map(|r| r.0).collect();
    assert_eq!(ids.len(), 2, "the revoked device is gone: {ids:?}");
    assert!(!ids.contains(&elsewhere[0]));
    assert_eq!(
        backend.other_device_status(&elsewhere[0]),
        Some(SessionStatus::Revoked)
    );
    assert!(
        backend.call_count(CallKind::ActiveSessions) >= 2,
        "the list was fetched again"
    );
}

#[tokio::test]
async fn a_failed_row_keeps_the_device_with_its_error() {
    let (mut h, backend, elsewhere) = page(1).await;
    backend.fail_revoke(
        &elsewhere[0],
        ApiError::new(500, "internal_clerk_error", "Oops"),
    );
    h.click_and_settle(&format!("clerk-device-{}-sign-out", elsewhere[0]))
        .await;
    let row = rows(&h).into_iter().find(|r| r.0 == elsewhere[0]).unwrap();
    assert_eq!(row.2, "failed");
    assert!(h.html().contains("internal_clerk_error"));
}

#[tokio::test]
async fn the_button_signs_out_every_other_device_and_the_shared_list_follows() {
    let (mut h, backend, elsewhere) = page(3).await;
    backend.fail_revoke(
        &elsewhere[2],
        ApiError::new(503, "service_unavailable", "later"),
    );
    h.click_and_settle("others").await;
    let results = DONE.with(|d| d.borrow().clone());
    assert_eq!(results.len(), 3);
    assert_eq!(results.iter().filter(|r| r.result.is_ok()).count(), 2);
    let shown = rows(&h);
    assert_eq!(
        shown.len(),
        2,
        "this device and the one that failed: {shown:?}"
    );
    assert_eq!(
        shown[1],
        (elsewhere[2].clone(), "false".into(), "failed".into())
    );
    assert_eq!(backend.call_count(CallKind::RevokeSession), 3);
}
