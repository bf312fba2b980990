// The emulator's control API, as the end-to-end tests use it: its request
// log, and the faults it injects.

/**
 * The controls of the emulator at `baseUrl()` (a function: suites learn the
 * URL in their `before` hook).
 */
export function emulatorControls(baseUrl) {
  const control = (path, init) => fetch(`${baseUrl()}/__emulator/${path}`, init);
  const requests = async () => (await control("requests")).json();
  const clearRequests = () => control("requests", { method: "DELETE" });
  const clearFaults = () => control("faults", { method: "DELETE" });
  const inject = (route, fault) =>
    control("faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ route, fault }) });

  /** Requests that change something: not the loads (the client, the
   * environment, the device list), nor the session tokens the page keeps for
   * its `__session` cookie in the background. */
  async function actions() {
    return (await requests()).filter((r) => !READS.includes(r.route));
  }

  /** Waits until the emulator has logged `count` actions and returns them; throws with the log after 20 s. */
  async function waitForActions(count) {
    const deadline = Date.now() + 20000;
    for (;;) {
      const found = await actions();
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`expected ${count} action(s) in the emulator's log, found: ${JSON.stringify(found)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return { control, requests, clearRequests, clearFaults, inject, actions, waitForActions };
}

/** The routes that read and change nothing on the server. */
export const READS = ["get_client", "environment", "dev_browser", "session_token", "active_sessions"];

/**
 * The cookies a logged request carried for the Frontend API itself: the
 * app's own cookies (`__session`, `__client_uat`, `__clerk_db_jwt`, each with
 * its suffixed twin, and `clerk_active_context`) left out. They ride along
 * only because app and emulator share the host 127.0.0.1 in these tests
 * (cookies ignore ports); a real Frontend API is on another host, which a
 * host-only cookie never reaches.
 */
export function frontendApiCookies(request) {
  const appCookie = /^(__session|__client_uat|__clerk_db_jwt)(_.+)?$|^clerk_active_context$/;
  return request.cookies.filter((name) => !appCookie.test(name));
}
