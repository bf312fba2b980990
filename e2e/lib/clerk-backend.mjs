// Clerk's own server SDK, `@clerk/backend` (pinned in package-lock.json), as
// a test partner: what it decides about the cookies and tokens the crate
// leaves, for an instance the emulator plays.

import { createClerkClient } from "@clerk/backend";

/** What the emulator at `fapi` says of its instance (`/__emulator/instance`). */
export async function instanceOf(fapi) {
  const answer = await fetch(`${fapi}/__emulator/instance`);
  if (!answer.ok) throw new Error(`no instance at ${fapi}: ${answer.status}`);
  return answer.json();
}

/** A `Cookie` header from Playwright's cookies (`context.cookies(url)`). */
export function cookieHeader(cookies) {
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

// The headers Chromium sends: a page load, and a `fetch` from the app.
const KINDS = {
  document: { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate", accept: "text/html,application/xhtml+xml" },
  fetch: { "sec-fetch-dest": "empty", "sec-fetch-mode": "cors", accept: "*/*" },
};

/**
 * `authenticateRequest` of `@clerk/backend` on a request to the app at
 * `app` (`kind`: "document" or "fetch") with `cookie` (a header) and more
 * `headers` (an `authorization`, say), verified with the instance's PEM
 * (`jwtKey`, as an app with `CLERK_JWT_KEY` does) and the app as the only
 * authorized party. Resolves to what an app reads of it.
 */
export async function authenticate(instance, { app, cookie = "", kind = "fetch", headers = {}, options = {} }) {
  const clerk = createClerkClient({ secretKey: "sk_test_emulator", publishableKey: instance.publishable_key });
  const request = new Request(`${app}/api/whoami`, {
    headers: { ...KINDS[kind], ...(cookie ? { cookie } : {}), ...headers },
  });
  const state = await clerk.authenticateRequest(request, {
    publishableKey: instance.publishable_key,
    jwtKey: instance.public_key_pem,
    authorizedParties: [app],
    ...options,
  });
  const auth = state.status === "handshake" ? null : state.toAuth();
  return {
    status: state.status,
    reason: state.reason ?? null,
    userId: auth?.userId ?? null,
    sessionId: auth?.sessionId ?? null,
    sessionStatus: auth?.sessionStatus ?? null,
  };
}

/** `verifyToken` of `@clerk/backend` with the instance's PEM: the claims, or the error's reason. */
export async function verify(instance, token, options = {}) {
  const { verifyToken } = await import("@clerk/backend");
  try {
    return { claims: await verifyToken(token, { jwtKey: instance.public_key_pem, ...options }) };
  } catch (error) {
    return { reason: error.reason ?? String(error) };
  }
}
