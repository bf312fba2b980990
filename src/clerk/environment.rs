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

    /// The environment if it has been fetched.
    pub fn cached_environment(&self) -> Option<Rc<Environment>> {
        self.inner.environment.borrow().clone()
    }
}
