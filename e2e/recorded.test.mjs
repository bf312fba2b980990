// Real answers of live Clerk instances (`tests/fixtures/recorded/`, as
// Clerk's own SDKs record them), read by the crate in the browser: the
// emulator answers a route with a recorded body as it is, and the example
// shows what that answer says, with no error. The same files go through the
// native decoder in `tests/recorded_answers.rs`.
//
// Needs: WEB_OUT (the built examples), EMULATOR_BIN, CHROMIUM, SCREENSHOTS.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { webSuite } from "./lib/web-suite.mjs";

const { suite, controls } = webSuite();
const { inject } = controls;

const FIXTURES = fileURLToPath(new URL("../tests/fixtures/recorded/", import.meta.url));
const recorded = (name) => readFileSync(`${FIXTURES}${name}.json`, "utf8");

/** The emulator answers `route` with the recorded `name`, as it is. */
const answer = (route, name, status = 200) => inject(route, { kind: "answer", status, body: recorded(name) });

/** A fresh browser on `example`, with every page and console error kept. */
async function open(example, ready) {
  const context = await suite.newContext({ viewport: { width: 900, height: 1200 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${suite.files.url}/${example}/?${new URLSearchParams({ fapi: suite.fapi })}`);
  await page.locator(ready).first().waitFor();
  return { page, errors };
}

/** What the `basic` page should show for a recorded client. */
function expectedOf(name) {
  const body = JSON.parse(recorded(name));
  const client = body.response ?? body;
  const active = (client.sessions ?? []).find((s) => s.id === client.last_active_session_id);
  if (active?.status === "active") {
    const user = active.user;
    return { ready: "#user", text: `Signed in as ${[user.first_name, user.last_name].filter(Boolean).join(" ") || user.username}.` };
  }
  if (active?.status === "pending") return { ready: "#pending-task", text: `One step left: ${active.tasks[0].key}.` };
  return { ready: "#signed-out", text: "You are signed out." };
}

describe("recorded answers of live instances, in the browser", () => {
  for (const name of [
    "client-signed-in",
    "client-signed-in-2024",
    "client-organization-membership",
    "client-pending-session-tasks",
    "client-bare-expired-session-needs-second-factor",
    "client-signed-out",
  ]) {
    test(`${name}: the page shows what it says, with no error`, async () => {
      await answer("get_client", name);
      // The recorded sessions' `last_active_token`s expired long ago (their
      // age cannot be read on this machine's clock), so the page fetches a
      // new one: a live instance's recorded token answer.
      await answer("session_token", "token");
      const expected = expectedOf(name);
      const { page, errors } = await open("basic", expected.ready);
      assert.equal(await page.locator(expected.ready).innerText(), expected.text);
      assert.equal(await page.locator("#error").count(), 0, "no error in the status bar");
      assert.deepEqual(errors, []);
    });
  }

  test("me-sessions-active: a bare array of devices with null users, listed", async () => {
    await answer("active_sessions", "me-sessions-active");
    const { page, errors } = await open("account_switcher", "#session-user_ada.active");
    const listed = page.locator("#devices li[data-session-id]");
    const expected = JSON.parse(recorded("me-sessions-active")).length;
    await page.waitForFunction((n) => document.querySelectorAll("#devices li[data-session-id]").length === n, expected);
    assert.equal(await listed.count(), expected);
    assert.deepEqual(errors, []);
  });

  for (const name of ["environment", "environment-2024", "environment-no-organization-settings"]) {
    test(`${name}: the instance's profile page is "Manage account"`, async () => {
      await answer("environment", name);
      const { page, errors } = await open("user_button", "#user");
      await page.click('#user-button button[aria-haspopup="menu"]');
      const manage = page.locator('#user-button [role="menuitem"][data-item="manage"]');
      await manage.waitFor();
      assert.deepEqual(errors, []);
      // Clicking leaves for the recorded page (blocked here: it is a made-up host).
      const profile = JSON.parse(recorded(name)).display_config.user_profile_url;
      await page.route("**/*", (route) =>
        route.request().isNavigationRequest() && route.request().url().startsWith(new URL(profile).origin)
          ? route.fulfill({ status: 200, contentType: "text/html", body: "<h1 id=left>left</h1>" })
          : route.continue(),
      );
      await manage.click();
      await page.locator("#left").waitFor();
      assert.equal(new URL(page.url()).origin + new URL(page.url()).pathname, new URL(profile).origin + new URL(profile).pathname);
    });
  }

  test("recorded errors: Clerk's code shows, without a `meta`", async () => {
    await answer("remove_session", "error-url-based-session-syncing-disabled", 400);
    const { page } = await open("account_switcher", "#session-user_ada.active");
    await page.click("#sign-out-user_grace");
    const code = JSON.parse(recorded("error-url-based-session-syncing-disabled")).errors[0].code;
    await page.locator("#error", { hasText: code }).waitFor();
  });
});
