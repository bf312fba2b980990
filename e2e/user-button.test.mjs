// `UserButton` (the `user_button` example) in headless Chromium against the
// Frontend API emulator: the menu by mouse and by keyboard (the WAI-ARIA
// menu button pattern), switching, signing out one and all, a failure shown
// inline, and screenshots of the open menu in light and dark.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM (default
// /usr/bin/chromium), SCREENSHOTS (default target/screenshots).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { webSuite } from "./lib/web-suite.mjs";
import { SCREENSHOTS } from "./lib/browser.mjs";

const { suite, controls } = webSuite();
const { clearRequests, clearFaults, inject, actions, waitForActions } = controls;

/** A fresh browser profile (a fresh client with the three demo accounts) on the example. */
async function open({ colorScheme = "light" } = {}) {
  const context = await suite.newContext({ viewport: { width: 900, height: 700 }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${suite.files.url}/user_button/?${new URLSearchParams({ fapi: suite.fapi })}`);
  await page.locator("#user").waitFor();
  await clearRequests();
  // "Manage account" is listed once the instance's profile page is known.
  await page.waitForFunction(() => window.performance.getEntriesByType("resource").some((e) => e.name.includes("/v1/environment") && e.responseEnd > 0));
  return { page, errors, ...parts(page) };
}

/** The button's parts, found as a screen reader would: by role. */
function parts(page) {
  const root = page.locator("#user-button");
  return {
    root,
    trigger: root.locator('button[aria-haspopup="menu"]'),
    menu: root.getByRole("menu"),
    item: (name, options) => root.getByRole("menuitem", { name, ...options }),
  };
}

/** What has focus: the item's `data-item` and text, or the trigger. */
const focused = (page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (element?.getAttribute("aria-haspopup") === "menu") return "trigger";
    if (element?.getAttribute("role") !== "menuitem") return element?.tagName ?? null;
    return element.dataset.item === "account" ? element.querySelector(".clerk-user-button-name").textContent : element.dataset.item;
  });

/** Waits until focus is on `expected` (see `focused`). */
async function focusIs(page, expected) {
  await page.waitForFunction(
    (expected) => {
      const element = document.activeElement;
      if (expected === "trigger") return element?.getAttribute("aria-haspopup") === "menu";
      if (element?.getAttribute("role") !== "menuitem") return false;
      const name = element.dataset.item === "account" ? element.querySelector(".clerk-user-button-name").textContent : element.dataset.item;
      return name === expected;
    },
    expected,
    { timeout: 5000 },
  ).catch(async () => assert.fail(`focus should be on ${expected}, is on ${await focused(page)}`));
}

async function expectOpen(p, open) {
  await p.trigger.and(p.page.locator(`[aria-expanded="${open}"]`)).waitFor();
  assert.equal(await p.trigger.getAttribute("data-state"), open ? "open" : "closed");
  assert.equal(await p.menu.getAttribute("data-state", { timeout: 1000 }).catch(() => null), open ? "open" : null);
  assert.equal(await p.root.getAttribute("data-state"), open ? "open" : "closed");
}

/** Runs `step` and returns the `count` actions it sent, once every request the page started is answered. */
async function sent(page, step, count) {
  await clearRequests();
  await step();
  const found = await waitForActions(count);
  assert.equal((await actions()).length, count, JSON.stringify(await actions()));
  return found.map((request) => request.route);
}

describe("user_button", () => {
  test("mouse: open, switch, sign out one, sign out of all; one request each, focus back on the trigger", async () => {
    const p = await open();
    const { page, trigger, menu, item } = p;
    assert.equal(await trigger.getAttribute("aria-expanded"), "false");
    assert.equal(await trigger.getAttribute("aria-label"), "Open account menu for Ada Lovelace");
    assert.equal(await menu.isVisible(), false);

    await trigger.click();
    await expectOpen(p, true);
    assert.equal(await trigger.getAttribute("aria-controls"), await menu.getAttribute("id"));
    assert.match(await menu.innerText(), /Ada Lovelace\s+ada@example.com/);
    const items = await menu.getByRole("menuitem").evaluateAll((all) => all.map((e) => e.dataset.item));
    assert.deepEqual(items, ["manage", "account", "account", "add", "sign-out", "sign-out-all"]);
    await focusIs(page, "manage");
    await shot(page, "user_button-open-light");

    assert.deepEqual(await sent(page, () => item(/Grace Hopper/).click(), 1), ["touch_session"]);
    await page.locator("#user", { hasText: "Grace Hopper" }).waitFor();
    await expectOpen(p, false);
    await focusIs(page, "trigger");

    await trigger.click();
    // The example switches to the most recent account after a sign-out.
    assert.deepEqual(await sent(page, () => item("Sign out", { exact: true }).click(), 2), ["remove_session", "touch_session"]);
    await page.locator("#user", { hasText: "Ada Lovelace" }).waitFor();
    await expectOpen(p, false);

    await trigger.click();
    assert.equal(await menu.getByRole("menuitem").count(), 5, "manage, Alan, add, and both sign-outs");
    assert.deepEqual(await sent(page, () => item("Sign out of all accounts").click(), 1), ["delete_sessions"]);
    await page.locator("#signed-out").waitFor();
    assert.equal(await p.root.count(), 0, "nothing renders with nobody signed in");
    assert.deepEqual(p.errors, []);
  });

  test("keyboard: Enter, Space and the arrows open; arrows, Home, End and a letter move; Escape and Tab close", async () => {
    const p = await open();
    const { page, trigger } = p;
    await trigger.focus();
    await page.keyboard.press("Enter");
    await expectOpen(p, true);
    await focusIs(page, "manage");
    // The other accounts, most recently active first.
    const others = await p.menu.locator(".clerk-user-button-name").allInnerTexts();
    assert.deepEqual(others.slice(1).sort(), ["Alan Turing", "Grace Hopper"]);
    await page.keyboard.press("ArrowDown");
    await focusIs(page, others[1]);
    assert.equal(await page.locator('[role="menuitem"][data-active]').count(), 1, "one item is data-active");
    await page.keyboard.press("ArrowDown");
    await focusIs(page, others[2]);
    await page.keyboard.press("End");
    await focusIs(page, "sign-out-all");
    await page.keyboard.press("ArrowDown");
    await focusIs(page, "manage"); // wraps around
    await page.keyboard.press("ArrowUp");
    await focusIs(page, "sign-out-all");
    await page.keyboard.press("Home");
    await focusIs(page, "manage");
    await page.keyboard.press("a"); // type-ahead: the next item starting with "a"
    await focusIs(page, "Alan Turing");
    await page.keyboard.press("a");
    await focusIs(page, "add");
    await page.keyboard.press("Escape");
    await expectOpen(p, false);
    await focusIs(page, "trigger");

    await page.keyboard.press("ArrowUp");
    await expectOpen(p, true);
    await focusIs(page, "sign-out-all");
    await page.keyboard.press("Escape");
    await focusIs(page, "trigger");
    await page.keyboard.press("Space");
    await expectOpen(p, true);
    await focusIs(page, "manage");
    await page.keyboard.press("Tab");
    await expectOpen(p, false);
    await page.waitForFunction(() => document.activeElement?.id === "docs"); // Tab moves on to what follows

    await trigger.focus();
    await page.keyboard.press("ArrowDown");
    await focusIs(page, "manage");
    await page.keyboard.press("ArrowDown");
    await focusIs(page, others[1]);
    assert.deepEqual(await sent(page, () => page.keyboard.press("Enter"), 1), ["touch_session"]);
    await page.locator("#user", { hasText: others[1] }).waitFor();
    await focusIs(page, "trigger");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
    await focusIs(page, "sign-out-all");
    assert.deepEqual(await sent(page, () => page.keyboard.press("Space"), 1), ["delete_sessions"]);
    await page.locator("#signed-out").waitFor();
    assert.deepEqual(p.errors, []);
  });

  test("a click outside closes; a click on the trigger toggles", async () => {
    const p = await open();
    await p.trigger.click();
    await expectOpen(p, true);
    await focusIs(p.page, "manage");
    await p.page.locator("h1").click();
    await expectOpen(p, false);
    await p.trigger.click();
    await expectOpen(p, true);
    await p.trigger.click();
    await expectOpen(p, false);
    assert.deepEqual(await actions(), [], "opening and closing send nothing");
  });

  test("while an action runs the menu stays open with its item pending; a failure shows inline and keeps the state", async () => {
    const p = await open();
    const { page, trigger, menu, item } = p;
    await inject("touch_session", { kind: "delay", ms: 1500 });
    await trigger.click();
    await clearRequests();
    await item(/Grace Hopper/).click();
    const pending = menu.locator('[data-item="account"][data-pending]');
    await pending.waitFor();
    assert.match(await pending.innerText(), /Switching…/);
    assert.equal(await menu.getAttribute("aria-busy"), "true");
    await shot(page, "user_button-pending");
    await item(/Alan Turing/).click(); // ignored while busy
    await page.locator("#user", { hasText: "Grace Hopper" }).waitFor();
    assert.deepEqual((await actions()).map((r) => r.route), ["touch_session"], "one request");

    await clearFaults();
    await inject("remove_session", { kind: "error", status: 500, code: "internal_clerk_error", message: "Oops" });
    await trigger.click();
    await item("Sign out", { exact: true }).click();
    const alert = menu.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /internal_clerk_error|Oops/);
    await expectOpen(p, true);
    await page.locator("#failures", { hasText: "1" }).waitFor(); // on_error got it
    assert.match(await page.locator("#user").innerText(), /Grace Hopper/, "the server's state");
    assert.equal(await menu.locator("[data-pending]").count(), 0);
    await shot(page, "user_button-error");

    await clearFaults();
    await item("Sign out", { exact: true }).click();
    await page.locator("#user", { hasText: /Ada Lovelace|Alan Turing/ }).waitFor();
    await expectOpen(p, false);
  });

  test("Manage account opens the instance's profile page; Add account calls the app", async () => {
    const p = await open();
    await p.trigger.click();
    await p.item("Add account").click();
    await p.page.locator("#add-email").waitFor();
    await expectOpen(p, false);
    await p.trigger.click();
    await p.item("Manage account").click();
    await p.page.locator("#emulator-user-profile").waitFor();
    assert.ok(p.page.url().startsWith(`${suite.fapi}/user`), p.page.url());
  });

  test("dark: the default stylesheet follows prefers-color-scheme", async () => {
    const light = await open();
    await light.trigger.click();
    const dark = await open({ colorScheme: "dark" });
    await dark.trigger.click();
    await expectOpen(dark, true);
    const background = (p) => p.menu.evaluate((menu) => getComputedStyle(menu).backgroundColor);
    assert.equal(await background(light), "rgb(255, 255, 255)");
    assert.equal(await background(dark), "rgb(28, 31, 42)");
    await shot(dark.page, "user_button-open-dark");
  });
});

const shot = (page, name) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, animations: "disabled" });
