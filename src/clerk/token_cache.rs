//! The session-token cache: per (session, template, organization), with the
//! token's own lifetime, one request in flight per key, and an epoch per
//! session so that an answer for a session that left meanwhile is discarded.

use crate::cell::RefCell;

use std::time::Duration;

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
    /// Failed refreshes in a row (the backoff's count; a new token resets it).
    failures: u32,
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
            if slot.token.is_none() {
                slots.remove(key);
            }
        }
    }

    /// The epoch now.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.get()
    }

    /// Keeps `jwt` for `key` if the cache's epoch is still `epoch` (nothing
    /// was dropped since the request started). Returns whether it was kept.
    pub(crate) fn store(&self, key: TokenKey, jwt: &str, epoch: u64, now: f64) -> bool {
        if self.epoch() != epoch {
            return false;
        }
        // A token whose lifetime cannot be read is handed out, not cached:
        // nobody could say when to refresh it.
        let Some((issued_at, expires_at)) = lifetime_of(jwt) else {
            return true;
        };
        let lifetime = expires_at - issued_at;
        // Stamps come from the server's clock, in whole seconds. When the two
        // clocks agree (the token's age reads between 0 and its lifetime),
        // count its age; otherwise trust only the lifetime, from now.
        let age = now - issued_at;
        let remaining = if (0.0..lifetime).contains(&age) {
            lifetime - age
        } else {
            lifetime
        };
        let expires_at = now + remaining;
        let entry = Entry {
            jwt: jwt.to_owned(),
            issued_at,
            expires_at,
            refresh_at: expires_at - refresh_lead(lifetime),
            failures: 0,
        };
        self.slots.borrow_mut().get_or_default(key).token = Some(entry);
        true
    }

    /// A token the server sent unasked (a session's `last_active_token`):
    /// kept for `key` when it is fresher than the cached one (a later
    /// `iat`), as clerk-js fills its cache from every session it reads. Its
    /// life is counted as `store` counts it (from the server's stamps when
    /// the clocks agree); one close to expiry is due for refresh at once,
    /// and handed out only while valid for the caller's leeway. Returns
    /// whether it was kept.
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
        let Some((issued_at, _)) = lifetime_of(jwt) else {
            return false;
        };
        let fresher = cached.is_none_or(|(_, cached_at)| issued_at > cached_at);
        fresher && self.store(key, jwt, self.epoch(), now)
    }

    /// A refresh of `key` failed: the next try is due after the backoff
    /// (`super::backoff`: the server's `retry_after` when it sent one), from
    /// `now`, even when the cached token has expired meanwhile: the try is
    /// never due at once again, whatever the failure (an expired token is
    /// not handed out in the meantime; `fresh` checks its expiry).
    pub(crate) fn retry_later(&self, key: &TokenKey, now: f64, retry_after: Option<Duration>) {
        let mut slots = self.slots.borrow_mut();
        if let Some(entry) = slots.get_mut(key).and_then(|slot| slot.token.as_mut()) {
            entry.failures = entry.failures.saturating_add(1);
            let wait = super::backoff::delay(entry.failures, retry_after);
            entry.refresh_at = now + wait.as_secs_f64();
        }
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
mod tests {
    use super::*;
    use base64::Engine;

    fn jwt(iat: u64, exp: u64) -> String {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"iat":{iat},"exp":{exp},"sid":"sess_1"}}"#));
        format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln")
    }

    fn key(session: &str) -> TokenKey {
        TokenKey {
            session_id: session.into(),
            template: None,
            organization_id: None,
        }
    }

    #[test]
    fn tokens_live_as_long_as_they_say_and_refresh_a_quarter_early() {
        let cache = TokenCache::default();
        assert!(cache.store(key("a"), &jwt(1000, 1060), 0, 5000.0));
        assert_eq!(cache.fresh(&key("a"), 5000.0, 10.0), Some(jwt(1000, 1060)));
        assert_eq!(
            cache.fresh(&key("a"), 5051.0, 10.0),
            None,
            "within the leeway"
        );
        assert_eq!(
            cache.next_refresh(),
            Some(5045.0),
            "60 s: refreshed 15 s early"
        );
        assert_eq!(cache.first_due(5044.0), None);
        assert_eq!(cache.first_due(5045.0), Some(key("a")));

        assert!(cache.store(key("b"), &jwt(0, 4), 0, 10.0));
        assert_eq!(cache.next_refresh(), Some(13.0), "4 s: refreshed 1 s early");

        // Clocks in step: a token issued 0.9 s ago (whole-second `iat`) has
        // 3.1 s left, not 4.
        let cache = TokenCache::default();
        assert!(cache.store(key("c"), &jwt(100, 104), 0, 100.9));
        assert_eq!(cache.next_refresh(), Some(103.0));
        assert_eq!(cache.fresh(&key("c"), 103.5, 0.0), Some(jwt(100, 104)));
        assert_eq!(cache.fresh(&key("c"), 104.0, 0.0), None);
    }

    #[test]
    fn a_session_that_leaves_takes_its_tokens_and_requests_along() {
        let cache = TokenCache::default();
        let epoch = cache.epoch();
        cache.store(key("a"), &jwt(0, 60), epoch, 0.0);
        assert!(
            !cache.keep_only(Some("a")),
            "the active session's tokens stay"
        );
        assert_eq!(cache.epoch(), epoch);
        // "b" becomes the active session: "a"'s tokens go.
        assert!(cache.keep_only(Some("b")));
        assert_eq!(cache.fresh(&key("a"), 0.0, 0.0), None);
        assert!(
            !cache.store(key("a"), &jwt(0, 60), epoch, 0.0),
            "an answer for the old epoch is discarded"
        );
        assert!(cache.store(key("b"), &jwt(0, 60), cache.epoch(), 0.0));
        assert!(!cache.keep_only(Some("b")), "nothing more to drop");
        assert!(cache.keep_only(None));
        assert_eq!(cache.len(), 0);
    }

    /// The spin of old: once the token had expired, a failed refresh was due
    /// again at once (`min(now + 2 s, expires_at)` lies in the past), and the
    /// sync sent refresh after refresh as fast as the failures came back.
    #[test]
    fn a_failed_refresh_after_expiry_is_due_only_after_the_backoff() {
        let cache = TokenCache::default();
        assert!(cache.store(key("a"), &jwt(1000, 1060), 0, 1000.0));
        let mut now = 1100.0; // 40 s past expiry
        let mut waits = Vec::new();
        for _ in 0..6 {
            assert_eq!(cache.first_due(now), Some(key("a")), "due again");
            cache.retry_later(&key("a"), now, None);
            assert_eq!(cache.first_due(now), None, "not at once");
            let next = cache.next_refresh().unwrap();
            waits.push(next - now);
            now = next;
        }
        let most = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
        for (wait, most) in waits.iter().zip(most) {
            assert!((most / 2.0..=most).contains(wait), "{waits:?}");
        }
        assert_eq!(
            cache.fresh(&key("a"), now, 0.0),
            None,
            "expired: not handed out"
        );
        cache.retry_later(&key("a"), now, Some(Duration::from_secs(5)));
        assert_eq!(
            cache.next_refresh(),
            Some(now + 5.0),
            "Retry-After, exactly"
        );
        // A new token resets the count.
        assert!(cache.store(key("a"), &jwt(2000, 2060), 0, 2000.0));
        cache.retry_later(&key("a"), 2046.0, None);
        assert!(cache.next_refresh().unwrap() <= 2047.0);
    }

    #[test]
    fn unreadable_tokens_are_handed_out_but_not_cached() {
        assert_eq!(lifetime_of("garbage"), None);
        assert_eq!(lifetime_of("a.!!!.c"), None);
        assert_eq!(lifetime_of(&jwt(10, 5)), None, "exp before iat");
        let cache = TokenCache::default();
        assert!(cache.store(key("a"), "not-a-jwt", 0, 100.0));
        assert_eq!(cache.fresh(&key("a"), 100.0, 0.0), None);
        assert_eq!(cache.len(), 0, "nothing to refresh in a loop");
    }
}
