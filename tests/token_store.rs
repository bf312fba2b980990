//! Native token persistence, and that no secret reaches logs or `Debug`.

mod common;

use std::time::Duration;

use clerk_dioxus::backend::fapi::{FileTokenStore, MemoryTokenStore, TokenStore, TokenStoreError};
use clerk_dioxus::{ClerkError, SignOutOptions};
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
    store.flush().unwrap();
    #[cfg(unix)]
    let first_inode =
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(store.path()).unwrap());
    store.save("second-token").unwrap();
    assert_eq!(
        store.load(),
        Ok(Some("second-token".into())),
        "a queued token is read back before it reaches the disk"
    );
    store.flush().unwrap();
    assert_eq!(
        std::fs::read_to_string(store.path()).unwrap(),
        "second-token",
        "flush waits for the writer"
    );
    #[cfg(unix)]
    assert_ne!(
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(store.path()).unwrap()),
        first_inode,
        "a new file was renamed over the old one, not written in place"
    );
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

/// A folder the store did not create keeps its mode: a shared `1777` one
/// (`/tmp`) keeps its sticky bit and stays open, an app's `0755` data folder
/// stays readable; the token file itself is owner-only in both.
#[cfg(unix)]
#[test]
fn a_folder_the_store_did_not_create_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    for before in [0o1777, 0o755] {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("shared");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(before)).unwrap();
        let store = FileTokenStore::new(folder.join("tok"));
        store.save("token").unwrap();
        store.flush().unwrap();
        let after = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o7777;
        assert_eq!(after, before, "the folder's mode, sticky bit included");
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(store.load(), Ok(Some("token".into())));
    }
}

/// Many rotations in a row: the newest wins, on disk and in memory, and a
/// clear right after leaves nothing for a queued save to bring back.
#[test]
fn a_burst_of_rotations_keeps_the_newest_and_a_clear_is_final() {
    let (_dir, store) = temp_store();
    for n in 0..200 {
        store.save(&format!("token-{n}")).unwrap();
    }
    assert_eq!(store.load(), Ok(Some("token-199".into())));
    store.flush().unwrap();
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "token-199");
    for n in 0..50 {
        store.save(&format!("late-{n}")).unwrap();
    }
    store.clear().unwrap();
    assert_eq!(store.load(), Ok(None));
    store.flush().unwrap();
    assert!(
        !store.path().exists(),
        "no queued save wrote after the clear"
    );
    let reopened = FileTokenStore::new(store.path());
    assert_eq!(reopened.load(), Ok(None));
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
    store.flush().unwrap();
    let on_disk = FileTokenStore::new(store.path()).load().unwrap().unwrap();
    assert_ne!(on_disk, SEEDED_TOKEN);
    drop(first);

    // Second run, a new process: the file still reaches the signed-in client.
    let store = FileTokenStore::new(store.path());
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
    assert!(!store.path().exists(), "the clear reached the disk");

    // Third run: still signed out.
    let third = native_clerk_with(&emulator, store.clone(), Duration::from_secs(5));
    third.load().await.unwrap();
    assert!(!third.state().is_signed_in());

    // And no token that was ever issued acts for a user any more.
    for token in every_token {
        assert_eq!(
            sessions_reached_by(&emulator, &token).await,
            0,
            "an old token still signs someone in"
        );
    }
}

/// A store that fails its first `failures` reads (a keychain still locked at
/// login), then reads the token it holds.
#[derive(Clone)]
struct FlakyStore {
    inner: MemoryTokenStore,
    failures: std::rc::Rc<std::cell::Cell<u32>>,
}

impl TokenStore for FlakyStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        if self.failures.get() > 0 {
            self.failures.set(self.failures.get() - 1);
            return Err(TokenStoreError("the keychain is locked".into()));
        }
        self.inner.load()
    }
    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        self.inner.save(token)
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        self.inner.clear()
    }
}

#[tokio::test]
async fn a_failed_read_sends_nothing_and_keeps_the_stored_sign_in_for_the_next_try() {
    let emulator = emulator().await;
    let inner = MemoryTokenStore::new();
    inner.save(SEEDED_TOKEN).unwrap();
    let store = FlakyStore {
        inner: inner.clone(),
        failures: std::rc::Rc::new(std::cell::Cell::new(1)),
    };
    let clerk = native_clerk_with(&emulator, store, Duration::from_secs(5));

    let error = clerk.load().await.unwrap_err();
    assert_eq!(
        error,
        ClerkError::TokenStore(TokenStoreError("the keychain is locked".into()))
    );
    assert_eq!(
        error.to_string(),
        "token store: the keychain is locked",
        "the message says what failed"
    );
    assert!(
        emulator.requests().is_empty(),
        "no request went out without the token"
    );
    assert_eq!(
        inner.load(),
        Ok(Some(SEEDED_TOKEN.to_owned())),
        "the stored sign-in is untouched"
    );
    assert!(!clerk.state().is_signed_in());

    // The read is tried again, and the user is still signed in.
    clerk.load().await.unwrap();
    assert_eq!(clerk.state().signed_in_sessions().len(), 3);
    assert_eq!(emulator.requests().len(), 1);
    let rotated = inner.load().unwrap().unwrap();
    assert_eq!(
        emulator.client_id_for_native_token(&rotated).as_deref(),
        Some(SEEDED_CLIENT),
        "the rotated token is the same client's"
    );
}

#[tokio::test]
async fn a_stored_token_no_header_can_carry_is_cleared_with_a_typed_error() {
    let emulator = emulator().await;
    let store = MemoryTokenStore::new();
    store.save("broken\ntoken").unwrap();
    let clerk = native_clerk_with(&emulator, store.clone(), Duration::from_secs(5));

    let error = clerk.load().await.unwrap_err();
    assert!(
        matches!(&error, ClerkError::TokenStore(TokenStoreError(message)) if message.contains("not a valid header value")),
        "{error:?}"
    );
    assert!(
        !format!("{error} {error:?}").contains("broken"),
        "the token is not shown"
    );
    assert!(emulator.requests().is_empty(), "nothing was sent");
    assert!(!store.has_token(), "the unusable token is gone");

    // The next load starts a new, signed-out client and keeps its token.
    clerk.load().await.unwrap();
    assert!(!clerk.state().is_signed_in());
    assert!(store.has_token());
}
