// Signing in on the web, in headless Chromium against the emulator: the
// `account_switcher` example's email-code form adds an account to the
// switcher; a second factor, a wrong code and an expired attempt; and OAuth
// by a page redirect through the emulator's provider, back signed in.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM, SCREENSHOTS.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { webSuite } from "./lib/web-suite.mjs";
import { SCREENSHOTS } from "./lib/browser.mjs";

const { suite, controls } = webSuite();
const { control, requests, clearRequests } = controls;

/** A fresh browser on the switcher, the three demo accounts signed in. */
async function open() {
  const context = await suite.newContext({ viewport: { width: 900, height: 1100 } });
  const page = await context.newPage();
  await page.goto(`${suite.files.url}/account_switcher/?${new URLSearchParams({ fapi: suite.fapi })}`);
  await page.locator("#session-user_ada.active").waitFor();
  return page;
}

/** The newest code the emulator "emailed" to `to`. */
async function codeFor(to) {
  const codes = await (await control("codes")).json();
  const code = codes.reverse().find((c) => c.to === to);
  assert.ok(code, `a code went to ${to}`);
  return code;
}

const form = (page) => page.locator("form.code-form");
const step = (page, name) => page.locator(`form.code-form[data-step="${name}"]`).waitFor();

async function sendCode(page, email) {
  await page.fill("#email-code-identifier", email);
  await page.click("#email-code-submit");
  await step(page, "code");
}

describe("sign-in on the web", () => {
  test("an email code adds an account to the switcher and makes it active", async () => {
    const page = await open();
    await page.click("#sign-out-user_grace");
    await page.locator("#session-user_grace").waitFor({ state: "detached" });
    await clearRequests();
    await sendCode(page, "grace@example.com");
    assert.match(await form(page).innerText(), /We emailed a code to grace@example.com/);
    const { code } = await codeFor("grace@example.com");
    await page.fill("#email-code-code", code);
    await page.click("#email-code-submit");
    await page.locator("#session-user_grace.active").waitFor();
    assert.equal(await page.locator("#sessions li").count(), 3);
    await step(page, "complete");
    const sent = (await requests()).filter((r) => r.path.startsWith("/v1/client/sign_ins")).map((r) => r.path.replace(/sia_[0-9a-f]+/, "{id}"));
    assert.deepEqual(sent, ["/v1/client/sign_ins", "/v1/client/sign_ins/{id}/prepare_first_factor", "/v1/client/sign_ins/{id}/attempt_first_factor"]);
  });

  test("a wrong code shows Clerk's error and keeps the step; a second factor follows for Mia", async () => {
    const page = await open();
    await sendCode(page, "mia@example.com");
    await page.fill("#email-code-code", "000000");
    await page.click("#email-code-submit");
    await page.locator("#email-code-error", { hasText: "form_code_incorrect" }).waitFor();
    await step(page, "code");
    const { code } = await codeFor("mia@example.com");
    await page.fill("#email-code-code", code);
    await page.click("#email-code-submit");
    await step(page, "second_factor");
    assert.equal(await page.locator("#email-code-error").count(), 0, "the error went with the right code");
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-second-factor.png`, animations: "disabled" });
    const totp = (await (await control("users/user_mia/totp")).json()).code;
    await page.fill("#email-code-second-factor", totp);
    await page.click("#email-code-submit");
    await page.locator("#session-user_mia.active").waitFor();
  });

  test("an expired attempt is refused, and a new code works", async () => {
    const page = await open();
    await page.click("#sign-out-user_alan");
    await page.locator("#session-user_alan").waitFor({ state: "detached" });
    await sendCode(page, "alan@example.com");
    const { code, sign_in_id } = await codeFor("alan@example.com");
    await control(`sign_ins/${sign_in_id}/expire`, { method: "POST" });
    await page.fill("#email-code-code", code);
    await page.click("#email-code-submit");
    await page.locator("#email-code-error", { hasText: "verification_expired" }).waitFor();
    await page.click("#email-code-restart");
    await sendCode(page, "alan@example.com");
    await page.fill("#email-code-code", (await codeFor("alan@example.com")).code);
    await page.click("#email-code-submit");
    await page.locator("#session-user_alan.active").waitFor();
  });

  test("OAuth sends the page to the provider and back, signed in", async () => {
    const page = await open();
    await page.click("#sign-out-user_grace");
    await page.locator("#session-user_grace").waitFor({ state: "detached" });
    await page.click("#sign-in-github");
    await page.waitForURL(/\/oauth\/github\/authorize/);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-oauth-consent.png` });
    await page.click("#continue-user_grace");
    await page.waitForURL((url) => url.pathname.startsWith("/account_switcher"));
    await page.locator("#session-user_grace.active").waitFor();
    assert.equal(await page.locator("#error").count(), 0);
  });

  test("OAuth refused at the provider comes back with a typed error", async () => {
    const page = await open();
    await page.click("#sign-in-github");
    await page.waitForURL(/\/oauth\/github\/authorize/);
    await page.click("#cancel");
    await page.locator("#error", { hasText: "oauth_access_denied" }).waitFor();
    assert.ok(!page.url().includes("__clerk_status"), "the failure parameters are taken off the URL");
    await page.locator("#session-user_ada.active").waitFor();
  });
});
