// Real networks, next to clerk-js 6.40 in the same run, in headless Chromium
// against one emulator (4 s session tokens, so that they expire inside the
// outage). For each client:
// - an outage: 20 s of 503s on every route, then 20 s of refused
//   connections, a focus every 8 s: the requests it sent, and the time from
//   the end of the outage to the first session token the emulator issued;
// - page load to the signed-in DOM (the user's name on the page), with the
//   emulator answering at once and with 100 ms added to every answer:
//   medians of RUNS (10) loads each, in fresh browser contexts, alternating.
// The crate's page is the `basic` example; clerk-js's a page that loads its
// browser bundle and writes the user's name once `Clerk.load()` is done.
// Run by scripts/bench-network. A benchmark, not a test: it prints figures.

import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./lib/servers.mjs";
import { emulatorControls } from "./lib/emulator-log.mjs";
import { CHROMIUM, CHROMIUM_ARGS, must, trackFetches } from "./lib/browser.mjs";

const WEB_OUT = must("WEB_OUT");
const RUNS = Number(process.env.RUNS ?? 10);
const CLERK_JS = fileURLToPath(new URL("./node_modules/@clerk/clerk-js/", import.meta.url));
const ROUTES = ["get_client", "touch_session", "session_token", "environment", "active_sessions", "dev_browser"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/** clerk-js's bundle beside a page that shows the signed-in user's name. */
function clerkJsPage(key, fapi) {
  const dist = join(CLERK_JS, "dist");
  const dir = join(WEB_OUT, "clerk-js-bench");
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dist).filter((f) => /^(clerk|.*_clerk)\.browser[._].*js$|^clerk\.browser\.js$/.test(f))) {
    copyFileSync(join(dist, file), join(dir, file));
  }
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script data-clerk-publishable-key="${key}" data-clerk-proxy-url="${fapi}" src="./clerk.browser.js"
  onload="window.Clerk.load().then(() => { const p = document.createElement('p'); p.id = 'user'; p.textContent = 'Signed in as ' + window.Clerk.user.fullName + '.'; document.body.append(p); })"></script>
</body></html>`,
  );
  return "clerk-js-bench/index.html";
}

/** From the first byte of the document: when the user's name shows. */
const watchForName = () => {
  new MutationObserver((_, observer) => {
    if (window.__nameAt === undefined && document.body?.textContent.includes("Ada Lovelace")) {
      window.__nameAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
};

let files, emulator, browser;
try {
  files = await serveDirectory(WEB_OUT);
  emulator = await startEmulator(must("EMULATOR_BIN"), ["--allow-origin", files.url, "--token-lifetime", "4"], { stderr: "ignore" });
  const fapi = emulator.url;
  const controls = emulatorControls(() => fapi);
  const instance = await (await controls.control("instance")).json();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const pages = {
    "clerk-js 6.40": `${files.url}/${clerkJsPage(instance.publishable_key, fapi)}`,
    "clerk-dioxus": `${files.url}/basic/?fapi=${fapi}`,
  };

  const loads = {};
  for (const delay of [0, 100]) {
    await controls.clearFaults();
    if (delay) for (const route of ROUTES) await controls.inject(route, { kind: "delay", ms: delay });
    for (const name of Object.keys(pages)) loads[`${name} ${delay}`] = [];
    for (let run = -1; run < RUNS; run++) {
      for (const [name, url] of Object.entries(pages)) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.addInitScript(watchForName);
        await page.goto(url);
        await page.waitForFunction(() => window.__nameAt !== undefined, null, { timeout: 20000 });
        if (run >= 0) loads[`${name} ${delay}`].push(await page.evaluate(() => window.__nameAt));
        await context.close();
      }
    }
  }
  await controls.clearFaults();

  const outages = {};
  for (const [name, url] of Object.entries(pages)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(trackFetches);
    await page.goto(url);
    await page.locator("#user").waitFor();
    await sleep(1000);
    const sent = async () => (await page.evaluate(() => window.__requests)).filter((r) => r.url.startsWith(fapi)).length;
    for (const route of ROUTES) await controls.inject(route, { kind: "error", status: 503, code: "service_unavailable", message: "down" });
    const before = await sent();
    for (let tick = 1; tick <= 10; tick++) {
      if (tick === 6) {
        await context.route(`${fapi}/**`, (route) => route.abort("connectionrefused"));
        await controls.clearFaults();
      }
      if (tick % 2 === 1) await page.evaluate(() => window.dispatchEvent(new Event("focus")));
      await sleep(4000);
    }
    const requests = (await sent()) - before;
    await controls.clearRequests();
    await context.unroute(`${fapi}/**`);
    const ended = Date.now();
    let recovered = null;
    while (Date.now() - ended < 60_000) {
      const log = await (await controls.control("requests")).json();
      if (log.some((r) => r.route === "session_token" && r.status === 200)) {
        recovered = Date.now() - ended;
        break;
      }
      await sleep(25);
    }
    outages[name] = { requests, recovered };
    await context.close();
  }

  console.log(`page load to the user's name, medians of ${RUNS} (ms):`);
  for (const delay of [0, 100]) {
    const js = median(loads[`clerk-js 6.40 ${delay}`]);
    const crate = median(loads[`clerk-dioxus ${delay}`]);
    console.log(`  +${delay} ms per answer: clerk-js ${js.toFixed(1)}, clerk-dioxus ${crate.toFixed(1)} (${(crate / js).toFixed(2)}x)`);
  }
  console.log("outage (20 s of 503s, then 20 s refused; 4 s tokens; a focus every 8 s):");
  for (const [name, { requests, recovered }] of Object.entries(outages)) {
    console.log(`  ${name}: ${requests} requests in 40 s (${(requests * 1.5).toFixed(1)}/min); first token ${recovered === null ? "not within 60 s" : `${recovered} ms`} after the end`);
  }
} finally {
  await browser?.close();
  emulator?.child.kill("SIGTERM");
  files?.server.close();
}
