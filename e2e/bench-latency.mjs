// Latencies in headless Chromium, against the emulator on loopback, next to a
// bare fetch round trip to the same emulator from the same page. Medians of 50
// each, measured in one run (scripts/bench-latency):
// - click on `basic`'s SignOutButton → signed-out DOM;
// - every session revoked out of band, then a window focus → `account_switcher`
//   shows signed out (the live-sessions sync).
//
// Goal for both: within one round trip plus one frame (16.7 ms).

import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./lib/servers.mjs";

const WEB_OUT = process.env.WEB_OUT;
const EMULATOR_BIN = process.env.EMULATOR_BIN;
const RUNS = Number(process.env.RUNS ?? 50);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A bare round trip to `url` from `page` (after one to warm the connection), in ms. */
const roundTrip = (page, url) => page.evaluate(async (url) => {
  await fetch(url, { credentials: "include" });
  const start = performance.now();
  await fetch(url, { credentials: "include" });
  return performance.now() - start;
}, url);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };

const clicks = [], trips = [], focuses = [], focusTrips = [];
let files, emulator, browser;
try {
  // Started inside the try, so whatever started is stopped if the next one fails.
  files = await serveDirectory(WEB_OUT);
  const app = files.url;
  emulator = await startEmulator(EMULATOR_BIN, ["--allow-origin", app], { stderr: "ignore" });
  const fapi = emulator.url;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS });
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app}/basic/?fapi=${encodeURIComponent(fapi)}`);
    await page.locator("#sign-out").waitFor();
    // A bare round trip to the same emulator, from the same page (warm connection).
    trips.push(await roundTrip(page, `${fapi}/v1/environment`));
    // Click to signed-out DOM, timed inside the page.
    clicks.push(await page.evaluate(() => new Promise((resolve) => {
      const start = performance.now();
      const observer = new MutationObserver(() => {
        if (document.getElementById("signed-out")) { observer.disconnect(); resolve(performance.now() - start); }
      });
      observer.observe(document.body, { childList: true, subtree: true });
      document.getElementById("sign-out").click();
    })));
    await context.close();

    // Revoked elsewhere, then focus: the page converges on the server's state.
    const live = await browser.newContext();
    const switcher = await live.newPage();
    await switcher.goto(`${app}/account_switcher/?fapi=${encodeURIComponent(fapi)}`);
    await switcher.locator("#session-user_ada").waitFor();
    await switcher.waitForFunction(() => document.cookie.includes("__session="));
    focusTrips.push(await roundTrip(switcher, `${fapi}/v1/environment`));
    await fetch(`${fapi}/__emulator/sessions/end`, { method: "POST" });
    focuses.push(await switcher.evaluate(() => new Promise((resolve) => {
      const start = performance.now();
      const observer = new MutationObserver(() => {
        if (document.getElementById("signed-out")) { observer.disconnect(); resolve(performance.now() - start); }
      });
      observer.observe(document.body, { childList: true, subtree: true });
      window.dispatchEvent(new Event("focus"));
    })));
    await live.close();
  }
} finally {
  await browser?.close();
  emulator?.child.kill("SIGTERM");
  files?.server.close();
}

const click = median(clicks), trip = median(trips), frame = 1000 / 60;
console.log(`runs: ${RUNS}`);
console.log(`click → signed-out DOM, median: ${click.toFixed(2)} ms`);
console.log(`bare fetch round trip, median:  ${trip.toFixed(2)} ms`);
console.log(`difference: ${(click - trip).toFixed(2)} ms (goal: at most one frame, ${frame.toFixed(1)} ms); ratio ${(click / trip).toFixed(2)}x`);
console.log(click <= trip + frame ? "goal met" : "goal NOT met");
const focus = median(focuses), focusTrip = median(focusTrips);
console.log(`revoked elsewhere + focus → signed-out DOM, median: ${focus.toFixed(2)} ms`);
console.log(`bare fetch round trip (same pages), median:       ${focusTrip.toFixed(2)} ms`);
console.log(`difference: ${(focus - focusTrip).toFixed(2)} ms (goal: at most one frame); ratio ${(focus / focusTrip).toFixed(2)}x`);
console.log(focus <= focusTrip + frame ? "goal met" : "goal NOT met");
