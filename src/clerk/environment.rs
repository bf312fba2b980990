//! The instance's environment, fetched once per handle.

use std::rc::Rc;

use futures_util::FutureExt;

use super::Clerk;
use crate::model::Environment;
use crate::ClerkError;

impl Clerk {
    /// The instance's environment (`GET /v1/environment`): its pages, such as
    /// the user profile and sign-in URLs. Fetched on the first call and kept;
    /// callers that ask while it is on its way share that one request. A
    /// failure is returned and not kept, so the next call asks again.
    pub async fn environment(&self) -> Result<Rc<Environment>, ClerkError> {
        if let Some(environment) = self.inner.environment.borrow().clone() {
            return Ok(environment);
        }
        let task = match self.inner.environment_load.current() {
            Some(((), task)) => task,
            None => {
                let clerk = self.clone();
                let fetch = async move {
                    let _slot = clerk.inner.environment_load.finish_on_drop();
                    let result = clerk.backend().environment().await.map(Rc::new);
                    if let Ok(environment) = &result {
                        *clerk.inner.environment.borrow_mut() = Some(environment.clone());
                    }
                    result
                };
                self.inner.environment_load.start((), fetch.boxed_local())
            }
        };
        task.await
    }

    /// `url` ready to send the user to: clerk-js's `buildUrlWithAuth`. On a
    /// development instance in the browser, a page of another origin (the
    /// Account Portal's sign-in or profile page) gets this browser's dev
    /// browser as `__clerk_db_jwt`, so that it signs in (or shows) this
    /// browser's client and sends the user back with it; same-origin URLs,
    /// production instances and native apps get `url` as it is.
    pub async fn url_with_auth(&self, url: &str) -> Result<String, ClerkError> {
        self.backend().url_with_auth(url).await
    }

    /// Sends the page to one of the instance's own pages (its sign-in or
    /// profile page), with [`url_with_auth`](Self::url_with_auth); a
    /// failure is reported as [`report_error`](Self::report_error) does.
    pub(crate) async fn open_instance_page(&self, url: &str) {
        match self.url_with_auth(url).await {
            Ok(url) => crate::platform::open_instance_page(&url),
            Err(error) => self.report_error(error),
        }
    }

    /// The environment if it has been fetched.
    pub fn cached_environment(&self) -> Option<Rc<Environment>> {
        self.inner.environment.borrow().clone()
    }
}
