// The web examples in headless Chromium against the Frontend API emulator, in
// the browser credential mode: the `__client` cookie (and, in one test, the
// dev-browser token), never an Authorization header.
//
// Needs: WEB_OUT (the built examples, scripts/lib/web.sh), EMULATOR_BIN (the
// clerk-emulator binary), FULLSTACK_SERVER (the `fullstack_server` example
// binary), CHROMIUM (default /usr/bin/chromium). Screenshots go
// to SCREENSHOTS (default target/screenshots). scripts/test sets all of them.

import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicKey, verify as verifySignature } from "node:crypto";
import { chromium } from "playwright-core";
import { freePort, serveDirectory, startEmulator, startFullstackServer } from "./lib/servers.mjs";
import { emulatorControls, frontendApiCookies } from "./lib/emulator-log.mjs";
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, must, trackFetches } from "./lib/browser.mjs";
import { authenticate, instanceOf } from "./lib/clerk-backend.mjs";
import { createServer } from "node:http";

const WEB_OUT = must("WEB_OUT");
const EMULATOR_BIN = must("EMULATOR_BIN");
const FULLSTACK_SERVER = must("FULLSTACK_SERVER");

let browser, app, fapi, emulator, files;
/** The browser contexts a test opened: closed after it, passed or failed. */
let contexts = [];

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  files = await serveDirectory(WEB_OUT);
  app = files.url;
  // The app's origin must be known before the emulator starts (CORS).
  emulator = await startEmulator(EMULATOR_BIN, ["--allow-origin", app]);
  fapi = emulator.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  contexts = [];
  await clearFaults();
});

after(async () => {
  await browser?.close();
  emulator?.child.kill("SIGTERM");
  files?.server.close();
});

// The emulator's controls.
const { control, requests, clearRequests, clearFaults, inject, actions, waitForActions } = emulatorControls(() => fapi);

function assertBrowserShape(request, route) {
  assert.equal(request.route, route);
  assert.equal(request.authorization, null, "browsers never send Authorization");
  assert.deepEqual(
    frontendApiCookies(request),
    ["__client"],
    "the client cookie is sent (credentials: include)",
  );
  const query = Object.fromEntries(request.query);
  assert.equal(query.__clerk_api_version, "2026-05-12");
  assert.equal(query._is_native, undefined);
  if (route === "delete_sessions") {
    assert.equal(request.method, "POST");
    assert.equal(query._method, "DELETE", "DELETE goes as POST ?_method=DELETE");
  } else {
    assert.equal(request.method, "POST");
  }
  assert.ok(request.origin?.startsWith("http://127.0.0.1:"), "the browser's own Origin");
}

/** A fresh browser profile (so a fresh client, signed in to the demo accounts) on `example`. */
async function open(example, { dev = false, context, ready = EXAMPLES[example].ready } = {}) {
  if (!context) {
    context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    contexts.push(context);
  }
  const page = await context.newPage();
  await page.addInitScript(trackFetches);
  // Remembers every element id that appears, however briefly (a toast).
  await page.addInitScript(() => {
    const seen = (window.__seen = new Set());
    new MutationObserver(() => document.querySelectorAll("[id]").forEach((el) => seen.add(el.id))).observe(document, {
      childList: true,
      subtree: true,
    });
  });
  const query = new URLSearchParams({ fapi, ...(dev ? { dev: "1" } : {}) });
  await page.goto(`${app}/${example}/?${query}`);
  await page.locator(ready).first().waitFor();
  await page.locator("#frontend-api").waitFor();
  return { context, page };
}

/** Waits until an element with this id has been in the page (it may be gone again). */
const appeared = (page, id) => page.waitForFunction((id) => window.__seen.has(id), id);

const shot = (page, name) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });

const signedOut = async (page) => page.locator("#signed-out").waitFor();

// What each example signs out and how it looks afterwards.
const EXAMPLES = {
  basic: {
    ready: "#user",
    button: "#sign-out",
    busy: "#sign-out",
    route: "delete_sessions",
    async after(page) {
      await signedOut(page);
      assert.equal(await page.locator("#user").count(), 0);
    },
  },
  custom_children: {
    ready: "#user",
    button: "#sign-out",
    busy: "span[aria-busy]",
    route: "delete_sessions",
    async after(page) {
      await signedOut(page);
      await page.waitForURL(/#signed-out$/);
    },
  },
  sign_out_session: {
    ready: "#sessions li",
    button: "#sign-out-user_grace",
    busy: "#sign-out-user_grace",
    route: "remove_session",
    async after(page) {
      await page.locator("#session-user_grace").waitFor({ state: "detached" });
      assert.equal(await page.locator("#sessions li").count(), 2, "only the chosen session is gone");
      assert.match(await page.locator("#user").innerText(), /Ada Lovelace/, "the active account is unchanged");
    },
  },
  sign_out_all: {
    ready: "#count",
    button: "#sign-out",
    busy: "span[aria-busy]",
    route: "delete_sessions",
    async after(page) {
      await appeared(page, "toast");
      await page.locator("#events li", { hasText: "toast_shown" }).waitFor();
      assert.deepEqual(await page.locator("#events li").allInnerTexts(), ["signed_out_everywhere", "toast_shown"]);
      assert.match(await page.locator("#count").innerText(), /^0 /);
    },
  },
  demo: {
    ready: "#sessions li",
    button: "#sign-out",
    busy: "#sign-out",
    route: "delete_sessions",
    async after(page) {
      await signedOut(page);
      // The demo's toast goes after 1.5 s: it may be gone by now.
      await appeared(page, "toast");
    },
  },
};

for (const [example, spec] of Object.entries(EXAMPLES)) {
  describe(example, () => {
    test("loads signed in, one click sends one request of the browser shape, the DOM follows", async () => {
      await clearFaults();
      const { page } = await open(example);
      await shot(page, `${example}-signed-in`);
      assert.match(await page.locator("#frontend-api").innerText(), /emulator at http:\/\/127\.0\.0\.1/);
      await clearRequests();
      await page.click(spec.button);
      await waitForActions(1);
      await spec.after(page);
      await shot(page, `${example}-after-sign-out`);
      // Answered, so logged: the log is complete.
      const sent = await actions();
      assert.equal(sent.length, 1, "exactly one request");
      assertBrowserShape(sent[0], spec.route);
    });

    test("while the server is slow the button is busy and a second click sends nothing", async () => {
      await clearFaults();
      const { page } = await open(example);
      await inject(spec.route, { kind: "delay", ms: 2000 });
      await clearRequests();
      await page.click(spec.button);
      // Inside the page, with no round trip to the test in between: wait for
      // the busy state, then click again while the request is surely in flight.
      const pending = await page.evaluate(async ({ button, busy }) => {
        const deadline = Date.now() + 10000;
        while (document.querySelector(busy)?.getAttribute("aria-busy") !== "true") {
          if (Date.now() > deadline) return { busy: false };
          await new Promise((r) => setTimeout(r, 0));
        }
        const target = document.querySelector(button);
        // Keyboard users keep their place: the button stays focusable while pending.
        target.focus();
        const state = {
          busy: true,
          ariaDisabled: target.getAttribute("aria-disabled"),
          disabled: target.disabled ?? false,
          dataState: document.querySelector(busy).getAttribute("data-state"),
          focused: document.activeElement === target,
        };
        target.click();
        return state;
      }, { button: spec.button, busy: spec.busy });
      assert.equal(pending.busy, true, "aria-busy while the request is in flight");
      assert.equal(pending.dataState, "pending", "data-state while the request is in flight");
      if (spec.busy === spec.button) {
        assert.equal(pending.ariaDisabled, "true", "the default button is aria-disabled");
        assert.equal(pending.disabled, false, "and not disabled, which would drop its focus");
        assert.equal(pending.focused, true, "it keeps keyboard focus");
      }
      await shot(page, `${example}-pending`);
      await spec.after(page);
      assert.equal((await actions()).length, 1, "the second click sent nothing");
    });

    test("a 500 shows the error and the button works again", async () => {
      await clearFaults();
      const { page } = await open(example);
      const signedIn = await page.locator(spec.ready).allInnerTexts();
      await inject(spec.route, { kind: "error", status: 500, code: "internal_clerk_error", message: "Oops" });
      await clearRequests();
      await page.click(spec.button);
      await page.locator("#error", { hasText: "internal_clerk_error" }).waitFor();
      await shot(page, `${example}-error`);
      assert.deepEqual(await page.locator(spec.ready).allInnerTexts(), signedIn, "the page still shows the server's state");
      await clearFaults();
      await page.click(spec.button);
      await spec.after(page);
      assert.equal((await actions()).length, 2, "one request per click");
    });

    test("keyboard: Tab to the button and Enter signs out", async () => {
      await clearFaults();
      const { page } = await open(example);
      await clearRequests();
      const target = spec.button.slice(1);
      let focused = false;
      for (let i = 0; i < 25 && !focused; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate((id) => document.activeElement?.id === id, target);
      }
      assert.ok(focused, `Tab reaches #${target}`);
      await page.keyboard.press("Enter");
      await waitForActions(1);
      await spec.after(page);
      assert.equal((await actions()).length, 1);
    });
  });
}

describe("answers the model cannot read", () => {
  test("JSON of the wrong shape is a decode error that names what was expected, and the button works again", async () => {
    await clearFaults();
    const { page } = await open("basic");
    await inject("delete_sessions", { kind: "wrong_shape" });
    await clearRequests();
    await page.click("#sign-out");
    const error = page.locator("#error", { hasText: "could not decode Clerk's answer" });
    await error.waitFor();
    const text = await error.innerText();
    const [decoder, body] = text.split("; body starts: ");
    assert.match(decoder, /invalid type: a number, expected a string/, "the browser's decoder says what it expected");
    assert.doesNotMatch(decoder, /42/, "and not the value it got");
    assert.match(body ?? "", /"id": ?42/, "the body's start follows, for the developer");
    assert.equal(await page.locator("#user").count(), 1, "still signed in: nothing was applied");
    await clearFaults();
    await page.click("#sign-out");
    await signedOut(page);
  });
});

describe("across tabs and modes", () => {
  test("signing out in one tab signs out the other", async () => {
    await clearFaults();
    const { context, page: first } = await open("basic");
    const { page: second } = await open("basic", { context });
    await first.click("#sign-out");
    await signedOut(first);
    await signedOut(second);
    await shot(second, "basic-other-tab-signed-out");
    await context.close();
  });
});

/** The dev-browser cookies of the app's origin, plain and suffixed, by name. */
async function devBrowserCookies(context, suffix) {
  const cookies = await context.cookies(app);
  const value = (name) => cookies.find((c) => c.name === name)?.value ?? null;
  return { plain: value("__clerk_db_jwt"), suffixed: value(`__clerk_db_jwt_${suffix}`) };
}

describe("development instance", () => {
  // A development emulator of its own: it refuses browsers without a dev browser.
  let dev;
  before(async () => {
    dev = await startEmulator(EMULATOR_BIN, ["--development", "--allow-origin", app], { stderr: "ignore" });
    dev.controls = emulatorControls(() => dev.url);
    dev.instance = await (await fetch(`${dev.url}/__emulator/instance`)).json();
  });
  after(() => dev?.child.kill("SIGTERM"));

  /** `basic` on the development emulator. */
  async function openDev(context) {
    const page = await context.newPage();
    await page.goto(`${app}/basic/?${new URLSearchParams({ fapi: dev.url, dev: "1" })}`);
    await page.locator(EXAMPLES.basic.ready).waitFor();
    return page;
  }

  test("the client is the dev browser's, kept in the app's __clerk_db_jwt cookies, with no Authorization", async () => {
    await dev.controls.clearRequests();
    const context = await browser.newContext();
    contexts.push(context);
    const page = await openDev(context);
    await page.click("#sign-out");
    await signedOut(page);
    const log = await dev.controls.requests();
    assert.equal(log[0].route, "dev_browser", "first, a dev browser");
    assert.equal(log.filter((r) => r.route === "dev_browser").length, 1, "one dev browser");
    const signOut = log.find((r) => r.route === "delete_sessions");
    assert.equal(Object.fromEntries(signOut.query).__clerk_db_jwt, "<redacted>");
    assert.equal(signOut.authorization, null);
    const kept = await devBrowserCookies(context, dev.instance.cookie_suffix);
    assert.match(kept.plain ?? "", /^dvb_/, "kept as clerk-js keeps it: __clerk_db_jwt on the app's domain");
    assert.equal(kept.suffixed, kept.plain, "and under the suffixed name Clerk's backends prefer");
    const storage = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(storage, [], "nothing in localStorage");
  });

  test("a dev-browser token the server does not know is replaced once, and the page signs in and out", async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await openDev(context);
    const first = await devBrowserCookies(context, dev.instance.cookie_suffix);
    assert.ok(first.plain, "the first visit kept a dev-browser token");
    await page.evaluate((suffix) => {
      for (const name of ["__clerk_db_jwt", `__clerk_db_jwt_${suffix}`]) document.cookie = `${name}=dvb_forged; path=/`;
    }, dev.instance.cookie_suffix);
    await dev.controls.clearRequests();
    await page.reload();
    await page.locator(EXAMPLES.basic.ready).waitFor();
    await page.click("#sign-out");
    await signedOut(page);
    const log = (await dev.controls.requests())
      .filter((r) => ["get_client", "dev_browser", "delete_sessions"].includes(r.route))
      .map((r) => `${r.route} ${r.status}`);
    assert.deepEqual(
      log,
      ["get_client 401", "dev_browser 200", "get_client 200", "delete_sessions 200"],
      "refused once, renewed once, then every request with the new token",
    );
    const renewed = await devBrowserCookies(context, dev.instance.cookie_suffix);
    assert.ok(renewed.plain && renewed.plain !== "dvb_forged", "the new token is kept");
    assert.equal(renewed.suffixed, renewed.plain);
  });
});

describe("demo's emulator switches", () => {
  const faults = async () => (await control("faults")).json();
  async function waitForFaults(expected) {
    for (let i = 0; i < 100 && !isDeepStrictEqual(await faults(), expected); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(await faults(), expected);
  }

  test("opening the page leaves faults set elsewhere alone; the failure switch fails sign-outs, survives a reload, and stops when turned off", async () => {
    await clearFaults();
    const elsewhere = { kind: "delay", ms: 10 };
    await inject("get_client", elsewhere);
    await clearRequests();
    const { context, page } = await open("demo");
    // The page's request log is filled by its own async work after it mounts.
    await page.locator("#request-log li", { hasText: "GET /v1/client" }).first().waitFor();
    assert.deepEqual(await faults(), { get_client: [elsewhere] }, "mounting the demo changed no fault");

    await page.getByLabel("Fail sign-outs with a 500").check();
    const failing = { kind: "error", status: 500, code: "internal_clerk_error", message: "The emulator is failing on purpose" };
    await waitForFaults({ delete_sessions: [failing], remove_session: [failing] });
    // After a reload the switch shows what the emulator has.
    await page.reload();
    await page.locator(EXAMPLES.demo.ready).first().waitFor();
    const failSwitch = await page.getByLabel("Fail sign-outs with a 500").elementHandle();
    await page.waitForFunction((input) => input.checked, failSwitch);
    await clearRequests();
    await page.click("#sign-out");
    await page.locator("#error", { hasText: "internal_clerk_error" }).waitFor();

    await page.getByLabel("Fail sign-outs with a 500").uncheck();
    await waitForFaults({});
    await page.click("#sign-out");
    await signedOut(page);
    assert.deepEqual((await actions()).map((r) => [r.route, r.status]), [["delete_sessions", 500], ["delete_sessions", 200]]);
    await context.close();
  });
});

describe("account_switcher", () => {
  /** Runs `step`, then returns the one or more requests it sent (loads excluded). */
  async function sent(page, step, count = 1) {
    await clearRequests();
    await step();
    const found = await waitForActions(count);
    // Every request the page started has been answered, so any extra one is in the log.
    await page.waitForFunction(() => window.__requests.every((r) => r.answered));
    assert.equal((await actions()).length, count, JSON.stringify(await actions()));
    return found;
  }
  const active = (page, user) => page.locator(`#session-${user}.active`).waitFor();

  test("switch, sign out one or all, add an account, with the emulator's log after each step", async () => {
    await clearFaults();
    const { context, page } = await open("account_switcher", { ready: "#sessions li" });
    assert.equal(await page.locator("#sessions li").count(), 3);
    await active(page, "user_ada");

    const [touch] = await sent(page, () => page.click("#switch-user_alan"));
    assertBrowserShape(touch, "touch_session");
    assert.deepEqual(touch.form, [["intent", "select_session"]]);
    await active(page, "user_alan");

    const [remove] = await sent(page, () => page.click("#sign-out-user_grace"));
    assertBrowserShape(remove, "remove_session");
    await page.locator("#session-user_grace").waitFor({ state: "detached" });
    await active(page, "user_alan");

    await sent(page, () => page.click("#sign-out-user_alan"));
    await page.locator("#choose").waitFor();
    assert.equal(await page.locator("#sessions li.active").count(), 0, "by default no account is active");
    assert.equal(await page.locator("#sign-out").isVisible(), true, "signing out of all stays possible on the chooser");
    await shot(page, "account_switcher-choose");

    await page.fill("#add-email", "grace@example.com");
    const [signIn] = await sent(page, () => page.click("#add-account"));
    assertBrowserShape(signIn, "sign_in");
    assert.deepEqual(Object.fromEntries(signIn.form), { strategy: "password", identifier: "grace@example.com", password: "<redacted>" });
    await active(page, "user_grace");

    await page.check("#switch-to-most-recent");
    const [removed, switched] = await sent(page, () => page.click("#sign-out-user_grace"), 2);
    assert.equal(removed.route, "remove_session");
    assert.equal(switched.route, "touch_session", "the opt-in switches to the most recent account");
    await active(page, "user_ada");
    await shot(page, "account_switcher-switched");

    const [all] = await sent(page, () => page.click("#sign-out"));
    assertBrowserShape(all, "delete_sessions");
    await page.locator("#signed-out").waitFor();
    await context.close();
  });
});

describe("load", () => {
  // The clicks are dispatched inside the page, faster than any user, while the
  // emulator holds the sign-out's answer back: however they arrive, the app
  // sends one request.
  test("1,000 rapid clicks on the basic sign-out button send exactly one request, with no page or console error", async () => {
    for (const interleaved of [false, true]) {
      const variant = interleaved ? "interleaved with microtasks" : "synchronous";
      await clearFaults();
      const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
      contexts.push(context);
      const problems = [];
      context.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
      context.on("weberror", (e) => problems.push(`page error: ${e.error().message}`));
      const { page } = await open("basic", { context });
      await inject("delete_sessions", { kind: "delay", ms: 5000 });
      await clearRequests();

      const run = await page.evaluate(async (interleaved) => {
        const button = document.querySelector("#sign-out");
        // The app's own requests, and whether each has been answered.
        const sent = (window.__sent = []);
        const fetch = window.fetch;
        window.fetch = (...args) => {
          const request = { url: String(args[0]?.url ?? args[0]), answered: false };
          sent.push(request);
          return fetch.apply(window, args).finally(() => (request.answered = true));
        };
        const inFlight = () => sent.filter((r) => !r.answered).length;
        const clicks = { total: 0, reachingTheApp: 0, whileInFlight: 0, afterAnAnswer: 0 };
        for (let i = 0; i < 1000; i++) {
          clicks.total++;
          // The app ignores clicks while aria-disabled: count the ones it acts on.
          if (button.getAttribute("aria-disabled") !== "true") clicks.reachingTheApp++;
          if (inFlight() === 1) clicks.whileInFlight++;
          if (sent.some((r) => r.answered)) clicks.afterAnAnswer++;
          button.click();
          if (interleaved) await Promise.resolve();
        }
        // Wait for the event that ends the clicks' work: the app renders its
        // pending state (every click was handled before that render).
        await new Promise((resolve) => {
          const done = () => button.getAttribute("aria-busy") === "true" && (observer.disconnect(), resolve());
          const observer = new MutationObserver(done);
          observer.observe(button, { attributes: true });
          done();
        });
        return { clicks, busy: button.getAttribute("aria-busy"), inFlight: inFlight(), sent: sent.map((r) => r.url) };
      }, interleaved);

      assert.equal(run.clicks.total, 1000, variant);
      assert.equal(run.clicks.afterAnAnswer, 0, `${variant}: every click came before any answer`);
      if (interleaved) {
        assert.equal(run.clicks.whileInFlight, 999, `${variant}: from the second click on, the request was in flight`);
      } else {
        assert.equal(run.clicks.reachingTheApp, 1000, `${variant}: every click reached the app before it could re-render`);
      }
      assert.equal(run.inFlight, 1, `${variant}: one request in flight after the clicks`);
      assert.equal(run.busy, "true", variant);
      assert.deepEqual(await actions(), [], `${variant}: the emulator has not answered yet`);

      await signedOut(page);
      // Every request the page started has been answered, so the emulator has logged them all.
      await page.waitForFunction(() => window.__sent.every((r) => r.answered));
      const log = await actions();
      assert.equal(log.length, 1, `${variant}: exactly one request in the emulator's log: ${JSON.stringify(log)}`);
      assertBrowserShape(log[0], "delete_sessions");
      const sent = await page.evaluate(() => window.__sent.map((r) => new URL(r.url).pathname));
      assert.deepEqual(sent, ["/v1/client/sessions"], `${variant}: and one from the page`);
      assert.deepEqual(problems, [], variant);
      await clearFaults();
      await context.close();
    }
  });
});

/** Checks `jwt`'s RS256 signature against the emulator's JWKS, as an app's server would. */
async function verifyJwt(jwt) {
  const [header64, payload64, signature64] = jwt.split(".");
  const header = JSON.parse(Buffer.from(header64, "base64url"));
  const jwks = await (await fetch(`${fapi}/.well-known/jwks.json`)).json();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `the token's kid ${header.kid} is in the JWKS`);
  const valid = verifySignature(
    "RSA-SHA256",
    Buffer.from(`${header64}.${payload64}`),
    createPublicKey({ key: jwk, format: "jwk" }),
    Buffer.from(signature64, "base64url"),
  );
  return { valid, header, claims: JSON.parse(Buffer.from(payload64, "base64url")) };
}

describe("live sessions", () => {
  test("every session ended on another device: the page shows signed out within 1 s of focus", async () => {
    const { page } = await open("account_switcher", { ready: "#sessions li" });
    // The page has fetched all it fetches on load (the device list too), so
    // nothing it sent can have told it before the focus.
    await page.locator('#devices[data-state="ready"]').waitFor();
    await page.waitForFunction(() => window.__requests.every((r) => r.answered));
    const { ended } = await (await control("sessions/end", { method: "POST" })).json();
    assert.ok(ended >= 3, `ended ${ended}`);
    assert.equal(await page.locator("#sessions li").count(), 3, "nothing tells the page yet");
    await clearRequests();
    const elapsed = await page.evaluate(async () => {
      const started = performance.now();
      window.dispatchEvent(new Event("focus"));
      // Resolves on the DOM change that shows it, by a MutationObserver (no polling).
      await new Promise((resolve) => {
        const found = () => document.getElementById("signed-out") && (observer.disconnect(), resolve());
        const observer = new MutationObserver(found);
        observer.observe(document, { childList: true, subtree: true });
        found();
      });
      return performance.now() - started;
    });
    assert.ok(elapsed < 1000, `signed out ${elapsed.toFixed(0)} ms after the focus`);
    assert.equal(await page.locator("#sessions li").count(), 0, "no ghost account");
    const routes = (await requests()).map((r) => r.route);
    assert.ok(routes.includes("get_client"), `the focus reloaded the client: ${routes}`);
    assert.ok(routes.includes("touch_session"), `and touched the session (intent=focus): ${routes}`);
    await shot(page, "live-ended-elsewhere");
  });

  test("a session removed on another device, then its Sign out clicked: the row goes, no error, one remove and one reload", async () => {
    const { page } = await open("account_switcher", { ready: "#sessions li" });
    await page.waitForFunction(() => window.__requests.every((r) => r.answered));
    const { ended } = await (await control("users/user_grace/sessions/end", { method: "POST" })).json();
    assert.ok(ended >= 1);
    await clearRequests();
    await page.click("#sign-out-user_grace");
    await page.locator("#session-user_grace").waitFor({ state: "detached" });
    await page.waitForFunction(() => window.__requests.every((r) => r.answered));
    assert.equal(await page.locator("#error").count(), 0, "no error is shown");
    assert.equal(await page.locator("#sessions li").count(), 2);
    const log = (await requests()).filter((r) => !["environment", "active_sessions"].includes(r.route)).map((r) => [r.route, r.status]);
    assert.deepEqual(log, [["remove_session", 404], ["get_client", 200]], "at most one remove and one reload");
  });

  test("get_token: a token the emulator's JWKS verifies, kept in __session; none after SignOutButton, with no /tokens request", async () => {
    const { context, page } = await open("account_switcher", { ready: "#sessions li" });
    await page.click("#get-token");
    await page.locator('#token[data-state="token"]').waitFor();
    const shown = await page.locator("#token").textContent();
    const cookie = (await context.cookies(app)).find((c) => c.name === "__session");
    assert.ok(cookie, "the app origin's __session cookie holds the token");
    const { valid, header, claims } = await verifyJwt(cookie.value);
    assert.equal(valid, true, "the signature verifies against the JWKS");
    assert.equal(header.alg, "RS256");
    assert.ok(shown.includes(claims.sid), `the page's token is the cookie's: ${shown}`);
    assert.equal(claims.iss, fapi);
    assert.equal(claims.azp, app, "azp is the app's origin");
    assert.ok(claims.exp * 1000 > Date.now());

    await page.click("#sign-out");
    await signedOut(page);
    await clearRequests();
    await page.click("#get-token");
    await page.locator('#token[data-state="none"]').waitFor();
    await page.waitForFunction(() => window.__requests.every((r) => r.answered));
    const routes = (await requests()).map((r) => r.route);
    assert.ok(!routes.includes("session_token"), `no token request for the ended session: ${routes}`);
    const after = (await context.cookies(app)).find((c) => c.name === "__session");
    assert.equal(after, undefined, "the __session cookie is gone");
    await context.close();
  });
});

// Clerk's own browser SDK as a test partner: where the emulator and a real
// Clerk client disagree, the emulator is wrong.
describe("clerk-js", () => {
  /** clerk-js's browser bundle and its chunks, next to a page that loads it
   * with a production key and the emulator as its Frontend API (`proxyUrl`). */
  const CLERK_JS = fileURLToPath(new URL("./node_modules/@clerk/clerk-js/", import.meta.url));
  function clerkJsPage() {
    const dist = join(CLERK_JS, "dist");
    const dir = join(WEB_OUT, "clerk-js");
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dist).filter((f) => /^(clerk|.*_clerk)\.browser[._].*js$|^clerk\.browser\.js$/.test(f))) {
      copyFileSync(join(dist, file), join(dir, file));
    }
    const key = `pk_live_${Buffer.from("clerk.example.com$").toString("base64")}`;
    writeFileSync(
      join(dir, "index.html"),
      `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script data-clerk-publishable-key="${key}" data-clerk-proxy-url="${fapi}" src="./clerk.browser.js"></script>
</body></html>`,
    );
    return `${app}/clerk-js/index.html`;
  }

  test("clerk-js 6 loads against the emulator with status ready, and stays ready through two minutes of token refresh", { timeout: 240_000 }, async () => {
    const { version } = JSON.parse(readFileSync(join(CLERK_JS, "package.json"), "utf8"));
    assert.match(version, /^6\./);
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await clearRequests();
    await page.goto(clerkJsPage());
    const loaded = await page.evaluate(async () => {
      const clerk = window.Clerk;
      await clerk.load();
      // Every status clerk-js reports from now on (it emits on change).
      window.__statuses = [clerk.status];
      setInterval(() => window.__statuses.push(clerk.status), 1000);
      return { status: clerk.status, user: clerk.user?.id ?? null, session: clerk.session?.id ?? null };
    });
    assert.deepEqual(
      { status: loaded.status, user: loaded.user },
      { status: "ready", user: "user_ada" },
      `clerk-js ${version} loaded as: ${JSON.stringify(loaded)}; ${problems.join("; ")}`,
    );

    // Two minutes of clerk-js's own poller and token refresh (60 s tokens:
    // refreshed about 17 s before they expire, so twice in this window).
    await page.waitForTimeout(120_000);
    const statuses = await page.evaluate(() => [...new Set(window.__statuses)]);
    assert.deepEqual(statuses, ["ready"], "ready all along");
    const jwt = await page.evaluate(async () => window.Clerk.session.getToken());
    const { valid, claims } = await verifyJwt(jwt);
    assert.equal(valid, true, "clerk-js's token verifies against the JWKS");
    assert.equal(claims.sid, loaded.session);

    const log = await requests();
    const failed = log.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(failed, [], "no request failed");
    const refreshes = log.filter((r) => r.route === "session_token").length;
    assert.ok(refreshes >= 2, `clerk-js refreshed its token through the emulator: ${refreshes} time(s)`);
    assert.deepEqual(problems, []);
  });
});

// The app's own API: a sign-out ends access there too.
describe("fullstack", () => {
  test("the API answers the signed-in user, and refuses the same call with 401 right after SignOutButton", async () => {
    // The page and its API share the server's origin; the emulator allows it.
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const own = await startEmulator(EMULATOR_BIN, ["--allow-origin", origin], { stderr: "ignore" });
    const server = await startFullstackServer(
      FULLSTACK_SERVER,
      { port, fapi: own.url, web: join(WEB_OUT, "fullstack") },
      { stderr: "ignore" },
    );
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.url}/?fapi=${encodeURIComponent(own.url)}`);
      await page.locator("#user").waitFor();

      await page.click("#api-whoami");
      await page.locator('#api-answer[data-state="accepted"]').waitFor();
      assert.match(await page.locator("#api-answer").textContent(), /user_ada \(sess_/);
      await shot(page, "fullstack-accepted");

      await page.click("#sign-out");
      await page.locator("#signed-out").waitFor();
      await page.click("#api-whoami");
      await page.locator('#api-answer[data-state="refused"]').waitFor();
      const refused = await page.locator("#api-answer").textContent();
      assert.match(refused, /401 \(session-token-missing\)/, "the server's own refusal, with its reason");
      await shot(page, "fullstack-refused");
    } finally {
      server.child.kill("SIGTERM");
      own.child.kill("SIGTERM");
    }
  });

  test("an API on another origin gets the session as Authorization: Bearer, no cookie, and @clerk/backend signs it in", async () => {
    // `__session` is host-only: a call from the page to api on another
    // origin must carry the token itself. The API here is Clerk's own SDK.
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const own = await startEmulator(EMULATOR_BIN, ["--allow-origin", origin], { stderr: "ignore" });
    const instance = await instanceOf(own.url);
    const server = await startFullstackServer(
      FULLSTACK_SERVER,
      { port, fapi: own.url, web: join(WEB_OUT, "fullstack") },
      { stderr: "ignore" },
    );
    const seen = [];
    const api = createServer(async (request, response) => {
      const cors = {
        "access-control-allow-origin": origin,
        "access-control-allow-headers": "authorization",
        vary: "origin",
      };
      if (request.method === "OPTIONS") {
        response.writeHead(204, cors).end();
        return;
      }
      const { authorization = null, cookie = null } = request.headers;
      const auth = await authenticate(instance, { app: origin, headers: authorization ? { authorization } : {} });
      seen.push({ authorization, cookie, auth });
      const ok = auth.status === "signed-in";
      response
        .writeHead(ok ? 200 : 401, { ...cors, "content-type": "application/json" })
        .end(JSON.stringify(ok ? { user_id: auth.userId, session_id: auth.sessionId } : { reason: auth.reason }));
    });
    await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
    const apiOrigin = `http://127.0.0.1:${api.address().port}`;
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.url}/?${new URLSearchParams({ fapi: own.url, api: apiOrigin })}`);
      await page.locator("#user").waitFor();
      await page.click("#api-whoami");
      await page.locator('#api-answer[data-state="accepted"]').waitFor();
      assert.match(await page.locator("#api-answer").textContent(), /user_ada \(sess_/);
      assert.equal(seen.length, 1, "one call, accepted at once");
      assert.match(seen[0].authorization, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(seen[0].cookie, null, "no cookies to another origin");
      assert.equal(seen[0].auth.status, "signed-in", JSON.stringify(seen[0].auth));
      const cookies = await context.cookies(origin);
      const session = cookies.find((c) => c.name === "__session");
      assert.equal(seen[0].authorization, `Bearer ${session.value}`, "the page's own session token");
    } finally {
      api.close();
      server.child.kill("SIGTERM");
      own.child.kill("SIGTERM");
    }
  });
});
