//! Native token persistence, and that no secret reaches logs or `Debug`.

mod common;

use std::time::Duration;

use clerk_dioxus::backend::fapi::{FileTokenStore, MemoryTokenStore, TokenStore, TokenStoreError};
use clerk_dioxus::SignOutOptions;
use common::emulator::*;

fn temp_store() -> (tempfile::TempDir, FileTokenStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("app-data").join("clerk-client-token"));
    (dir, store)
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_file_store_is_private_and_replaced_atomically() {
    let (_dir, store) = temp_store();
    assert_eq!(store.load(), Ok(None));
    store.save("first-token").unwrap();
    store.save("second-token").unwrap();
    assert_eq!(store.load(), Ok(Some("second-token".into())));
    #[cfg(unix)]
    {
        assert_eq!(mode(store.path()), 0o600, "only the owner reads the token");
        assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    }
    let files: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        files,
        vec![std::ffi::OsString::from("clerk-client-token")],
        "no temporary file is left behind"
    );
    store.clear().unwrap();
    store.clear().unwrap();
    assert_eq!(store.load(), Ok(None));
}

#[test]
fn an_unreadable_store_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path()); // a directory, not a file
    assert!(matches!(store.load(), Err(TokenStoreError(_))));
    assert!(store.save("x").is_err());
}

#[tokio::test]
async fn a_restart_keeps_the_session_and_sign_out_leaves_no_usable_credential() {
    let emulator = emulator().await;
    let (_dir, store) = temp_store();
    store.save(SEEDED_TOKEN).unwrap();

    // First run: load, and the rotated token is on disk.
    let first = native_clerk_with(&emulator, store.clone(), Duration::from_secs(5));
    first.load().await.unwrap();
    assert!(first.state().is_signed_in());
    let on_disk = store.load().unwrap().unwrap();
    assert_ne!(on_disk, SEEDED_TOKEN);
    drop(first);

    // Second run: the stored token still reaches the signed-in client.
    let second = native_clerk_with(&emulator, store.clone(), Duration::from_secs(5));
    second.load().await.unwrap();
    assert_eq!(second.state().signed_in_sessions().len(), 3);
    let every_token = [
        SEEDED_TOKEN.to_owned(),
        on_disk,
        store.load().unwrap().unwrap(),
    ];

    second.sign_out(SignOutOptions::new()).await.unwrap();
    assert_eq!(store.load(), Ok(None), "signed out: nothing stored");

    // Third run: still signed out.
    let third = native_clerk_with(&emulator, store.clone(), Duration::from_secs(5));
    third.load().await.unwrap();
    assert!(!third.state().is_signed_in());

    // And no token that was ever issued acts for a user any more.
    for token in every_token {
        let probe = MemoryTokenStore::new();
        probe.save(&token).unwrap();
        let clerk = native_clerk_with(&emulator, probe, Duration::from_secs(5));
        clerk.load().await.unwrap();
        assert!(
            clerk.state().signed_in_sessions().is_empty(),
            "an old token still signs someone in"
        );
    }
}
