// Page load to the first meaningful DOM in headless Chromium, for the minimal
// user app (benches/size/minimal.rs: until "Signed in as …" shows, which takes
// the wasm, its start and one `GET /v1/client` to the emulator) and for the
// bare Dioxus app (benches/size/bare.rs: until its button shows). A fresh
// browser context per load (no cache), the two apps alternating; medians of
// RUNS (20) each. Run by scripts/bench-load, which says what WEB_OUT holds.

import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./lib/servers.mjs";

const WEB_OUT = process.env.WEB_OUT;
const EMULATOR_BIN = process.env.EMULATOR_BIN;
const RUNS = Number(process.env.RUNS ?? 20);
const APPS = (process.env.APPS ?? "size_baseline,size_minimal").split(",");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Records, from the first byte of the document, when the app's DOM is there. */
const watchForDom = () => {
  const done = () => document.body && (document.body.textContent.includes("Signed in as")
    || (!document.title.includes("minimal") && document.querySelector("button")));
  new MutationObserver((_, observer) => {
    if (window.__domAt === undefined && done()) {
      window.__domAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };

const times = Object.fromEntries(APPS.map((app) => [app, []]));
let files, emulator, browser;
try {
  files = await serveDirectory(WEB_OUT);
  emulator = await startEmulator(EMULATOR_BIN, ["--allow-origin", files.url],
    { stderr: "ignore", port: process.env.FAPI_PORT });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS });
  // One load of each first, not counted: the servers and the OS file cache warm up.
  for (let run = -1; run < RUNS; run++) {
    for (const app of APPS) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(watchForDom);
      await page.goto(`${files.url}/${app}/`);
      await page.waitForFunction(() => window.__domAt !== undefined, null, { timeout: 20000 });
      const at = await page.evaluate(() => window.__domAt);
      if (run >= 0) times[app].push(at);
      await context.close();
    }
  }
} finally {
  await browser?.close();
  emulator?.child.kill("SIGTERM");
  files?.server.close();
}

for (const app of APPS) {
  console.log(`${app.padEnd(20)} median ${median(times[app]).toFixed(1)} ms over ${times[app].length} loads`
    + ` (min ${Math.min(...times[app]).toFixed(1)}, max ${Math.max(...times[app]).toFixed(1)})`);
}
const bare = median(times[APPS[0]]);
for (const app of APPS.slice(1)) {
  const ms = median(times[app]);
  console.log(`${app} over ${APPS[0]}: +${(ms - bare).toFixed(1)} ms (${(ms / bare).toFixed(2)}x)`);
}
