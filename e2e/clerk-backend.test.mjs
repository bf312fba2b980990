// Clerk's own server SDK as the judge: after each way the demo signs in and
// out, in headless Chromium, the app origin's cookies go to
// `authenticateRequest` of `@clerk/backend` (npm, pinned), as a `fetch` to
// the app's API and as a page load, for a production and a development
// emulator. Also the Account Portal round trip, a native `Bearer` token,
// pending sessions, and `verifyToken` with the emulator's PEM.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM, SCREENSHOTS.

import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./lib/servers.mjs";
import { emulatorControls } from "./lib/emulator-log.mjs";
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, must, trackFetches } from "./lib/browser.mjs";
import { authenticate, cookieHeader, instanceOf, verify } from "./lib/clerk-backend.mjs";

const EMULATOR_BIN = must("EMULATOR_BIN");
const PENDING_SEED = fileURLToPath(new URL("./pending-seed.toml", import.meta.url));

let browser, files, app;
let contexts = [];

before(async () => {
  files = await serveDirectory(must("WEB_OUT"));
  app = files.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  contexts = [];
});
after(async () => {
  await browser?.close();
  files?.server.close();
});

/** An emulator of this instance type that allows the app, with its controls and instance. */
async function emulatorFor(development, args = []) {
  const emulator = await startEmulator(
    EMULATOR_BIN,
    [...(development ? ["--development"] : []), "--allow-origin", app, ...args],
    { stderr: "ignore" },
  );
  emulator.controls = emulatorControls(() => emulator.url);
  emulator.instance = await instanceOf(emulator.url);
  return emulator;
}

/** A fresh browser on `example` against `emulator`, the page and its context. */
async function open(emulator, example, ready) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.addInitScript(trackFetches);
  const query = new URLSearchParams({ fapi: emulator.url, ...(emulator.instance.development ? { dev: "1" } : {}) });
  await page.goto(`${app}/${example}/?${query}`);
  await page.locator(ready).first().waitFor();
  return { context, page };
}

/** Waits until every request the page started has its answer. */
const quiet = (page) => page.waitForFunction(() => window.__requests.every((r) => r.answered));

/** The app origin's cookies, by name. */
async function jar(context) {
  return Object.fromEntries((await context.cookies(app)).map((c) => [c.name, c]));
}

/**
 * Waits (on the page's own requests, then the cookie jar) until the app's
 * cookies say `session` (a session id, or `null` for none), then returns
 * what `authenticateRequest` decides for a fetch and for a page load.
 */
async function judge(emulator, page, session) {
  await quiet(page);
  const context = page.context();
  const suffix = emulator.instance.cookie_suffix;
  const sid = (jwt) => (jwt ? JSON.parse(Buffer.from(jwt.split(".")[1], "base64url")).sid : null);
  await page.waitForFunction(
    ({ name, expected }) => {
      const value = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
      const sid = value ? JSON.parse(atob(value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sid : null;
      return sid === expected;
    },
    { name: `__session_${suffix}`, expected: session },
  );
  const cookies = await jar(context);
  assert.equal(sid(cookies.__session?.value), session, "__session holds the same token as its suffixed twin");
  assert.equal(cookies.__session?.value, cookies[`__session_${suffix}`]?.value);
  assert.equal(cookies.__client_uat?.value, cookies[`__client_uat_${suffix}`]?.value, "__client_uat under both names");
  if (emulator.instance.development) {
    assert.match(cookies.__clerk_db_jwt?.value ?? "", /^dvb_/, "the dev browser on the app's domain");
    assert.equal(cookies.__clerk_db_jwt.value, cookies[`__clerk_db_jwt_${suffix}`]?.value);
  }
  const cookie = cookieHeader(await context.cookies(app));
  return {
    fetch: await authenticate(emulator.instance, { app, cookie, kind: "fetch" }),
    document: await authenticate(emulator.instance, { app, cookie, kind: "document" }),
    cookies,
  };
}

/** The session id of the account row marked active, and its user. */
async function activeRow(page) {
  const row = page.locator("#sessions li.active");
  await row.waitFor();
  return { sessionId: await row.getAttribute("data-session"), userId: (await row.getAttribute("id")).replace(/^session-/, "") };
}

/** Asserts both verdicts are Clerk's signed-in, for the app's active row. */
async function assertSignedIn(emulator, page, userId) {
  const active = await activeRow(page);
  assert.equal(active.userId, userId);
  const verdict = await judge(emulator, page, active.sessionId);
  for (const kind of ["fetch", "document"]) {
    assert.deepEqual(
      { status: verdict[kind].status, userId: verdict[kind].userId, sessionId: verdict[kind].sessionId },
      { status: "signed-in", userId, sessionId: active.sessionId },
      `${kind}: ${JSON.stringify(verdict[kind])}`,
    );
  }
  return verdict;
}

/** The newest code the emulator "emailed" to `to`. */
async function codeFor(emulator, to) {
  const codes = await (await emulator.controls.control("codes")).json();
  return codes.reverse().find((c) => c.to === to).code;
}

for (const development of [false, true]) {
  const kind = development ? "development" : "production";
  describe(`@clerk/backend reads the app's cookies: ${kind} instance`, () => {
    let emulator;
    before(async () => {
      emulator = await emulatorFor(development);
    });
    after(() => emulator?.child.kill("SIGTERM"));

    test("signed in on load: signed-in for a fetch and a page load, as the app's active session", async () => {
      await emulator.controls.clearRequests();
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      const verdict = await assertSignedIn(emulator, page, "user_ada");
      // The cookie's token is the load's `last_active_token`: a page load
      // sends no token request (and, on a development instance, makes one
      // dev browser for all its requests).
      const routes = (await emulator.controls.requests()).map((r) => r.route).sort();
      const expected = ["environment", "get_client", ...(development ? ["dev_browser"] : [])].sort();
      assert.deepEqual(routes, expected, "the page load's requests: no POST /tokens");
      const uat = Number(verdict.cookies.__client_uat.value);
      assert.ok(uat > 0, "__client_uat names the client's last change");
      assert.equal(verdict.cookies.__client_uat.sameSite, development ? "Strict" : "Lax", "clerk-js writes it Strict; the Frontend API sets it itself in production");
      assert.equal(verdict.cookies.__session.sameSite, "Lax");
      assert.equal(verdict.cookies.__session.httpOnly, false);
      await page.screenshot({ path: `${SCREENSHOTS}/clerk-backend-${kind}-signed-in.png` });
    });

    test("after signing out of all: signed-out; then a password sign-in: signed-in", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      await page.click("#sign-out");
      await page.locator("#signed-out").waitFor();
      const out = await judge(emulator, page, null);
      assert.equal(out.cookies.__client_uat?.value, "0", "0 once nobody is signed in");
      for (const verdict of [out.fetch, out.document]) {
        assert.deepEqual([verdict.status, verdict.reason], ["signed-out", "session-token-and-uat-missing"]);
      }
      await page.fill("#add-email", "ada@example.com");
      await page.fill("#add-password", "demo-password");
      await page.click("#add-account");
      await assertSignedIn(emulator, page, "user_ada");
    });

    test("an email-code sign-in: signed-in as the new account", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      await page.click("#sign-out-user_grace");
      await page.locator("#session-user_grace").waitFor({ state: "detached" });
      await page.fill("#email-code-identifier", "grace@example.com");
      await page.click("#email-code-submit");
      await page.locator('form.code-form[data-step="code"]').waitFor();
      await page.fill("#email-code-code", await codeFor(emulator, "grace@example.com"));
      await page.click("#email-code-submit");
      await page.locator("#session-user_grace.active").waitFor();
      await assertSignedIn(emulator, page, "user_grace");
    });

    test("an OAuth sign-in through the provider page: signed-in", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      await page.click("#sign-out");
      await page.locator("#signed-out").waitFor();
      await page.click("#sign-in-github");
      await page.click("#continue-user_alan");
      await page.locator("#session-user_alan.active").waitFor();
      await assertSignedIn(emulator, page, "user_alan");
    });

    test("the Account Portal round trip: app, portal, app, signed in, with one dev browser", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      await page.click("#sign-out");
      await page.locator("#signed-out").waitFor();
      await emulator.controls.clearRequests();
      await page.click("#sign-in-portal");
      await page.locator("#emulator-sign-in").waitFor();
      const portal = new URL(page.url());
      assert.equal(portal.origin, emulator.url, "the instance's sign-in page");
      if (development) {
        assert.match(portal.searchParams.get("__clerk_db_jwt") ?? "", /^dvb_/, "the app hands its dev browser over");
      } else {
        assert.equal(portal.searchParams.get("__clerk_db_jwt"), null, "production: no dev browser");
      }
      await page.fill("#portal-identifier", "grace@example.com");
      await page.fill("#portal-password-input", "demo-password");
      await page.click("#portal-sign-in");
      await page.locator("#session-user_grace.active").waitFor();
      assert.equal(new URL(page.url()).searchParams.get("__clerk_db_jwt"), null, "taken off the URL");
      await assertSignedIn(emulator, page, "user_grace");
      const devBrowsers = (await emulator.controls.requests()).filter((r) => r.route === "dev_browser");
      assert.equal(devBrowsers.length, 0, "no second dev browser: the page came back on the first");
      await page.screenshot({ path: `${SCREENSHOTS}/clerk-backend-${kind}-portal.png` });
    });

    test("after signing out the active account of several: signed-out for a fetch, a handshake for a page load", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      await page.click("#sign-out-user_ada");
      await page.locator("#session-user_ada").waitFor({ state: "detached" });
      await page.locator("#choose").waitFor();
      const verdict = await judge(emulator, page, null);
      // The client still has signed-in sessions, so `__client_uat` is not 0
      // and `__session` is gone: Clerk's answer to a clerk-js app the same.
      assert.notEqual(verdict.cookies.__client_uat?.value ?? "0", "0");
      assert.deepEqual([verdict.fetch.status, verdict.fetch.reason], ["signed-out", "client-uat-but-no-session-token"]);
      assert.deepEqual([verdict.document.status, verdict.document.reason], ["handshake", "client-uat-but-no-session-token"]);
    });

    test("after a switch: signed-in as the new active session", async () => {
      const { page } = await open(emulator, "demo", "#session-user_ada.active");
      const before = await activeRow(page);
      await page.click("#switch-user_grace");
      await page.locator("#session-user_grace.active").waitFor();
      const verdict = await assertSignedIn(emulator, page, "user_grace");
      assert.notEqual(verdict.fetch.sessionId, before.sessionId);
    });

    test("a native app's session token as a Bearer header: signed-in, the cookies not needed", async () => {
      // As the crate's native transport calls: `_is_native=1`, and the client
      // token in `Authorization` (empty on the first call).
      const url = (path) => `${emulator.url}/v1/${path}?_is_native=1&__clerk_api_version=2026-05-12`;
      const loaded = await fetch(url("client"), { headers: { authorization: "" } });
      const token = loaded.headers.get("authorization");
      const client = (await loaded.json()).response;
      const session = client.sessions.find((s) => s.id === client.last_active_session_id);
      const minted = await fetch(url(`client/sessions/${session.id}/tokens`), {
        method: "POST",
        headers: { authorization: token, "content-type": "application/x-www-form-urlencoded" },
      });
      const { jwt } = await minted.json();
      const verdict = await authenticate(emulator.instance, {
        app,
        kind: "fetch",
        headers: { authorization: `Bearer ${jwt}` },
        // A native request has no Origin, so its token has no `azp`.
        options: { authorizedParties: [] },
      });
      assert.deepEqual(
        [verdict.status, verdict.userId, verdict.sessionId],
        ["signed-in", session.user.id, session.id],
        JSON.stringify(verdict),
      );
    });
  });
}

describe("verifyToken and pending sessions, by Clerk's rules", () => {
  test("verifyToken of @clerk/backend accepts the emulator's tokens with its PEM (RSA-2048), and refuses a forged one", async () => {
    const emulator = await emulatorFor(false);
    try {
      const loaded = await fetch(`${emulator.url}/v1/client`, { headers: { origin: app } });
      const jwt = (await loaded.json()).response.sessions[0].last_active_token.jwt;
      const good = await verify(emulator.instance, jwt, { authorizedParties: [app] });
      assert.equal(good.reason, undefined, JSON.stringify(good));
      assert.equal(good.claims.azp, app);
      const [header, payload] = jwt.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url"));
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "user_grace" })).toString("base64url")}.${jwt.split(".")[2]}`;
      assert.equal((await verify(emulator.instance, forged)).reason, "token-invalid-signature");
    } finally {
      emulator.child.kill("SIGTERM");
    }
  });

  for (const development of [false, true]) {
    test(`a pending session (${development ? "development" : "production"}): signed out to the app and to @clerk/backend's toAuth, its task readable`, async () => {
      const emulator = await emulatorFor(development, ["--seed", PENDING_SEED]);
      try {
        const { page } = await open(emulator, "basic", "#signed-out");
        await page.locator("#pending-task", { hasText: "choose-organization" }).waitFor();
        await quiet(page);
        const suffix = emulator.instance.cookie_suffix;
        await page.waitForFunction((name) => document.cookie.includes(`${name}=`), `__session_${suffix}`);
        const cookie = cookieHeader(await page.context().cookies(app));
        for (const kind of ["fetch", "document"]) {
          const verdict = await authenticate(emulator.instance, { app, cookie, kind });
          // authenticateRequest says signed-in; toAuth(), as every Clerk SDK
          // reads it by default (treatPendingAsSignedOut), a signed-out
          // object that keeps the status.
          assert.deepEqual(
            [verdict.status, verdict.userId, verdict.sessionId, verdict.sessionStatus],
            ["signed-in", null, null, "pending"],
            `${kind}: ${JSON.stringify(verdict)}`,
          );
        }
      } finally {
        emulator.child.kill("SIGTERM");
      }
    });
  }
});
