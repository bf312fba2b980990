//! Where a native app keeps its Clerk client token between runs.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// A failure to read or write a stored token. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store: {0}")]
pub struct TokenStoreError(pub String);

/// Keeps the native client token (the `Authorization` value Clerk hands a
/// native app). Implement it to use your platform's secure storage.
///
/// Stores shipped: [`MemoryTokenStore`] (forgets on exit), `FileTokenStore`
/// (a `0600` file in the app's data dir, replaced atomically; not on wasm) and,
/// with the `keyring` feature, `KeyringTokenStore` (the OS keychain).
pub trait TokenStore: 'static {
    /// The stored token, if any.
    fn load(&self) -> Result<Option<String>, TokenStoreError>;
    /// Replaces the stored token.
    fn save(&self, token: &str) -> Result<(), TokenStoreError>;
    /// Forgets the token.
    fn clear(&self) -> Result<(), TokenStoreError>;
}

/// A token store in memory: the session ends with the process. Clones share
/// one token.
#[derive(Clone, Default)]
pub struct MemoryTokenStore(Rc<RefCell<Option<String>>>);

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a token is stored (without revealing it).
    pub fn has_token(&self) -> bool {
        self.0.borrow().is_some()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        Ok(self.0.borrow().clone())
    }
    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        *self.0.borrow_mut() = Some(token.to_owned());
        Ok(())
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        self.0.borrow_mut().take();
        Ok(())
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore")
            .field("has_token", &self.has_token())
            .finish()
    }
}
