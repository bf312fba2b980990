//! A token file in the app's data directory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::backend::fapi::{TokenStore, TokenStoreError};

/// Keeps the client token in a file only its owner can read (`0600` on Unix),
/// replaced atomically (write to a temporary file, then rename), so a crash
/// never leaves half a token.
///
/// ```no_run
/// use clerk_dioxus::backend::fapi::FileTokenStore;
/// let store = FileTokenStore::for_app("com", "Example", "My App").unwrap();
/// println!("{}", store.path().display());
/// ```
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path`; its folder is created (`0700`) on first save.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// A store in the platform's data dir for this app (for example
    /// `~/.local/share/my-app/clerk-client-token` on Linux).
    pub fn for_app(
        qualifier: &str,
        organization: &str,
        application: &str,
    ) -> Result<Self, TokenStoreError> {
        let dirs = directories::ProjectDirs::from(qualifier, organization, application)
            .ok_or_else(|| TokenStoreError("no home directory to keep the token in".into()))?;
        Ok(Self::new(dirs.data_dir().join("clerk-client-token")))
    }

    /// Where the token lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new("."))
    }
}

fn io_error(action: &str, error: std::io::Error) -> TokenStoreError {
    TokenStoreError(format!("{action}: {error}"))
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        match fs::read_to_string(&self.path) {
            Ok(text) if text.trim().is_empty() => Ok(None),
            Ok(text) => Ok(Some(text.trim().to_owned())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io_error("reading the token file", error)),
        }
    }

    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        let folder = self.folder();
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(folder)
            .map_err(|e| io_error("creating the token folder", e))?;
        // tempfile creates the file readable by its owner only (0600 on Unix).
        let mut file = tempfile::NamedTempFile::new_in(folder)
            .map_err(|e| io_error("creating a temporary file", e))?;
        file.write_all(token.as_bytes())
            .map_err(|e| io_error("writing the token", e))?;
        file.as_file()
            .sync_all()
            .map_err(|e| io_error("syncing the token", e))?;
        file.persist(&self.path)
            .map_err(|e| io_error("replacing the token file", e.error))?;
        Ok(())
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        match fs::remove_file(&self.path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(io_error("removing the token file", error))
            }
            _ => Ok(()),
        }
    }
}
