// What the end-to-end suites share: their settings from the environment,
// and how Chromium is started here.

/** The environment variable `name`; scripts/test sets it. */
export function must(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through scripts/test`);
  return value;
}

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = process.env.SCREENSHOTS ?? "target/screenshots";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * An init script (`page.addInitScript(trackFetches)`): every request the
 * app starts, in `window.__requests`, when (`at`, the page's `Date.now()`)
 * and whether it has been answered. A
 * test that checks "nothing more was sent" waits for these, not for a time.
 */
export function trackFetches() {
  const requests = (window.__requests = []);
  const fetch = window.fetch;
  window.fetch = (...args) => {
    const request = { url: String(args[0]?.url ?? args[0]), answered: false, at: Date.now() };
    requests.push(request);
    return fetch.apply(window, args).finally(() => (request.answered = true));
  };
}
