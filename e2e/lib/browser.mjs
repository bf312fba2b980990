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
