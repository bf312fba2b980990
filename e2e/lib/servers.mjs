// The processes and servers the end-to-end tests start, each on a port the
// OS picks (port 0) and reports back, so no two can race for one port.

import { spawn } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { pipeline } from "node:stream";
import { createServer } from "node:http";
import { extname, join, normalize, resolve as resolvePath, sep } from "node:path";

/**
 * Starts `bin` and resolves to `{ child, url }` once it prints a line that
 * `pattern` matches (its first group is the URL); rejects with what it
 * printed if it exits first or takes longer than 20 s.
 */
function startListening(name, bin, args, pattern, { stderr = "inherit", env = process.env } = {}) {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", stderr], env });
  return new Promise((resolve, reject) => {
    let printed = "";
    const fail = (why) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${name} ${why}; it printed: ${printed}`));
    };
    const timer = setTimeout(() => fail("did not start within 20 s"), 20000);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code) => fail(`exited with ${code} before listening`));
    child.stdout.on("data", (chunk) => {
      printed += chunk;
      const match = printed.match(pattern);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.removeAllListeners("error");
        resolve({ child, url: match[1] });
      }
    });
  });
}

/**
 * Starts the emulator binary on a free port, or on `options.port` when an app
 * has the emulator's URL built in (see `startListening`).
 */
export function startEmulator(bin, args = [], options = {}) {
  const port = String(options.port ?? 0);
  return startListening("clerk-emulator", bin, ["--port", port, ...args], /listening on (http:\/\/\S+)\r?\n/, options);
}

/**
 * Starts the `fullstack` example's API server on `port`, verifying tokens of
 * the Frontend API at `fapi` and serving the web build in `web`; `args` go
 * on its command line (`--publishable-key`, `--authorized-party`).
 */
export function startFullstackServer(bin, { port, fapi, web, args: more = [] }, options = {}) {
  const args = ["--port", String(port), "--fapi", fapi, ...(web ? ["--web", web] : []), ...more];
  return startListening("fullstack_server", bin, args, /fullstack API on (http:\/\/\S+)\r?\n/, options);
}

/**
 * Starts the fullstack example's server (a Dioxus fullstack app) on `port`
 * with `env` (Clerk's settings, `DIOXUS_PUBLIC_PATH`) and resolves to
 * `{ child, url }` once it answers; it prints no address of its own, so
 * readiness is its first answer. Rejects if it exits first or takes 20 s.
 */
export async function startFullstackApp(bin, { port, env }, { stderr = "inherit" } = {}) {
  const child = spawn(bin, [], {
    stdio: ["ignore", "ignore", stderr],
    env: { ...process.env, ...env, IP: "127.0.0.1", PORT: String(port) },
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  child.once("exit", (code) => (exited = code ?? "a signal"));
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the fullstack app exited with ${exited} before answering`);
    try {
      await fetch(`${url}/app.js`, { signal: AbortSignal.timeout(1000) });
      return { child, url };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error("the fullstack app did not answer within 20 s");
}

/**
 * A port free right now, for a server whose origin another must know before
 * it starts (the emulator allows the app's origin at start). The OS picks it;
 * it is released at once, so a start that finds it taken fails loudly.
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** Serves the files under `root` (a directory's `index.html` for the directory) on loopback; resolves to `{ server, url }`. */
export function serveDirectory(directory) {
  const root = resolvePath(directory);
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const { size } = statSync(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "no-store",
      });
      // Closes the file if the browser goes away mid-answer.
      pipeline(createReadStream(file), response, () => {});
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}
