//! Other devices over loopback HTTP, in native mode, against the emulator:
//! the same user signed in on two clients, each seeing the other; a revoke
//! from one ends the session on the other, whose next call sees it gone.

mod common;

use clerk_dioxus::{ClerkError, RevokeOutcome};
use clerk_emulator::{Device, OtherDevice, Route};
use common::emulator::*;

fn chrome_on_macos() -> Device {
    Device {
        user_agent: Some(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
                .into(),
        ),
        city: Some("Lisbon".into()),
        country: Some("PT".into()),
        ip_address: Some("198.51.100.4".into()),
        ..Device::default()
    }
}

/// The seeded client loaded in native mode (Ada active), and Ada signed in
/// on a laptop too.
async fn ada_on_two_devices() -> (clerk_emulator::Emulator, clerk_dioxus::Clerk, OtherDevice) {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    let laptop = emulator
        .sign_in_elsewhere("user_ada", chrome_on_macos())
        .unwrap();
    (emulator, clerk, laptop)
}

#[tokio::test]
async fn each_device_lists_the_other_with_its_activity_and_acts_as_its_active_session() {
    let (emulator, clerk, laptop) = ada_on_two_devices().await;
    emulator.clear_requests();

    let devices = clerk.active_devices().await.unwrap();
    assert_eq!(devices.len(), 2, "{devices:#?}");
    let (here, there) = (&devices[0], &devices[1]);
    assert!(here.is_this_device && !there.is_this_device);
    assert_eq!(
        Some(here.session.id.clone()),
        clerk.state().active_session_id
    );
    assert_eq!(there.session.id, laptop.session_id);
    assert_eq!(there.describe(), "Chrome 131.0.0.0 on Macintosh");
    assert_eq!(there.place().unwrap(), "Lisbon, PT (198.51.100.4)");
    let here_activity = here.session.latest_activity.as_ref().unwrap();
    assert_eq!(
        here_activity.browser_name.as_deref(),
        Some("clerk-dioxus"),
        "the native app's User-Agent"
    );
    assert_eq!(here_activity.ip_address.as_deref(), Some("127.0.0.1"));

    let [request] = emulator.requests().try_into().unwrap();
    assert_eq!(request.route, Some(Route::ActiveSessions));
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.query_value("_clerk_session_id"),
        Some(here.session.id.as_str())
    );
    assert_eq!(request.query_value("_is_native"), Some("1"));
}

#[tokio::test]
async fn a_revoke_ends_the_other_devices_session_and_its_next_call_sees_it_gone() {
    let (emulator, clerk, laptop) = ada_on_two_devices().await;
    assert_eq!(sessions_reached_by(&emulator, &laptop.token).await, 1);
    emulator.clear_requests();

    assert_eq!(
        clerk.revoke_device(&laptop.session_id).await,
        Ok(RevokeOutcome::Revoked)
    );
    assert_eq!(emulator.session_status(&laptop.session_id), Some("revoked"));
    assert_eq!(
        sessions_reached_by(&emulator, &laptop.token).await,
        0,
        "the laptop is signed out"
    );
    let revoke = &emulator.requests()[0];
    assert_eq!(revoke.route, Some(Route::RevokeSession));
    assert_eq!(
        revoke.path,
        format!("/v1/me/sessions/{}/revoke", laptop.session_id)
    );
    assert_eq!(
        revoke.query_value("_clerk_session_id"),
        clerk.state().active_session_id.as_deref()
    );

    assert_eq!(
        clerk.revoke_device(&laptop.session_id).await,
        Ok(RevokeOutcome::AlreadyEnded),
        "the server's 404 for a session already revoked converges"
    );
    assert_eq!(clerk.active_devices().await.unwrap().len(), 1);
    assert_eq!(
        clerk.state().signed_in_sessions().len(),
        3,
        "this client is untouched"
    );
}

#[tokio::test]
async fn the_other_device_can_revoke_this_one_which_converges_on_its_next_sync() {
    let (emulator, clerk, laptop) = ada_on_two_devices().await;
    let here = clerk.state().active_session_id.unwrap();
    // The laptop acts through the Frontend API as any native client does.
    let url = format!(
        "{}/v1/me/sessions/{here}/revoke?_is_native=1&_clerk_session_id={}",
        emulator.url(),
        laptop.session_id
    );
    let answer = reqwest::Client::new()
        .post(url)
        .header("authorization", &laptop.token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    // This device learns it on its next call: here, the device list.
    let error = clerk.active_devices().await.unwrap_err();
    assert!(
        matches!(&error, ClerkError::Api(api) if api.status == 401),
        "{error:?}"
    );
    let state = clerk.state();
    assert!(
        state.signed_in_sessions().iter().all(|s| s.id != here),
        "Ada is signed out here"
    );
    assert_ne!(state.active_session_id.as_deref(), Some(here.as_str()));
}

#[tokio::test]
async fn own_sessions_are_refused_before_anything_is_sent() {
    let emulator = emulator().await;
    let (clerk, _) = native_clerk(&emulator);
    clerk.load().await.unwrap();
    emulator.clear_requests();
    let own = clerk.state().active_session_id.unwrap();
    assert!(matches!(
        clerk.revoke_device(&own).await,
        Err(ClerkError::ThisDevice { .. })
    ));
    assert!(emulator.requests().is_empty());
}
