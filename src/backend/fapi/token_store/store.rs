//! The trait a native app's token store implements.

use crate::error::TokenStoreError;

/// Keeps the native client token (the `Authorization` value Clerk hands a
/// native app). Implement it to use your platform's secure storage.
///
/// Stores shipped: [`MemoryTokenStore`](super::MemoryTokenStore) (forgets on exit), `FileTokenStore`
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
