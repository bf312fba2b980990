// Real networks in headless Chromium: the account switcher against an
// emulator whose session tokens live 4 s (compressed time: they expire
// inside an outage), through an outage (every route 503, then refused
// connections), a rate limit, the browser going offline, and a page clock
// ten minutes off. Each run also prints the figures BENCHMARKS.md quotes.
//
// Needs: WEB_OUT, EMULATOR_BIN (scripts/test sets them).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { trackFetches } from "./lib/browser.mjs";
import { webSuite } from "./lib/web-suite.mjs";

const LIFETIME = 4;
const { suite, controls } = webSuite({ emulatorArgs: ["--token-lifetime", String(LIFETIME)] });

/** Every route the page calls by itself. */
const ROUTES = ["get_client", "touch_session", "session_token", "environment", "active_sessions", "dev_browser"];

/** An init script: the page's clock `offset` ms off (Date and Date.now). */
function shiftClock(offset) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  window.Date = ShiftedDate;
}

/** The account switcher, signed in to the demo accounts, in a fresh profile. */
async function open({ skew = 0 } = {}) {
  const context = await suite.newContext({ viewport: { width: 900, height: 700 } });
  const page = await context.newPage();
  if (skew) await page.addInitScript(shiftClock, skew * 1000);
  await page.addInitScript(trackFetches);
  await page.addInitScript(() => {
    window.__online = [];
    window.addEventListener("online", () => window.__online.push(Date.now()));
  });
  await page.goto(`${suite.files.url}/account_switcher/?fapi=${suite.fapi}`);
  await page.locator("#sessions li").first().waitFor();
  return { context, page };
}

/** The requests the page sent to the Frontend API, with when (its clock). */
const sent = (page) => page.evaluate((fapi) => window.__requests.filter((r) => r.url.startsWith(fapi)), suite.fapi);

/** Waits until every request the page sent has been answered (or failed). */
const settled = (page) => page.waitForFunction(() => window.__requests.every((r) => r.answered));

/** Clicks `button` and returns what `#token` then says. */
async function askForToken(page, button = "#get-token") {
  const answers = Number(await page.locator("#token").getAttribute("data-answers"));
  await page.click(button);
  const token = page.locator(`#token[data-answers="${answers + 1}"]`);
  await token.waitFor();
  return {
    state: await token.getAttribute("data-state"),
    exp: Number(await token.getAttribute("data-exp")),
    text: await token.textContent(),
  };
}

/** The app's view during an outage: signed in, marked stale, and a token
 * still valid or the typed error, never an expired token. */
async function assertOutageView(page, error) {
  await page.locator('#connection[data-state="stale"]').waitFor({ state: "attached" });
  assert.equal(await page.locator("#sessions li").count(), 3, "nobody is signed out by an outage");
  const token = await askForToken(page);
  if (token.state === "token") {
    assert.ok(token.exp > Date.now() / 1000, `an expired token was handed out: exp ${token.exp}`);
  } else {
    assert.equal(token.state, "error");
    assert.match(token.text, error);
  }
  return token;
}

/** Polls the emulator's log until `found` holds for it; throws after `limit` ms. */
async function untilLogged(found, limit, what) {
  const started = Date.now();
  for (;;) {
    if (found(await controls.requests())) return Date.now() - started;
    if (Date.now() - started > limit) throw new Error(`not within ${limit} ms: ${what}`);
    await sleep(25);
  }
}

/** The `exp` of the `__session` cookie's token, or `undefined`. */
async function sessionCookieExp(context) {
  const cookie = (await context.cookies(suite.files.url)).find((c) => c.name === "__session");
  if (!cookie) return undefined;
  return JSON.parse(Buffer.from(cookie.value.split(".")[1], "base64url").toString()).exp;
}

describe("real networks in Chromium", () => {
  test("an outage: 503s then refused connections, at most 30 requests a minute, signed in and stale, a fresh token within 10 s of the end", { timeout: 120_000 }, async () => {
    const { context, page } = await open();
    assert.equal((await askForToken(page)).state, "token");
    await settled(page);
    await controls.clearRequests();
    for (const route of ROUTES) {
      await controls.inject(route, { kind: "error", status: 503, code: "service_unavailable", message: "Clerk is down" });
    }
    const before = (await sent(page)).length;
    // 20 s of 503s, a focus every 8 s: the outage's own clock (compressed
    // time), not a wait for an event.
    for (let tick = 1; tick <= 5; tick++) {
      if (tick % 2 === 1) await page.evaluate(() => window.dispatchEvent(new Event("focus")));
      await sleep(4000);
      await assertOutageView(page, /Clerk answered 503/);
    }
    await settled(page);
    const logged = await controls.requests();
    assert.equal((await sent(page)).length - before, logged.length, "every request reached the emulator");
    assert.ok(logged.every((r) => r.status === 503), JSON.stringify(logged.map((r) => [r.route, r.status])));

    // 20 s of refused connections.
    await context.route(`${suite.fapi}/**`, (route) => route.abort("connectionrefused"));
    await controls.clearFaults();
    // The last failure is answered again while its backoff runs: the 503
    // first, then the offline error.
    const views = [];
    for (let tick = 1; tick <= 5; tick++) {
      if (tick % 2 === 0) await page.evaluate(() => window.dispatchEvent(new Event("focus")));
      await sleep(4000);
      views.push(await assertOutageView(page, /^offline: the Frontend API could not be reached|^Clerk answered 503/));
    }
    assert.ok(views.some((v) => /^offline: /.test(v.text)), `the offline error: ${JSON.stringify(views)}`);
    const tried = (await sent(page)).length - before;
    assert.ok(tried <= 20, `${tried} requests in 40 s of outage`);

    await controls.clearRequests();
    await context.unroute(`${suite.fapi}/**`);
    const recovered = await untilLogged(
      (log) => log.some((r) => r.route === "session_token" && r.status === 200),
      10_000,
      "a fresh token after the outage",
    );
    await page.locator('#connection[data-state="live"]').waitFor({ state: "attached", timeout: 5000 });
    const token = await askForToken(page);
    assert.equal(token.state, "token");
    assert.ok(token.exp > Date.now() / 1000 + 1);
    console.log(`# bench outage crate: ${tried} requests in 40 s (${(tried * 1.5).toFixed(1)}/min); fresh token ${recovered} ms after the end`);
  });

  test("a 429 with Retry-After: 5 is followed by no request to that route for 5 s, and the app's own calls get the 429 at once", { timeout: 60_000 }, async () => {
    const { page } = await open();
    await controls.inject("session_token", {
      kind: "error",
      status: 429,
      code: "too_many_requests",
      message: "Too many requests, please try again later.",
      retry_after: 5,
    });
    const limited = await askForToken(page, "#get-fresh-token");
    assert.equal(limited.state, "error");
    assert.match(limited.text, /Clerk answered 429/);
    const tokenRequests = async () => (await sent(page)).filter((r) => /\/tokens(\?|$)/.test(r.url.split("?")[0] + "?"));
    const first = (await tokenRequests()).at(-1);
    await controls.clearFaults();
    const count = (await tokenRequests()).length;
    for (let i = 0; i < 5; i++) {
      const held = await askForToken(page, "#get-fresh-token");
      assert.match(held.text, /Clerk answered 429/, "the same 429, at once");
    }
    assert.equal((await tokenRequests()).length, count, "nothing sent while held");
    // Ask until a token comes: the first request after the 429 goes once 5 s are over.
    for (;;) {
      const token = await askForToken(page, "#get-fresh-token");
      if (token.state === "token") break;
      await sleep(250);
    }
    const next = (await tokenRequests()).find((r) => r.at > first.at);
    assert.ok(next.at - first.at >= 5000, `the next token request came ${next.at - first.at} ms after the 429`);
  });

  test("offline: no request at all, the offline error from get_token, a reload within 1 s of coming back", { timeout: 60_000 }, async () => {
    const { context, page } = await open();
    assert.equal((await askForToken(page)).state, "token");
    await settled(page);
    await context.setOffline(true);
    const before = (await sent(page)).length;
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    const offline = await askForToken(page, "#get-fresh-token");
    assert.equal(offline.state, "error");
    assert.match(offline.text, /^offline: the browser is offline/);
    await page.locator('#connection[data-state="stale"]').waitFor({ state: "attached" });
    // Two token lifetimes: a refresh would have fallen due twice.
    await sleep(2 * LIFETIME * 1000);
    assert.equal((await sent(page)).length, before, "nothing was sent while offline");
    assert.equal(await page.locator("#sessions li").count(), 3, "still signed in");

    await context.setOffline(false);
    await page.waitForFunction(
      (fapi) => window.__online.length > 0 && window.__requests.some((r) => r.url.startsWith(`${fapi}/v1/client?`) && r.at >= window.__online[0]),
      suite.fapi,
    );
    const [onlineAt, reload] = await page.evaluate(
      (fapi) => [window.__online[0], window.__requests.find((r) => r.url.startsWith(`${fapi}/v1/client?`) && r.at >= window.__online[0])],
      suite.fapi,
    );
    assert.ok(reload.at - onlineAt <= 1000, `the reload went ${reload.at - onlineAt} ms after coming back online`);
    await page.locator('#connection[data-state="live"]').waitFor({ state: "attached" });
  });

  for (const skew of [600, -600]) {
    test(`the page's clock ${skew > 0 ? "10 minutes ahead" : "10 minutes behind"}: tokens valid when handed out, refreshes on schedule`, { timeout: 60_000 }, async () => {
      const { context, page } = await open({ skew });
      // A reload 1.5 s later gets the session's last token again, by then
      // 1.5 s old on the server's clock: the page must not count it as new.
      await sleep(1500);
      await page.reload();
      await page.locator("#sessions li").first().waitFor();
      await controls.clearRequests();
      const started = Date.now();
      while (Date.now() - started < 12_000) {
        const exp = await sessionCookieExp(context);
        if (exp !== undefined) assert.ok(exp > Date.now() / 1000, `the __session cookie holds an expired token (exp ${exp})`);
        await sleep(100);
      }
      const refreshes = (await controls.requests()).filter((r) => r.route === "session_token").length;
      // 12 s of 4 s tokens refreshed 1 s early: 4, give or take one.
      assert.ok(refreshes >= 3 && refreshes <= 5, `${refreshes} token requests in 12 s`);
      const token = await askForToken(page);
      assert.equal(token.state, "token");
      assert.ok(token.exp > Date.now() / 1000, "the token handed out is valid");
    });
  }
});
