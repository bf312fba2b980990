//! Signing out: one session or all, shared by concurrent callers, traced.

use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;

use super::options::SignOutTarget;
use super::plan::SignOutPlan;
use super::reconcile::is_gone;
use super::Clerk;
use crate::{ClerkError, Client, SignOutOptions, SignOutOutcome};

impl Clerk {
    /// Signs out, following Clerk's rules and fixing where clerk-js falls short:
    ///
    /// - nobody signed in: `Ok(NothingToSignOut)`, nothing sent and no
    ///   redirect (as clerk-js returns early);
    /// - no `session_id`, or the only signed-in session: every session is signed out;
    /// - the active session of several: it is removed and no session is active;
    /// - another session: it is removed quietly, the active one stays;
    /// - an id that is not signed in: [`ClerkError::SessionNotFound`], nothing sent;
    /// - a refused `redirect_url`: [`ClerkError::InvalidRedirect`], nothing sent;
    /// - a session the server had already ended (it answers `404
    ///   resource_not_found` or `401 signed_out`): the handle reloads the
    ///   client and returns `Ok(AlreadySignedOut)`; the state shows it gone.
    ///
    /// The state changes only from the server's answer; on error it is untouched.
    /// Cached session tokens of every session that leaves the state are
    /// dropped at once, and token requests in flight for them are discarded.
    /// An answer stamped earlier than the newest one applied is not applied (see
    /// [`Clerk`]): the outcome still says what the server did, while the state
    /// shows the newer client, which already includes this sign-out. A failed
    /// switch to the next account is still reported in `last_error`.
    /// Calls for the same session while one is in flight share its request and
    /// result; a call for another waits for it, then runs on the new state.
    /// After a sign-out, the handle navigates to `redirect_url` if one was given.
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<SignOutOutcome, ClerkError> {
        self.clone().sign_out_then(options, None).await
    }

    /// [`sign_out`](Self::sign_out), with `then` awaited after a sign-out
    /// that signed someone out and before the redirect (`SignOutButton`'s
    /// callback). One state machine for both, so an app carries it once; it
    /// owns what it needs, so a trigger spawns it as it is.
    pub(crate) async fn sign_out_then(
        self,
        options: SignOutOptions,
        then: Option<Box<dyn FnOnce() -> LocalBoxFuture<'static, ()>>>,
    ) -> Result<SignOutOutcome, ClerkError> {
        let redirect = options
            .redirect_url
            .as_ref()
            .map(|url| self.check_redirect(url))
            .transpose()?;
        let target = SignOutTarget {
            session_id: options.session_id,
            switch_to_most_recent: options.switch_to_most_recent,
        };
        // Calls for the same target share one request; a call for another
        // lets the one in flight land, then decides on the new state.
        let outcome = loop {
            let (task, shared) = match self.inner.sign_outs.current() {
                Some((key, task)) => (task, key == target),
                None => (self.start_sign_out(target.clone()), true),
            };
            let result = task.await;
            if shared {
                break result?;
            }
        };
        // Nobody was signed in: nothing happened, so nothing follows (as
        // clerk-js returns early).
        if matches!(outcome, SignOutOutcome::NothingToSignOut) {
            return Ok(outcome);
        }
        self.inner.tabs.announce_sign_out();
        if let Some(then) = then {
            then().await;
        }
        if let Some(target) = redirect {
            self.navigate(&target);
        }
        Ok(outcome)
    }

    /// Starts the sign-out request for `target`, shared by the calls for it.
    fn start_sign_out(
        &self,
        target: SignOutTarget,
    ) -> crate::shared_task::SharedTask<Result<SignOutOutcome, ClerkError>> {
        let key = target.clone();
        let task = self.clone().traced_sign_out(target);
        self.inner.sign_outs.start(key, task.boxed_local())
    }

    /// The sign-out request itself. It owns what it needs, so that it is the
    /// shared task, with no state machine around it; its slot empties when it
    /// ends (or is dropped).
    async fn sign_out_request(self, target: SignOutTarget) -> Result<SignOutOutcome, ClerkError> {
        let _slot = self.inner.sign_outs.finish_on_drop();
        let target = &target;
        if !self.is_loaded() {
            self.load().await?;
        }
        let plan = SignOutPlan::new(&self.inner.state.borrow(), target.session_id.as_deref())?;
        if crate::log::ENABLED {
            // The span `traced_sign_out` runs this in.
            tracing::Span::current().record("scope", plan.scope());
        }
        let removing = match plan {
            SignOutPlan::Nothing => return Ok(SignOutOutcome::NothingToSignOut),
            SignOutPlan::All => None,
            SignOutPlan::Remove {
                session_id,
                was_active,
            } => Some((session_id, was_active)),
        };
        // Both requests answer the same way, so one await serves them.
        let ticket = self.inner.order.ticket();
        let backend = self.backend();
        let request = match &removing {
            None => backend.sign_out_all(),
            Some((session_id, _)) => backend.remove_session(session_id),
        };
        let answer = request.await;
        // The call is counted in flight until its answer is in, not longer.
        drop(backend);
        // The client as the server has it after the sign-out.
        let after = match answer {
            Ok(client) => client,
            Err(error) if is_gone(&error) => {
                let _ = self.converge("sign_out", &error).await;
                return self.already_gone(removing.map(|(id, _)| id), error);
            }
            Err(error) => return Err(error),
        };
        // The active one of several sessions left: switch to the next
        // account if asked. The switch happens before the one state update,
        // so the UI never shows "no active account" in between.
        let next = match &removing {
            Some((_, true)) if target.switch_to_most_recent => most_recently_active(after.as_ref()),
            _ => None,
        };
        let (client, ticket, activated, switch_error) = match next {
            None => (after, ticket, None, None),
            Some(next) => {
                let switch_ticket = self.inner.order.ticket();
                let answer = self.backend().set_active_session(&next).await;
                match answer {
                    Ok(client) => (client, switch_ticket, Some(next), None),
                    Err(error) => {
                        crate::log::warning!(%error, "signed out, but could not switch to the next account");
                        (after, ticket, None, Some(error))
                    }
                }
            }
        };
        // One landing for every kind of sign-out.
        let landed = self
            .land_change("sign_out", ticket, client, |state, client| {
                state.active_session_id = match &removing {
                    None => None,
                    // Decided now, not when the sign-out started: a switch may
                    // have landed meanwhile, and then another session is active.
                    Some((session_id, _)) => {
                        let previous = state.active_session_id.take();
                        let kept = previous.filter(|id| id != session_id);
                        activated.clone().or(kept).filter(|id| {
                            client
                                .as_ref()
                                .is_some_and(|c| c.signed_in_session(id).is_some())
                        })
                    }
                };
                state.replace_client(client);
                state.last_error = switch_error.clone();
            })
            .await;
        if let (false, Some(error)) = (landed, switch_error) {
            self.update(|state| state.last_error = Some(error));
        }
        Ok(match removing {
            None => SignOutOutcome::SignedOutAll,
            Some((session_id, was_active)) => SignOutOutcome::SessionRemoved {
                session_id,
                was_active,
                activated,
            },
        })
    }

    /// The server answered that what we signed out is already gone, and the
    /// client was reloaded: a success if the state now shows it signed out.
    fn already_gone(
        &self,
        session_id: Option<String>,
        error: ClerkError,
    ) -> Result<SignOutOutcome, ClerkError> {
        let state = self.inner.state.borrow();
        let gone = match &session_id {
            Some(id) => state
                .client
                .as_ref()
                .is_none_or(|c| c.signed_in_session(id).is_none()),
            None => state
                .client
                .as_ref()
                .is_none_or(|c| c.signed_in_sessions().next().is_none()),
        };
        if gone {
            Ok(SignOutOutcome::AlreadySignedOut { session_id })
        } else {
            Err(error)
        }
    }
}

crate::log::unless_enabled! {
    impl Clerk {
        /// Logs compiled out (wasm release): the request itself, with no
        /// span or clock (and no state machine around it).
        fn traced_sign_out(
            self,
            target: SignOutTarget,
        ) -> impl std::future::Future<Output = Result<SignOutOutcome, ClerkError>> {
            self.sign_out_request(target)
        }
    }
}

crate::log::when_enabled! {
    use tracing::{field, Instrument};

    impl Clerk {
        /// The request in a `clerk.sign_out` span that records its scope,
        /// outcome and duration.
        async fn traced_sign_out(self, target: SignOutTarget) -> Result<SignOutOutcome, ClerkError> {
            let started = web_time::Instant::now();
            let span = tracing::info_span!(
                "clerk.sign_out",
                scope = field::Empty,
                outcome = field::Empty,
                duration_ms = field::Empty
            );
            let result = self.sign_out_request(target).instrument(span.clone()).await;
            span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
            match &result {
                Ok(outcome) => {
                    span.record("outcome", "ok");
                    crate::log::info!(parent: &span, ?outcome, "signed out");
                }
                Err(error) => {
                    span.record("outcome", "error");
                    crate::log::warning!(parent: &span, %error, "sign-out failed");
                }
            }
            result
        }
    }
}

/// The signed-in session used most recently.
fn most_recently_active(client: Option<&Client>) -> Option<String> {
    client?
        .signed_in_sessions()
        .max_by_key(|s| s.last_active_at)
        .map(|s| s.id.clone())
}
