//! Where a native app keeps its Clerk client token between runs: the
//! [`TokenStore`] trait and the stores shipped with the crate.

#[cfg(not(target_arch = "wasm32"))]
mod file;
#[cfg(all(not(target_arch = "wasm32"), feature = "keyring"))]
mod keyring;
mod memory;
mod store;

pub use crate::error::TokenStoreError;
#[cfg(not(target_arch = "wasm32"))]
pub use file::FileTokenStore;
#[cfg(all(not(target_arch = "wasm32"), feature = "keyring"))]
pub use keyring::KeyringTokenStore;
pub use memory::MemoryTokenStore;
pub use store::TokenStore;
