//! Resolving a handshake (`resolveHandshake`): the page comes back from the
//! Frontend API with a nonce (`__clerk_handshake_nonce`, exchanged at the
//! Backend API for the cookies to set) or a signed token
//! (`__clerk_handshake`, `{handshake: [...]}`); every directive becomes a
//! `Set-Cookie`, the last `__session*` one is the session, and that token
//! decides. In development the answer also sends the browser on to the URL
//! without the handshake's parameters.

use std::time::Duration;

use http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue};
use serde::Deserialize;

use super::context::Context;
use super::handshake::{sensitive, without_params};
use crate::server::jwt::Jwt;
use crate::server::{Rejection, SessionClaims, Verifier};

/// The clock skew a development handshake's token is retried with when its
/// times are off (Clerk's "Clock skew detected"): a day.
const DEVELOPMENT_SKEW: Duration = Duration::from_secs(24 * 60 * 60);

/// What the handshake brought back.
pub(super) struct Resolved {
    /// Its session token's claims, verified; `None` when its cookies held
    /// no session (signed out, `session-token-missing`).
    pub claims: Option<SessionClaims>,
    /// The cookies to set, and where to go on to.
    pub headers: HeaderMap,
}

/// Why it could not be resolved.
pub(super) enum Unresolved {
    /// The handshake token itself failed a check: Clerk's SDK throws this
    /// out of `authenticateRequest` on a development instance.
    Token(Rejection),
    /// Anything else (its session token did not verify): Clerk logs it and
    /// goes on with the request's own cookies.
    Other,
}

/// The handshake's answer to this request, which brings a nonce or a token.
pub(super) async fn resolve(
    verifier: &Verifier,
    context: &Context<'_>,
) -> Result<Resolved, Unresolved> {
    let directives = match (&context.handshake_nonce, &context.handshake_token) {
        (Some(nonce), _) => exchange(verifier, nonce).await,
        (None, Some(token)) => verify_handshake(verifier, token)
            .await
            .map_err(Unresolved::Token)?,
        (None, None) => return Err(Unresolved::Other),
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        "access-control-allow-origin",
        HeaderValue::from_static("null"),
    );
    headers.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    let mut session = "";
    for directive in &directives {
        if let Some(value) = sensitive(directive) {
            headers.append(SET_COOKIE, value);
        }
        let (name, value) = cookie_pair(directive);
        if name.starts_with("__session") {
            session = value;
        }
    }
    if context.is_development() {
        let mut clean = context.url().clone();
        without_params(
            &mut clean,
            &[
                "__clerk_handshake",
                "__clerk_help",
                "__clerk_db_jwt",
                "__clerk_handshake_nonce",
            ],
        );
        if let Some(location) = sensitive(clean.as_str()) {
            headers.insert(LOCATION, location);
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    if session.is_empty() {
        return Ok(Resolved {
            claims: None,
            headers,
        });
    }
    match verifier.verify_claims(session).await {
        Ok(claims) => Ok(Resolved {
            claims: Some(claims),
            headers,
        }),
        Err(Rejection::Expired | Rejection::NotYetValid | Rejection::IssuedInFuture)
            if context.is_development() =>
        {
            tracing::warn!(
                "Clerk: clock skew detected: the handshake's session token is not valid now. \
                 Retried with a day's skew, as in development only; check this machine's clock."
            );
            verifier
                .verify_claims_with_leeway(session, DEVELOPMENT_SKEW)
                .await
                .map(|claims| Resolved {
                    claims: Some(claims),
                    headers,
                })
                .map_err(|_| Unresolved::Other)
        }
        Err(rejection) => {
            tracing::warn!(reason = %crate::server::rejection::Reason(&rejection),
                "Clerk: the handshake's session token did not verify");
            Err(Unresolved::Other)
        }
    }
}

/// A nonce's directives from the Backend API; none (logged) when there is
/// no secret key or the call fails, as in Clerk's SDK.
async fn exchange(verifier: &Verifier, nonce: &str) -> Vec<String> {
    let Some(api) = &verifier.inner.backend_api else {
        tracing::error!(
            "Clerk: a handshake nonce came back, but no secret key is set to exchange it \
             (VerifierBuilder::secret_key, CLERK_SECRET_KEY): signed out"
        );
        return Vec::new();
    };
    api.handshake_payload(nonce).await.unwrap_or_else(|error| {
        tracing::error!(%error, "Clerk: the handshake payload could not be fetched");
        Vec::new()
    })
}

/// A handshake token's directives, once its header and signature hold
/// (`verifyHandshakeJwt`: `typ`, `alg`, `cat`, the signature; not `exp`,
/// as in Clerk's SDK).
async fn verify_handshake(verifier: &Verifier, token: &str) -> Result<Vec<String>, Rejection> {
    #[derive(Deserialize)]
    struct Payload {
        #[serde(default)]
        handshake: Option<Vec<String>>,
    }
    let jwt = Jwt::parse(token).ok_or(Rejection::Malformed)?;
    jwt.check_handshake_kind()?;
    jwt.check_header()?;
    let key = verifier.inner.keys.key(jwt.kid()).await?;
    key.verify(&jwt)?;
    let payload: Payload =
        serde_json::from_slice(jwt.payload()).map_err(|_| Rejection::Malformed)?;
    Ok(payload.handshake.unwrap_or_default())
}

/// A `Set-Cookie` directive's name and value (`getCookieName`,
/// `getCookieValue`: split at the first `;`, then the first `=`).
fn cookie_pair(directive: &str) -> (&str, &str) {
    let pair = directive.split(';').next().unwrap_or_default();
    pair.split_once('=').unwrap_or((pair, ""))
}

#[cfg(test)]
mod tests {
    use super::cookie_pair;

    #[test]
    fn a_directive_reads_as_clerk_reads_it() {
        assert_eq!(
            cookie_pair("__session=a.b.c; Path=/"),
            ("__session", "a.b.c")
        );
        assert_eq!(cookie_pair("__session=; Max-Age=0"), ("__session", ""));
        assert_eq!(cookie_pair("__client_uat=0"), ("__client_uat", "0"));
        assert_eq!(cookie_pair("odd"), ("odd", ""));
    }
}
