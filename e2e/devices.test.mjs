// Other devices in headless Chromium against the emulator: two browser
// contexts are two devices of the same user (each a client of its own with
// the three demo accounts, Ada active). The `account_switcher` example's
// "Active devices" card lists them and signs one out from the other.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM, SCREENSHOTS.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { webSuite } from "./lib/web-suite.mjs";
import { frontendApiCookies } from "./lib/emulator-log.mjs";
import { SCREENSHOTS } from "./lib/browser.mjs";

// Every test starts with no other device signed in.
const { suite, controls } = webSuite({ afterEachTest: () => controls.control("sessions/end", { method: "POST" }) });
const { requests, clearRequests, inject } = controls;

/** A device: a fresh browser context on the account switcher, Ada active. */
async function device(name) {
  const context = await suite.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${suite.files.url}/account_switcher/?${new URLSearchParams({ fapi: suite.fapi })}`);
  await page.locator("#session-user_ada.active").waitFor();
  await page.locator('#devices[data-state="ready"] li[data-this-device="true"]').waitFor();
  const own = await page.locator('#devices li[data-this-device="true"]').getAttribute("data-session-id");
  return { name, page, errors, own };
}

/** The listed devices' session ids, this one first. */
const listed = (page) => page.locator("#devices li").evaluateAll((rows) => rows.map((r) => r.dataset.sessionId));

describe("active devices", () => {
  test("two browsers as the same user: A lists both and signs B out; A's list updates; B converges on focus", async () => {
    const a = await device("A");
    const b = await device("B");
    // A fetched its list before B existed: a reload shows B.
    await a.page.reload();
    await a.page.locator(`#devices li[data-session-id="${b.own}"]`).waitFor();
    assert.deepEqual(await listed(a.page), [a.own, b.own]);
    const row = a.page.locator(`#devices li[data-session-id="${b.own}"]`);
    assert.match(await row.locator(".device").innerText(), /^Chrome [0-9.]+ on Linux$/);
    assert.equal(await row.getAttribute("data-this-device"), "false");
    assert.equal(await a.page.locator("#devices li[data-this-device=true] .this-device").innerText(), "This device");
    await a.page.locator("#devices").screenshot({ path: `${SCREENSHOTS}/devices-two-browsers.png` });

    await clearRequests();
    await row.getByRole("button", { name: /Sign out of Chrome/ }).click();
    await row.waitFor({ state: "detached" });
    const revokes = (await requests()).filter((r) => r.route === "revoke_session");
    assert.equal(revokes.length, 1, "one request");
    assert.equal(revokes[0].path, `/v1/me/sessions/${b.own}/revoke`);
    assert.equal(Object.fromEntries(revokes[0].query)._clerk_session_id, a.own, "acting as A's session");
    assert.deepEqual(frontendApiCookies(revokes[0]), ["__client"], "browser cookie mode");
    assert.deepEqual(await listed(a.page), [a.own], "A's list updates");
    await a.page.locator("#session-user_ada.active").waitFor(); // A is untouched

    // B learns it on its next focus (the live-sessions sync).
    await b.page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await b.page.locator("#session-user_ada").waitFor({ state: "detached" });
    assert.equal(await b.page.locator("#sessions li").count(), 2, "Grace and Alan are still signed in on B");
    assert.deepEqual([...a.errors, ...b.errors], []);
  });

  test("sign out of all other devices: one request per device, and a failure is reported per device", async () => {
    const a = await device("A");
    const others = [await device("B"), await device("C"), await device("D")];
    await a.page.reload();
    await a.page.locator("#devices li").nth(3).waitFor();
    await clearRequests();
    await a.page.click("#sign-out-other-devices");
    await a.page.locator("#devices-summary", { hasText: "Signed out of 3 device(s); 0 failed." }).waitFor();
    assert.deepEqual(await listed(a.page), [a.own]);
    const revoked = (await requests()).filter((r) => r.route === "revoke_session").map((r) => r.path.split("/")[4]);
    assert.deepEqual(revoked.sort(), others.map((d) => d.own).sort());

    // A failure: each device says how it went.
    const e = await device("E");
    await a.page.reload();
    await a.page.locator(`#devices li[data-session-id="${e.own}"]`).waitFor();
    await inject("revoke_session", { kind: "error", status: 500, code: "internal_clerk_error", message: "Oops" });
    await a.page.click("#sign-out-other-devices");
    await a.page.locator("#devices-summary", { hasText: "Signed out of 0 device(s); 1 failed." }).waitFor();
    const failed = a.page.locator(`#devices li[data-session-id="${e.own}"]`);
    assert.equal(await failed.getAttribute("data-state"), "failed");
    assert.match(await failed.getByRole("alert").innerText(), /internal_clerk_error/);
  });
});
