//! A token file in the app's data directory, written off the UI thread.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::store::TokenStore;
use crate::error::TokenStoreError;

/// Keeps the client token in a file only its owner can read (`0600` on Unix;
/// a folder it creates is `0700`), replaced atomically (write to a temporary
/// file, sync it, then rename), so a crash never leaves half a token.
///
/// A folder that already exists is left as it is: the store never changes
/// the mode of a folder it did not create (`/tmp`, `$HOME`, the working
/// directory, an app's shared data folder), since the file's own `0600` is
/// what keeps the token private, and the temporary file is made with a
/// random name of its own (no other user can plant one for it).
///
/// Clerk rotates the token on every answer, so saves are frequent: `save`
/// checks the folder and returns at once, and a writer thread of the store's
/// own does the write and the `fsync`, keeping only the newest token when
/// several wait. `load` sees a queued token straight away. `clear` waits for
/// the writer, so no queued save can bring a cleared token back. A write that
/// fails in the background is logged (never with the token) and returned by
/// [`flush`](Self::flush).
///
/// ```no_run
/// use clerk_dioxus::backend::fapi::FileTokenStore;
/// let store = FileTokenStore::for_app("com", "Example", "My App").unwrap();
/// println!("{}", store.path().display());
/// ```
#[derive(Clone)]
pub struct FileTokenStore {
    path: Arc<PathBuf>,
    /// The newest token handed to `save` or `clear` and not yet known to be
    /// on disk: `Some(None)` after a clear. `None`: the file is the truth.
    queued: Arc<Mutex<Option<Option<String>>>>,
    /// The writer thread, started by the first save.
    writer: Arc<Mutex<Option<Sender<Job>>>>,
    /// The last background write's failure, for `flush`.
    failure: Arc<Mutex<Option<TokenStoreError>>>,
}

/// What the writer thread is asked to do.
enum Job {
    Save(String),
    Clear(Sender<Result<(), TokenStoreError>>),
    Flush(Sender<()>),
}

impl FileTokenStore {
    /// A store at `path`; its folder is created (`0700`) on first save.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Arc::new(path.into()),
            queued: Arc::default(),
            writer: Arc::default(),
            failure: Arc::default(),
        }
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

    /// Waits until every queued save is on disk, and returns the failure of
    /// the last background write, if any (then forgets it).
    pub fn flush(&self) -> Result<(), TokenStoreError> {
        if let Some(writer) = lock(&self.writer).as_ref() {
            let (done, finished) = mpsc::channel();
            if writer.send(Job::Flush(done)).is_ok() {
                let _ = finished.recv();
            }
        }
        match lock(&self.failure).take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new("."))
    }

    /// Creates the folder (and any missing parent) owner-only, or takes an
    /// existing one as it is.
    fn prepare_folder(&self) -> Result<(), TokenStoreError> {
        let folder = self.folder();
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(folder)
            .map_err(|e| io_error("creating the token folder", e))?;
        if self.path.is_dir() {
            return Err(TokenStoreError(
                "the token path is a directory, not a file".into(),
            ));
        }
        Ok(())
    }

    /// The writer thread's queue, started on first use.
    fn send(&self, job: Job) -> Result<(), TokenStoreError> {
        let mut writer = lock(&self.writer);
        let sender = match writer.as_ref() {
            Some(sender) => sender.clone(),
            None => {
                let (sender, jobs) = mpsc::channel();
                let path = self.path.clone();
                let queued = self.queued.clone();
                let failure = self.failure.clone();
                std::thread::Builder::new()
                    .name("clerk-token-writer".into())
                    .spawn(move || write_jobs(&path, jobs, &queued, &failure))
                    .map_err(|e| io_error("starting the token writer", e))?;
                writer.insert(sender).clone()
            }
        };
        sender
            .send(job)
            .map_err(|_| TokenStoreError("the token writer stopped".into()))
    }
}

impl std::fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTokenStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves plain data behind: keep using it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn io_error(action: &str, error: std::io::Error) -> TokenStoreError {
    TokenStoreError(format!("{action}: {error}"))
}

/// The writer thread: takes every job waiting, writes only the newest token,
/// then answers clears and flushes. Ends when the last store clone is gone.
fn write_jobs(
    path: &Path,
    jobs: Receiver<Job>,
    queued: &Mutex<Option<Option<String>>>,
    failure: &Mutex<Option<TokenStoreError>>,
) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        batch.extend(jobs.try_iter());
        let newest = batch
            .iter()
            .rposition(|job| matches!(job, Job::Save(_) | Job::Clear(_)));
        for (index, job) in batch.into_iter().enumerate() {
            match job {
                Job::Save(token) if Some(index) == newest => {
                    let result = write_atomically(path, &token);
                    settle(queued, &Some(token));
                    if let Err(error) = result {
                        crate::log::warning!(%error, "could not persist the Clerk client token");
                        *lock(failure) = Some(error);
                    }
                }
                Job::Clear(reply) => {
                    let result = if Some(index) == newest {
                        let result = remove(path);
                        settle(queued, &None);
                        result
                    } else {
                        Ok(())
                    };
                    let _ = reply.send(result);
                }
                Job::Flush(done) => {
                    let _ = done.send(());
                }
                Job::Save(_) => {}
            }
        }
    }
}

/// The file now holds `written`: forget the queued copy unless a newer one came.
fn settle(queued: &Mutex<Option<Option<String>>>, written: &Option<String>) {
    let mut queued = lock(queued);
    if queued.as_ref() == Some(written) {
        *queued = None;
    }
}

fn write_atomically(path: &Path, token: &str) -> Result<(), TokenStoreError> {
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    // tempfile creates the file readable by its owner only (0600 on Unix).
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .map_err(|e| io_error("creating a temporary file", e))?;
    file.write_all(token.as_bytes())
        .map_err(|e| io_error("writing the token", e))?;
    file.as_file()
        .sync_all()
        .map_err(|e| io_error("syncing the token", e))?;
    file.persist(path)
        .map_err(|e| io_error("replacing the token file", e.error))?;
    Ok(())
}

fn remove(path: &Path) -> Result<(), TokenStoreError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(io_error("removing the token file", error))
        }
        _ => Ok(()),
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        if let Some(queued) = lock(&self.queued).clone() {
            return Ok(queued);
        }
        match fs::read_to_string(self.path.as_path()) {
            Ok(text) if text.trim().is_empty() => Ok(None),
            Ok(text) => Ok(Some(text.trim().to_owned())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io_error("reading the token file", error)),
        }
    }

    fn save(&self, token: &str) -> Result<(), TokenStoreError> {
        self.prepare_folder()?;
        *lock(&self.queued) = Some(Some(token.to_owned()));
        self.send(Job::Save(token.to_owned()))
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        *lock(&self.queued) = Some(None);
        if lock(&self.writer).is_none() {
            // Nothing was ever queued: remove it here.
            let result = remove(&self.path);
            settle(&self.queued, &None);
            return result;
        }
        let (reply, answer) = mpsc::channel();
        self.send(Job::Clear(reply))?;
        answer
            .recv()
            .map_err(|_| TokenStoreError("the token writer stopped".into()))?
    }
}
