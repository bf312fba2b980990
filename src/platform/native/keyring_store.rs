//! The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service).

use crate::backend::fapi::{TokenStore, TokenStoreError};

/// Keeps the client token in the operating system's keychain, under
/// `service` / `account`.
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
