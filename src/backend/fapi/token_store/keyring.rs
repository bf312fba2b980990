//! The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service).

use super::store::TokenStore;
use crate::error::TokenStoreError;

/// Keeps the client token in the operating system's keychain, under
/// `service` / `account`.
///
/// When the keychain cannot be read (locked, or no Secret Service on a
/// headless Linux), every call fails with
/// [`ClerkError::TokenStore`](crate::ClerkError::TokenStore) and sends
/// nothing, rather than start a new client that would replace the stored
/// sign-in. An app that must run without a keychain can fall back to
/// `FileTokenStore` or `MemoryTokenStore` when it sees that error.
#[derive(Debug, Clone)]
pub struct KeyringTokenStore {
    service: String,
    account: String,
}

impl KeyringTokenStore {
    /// A keychain entry for this app.
    pub fn new(service: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            account: account.into(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, TokenStoreError> {
        keyring::Entry::new(&self.service, &self.account)
            .map_err(|e| TokenStoreError(e.to_string()))
    }
}

impl TokenStore for KeyringTokenStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        match self.entry()?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(TokenStoreError(error.to_string())),
        }
    }

    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        self.entry()?
            .set_password(token)
            .map_err(|e| TokenStoreError(e.to_string()))
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(TokenStoreError(error.to_string())),
        }
    }
}
