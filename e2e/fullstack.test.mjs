// The fullstack example (`fullstack/`, Dioxus fullstack: server rendering
// and hydration) in Chromium, against the emulator as a production
// instance whose session tokens live 3 s (Clerk's 60 s, compressed):
//
// - the first HTML of a page load already names the signed-in user, and
//   the browser hydrates it without ever showing the signed-out or loading
//   state, with no console error or hydration warning;
// - a `#[server]` function reads the same verified user;
// - a page load after the session token has expired (the page closed, so
//   nothing refreshed it) goes through the Frontend API's handshake and
//   still renders signed in;
// - after `SignOutButton`, the next page load renders signed out.
//
// Needs: EMULATOR_BIN, FULLSTACK_APP (the server binary), FULLSTACK_PUBLIC
// (its browser build).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { freePort, startEmulator, startFullstackApp } from "./lib/servers.mjs";
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, must } from "./lib/browser.mjs";

const EMULATOR_BIN = must("EMULATOR_BIN");
const FULLSTACK_APP = must("FULLSTACK_APP");
const FULLSTACK_PUBLIC = must("FULLSTACK_PUBLIC");

/** Session tokens' lifetime here, and the verifier's clock-skew leeway (`DEFAULT_LEEWAY`). */
const TOKEN_LIFETIME_SECS = 3;
const LEEWAY_SECS = 5;
/** The emulator's secret key (its default), which the app's server calls the Backend API with. */
const SECRET_KEY = "sk_test_emulator";

/**
 * An init script: every element with one of these ids that is ever in the
 * document (the parser's and the app's alike), in `window.__seen`.
 */
function watchStates() {
  const ids = ["signed-out", "loading", "user"];
  const seen = (window.__seen = new Set());
  const look = (node) => {
    if (node.nodeType !== 1) return;
    for (const id of ids) if (node.id === id || node.querySelector(`#${id}`)) seen.add(id);
  };
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(look);
  }).observe(document, { childList: true, subtree: true });
}

/** The payload of a JWT. */
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

/** The URLs a navigation went through, first to last. */
function redirectChain(response) {
  const urls = [];
  for (let request = response.request(); request; request = request.redirectedFrom()) urls.unshift(request.url());
  return urls;
}

describe("fullstack: server-rendered pages", () => {
  let browser, emulator, app;
  const problems = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    emulator = await startEmulator(
      EMULATOR_BIN,
      ["--seed", "emulator/accounts.toml", "--allow-origin", origin, "--token-lifetime", String(TOKEN_LIFETIME_SECS)],
      { stderr: "ignore" },
    );
    const key = publishableKeyOf(emulator.url);
    app = await startFullstackApp(FULLSTACK_APP, {
      port,
      env: {
        CLERK_PUBLISHABLE_KEY: key,
        CLERK_SECRET_KEY: SECRET_KEY,
        CLERK_API_URL: emulator.url,
        DIOXUS_PUBLIC_PATH: FULLSTACK_PUBLIC,
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    app?.child.kill("SIGTERM");
    emulator?.child.kill("SIGTERM");
  });

  /** A page that reports console errors, warnings and uncaught exceptions into `problems`. */
  async function watchedPage(context) {
    const page = await context.newPage();
    await page.addInitScript(watchStates);
    page.on("console", (message) => {
      if (["error", "warning"].includes(message.type())) problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
    return page;
  }

  test("the first HTML names the user, hydration shows no other state, and an expired session is renewed through the handshake", async () => {
    const context = await browser.newContext();
    const page = await watchedPage(context);

    // A new browser: nothing to know the user by, so the server renders
    // signed out; the browser's load signs it in (the seed signs in every
    // new client), and the page writes the session cookies.
    const first = await page.goto(app.url);
    assert.match(await first.text(), /id="signed-out"/, "a browser with no cookies gets the signed-out page");
    await page.locator("#user").waitFor();
    const greeting = (await page.locator("#user").textContent()).trim();
    assert.match(greeting, /^Signed in as \S.+\.$/);

    // Loaded again: the server knows the user from the session cookie.
    const again = await page.reload();
    const html = await again.text();
    assert.ok(html.includes(`id="user"`) && html.includes(greeting), `the first HTML names the user: ${greeting}`);
    assert.doesNotMatch(html, /id="signed-out"|id="loading"/, "and shows neither the signed-out nor the loading state");
    await page.locator("#user").waitFor();
    // Hydrated: the server function answers (an event handler only a hydrated page has).
    await page.click("#whoami");
    await page.locator('#whoami-answer[data-state="accepted"]').waitFor();
    const who = await page.locator("#whoami-answer").textContent();
    assert.match(who, /^user_\w+ \(sess_\w+\)$/, "the server function reads the verified user");
    const seen = await page.evaluate(() => [...window.__seen]);
    assert.deepEqual(seen, ["user"], "from the first byte to hydration, only the signed-in state was in the page");
    await page.screenshot({ path: `${SCREENSHOTS}/fullstack-ssr-signed-in.png` });

    // The page closed, nothing refreshes the token: wait until it is past
    // its expiry and the verifier's leeway, by the token's own clock.
    const session = (await context.cookies(app.url)).find((c) => c.name === "__session");
    assert.ok(session, "the page wrote __session on the app's domain");
    const { exp, sid } = claims(session.value);
    assert.ok(who.includes(sid), "the cookie's session is the one the server function saw");
    await page.close();
    const expiredAt = (exp + LEEWAY_SECS + 1) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiredAt - Date.now())));

    const later = await watchedPage(context);
    const renewed = await later.goto(app.url);
    const chain = redirectChain(renewed);
    assert.ok(
      chain.some((url) => new URL(url).pathname === "/v1/client/handshake"),
      `the expired session went through the handshake: ${chain.join(" → ")}`,
    );
    const renewedHtml = await renewed.text();
    assert.ok(renewedHtml.includes(greeting), "and the page still rendered signed in");
    const fresh = (await context.cookies(app.url)).find((c) => c.name === "__session");
    assert.ok(claims(fresh.value).exp > exp, "with a new session token from the handshake");
    await later.locator("#user").waitFor();
    assert.deepEqual(await later.evaluate(() => [...window.__seen]), ["user"]);

    // Signed out: the next page load renders signed out.
    await later.click("#sign-out");
    await later.locator("#signed-out").waitFor();
    const signedOut = await later.reload();
    const signedOutHtml = await signedOut.text();
    assert.match(signedOutHtml, /id="signed-out"/, "after SignOutButton the server renders signed out");
    assert.ok(!signedOutHtml.includes(greeting), "and names nobody");
    await later.locator("#signed-out").waitFor();
    await later.screenshot({ path: `${SCREENSHOTS}/fullstack-ssr-signed-out.png` });

    assert.deepEqual(problems, [], "no console error, warning or uncaught exception");
    await context.close();
  });
});

/** The production key naming the emulator's host, as Clerk's keys name their Frontend API (unpadded base64). */
function publishableKeyOf(url) {
  return `pk_live_${Buffer.from(`${new URL(url).host}$`).toString("base64").replace(/=+$/, "")}`;
}
