// The desktop examples in a real WebKitGTK window under Xvfb, in Clerk's
// native credential mode, against the Frontend API emulator: xdotool clicks
// the buttons, the emulator's log says what was sent, and the app's state file
// (CLERK_DIOXUS_STATE_FILE, written by the examples' test probe) holds the
// auth state and, read from the window's DOM, what the window shows (`window`:
// the signed-out message, the user line, the account rows, the active row).
// Every process a test starts is stopped by PID, and its files removed.
//
// Needs: EXAMPLES_DIR (examples built with --features desktop), EMULATOR_BIN,
// FULLSTACK_SERVER, WEB_OUT (the web examples, for a browser beside the
// window), Xvfb, xdotool, ImageMagick's import, and Chromium. SCREENSHOTS:
// where to save PNGs.

import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { closeSync, mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { connect } from "node:net";
import { chromium } from "playwright-core";
import { freePort, serveDirectory, startEmulator as startEmulatorProcess, startFullstackServer } from "./lib/servers.mjs";
import { CHROMIUM, CHROMIUM_ARGS, must } from "./lib/browser.mjs";
import { READS } from "./lib/emulator-log.mjs";

const run = promisify(execFile);
const EXAMPLES_DIR = must("EXAMPLES_DIR");
const EMULATOR_BIN = must("EMULATOR_BIN");
const SCREENSHOTS = process.env.SCREENSHOTS ?? "target/screenshots";
const FULLSTACK_SERVER = must("FULLSTACK_SERVER");
const WEB_OUT = must("WEB_OUT");
const SEED = new URL("./desktop-seed.toml", import.meta.url).pathname;
const SEEDED_TOKEN = "desktop-test-token";


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let xvfb, display;
const figures = { launchToFirstPaint: [], clickToSignedOut: [] };

/** The apps and emulators a test started: stopped after it, passed or failed. */
let running = [];
/** The temporary folders a test made (state files, app logs, tokens): removed after it. */
let folders = [];

/** A new temporary folder, removed after the test. */
function tempFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await exited;
  }
}

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "ignore", "pipe"],
  });
  display = await new Promise((resolve, reject) => {
    let text = "";
    xvfb.stdio[3].on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(`:${text.trim()}`);
    });
    xvfb.once("exit", () => reject(new Error("Xvfb exited")));
  });
});

after(async () => {
  await stop(xvfb);
  console.log(`# figures: launch to first paint (ms): ${figures.launchToFirstPaint.map((n) => n.toFixed(0)).join(", ")}`);
  console.log(`# figures: click to signed-out state (ms): ${figures.clickToSignedOut.map((n) => n.toFixed(0)).join(", ")}`);
});

afterEach(async () => {
  await Promise.all(running.map(stop));
  running = [];
  // WebKit's helper processes can still be writing their caches (mesa's
  // shader cache) as the app exits: a folder that fills while it is removed
  // is removed again.
  folders.forEach((dir) => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));
  folders = [];
});

/** An emulator of its own for one test, seeded with the desktop client;
 * `allowOrigin`: a web app's origin, for a browser on the same emulator. */
async function startEmulator({ allowOrigin } = {}) {
  const origins = allowOrigin ? ["--allow-origin", allowOrigin] : [];
  const { child, url } = await startEmulatorProcess(EMULATOR_BIN, ["--seed", SEED, ...origins], { stderr: "ignore" });
  running.push(child);
  const log = async () => (await fetch(`${url}/__emulator/requests`)).json();
  const clear = () => fetch(`${url}/__emulator/requests`, { method: "DELETE" });
  return { child, url, log, clear };
}

function readState(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** What an app printed (stdout and stderr), the last lines, for an error message. */
function printed(app) {
  const text = app?.logFile ? readFileSync(app.logFile, "utf8") : "";
  return text.split("\n").slice(-30).join("\n");
}

/** Waits until the app's state file satisfies `predicate`; fails at once if `app` exits. */
async function waitForState(file, predicate, what, { limit = 30000, app } = {}) {
  const start = Date.now();
  for (;;) {
    const state = readState(file);
    if (state && predicate(state)) return state;
    const exited = app && (app.exitCode !== null || app.signalCode !== null);
    if (exited || Date.now() - start > limit) {
      const why = exited ? `the app exited (${app.exitCode ?? app.signalCode})` : "timed out";
      throw new Error(`${why} waiting for ${what}; last state: ${JSON.stringify(state)}; the app printed:\n${printed(app)}`);
    }
    await sleep(25);
  }
}

/** Launches a desktop example against `emulator`, keeping its token in `tokenFile`. */
async function launch(example, emulator, tokenFile, env = {}) {
  const dir = tempFolder("clerk-desktop-");
  const stateFile = join(dir, "state.json");
  const started = performance.now();
  const logFile = join(dir, "app.log");
  const log = openSync(logFile, "w");
  const app = spawn(join(EXAMPLES_DIR, example), [], {
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      // The app's own home, caches and temporary files (WebKitGTK's data dirs,
      // Dioxus's window state) go in the test's folder, removed after it.
      HOME: dir,
      XDG_CACHE_HOME: join(dir, "cache"),
      XDG_DATA_HOME: join(dir, "data"),
      XDG_CONFIG_HOME: join(dir, "config"),
      XDG_STATE_HOME: join(dir, "state"),
      TMPDIR: dir,
      // No GPU shader cache: WebKit's helper processes wrote it into this
      // folder as they exited after the app, racing the folder's removal.
      MESA_SHADER_CACHE_DISABLE: "true",
      MESA_GLSL_CACHE_DISABLE: "true",
      DISPLAY: display,
      CLERK_FRONTEND_API: emulator.url,
      CLERK_DIOXUS_TOKEN_FILE: tokenFile,
      CLERK_DIOXUS_STATE_FILE: stateFile,
      ...env,
    },
  });
  closeSync(log);
  app.logFile = logFile;
  running.push(app);
  const state = await waitForState(stateFile, (s) => s.loaded && s.window, "the window to load", { app });
  figures.launchToFirstPaint.push(performance.now() - started);
  return { app, stateFile, state };
}

/**
 * Clicks the control `id` of the app writing `stateFile`, scrolling the
 * window with the mouse wheel first when the control is below or above the
 * visible part, as a person would.
 */
async function clickControl(stateFile, id, app) {
  for (let scrolls = 0; ; scrolls++) {
    // Read where the page stopped: a wheel scroll animates over some frames.
    const state = await waitForState(stateFile, (s) => s.targets?.[id] && s.window?.viewport && s.window.settled, `#${id}`, { app });
    const [x, y] = state.targets[id];
    const [width, height] = state.window.viewport;
    if (y >= 8 && y <= height - 8) return click([x, y]);
    assert.ok(scrolls < 20, `#${id} stays out of view at y=${y}`);
    await pointerAt([Math.round(width / 2), Math.round(height / 2)], y > height ? "5" : "4");
    // The probe reports the new positions within its next snapshots.
    await waitForState(stateFile, (s) => s.targets?.[id]?.[1] !== y, `#${id} to move after scrolling`, { app, limit: 2000 }).catch(() => {});
  }
}

/** Where the pointer is: `mousemove --sync` to the same spot waits for a
 * move that never comes, so a second click there goes one pixel lower. */
let pointer = null;

async function click(at) {
  await pointerAt(at, "1");
}

/** Moves the pointer to `[x, y]` and presses `button` (1: click, 4 and 5: wheel). */
async function pointerAt([x, y], button) {
  if (pointer && pointer[0] === x && pointer[1] === y) y += 1;
  pointer = [x, y];
  await run("xdotool", ["mousemove", "--sync", String(x), String(y), "click", button], { env: { ...process.env, DISPLAY: display } });
}

async function screenshot(name) {
  await run("import", ["-window", "root", join(SCREENSHOTS, `desktop-${name}.png`)], { env: { ...process.env, DISPLAY: display } });
}

function tokenFile() {
  const file = join(tempFolder("clerk-token-"), "token");
  writeFileSync(file, SEEDED_TOKEN);
  return file;
}

function assertNativeShape(request, route) {
  assert.equal(request.route, route);
  const query = Object.fromEntries(request.query);
  assert.equal(query._is_native, "1");
  assert.equal(query.__clerk_api_version, "2026-05-12");
  assert.equal(query._method, undefined, "native apps send real methods");
  assert.equal(request.authorization, "<redacted>", "the client token in Authorization");
  assert.equal(request.origin, null);
  assert.deepEqual(request.cookies, []);
}

async function signOutAll(example, emulator, token) {
  const { app, stateFile, state } = await launch(example, emulator, token);
  assert.equal(state.signed_in, true);
  const ready = await waitForState(stateFile, (s) => s.targets?.["sign-out"] && s.window?.user, "the button and the user", { app });
  assert.match(ready.window.user, /Ada Lovelace/, "the window shows the user");
  assert.equal(ready.window.signed_out, false);
  await screenshot(`${example}-signed-in`);
  await emulator.clear();
  const clicked = performance.now();
  await click(ready.targets["sign-out"]);
  const after = await waitForState(stateFile, (s) => s.window?.signed_out, "the window to show signed out", { app });
  figures.clickToSignedOut.push(performance.now() - clicked);
  assert.equal(after.signed_in, false);
  assert.equal(after.window.user, null, "the user is gone from the window");
  await screenshot(`${example}-signed-out`);
  return { app, stateFile };
}

test("basic: one click sends one native DELETE and the window shows signed out", async () => {
  const emulator = await startEmulator();
  const token = tokenFile();
  try {
    const { app } = await signOutAll("basic", emulator, token);
    const actions = (await emulator.log()).filter((r) => r.route !== "get_client");
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assertNativeShape(actions[0], "delete_sessions");
    assert.equal(actions[0].method, "DELETE");
    assert.equal(existsSync(token), false, "no stored credential is left after signing out");
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

test("sign_out_session: signing out a non-active account keeps the active one", async () => {
  const emulator = await startEmulator();
  try {
    const { app, stateFile } = await launch("sign_out_session", emulator, tokenFile());
    const ready = await waitForState(stateFile, (s) => s.targets?.["sign-out-user_grace"], "the rows", { app });
    assert.equal(ready.active_user, "user_ada");
    assert.deepEqual([...ready.window.rows].sort(), ["user_ada", "user_alan", "user_grace"]);
    assert.equal(ready.window.active_row, "user_ada");
    await emulator.clear();
    await click(ready.targets["sign-out-user_grace"]);
    const after = await waitForState(stateFile, (s) => s.window && !s.window.rows.includes("user_grace"), "Grace's row to go", { app });
    await screenshot("sign_out_session-grace-removed");
    assert.deepEqual([...after.window.rows].sort(), ["user_ada", "user_alan"], "only Grace's row is gone");
    assert.equal(after.window.active_row, "user_ada", "the active account is unchanged");
    assert.equal(after.active_user, "user_ada");
    const actions = (await emulator.log()).filter((r) => r.route !== "get_client");
    assert.equal(actions.length, 1);
    assertNativeShape(actions[0], "remove_session");
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

test("restart: signed in stays signed in from the stored token", async () => {
  const emulator = await startEmulator();
  const token = tokenFile();
  try {
    const first = await launch("basic", emulator, token);
    assert.equal(first.state.signed_in, true);
    await stop(first.app);
    const rotated = readFileSync(token, "utf8");
    assert.notEqual(rotated, SEEDED_TOKEN, "the app kept the rotated token");
    const second = await launch("basic", emulator, token);
    assert.equal(second.state.signed_in, true);
    assert.equal(second.state.active_user, "user_ada");
    const shown = await waitForState(second.stateFile, (s) => s.window?.user, "the user line", { app: second.app });
    assert.match(shown.window.user, /Ada Lovelace/, "the window shows Ada again");
    await stop(second.app);
  } finally {
    await stop(emulator.child);
  }
});

test("restart: signed out stays signed out, and no stored credential acts for a user", async () => {
  const emulator = await startEmulator();
  const token = tokenFile();
  try {
    const { app } = await signOutAll("basic", emulator, token);
    await stop(app);
    assert.equal(existsSync(token), false);
    const again = await launch("basic", emulator, token);
    assert.equal(again.state.signed_in, false);
    assert.deepEqual(again.state.signed_in_users, []);
    const shown = await waitForState(again.stateFile, (s) => s.window?.signed_out, "the signed-out message", { app: again.app });
    assert.equal(shown.window.user, null);
    await screenshot("basic-restarted-signed-out");
    await stop(again.app);
    // The seeded token that was used before sign-out now acts for nobody.
    const probe = await fetch(`${emulator.url}/v1/client?_is_native=1`, { headers: { authorization: SEEDED_TOKEN } });
    assert.deepEqual((await probe.json()).response.sessions, []);
  } finally {
    await stop(emulator.child);
  }
});

test("account_switcher: switch, sign out one and the active one, add an account, the opt-in switch, then all", async () => {
  const emulator = await startEmulator();
  try {
    const { app, stateFile } = await launch("account_switcher", emulator, tokenFile());
    const at = async (id) => (await waitForState(stateFile, (s) => s.targets?.[id], `#${id}`, { app })).targets[id];
    /** Runs `act`, waits until the window shows `done`, returns the state and the requests sent (loads excluded). */
    async function step(act, done, what, count = 1) {
      await emulator.clear();
      await act();
      const state = await waitForState(stateFile, done, what, { app });
      // The app has heard every answer, so the emulator has logged every request.
      await waitForState(stateFile, (s) => s.in_flight === 0, `${what}: no call in flight`, { app });
      const sent = (await emulator.log()).filter((r) => !READS.includes(r.route));
      assert.equal(sent.length, count, `${what}: ${JSON.stringify(sent)}`);
      return { state, sent };
    }
    const clickOn = (id) => async () => click(await at(id));
    const rows = (s) => (s.window ? [...s.window.rows].sort().join(",") : null);

    let { state, sent } = await step(clickOn("switch-user_alan"), (s) => s.window?.active_row === "user_alan", "Alan active");
    assertNativeShape(sent[0], "touch_session");
    assert.deepEqual(sent[0].form, [["intent", "select_session"]]);

    ({ state, sent } = await step(clickOn("sign-out-user_grace"), (s) => s.window && !s.window.rows.includes("user_grace"), "Grace gone"));
    assert.equal(state.window.active_row, "user_alan", "the active account is unchanged");
    assertNativeShape(sent[0], "remove_session");

    ({ state, sent } = await step(clickOn("sign-out-user_alan"), (s) => rows(s) === "user_ada", "Alan gone"));
    assert.equal(state.window.active_row, null, "by default no account is active");
    assertNativeShape(sent[0], "remove_session");
    await screenshot("account_switcher-choose");

    // Add an account: type Grace's address into the form (the password is filled in).
    const typeEmail = async () => {
      await click(await at("add-email"));
      const env = { ...process.env, DISPLAY: display };
      await run("xdotool", ["key", "--clearmodifiers", "ctrl+a"], { env });
      await run("xdotool", ["type", "--delay", "20", "grace@example.com"], { env });
      await click(await at("add-account"));
    };
    ({ state, sent } = await step(typeEmail, (s) => s.window?.active_row === "user_grace", "Grace added and active"));
    assertNativeShape(sent[0], "sign_in");
    assert.deepEqual(Object.fromEntries(sent[0].form), { strategy: "password", identifier: "grace@example.com", password: "<redacted>" });
    assert.equal(rows(state), "user_ada,user_grace");

    // The opt-in: signing out the active account makes the most recent other one active.
    await click(await at("switch-to-most-recent"));
    // Rendered, so the rows' buttons have it, before the next click.
    await waitForState(stateFile, (s) => s.window?.switch_to_most_recent === "true", "the opt-in rendered", { app });
    ({ state, sent } = await step(clickOn("sign-out-user_grace"), (s) => s.window?.active_row === "user_ada", "Ada active again", 2));
    assert.deepEqual(sent.map((r) => r.route), ["remove_session", "touch_session"]);
    sent.forEach((r) => assertNativeShape(r, r.route));
    await screenshot("account_switcher-switched");

    ({ state, sent } = await step(clickOn("sign-out"), (s) => s.window?.rows.length === 0, "nobody signed in"));
    assertNativeShape(sent[0], "delete_sessions");
    assert.equal(state.signed_in, false);
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

/** The X window id of the app whose title is `title`. */
async function windowOf(title) {
  const env = { ...process.env, DISPLAY: display };
  const { stdout } = await run("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`], { env });
  return stdout.trim().split("\n").pop();
}

/** Gives X input focus to `window` (an id, or "root"), and waits until the server has it. */
async function focus(window) {
  const env = { ...process.env, DISPLAY: display };
  let id = window;
  if (window === "root") {
    const { stdout } = await run("xwininfo", ["-root"], { env });
    id = stdout.match(/Window id: (0x[0-9a-f]+)/)[1];
  }
  await run("xdotool", ["windowfocus", "--sync", id], { env });
}

test("account_switcher: every session ended on another device shows signed out within 1 s of the window regaining focus", async () => {
  const emulator = await startEmulator();
  try {
    const { app, stateFile } = await launch("account_switcher", emulator, tokenFile());
    await waitForState(stateFile, (s) => s.window?.rows?.length === 3, "three accounts", { app });
    const window = await windowOf("clerk-dioxus: account switcher");
    await focus("root");
    const { ended } = await (await fetch(`${emulator.url}/__emulator/sessions/end`, { method: "POST" })).json();
    assert.equal(ended, 3);
    await emulator.clear();
    const focused = performance.now();
    await focus(window);
    const after = await waitForState(stateFile, (s) => s.window?.signed_out, "the window to show signed out", { app, limit: 5000 });
    const elapsed = performance.now() - focused;
    assert.ok(elapsed < 1000, `signed out ${elapsed.toFixed(0)} ms after the focus`);
    assert.deepEqual(after.window.rows, [], "no ghost account");
    const routes = (await emulator.log()).map((r) => r.route);
    assert.ok(routes.includes("get_client"), `the focus reloaded the client: ${routes}`);
    assert.ok(routes.includes("touch_session"), `and touched the session: ${routes}`);
    await screenshot("account_switcher-ended-elsewhere");
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

test("fullstack: the desktop app's call to its API succeeds while signed in and is refused with 401 right after sign-out", async () => {
  const emulator = await startEmulator();
  const server = await startFullstackServer(FULLSTACK_SERVER, { port: await freePort(), fapi: emulator.url }, { stderr: "ignore" });
  running.push(server.child);
  try {
    const { app, stateFile } = await launch("fullstack", emulator, tokenFile(), { CLERK_DIOXUS_API_URL: server.url });
    const at = async (id) => (await waitForState(stateFile, (s) => s.targets?.[id], `#${id}`, { app })).targets[id];
    await click(await at("api-whoami"));
    let state = await waitForState(stateFile, (s) => s.window?.api_state === "accepted", "the API's answer", { app });
    assert.match(state.window.api, /user_ada \(sess_/, "the server verified the session token");
    await click(await at("sign-out"));
    await waitForState(stateFile, (s) => s.window?.signed_out, "the window to show signed out", { app });
    await click(await at("api-whoami"));
    state = await waitForState(stateFile, (s) => s.window?.api_state === "refused", "the API's refusal", { app });
    assert.match(state.window.api, /401 \(session-token-missing\)/, "the server's own refusal");
    await screenshot("fullstack-refused");
    await stop(app);
  } finally {
    await stop(server.child);
    await stop(emulator.child);
  }
});

test("user_button: the menu by pointer and keyboard in the window: switch, a failure inline, sign out one and all", async () => {
  const emulator = await startEmulator();
  const env = { ...process.env, DISPLAY: display };
  const key = (name) => run("xdotool", ["key", "--clearmodifiers", name], { env });
  try {
    const { app, stateFile } = await launch("user_button", emulator, tokenFile());
    const menu = (predicate, what) => waitForState(stateFile, (s) => s.window?.menu && predicate(s.window.menu, s), what, { app });
    /** The centre of the control whose id ends with `suffix`. */
    const at = async (suffix) => {
      const state = await waitForState(stateFile, (s) => Object.keys(s.targets ?? {}).some((id) => id.endsWith(suffix)), suffix, { app });
      return Object.entries(state.targets).find(([id]) => id.endsWith(suffix))[1];
    };
    const actions = async () => (await emulator.log()).filter((r) => !READS.includes(r.route));
    const settled = () => waitForState(stateFile, (s) => s.in_flight === 0, "no call in flight", { app });

    // Pointer: the trigger opens the menu with focus on its first item.
    await click(await at("-trigger"));
    let state = await menu((m) => m.open && m.focused === "manage", "the open menu, focus on Manage account");
    assert.equal(state.window.menu.items.length, 6, JSON.stringify(state.window.menu.items));
    await screenshot("user_button-open");

    // Keyboard: Down moves, End jumps, Escape closes and gives focus back to the trigger.
    await key("Down");
    await menu((m) => m.focused?.startsWith("account:"), "focus on the first other account");
    await key("End");
    await menu((m) => m.focused === "sign-out-all", "focus on the last item");
    await key("Escape");
    await menu((m) => !m.open && m.focused === "trigger", "closed, focus on the trigger");

    // Enter opens; Down then Enter switches to the first other account.
    await emulator.clear();
    await key("Return");
    await menu((m) => m.open && m.focused === "manage", "opened by Enter");
    await key("Down");
    await key("Return");
    state = await waitForState(stateFile, (s) => s.active_user !== "user_ada" && s.window?.menu && !s.window.menu.open, "switched, menu closed", { app });
    await settled();
    let sent = await actions();
    assert.deepEqual(sent.map((r) => r.route), ["touch_session"]);
    assertNativeShape(sent[0], "touch_session");
    const switched = state.active_user;

    // A failure shows in the menu, which stays open on the server's state.
    await fetch(`${emulator.url}/__emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "remove_session", fault: { kind: "error", status: 500, code: "internal_clerk_error", message: "Oops" } }),
    });
    await click(await at("-trigger"));
    await menu((m) => m.open, "open");
    await click(await at("-sign-out"));
    state = await menu((m) => m.open && m.error, "the error in the menu");
    assert.match(state.window.menu.error, /internal_clerk_error/);
    assert.equal(state.active_user, switched, "the server's state");
    await screenshot("user_button-error");
    await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });

    // Sign out (the example switches to the most recent other account), then all.
    await emulator.clear();
    await click(await at("-sign-out"));
    state = await waitForState(stateFile, (s) => s.signed_in_users.length === 2 && s.window?.menu && !s.window.menu.open, "signed out one", { app });
    await settled();
    assert.deepEqual((await actions()).map((r) => r.route), ["remove_session", "touch_session"]);
    assert.ok(state.active_user && state.active_user !== switched);

    await emulator.clear();
    await click(await at("-trigger"));
    await menu((m) => m.open && m.items.includes("sign-out-all"), "open");
    await click(await at("-sign-out-all"));
    await waitForState(stateFile, (s) => s.window?.signed_out && s.window.menu === null, "signed out, no button", { app });
    await settled();
    sent = await actions();
    assert.deepEqual(sent.map((r) => r.route), ["delete_sessions"]);
    assertNativeShape(sent[0], "delete_sessions");
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

test("account_switcher: the desktop app signs Ada's browser out, and a browser signs the desktop out", async () => {
  const files = await serveDirectory(WEB_OUT);
  const emulator = await startEmulator({ allowOrigin: files.url });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const { app, stateFile } = await launch("account_switcher", emulator, tokenFile());
    const ready = await waitForState(stateFile, (s) => s.window?.devices?.length === 1, "the desktop's own device", { app });
    const desktopSession = ready.window.devices[0].id;
    assert.equal(ready.window.devices[0].this_device, true);
    const window = await windowOf("clerk-dioxus: account switcher");
    /** The window regains focus: the sync reloads the client, and the device list follows. */
    const refocus = async () => {
      await focus("root");
      await focus(window);
    };

    // A browser signs in as Ada (a new client starts signed out here).
    const page = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
    await page.goto(`${files.url}/account_switcher/?${new URLSearchParams({ fapi: emulator.url })}`);
    await page.locator("#signed-out").waitFor();
    await page.click("#add-account");
    await page.locator("#session-user_ada.active").waitFor();
    const thisBrowser = page.locator('#devices li[data-this-device="true"]');
    await thisBrowser.waitFor();
    const browserSession = await thisBrowser.getAttribute("data-session-id");

    // The desktop lists the browser once focused, and signs it out.
    await refocus();
    // Listed, and the focus's reload, touch and device fetch all answered:
    // the button's position is read from a page that no answer moves again.
    let state = await waitForState(stateFile, (s) => s.window?.devices?.some((d) => d.id === browserSession) && s.in_flight === 0, "the browser in the desktop's list", { app });
    await screenshot("account_switcher-devices");
    await emulator.clear();
    await clickControl(stateFile, `clerk-device-${browserSession}-sign-out`, app);
    await waitForState(stateFile, (s) => s.window?.devices?.length === 1 && s.in_flight === 0, "the browser gone from the list", { app });
    const revoke = (await emulator.log()).find((r) => r.route === "revoke_session");
    assertNativeShape(revoke, "revoke_session");
    assert.equal(Object.fromEntries(revoke.query)._clerk_session_id, desktopSession);
    // The browser converges on its next focus.
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await page.locator("#signed-out").waitFor();

    // The reverse: the browser signs in again and signs the desktop out.
    await page.click("#add-account");
    const desktopRow = page.locator(`#devices li[data-session-id="${desktopSession}"]`);
    await desktopRow.waitFor();
    assert.match(await desktopRow.locator(".device").innerText(), /^clerk-dioxus [0-9.]+ on Linux$/);
    await desktopRow.getByRole("button", { name: /Sign out of clerk-dioxus/ }).click();
    await desktopRow.waitFor({ state: "detached" });
    await refocus();
    state = await waitForState(stateFile, (s) => s.window && !s.window.rows.includes("user_ada"), "Ada signed out of the desktop", { app });
    assert.deepEqual([...state.window.rows].sort(), ["user_alan", "user_grace"], "the desktop's other accounts stay");
    await screenshot("account_switcher-revoked-from-browser");
    await stop(app);
  } finally {
    await browser.close();
    files.server.close();
    await stop(emulator.child);
  }
});

/**
 * A "system browser" for the app: `$BROWSER` names a script that appends
 * each URL the app opens to a file; `next()` waits for the next one.
 */
function recordingBrowser() {
  const dir = tempFolder("clerk-browser-");
  const urls = join(dir, "urls");
  const script = join(dir, "browser.sh");
  writeFileSync(urls, "");
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urls}'\n`, { mode: 0o755 });
  let seen = 0;
  return {
    env: { BROWSER: script },
    async next() {
      const deadline = Date.now() + 20000;
      for (;;) {
        const lines = readFileSync(urls, "utf8").split("\n").filter(Boolean);
        if (lines.length > seen) return lines[seen++];
        assert.ok(Date.now() < deadline, "the app opened no browser");
        await sleep(25);
      }
    },
  };
}

/** Whether something listens on loopback `port`: a new TCP connection is
 * accepted (not one kept alive from an earlier request). */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("account_switcher: Sign in with GitHub opens the system browser; consent there signs the account in; forged callbacks, cancel and timeout", async () => {
  const emulator = await startEmulator();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const opener = recordingBrowser();
  try {
    const { app, stateFile } = await launch("account_switcher", emulator, tokenFile(), opener.env);
    await waitForState(stateFile, (s) => s.window?.rows?.length === 3, "three accounts", { app });
    await clickControl(stateFile, "sign-out-user_grace", app);
    await waitForState(stateFile, (s) => s.window && !s.window.rows.includes("user_grace"), "Grace signed out", { app });

    // Cancel: a second click while the browser is open stops the listener.
    await clickControl(stateFile, "sign-in-github", app);
    const cancelled = await opener.next();
    const page = await (await browser.newContext()).newPage();
    await page.goto(cancelled);
    const cancelledPort = Number(new URL(await page.locator("[data-redirect]").getAttribute("data-redirect")).port);
    assert.ok(await listening(cancelledPort), "the app listens while the browser is open");
    await clickControl(stateFile, "sign-in-github", app);
    await waitForPortClosed(cancelledPort);

    // The real thing, with forged callbacks first.
    await clickControl(stateFile, "sign-in-github", app);
    const providerPage = await opener.next();
    assert.ok(providerPage.startsWith(emulator.url), providerPage);
    await page.goto(providerPage);
    const back = new URL(await page.locator("[data-redirect]").getAttribute("data-redirect"));
    for (const forged of [`http://127.0.0.1:${back.port}/callback?state=guess&rotating_token_nonce=x`, `http://127.0.0.1:${back.port}/callback`]) {
      assert.equal((await fetch(forged)).status, 400, `${forged} is refused`);
    }
    await page.click("#continue-user_grace");
    await page.locator("text=Signed in. You can close this tab").waitFor();
    const state = await waitForState(stateFile, (s) => s.window?.active_row === "user_grace", "Grace signed in and active", { app });
    assert.deepEqual([...state.window.rows].sort(), ["user_ada", "user_alan", "user_grace"]);
    await screenshot("account_switcher-oauth-signed-in");
    await waitForPortClosed(Number(back.port));
    const exchange = (await emulator.log()).find((r) => r.query.some(([k]) => k === "rotating_token_nonce"));
    assertNativeShape(exchange, "get_sign_in");
    await stop(app);
  } finally {
    await browser.close();
    await stop(emulator.child);
  }
});

test("account_switcher: a GitHub sign-in nobody finishes times out, shows why, and releases its port", async () => {
  const emulator = await startEmulator();
  const opener = recordingBrowser();
  try {
    const env = { ...opener.env, CLERK_DIOXUS_OAUTH_TIMEOUT_MS: "1500" };
    const { app, stateFile } = await launch("account_switcher", emulator, tokenFile(), env);
    await clickControl(stateFile, "sign-in-github", app);
    const providerPage = await opener.next();
    const html = await (await fetch(providerPage)).text();
    const port = Number(new URL(html.split('data-redirect="')[1].split('"')[0].replaceAll("&amp;", "&")).port);
    const state = await waitForState(stateFile, (s) => s.error?.includes("was not finished within"), "the timeout shown", { app });
    assert.equal(state.signed_in_users.length, 3, "nothing changed");
    await waitForPortClosed(port);
    await stop(app);
  } finally {
    await stop(emulator.child);
  }
});

/** Waits until nothing listens on `port` (the listener is gone). */
async function waitForPortClosed(port) {
  const deadline = Date.now() + 5000;
  while (await listening(port)) {
    assert.ok(Date.now() < deadline, `port ${port} still listens`);
    await sleep(25);
  }
}
