//! A token store in process memory.

use crate::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::store::TokenStore;
use crate::error::TokenStoreError;

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
