//! The session-token cache: per (session, template, organization), with the
//! token's own lifetime, one request in flight per key, and an epoch per
//! session so that an answer for a session that left meanwhile is discarded.

use crate::cell::RefCell;

use crate::shared_task::SharedTask;
use crate::small_map::SmallMap;
use crate::ClerkError;

/// What a token request gives: the JWT, or `None` when the session left the
/// state while the request was in flight.
pub(crate) type TokenResult = Result<Option<String>, ClerkError>;

/// Which token: the session's, from a template, for an organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    pub(crate) session_id: String,
    pub(crate) template: Option<String>,
    pub(crate) organization_id: Option<String>,
}

impl TokenKey {
    /// The default token of `session_id` (no template, the session's own
    /// organization): the one `last_active_token` is, and `__session` holds.
    pub(crate) fn default_of(session_id: &str) -> Self {
        Self {
            session_id: session_id.to_owned(),
            template: None,
            organization_id: None,
        }
    }

    /// The key whose token goes in the `__session` cookie.
    pub(crate) fn is_default(&self) -> bool {
        self.template.is_none() && self.organization_id.is_none()
    }
}

/// A cached JWT and its lifetime, read from its own `iat` and `exp`.
#[derive(Clone)]
struct Entry {
    jwt: String,
    /// The token's own `iat` (the server's clock): which of two is fresher.
    issued_at: f64,
    expires_at: f64,
    /// When the background sync fetches the next one.
    refresh_at: f64,
}

/// Token requests for one key that could not reach Clerk, in a row: until
/// the backoff is over, callers get the last failure at once and nothing is
/// sent (an app asking in a loop does not add to an outage).
struct Failing {
    /// How many in a row (the backoff's count; a new token resets it).
    count: u32,
    /// When the next request may go (Unix seconds).
    until: f64,
    error: ClerkError,
}

/// How long before expiry a token is refreshed: a quarter of its lifetime,
/// at most 15 s (clerk-js refreshes 60 s tokens 17 s early).
fn refresh_lead(lifetime: f64) -> f64 {
    (lifetime / 4.0).min(15.0)
}

/// `iat` and `exp` of a JWT, read without checking it (the server checks
/// tokens; the client only needs to know when to fetch the next one).
pub(crate) fn lifetime_of(jwt: &str) -> Option<(f64, f64)> {
    let (iat, exp) = crate::codec::jwt_times(jwt)?;
    (exp > iat).then_some((iat, exp))
}

/// What the cache holds for one key: its token, its request in flight, or both.
#[derive(Default)]
struct Slot {
    token: Option<Entry>,
    request: Option<SharedTask<TokenResult>>,
    failing: Option<Failing>,
}

/// The cache. Interior mutability: it lives in the handle, on one thread.
#[derive(Default)]
pub(crate) struct TokenCache {
    /// One map for tokens and requests (never an empty slot).
    slots: RefCell<SmallMap<TokenKey, Slot>>,
    /// Moves on when a session's tokens or requests are dropped: answers
    /// for an older epoch are discarded. One for the whole cache, since it
    /// only ever holds the active session's tokens (the handle calls
    /// [`keep_only`](Self::keep_only) on every state change).
    epoch: std::cell::Cell<u64>,
    /// The server's clock less this device's (seconds), learnt from the
    /// `iat` of each token fetched (minted as it was answered): how old a
    /// token the server sent unasked is, whatever this device's clock says.
    clock_offset: std::cell::Cell<Option<f64>>,
}

impl TokenCache {
    /// A cached token for `key` still valid for `leeway` seconds after `now`.
    pub(crate) fn fresh(&self, key: &TokenKey, now: f64, leeway: f64) -> Option<String> {
        let slots = self.slots.borrow();
        let entry = slots.get(key)?.token.as_ref()?;
        (entry.expires_at - now > leeway).then(|| entry.jwt.clone())
    }

    /// The request in flight for `key`, if any.
    pub(crate) fn in_flight(&self, key: &TokenKey) -> Option<SharedTask<TokenResult>> {
        self.slots.borrow().get(key)?.request.clone()
    }

    /// Records the request in flight for `key`.
    pub(crate) fn start(&self, key: TokenKey, task: SharedTask<TokenResult>) {
        self.slots.borrow_mut().get_or_default(key).request = Some(task);
    }

    /// The request for `key` is done.
    pub(crate) fn finish(&self, key: &TokenKey) {
        let mut slots = self.slots.borrow_mut();
        if let Some(slot) = slots.get_mut(key) {
            slot.request = None;
            if slot.token.is_none() && slot.failing.is_none() {
                slots.remove(key);
            }
        }
    }

    /// The epoch now.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.get()
    }

    /// Keeps `jwt`, just fetched, for `key` if the cache's epoch is still
    /// `epoch` (nothing was dropped since the request started). Returns
    /// whether it was kept.
    pub(crate) fn store(&self, key: TokenKey, jwt: &str, epoch: u64, now: f64) -> bool {
        if self.epoch() != epoch {
            return false;
        }
        // A token whose lifetime cannot be read is handed out, not cached:
        // nobody could say when to refresh it.
        let Some((issued_at, expires_at)) = lifetime_of(jwt) else {
            return true;
        };
        // Minted as it was answered: its `iat` is the server's now. Clocks
        // that agree within the token's lifetime count its age on this
        // device's clock (a token that took long to arrive is older);
        // others read ages on the server's.
        let age = now - issued_at;
        let lifetime = expires_at - issued_at;
        let offset = if (0.0..lifetime).contains(&age) {
            0.0
        } else {
            -age
        };
        self.clock_offset.set(Some(offset));
        self.keep(key, jwt, issued_at, expires_at, now);
        true
    }

    /// Caches `jwt` with the life it has left at `now`. Stamps come from
    /// the server's clock, in whole seconds: its age is read on the
    /// server's clock when the offset is known, else on this device's.
    /// A token of an age out of its lifetime (expired, or the clocks
    /// disagree and no fetched token told the offset yet) is due for
    /// refresh at once, and not handed out.
    fn keep(&self, key: TokenKey, jwt: &str, issued_at: f64, expires_at: f64, now: f64) {
        let lifetime = expires_at - issued_at;
        let offset = self.clock_offset.get();
        let age = now + offset.unwrap_or(0.0) - issued_at;
        // `iat` is rounded down, and the offset learnt with it: a second of slack.
        let remaining = if (-1.0..lifetime).contains(&age) {
            lifetime - age.max(0.0)
        } else {
            0.0
        };
        let expires_at = now + remaining;
        let entry = Entry {
            jwt: jwt.to_owned(),
            issued_at,
            expires_at,
            refresh_at: expires_at - refresh_lead(lifetime),
        };
        let mut slots = self.slots.borrow_mut();
        let slot = slots.get_or_default(key);
        slot.token = Some(entry);
        slot.failing = None;
    }

    /// A token the server sent unasked (a session's `last_active_token`):
    /// kept for `key` when it is fresher than the cached one (a later
    /// `iat`), as clerk-js fills its cache from every session it reads. Its
    /// life is counted as `keep` counts it (on the server's clock once a
    /// fetched token told the offset); one close to expiry, or of an age
    /// that cannot be told, is due for refresh at once, and handed out only
    /// while valid for the caller's leeway. Returns whether it was kept.
    pub(crate) fn offer(&self, key: TokenKey, jwt: &str, now: f64) -> bool {
        let cached = self
            .slots
            .borrow()
            .get(&key)
            .and_then(|s| s.token.as_ref())
            .map(|entry| (entry.jwt == jwt, entry.issued_at));
        // Every state change offers the same token again: the one cached is
        // not decoded anew.
        if cached.is_some_and(|(same, _)| same) {
            return false;
        }
        let Some((issued_at, expires_at)) = lifetime_of(jwt) else {
            return false;
        };
        let fresher = cached.is_none_or(|(_, cached_at)| issued_at > cached_at);
        if fresher {
            self.keep(key, jwt, issued_at, expires_at, now);
        }
        fresher
    }

    /// A request for `key` could not reach Clerk (see
    /// [`ClerkError::is_unreachable`]): the next is due after the backoff
    /// (`super::backoff`: the server's `Retry-After` when it sent one), from
    /// `now`, even when the cached token has expired meanwhile, so the try
    /// is never due at once again; until then [`held`](Self::held) answers
    /// `error` (an expired token is not handed out meanwhile: `fresh`
    /// checks its expiry).
    pub(crate) fn retry_later(&self, key: &TokenKey, now: f64, error: &ClerkError) {
        let mut slots = self.slots.borrow_mut();
        let slot = slots.get_or_default(key.clone());
        let count = slot
            .failing
            .as_ref()
            .map_or(0, |f| f.count)
            .saturating_add(1);
        let wait = super::backoff::delay(count, super::backoff::retry_after_of(error));
        let until = now + wait.as_secs_f64();
        slot.failing = Some(Failing {
            count,
            until,
            error: error.clone(),
        });
        if let Some(entry) = &mut slot.token {
            entry.refresh_at = until;
        }
    }

    /// The failure to answer at once for `key` while its backoff runs.
    pub(crate) fn held(&self, key: &TokenKey, now: f64) -> Option<ClerkError> {
        let slots = self.slots.borrow();
        let failing = slots.get(key)?.failing.as_ref()?;
        (now < failing.until).then(|| failing.error.clone())
    }

    /// Drops every entry and request of the sessions other than `active`
    /// (all of them when `None`), and moves the epoch on if any were there.
    /// Returns whether anything was dropped.
    pub(crate) fn keep_only(&self, active: Option<&str>) -> bool {
        let mut dropped = false;
        self.slots.borrow_mut().retain(|key, _| {
            let kept = Some(key.session_id.as_str()) == active;
            dropped |= !kept;
            kept
        });
        if dropped {
            self.epoch.set(self.epoch.get() + 1);
        }
        dropped
    }

    /// The earliest time a cached token is due for refresh.
    pub(crate) fn next_refresh(&self) -> Option<f64> {
        self.slots
            .borrow()
            .values()
            .filter_map(|slot| slot.token.as_ref())
            .map(|e| e.refresh_at)
            .min_by(f64::total_cmp)
    }

    /// A key due for refresh at `now`, with no request in flight.
    pub(crate) fn first_due(&self, now: f64) -> Option<TokenKey> {
        self.slots
            .borrow()
            .iter()
            .find(|(_, slot)| {
                slot.request.is_none() && slot.token.as_ref().is_some_and(|e| e.refresh_at <= now)
            })
            .map(|(k, _)| k.clone())
    }

    /// How many tokens are cached.
    pub(crate) fn len(&self) -> usize {
        self.slots
            .borrow()
            .values()
            .filter(|slot| slot.token.is_some())
            .count()
    }
}

#[cfg(test)]
mod tests;
