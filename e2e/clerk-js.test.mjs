// Wire parity with Clerk's own browser client: the same scenarios run with
// clerk-js 6.40 (npm, pinned) and with the crate's web client against the
// same emulator, in headless Chromium, and every request either sends is
// compared after normalising ids and version values: method, path, query
// keys, form keys, credentials mode. The table of what was seen is the
// README's ("Wire parity with clerk-js"): a row that differs and is not
// explained there fails the test, which prints the table it saw.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./lib/servers.mjs";
import { instanceOf } from "./lib/clerk-backend.mjs";
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, must } from "./lib/browser.mjs";

const WEB_OUT = must("WEB_OUT");
const EMULATOR_BIN = must("EMULATOR_BIN");
const CLERK_JS = fileURLToPath(new URL("./node_modules/@clerk/clerk-js/", import.meta.url));
const README = fileURLToPath(new URL("../README.md", import.meta.url));

let browser, files, app;

before(async () => {
  files = await serveDirectory(WEB_OUT);
  app = files.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  files?.server.close();
});

/**
 * clerk-js's browser bundle beside a page that loads it for `instance`,
 * its Frontend API the emulator (`proxyUrl`). clerk-js uses a dev browser
 * only for a Frontend API on one of Clerk's development hosts, where every
 * real development instance is: so for a development instance it gets a
 * development key naming such a host (requests still go to the proxy).
 */
function clerkJsPage(instance, fapi) {
  const key = instance.development
    ? `pk_test_${Buffer.from("emulator.clerk.accounts.dev$").toString("base64").replace(/=+$/, "")}`
    : instance.publishable_key;
  const dist = join(CLERK_JS, "dist");
  const dir = join(WEB_OUT, "clerk-js-parity");
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dist).filter((f) => /^(clerk|.*_clerk)\.browser[._].*js$|^clerk\.browser\.js$/.test(f))) {
    copyFileSync(join(dist, file), join(dir, file));
  }
  const page = instance.development ? "dev.html" : "index.html";
  writeFileSync(
    join(dir, page),
    `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script data-clerk-publishable-key="${key}" data-clerk-proxy-url="${fapi}" src="./clerk.browser.js"></script>
</body></html>`,
  );
  return `${app}/clerk-js-parity/${page}`;
}

/**
 * Records every `fetch` a page makes, as the wire sees it, on the Node side
 * (so a page that navigates away loses nothing): `wire.entries`, each under
 * the phase current when it started; `wire.settle()` resolves once every
 * request started has its answer.
 */
async function recorder(page) {
  const wire = { entries: [], phase: "load", waiters: [], starts: [] };
  const pending = () => wire.entries.filter((e) => !e.answered).length;
  wire.settle = () => (pending() === 0 ? Promise.resolve() : new Promise((resolve) => wire.waiters.push(resolve)));
  /** Resolves when a request starts in phase `name` (at once if one has). */
  wire.startedIn = (name) =>
    wire.entries.some((e) => e.phase === name) ? Promise.resolve() : new Promise((resolve) => wire.starts.push({ name, resolve }));
  await page.exposeFunction("__wireStart", (entry) => {
    const id = wire.entries.push({ ...entry, phase: wire.phase, answered: false }) - 1;
    wire.starts = wire.starts.filter(({ name, resolve }) => (name === wire.phase ? (resolve(), false) : true));
    return id;
  });
  await page.exposeFunction("__wireEnd", (id) => {
    wire.entries[id].answered = true;
    if (pending() === 0) wire.waiters.splice(0).forEach((resolve) => resolve());
  });
  await page.addInitScript(() => {
    const fetch = window.fetch;
    window.fetch = (input, init = {}) => {
      const request = input instanceof Request ? input : null;
      const body = init.body ?? null;
      const text = typeof body === "string" ? body : body instanceof URLSearchParams ? body.toString() : body ? "<other>" : "";
      const started = window.__wireStart({
        method: (init.method ?? request?.method ?? "GET").toUpperCase(),
        url: String(request?.url ?? input),
        credentials: init.credentials ?? request?.credentials ?? "same-origin",
        body: text,
      });
      return fetch.call(window, input, init).finally(() => started.then((id) => window.__wireEnd(id)));
    };
  });
  return wire;
}

/** One request, normalised: what is compared. `_clerk_js_version` is clerk-js's own (see `EVERY_REQUEST`). */
function normalise(entry, fapi) {
  const url = new URL(entry.url, app);
  if (url.origin !== fapi || !url.pathname.startsWith("/v1/")) return null;
  const query = [...url.searchParams.keys()].filter((k) => k !== "_clerk_js_version").sort();
  const override = url.searchParams.get("_method");
  const method = override ? `${entry.method} (${override})` : entry.method;
  const path = url.pathname.replace(/sess_[0-9a-zA-Z]+/g, "{session}").replace(/sia_[0-9a-zA-Z]+/g, "{sign_in}");
  const form = entry.body && entry.body !== "<other>" ? [...new URLSearchParams(entry.body).keys()].sort() : [];
  return { method, path, query, form, credentials: entry.credentials };
}

const describeRequest = (r) =>
  `${r.method} ${r.path}` +
  (r.query.length ? ` ?${r.query.join("&")}` : "") +
  (r.form.length ? ` {${r.form.join(",")}}` : "") +
  ` [${r.credentials}]`;

/** The requests of a phase, described and sorted (concurrent requests have no order). */
function phaseRequests(wire, phase, fapi) {
  return wire.entries
    .filter((e) => e.phase === phase)
    .map((e) => normalise(e, fapi))
    .filter(Boolean)
    .map(describeRequest)
    .sort();
}

/** A focus the way the browser sends one when the user comes back to the window. */
const regainFocus = (page) => page.evaluate(() => window.dispatchEvent(new Event("focus")));

// The scenarios, each run by clerk-js and by the crate's `demo` example (its
// account rows, "Sign out of all", "Get a session token" and `UserButton`),
// on a fresh browser signed in to Ada (active), Grace and Alan.
const SCENARIOS = ["load", "get a token", "get a fresh token", "regain focus", "switch", "sign out one session", "sign out all"];

async function runClerkJs(instance, fapi) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wire = await recorder(page);
  await page.goto(clerkJsPage(instance, fapi));
  await page.evaluate(() => window.Clerk.load());
  await wire.settle();
  const ids = await page.evaluate(() => Object.fromEntries(window.Clerk.client.signedInSessions.map((s) => [s.user.id, s.id])));
  wire.phase = "get a token";
  await page.evaluate(() => window.Clerk.session.getToken());
  await wire.settle();
  wire.phase = "get a fresh token";
  await page.evaluate(() => window.Clerk.session.getToken({ skipCache: true }));
  await wire.settle();
  wire.phase = "regain focus";
  await regainFocus(page);
  // clerk-js touches on focus without a promise to wait for: its request.
  await Promise.race([wire.startedIn("regain focus"), new Promise((r) => setTimeout(r, 3000))]);
  await wire.settle();
  wire.phase = "switch";
  await page.evaluate((id) => window.Clerk.setActive({ session: id }), ids.user_grace);
  await wire.settle();
  wire.phase = "sign out one session";
  await page.evaluate((id) => window.Clerk.signOut(() => {}, { sessionId: id }), ids.user_alan);
  await wire.settle();
  wire.phase = "sign out all";
  // A callback instead of a redirect: the page stays, so nothing is lost.
  await page.evaluate(() => window.Clerk.signOut(() => {}));
  await wire.settle();
  assert.equal(await page.evaluate(() => window.Clerk.user ?? null), null, "clerk-js signed out");
  await context.close();
  return wire;
}

async function runCrate(instance, fapi) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
  const page = await context.newPage();
  const wire = await recorder(page);
  const query = new URLSearchParams({ fapi, ...(instance.development ? { dev: "1" } : {}) });
  await page.goto(`${app}/demo/?${query}`);
  await page.locator("#session-user_ada.active").waitFor();
  await wire.settle();
  wire.phase = "get a token";
  await page.click("#get-token");
  await page.locator('#token[data-state="token"]').waitFor();
  await wire.settle();
  wire.phase = "get a fresh token";
  await page.click("#get-fresh-token");
  await page.locator('#token[data-answers="2"][data-state="token"]').waitFor();
  await wire.settle();
  wire.phase = "regain focus";
  await regainFocus(page);
  await wire.startedIn("regain focus");
  await wire.settle();
  wire.phase = "switch";
  await page.click("#switch-user_grace");
  await page.locator("#session-user_grace.active").waitFor();
  await wire.settle();
  wire.phase = "sign out one session";
  await page.click("#sign-out-user_alan");
  await page.locator("#session-user_alan").waitFor({ state: "detached" });
  await wire.settle();
  wire.phase = "sign out all";
  await page.click("#sign-out");
  await page.locator("#signed-out").waitFor();
  await wire.settle();
  await context.close();
  return wire;
}

// What differs on every request, and why (the README says the same).
const EVERY_REQUEST =
  "clerk-js adds `_clerk_js_version` (the crate is not clerk-js) and names API version 2026-08-20; the crate implements the 2026-05-12 spec and says so";

/** The table row of a scenario, from both request lists. */
function row(instance, scenario, clerkJs, crate) {
  const a = clerkJs.join("<br>") || "none";
  const b = crate.join("<br>") || "none";
  return `| ${instance} | ${scenario} | ${a} | ${b} | ${a === b ? "equal" : "**differs**"} |`;
}

describe("clerk-js wire parity", () => {
  for (const development of [false, true]) {
    const kind = development ? "development" : "production";
    test(`the crate's web client sends what clerk-js 6.40 sends: ${kind} instance`, { timeout: 120_000 }, async () => {
      const { version } = JSON.parse(readFileSync(join(CLERK_JS, "package.json"), "utf8"));
      assert.equal(version, "6.40.0");
      const rows = [];
      const differences = [];
      const emulators = [];
      try {
        // One emulator for each client, so neither sees the other's sessions.
        const start = () =>
          startEmulator(EMULATOR_BIN, [...(development ? ["--development"] : []), "--allow-origin", app], { stderr: "ignore" });
        const [ours, theirs] = [await start(), await start()];
        emulators.push(ours, theirs);
        const clerkJs = await runClerkJs(await instanceOf(theirs.url), theirs.url);
        const crate = await runCrate(await instanceOf(ours.url), ours.url);
        for (const scenario of SCENARIOS) {
          const a = phaseRequests(clerkJs, scenario, theirs.url);
          const b = phaseRequests(crate, scenario, ours.url);
          const line = row(kind, scenario, a, b);
          rows.push(line);
          if (line.endsWith("**differs** |")) differences.push(line);
        }
        for (const entry of crate.entries.filter((e) => e.url.includes("/v1/"))) {
          assert.equal(new URL(entry.url, app).searchParams.has("_clerk_js_version"), false);
        }
      } finally {
        for (const emulator of emulators) emulator.child.kill("SIGTERM");
      }
      const table = rows.join("\n");
      writeFileSync(join(SCREENSHOTS, `wire-parity-${kind}.md`), `${table}\n`);
      const readme = readFileSync(README, "utf8");
      for (const line of rows) {
        assert.ok(readme.includes(line), `README's wire-parity table lacks this row (as seen now):\n${line}\n\nthe whole table seen:\n${table}`);
      }
      for (const line of differences) {
        const scenario = line.split(" | ")[1];
        assert.ok(
          new RegExp(`\\| ${kind} \\| ${scenario} \\|.*\\*\\*differs\\*\\*[^\\n]*\\n?`).test(readme) &&
            readme.includes(`**${kind}, ${scenario}**:`),
          `a difference the README does not explain (add "**${kind}, ${scenario}**: why"): ${line}`,
        );
      }
      assert.ok(readme.includes(EVERY_REQUEST), "the README says what differs on every request");
    });
  }
});
