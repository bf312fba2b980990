// The frame of a browser suite: the built web examples served on loopback,
// an emulator that allows their origin, one Chromium, and the browser
// contexts a test opens, closed after it with the faults it set.

import { after, afterEach, before } from "node:test";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { serveDirectory, startEmulator } from "./servers.mjs";
import { emulatorControls } from "./emulator-log.mjs";
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, must } from "./browser.mjs";

/**
 * Registers the suite's hooks and returns `{ suite, controls }`: `suite`
 * holds `browser`, `files` (its `url`), `fapi` and `newContext(options)`
 * once the suite runs; `controls` are the emulator's (see emulator-log.mjs).
 * `afterEachTest` runs after each test, once its contexts are closed;
 * `emulatorArgs` are passed to the emulator (`--token-lifetime 4`, say).
 */
export function webSuite({ afterEachTest, emulatorArgs = [] } = {}) {
  const suite = { browser: null, files: null, emulator: null, fapi: null, contexts: [] };
  const controls = emulatorControls(() => suite.fapi);
  suite.newContext = async (options) => {
    const context = await suite.browser.newContext(options);
    suite.contexts.push(context);
    return context;
  };
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    suite.files = await serveDirectory(must("WEB_OUT"));
    suite.emulator = await startEmulator(must("EMULATOR_BIN"), ["--allow-origin", suite.files.url, ...emulatorArgs]);
    suite.fapi = suite.emulator.url;
    suite.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    await Promise.all(suite.contexts.map((context) => context.close().catch(() => {})));
    suite.contexts = [];
    await controls.clearFaults();
    await afterEachTest?.();
  });
  after(async () => {
    await suite.browser?.close();
    suite.emulator?.child.kill("SIGTERM");
    suite.files?.server.close();
  });
  return { suite, controls };
}
