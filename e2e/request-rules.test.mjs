// Clerk's request rules, differentially: every request of a matrix (instance
// type × where the token is × what state it is in × `__client_uat` × page
// load or fetch × where the page came from × authorized parties) goes over
// loopback HTTP to the `fullstack_server` example's `/api/session-state`,
// which answers what `Verifier::authenticate_request` decides, and the same
// request goes to `authenticateRequest` of `@clerk/backend` (pinned). The
// verdict, the reason, the user and, for a handshake, where it redirects
// must be the same for every one.
//
// Tokens: the emulator issues the real ones (a browser's, with `azp`, and a
// native app's); the rest are crafted with the emulator's own signing key
// (an RSA-2048 key made here, as `@clerk/backend`'s `jwtKey` reads only
// those), one fault at a time.
//
// Needs: EMULATOR_BIN, FULLSTACK_SERVER.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClerkClient } from "@clerk/backend";
import { freePort, startEmulator, startFullstackServer } from "./lib/servers.mjs";
import { instanceOf } from "./lib/clerk-backend.mjs";
import { must } from "./lib/browser.mjs";

const EMULATOR_BIN = must("EMULATOR_BIN");
const FULLSTACK_SERVER = must("FULLSTACK_SERVER");

/** The app's origin, as the browser sees it (both sides read it from `X-Forwarded-*`). */
const APP = "http://app.example.test";
const PATH = "/api/session-state";
const now = () => Math.floor(Date.now() / 1000);
/** The emulator's secret key (its default): both sides exchange handshake nonces with it. */
const SECRET_KEY = "sk_test_emulator";
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

/** The request kinds: their method and the headers a browser sends. */
const KINDS = {
  document: { method: "GET", headers: { "sec-fetch-dest": "document", accept: "text/html,application/xhtml+xml" } },
  "html, no sec-fetch-dest": { method: "GET", headers: { accept: "text/html" } },
  fetch: { method: "GET", headers: { "sec-fetch-dest": "empty", accept: "*/*" } },
  "fetch POST": { method: "POST", headers: { "sec-fetch-dest": "empty", accept: "*/*", origin: APP } },
  "document from another site": {
    method: "GET",
    headers: { "sec-fetch-dest": "document", accept: "text/html", referer: "https://elsewhere.example/page" },
  },
  "document, redirected 3 times": {
    method: "GET",
    headers: { "sec-fetch-dest": "document", accept: "text/html" },
    cookies: { __clerk_redirect_count: "3" },
  },
};

/** An instance: the emulator with a key made here, its tokens, and two servers (with and without authorized parties). */
async function instanceOfType(development) {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), "clerk-rules-")), "signing.pem");
  writeFileSync(keyFile, privateKey);
  const emulator = await startEmulator(
    EMULATOR_BIN,
    ["--signing-key", keyFile, "--allow-origin", APP, ...(development ? ["--development"] : [])],
    { stderr: "ignore" },
  );
  const instance = await instanceOf(emulator.url);
  const { keys } = await (await fetch(`${emulator.url}/.well-known/jwks.json`)).json();
  const kid = keys[0].kid;
  const devBrowser = development
    ? (await (await fetch(`${emulator.url}/v1/dev_browser`, { method: "POST" })).json()).id
    : null;
  const query = devBrowser ? `?__clerk_db_jwt=${devBrowser}` : "";

  // A browser's token (`azp` is the app), as the emulator issues it.
  const loaded = await fetch(`${emulator.url}/v1/client${query}`, { headers: { origin: APP } });
  const issued = (await loaded.json()).response.sessions[0].last_active_token.jwt;
  // The browser's own cookie on the Frontend API (production): the handshake reads it.
  const clientCookie = loaded.headers
    .getSetCookie()
    .map((directive) => directive.split(";")[0])
    .find((pair) => pair.startsWith("__client="));
  // A native app's token (no `azp`), through the native flow.
  const native = await nativeToken(emulator.url, devBrowser);

  const claims = decode(issued);
  const sign = (payload, header = {}) => {
    const message = `${b64({ alg: "RS256", typ: "JWT", kid, ...header })}.${b64(payload)}`;
    return `${message}.${createSign("RSA-SHA256").update(message).sign(privateKey, "base64url")}`;
  };
  const t = now();
  const [h, , s] = issued.split(".");
  const tokens = {
    issued,
    native,
    expired: sign({ ...claims, iat: t - 120, nbf: t - 130, exp: t - 60 }),
    "nbf in the future": sign({ ...claims, nbf: t + 60, exp: t + 120 }),
    "iat in the future": sign({ ...claims, nbf: t - 10, iat: t + 60, exp: t + 120 }),
    "bad signature": `${h}.${b64({ ...decode(issued), sub: "user_grace" })}.${s}`,
    "JWT template": sign(claims, { cat: "cl_B7d4PD222AAA" }),
    "machine (mch_)": sign({ ...claims, sub: "mch_2x" }),
    "OAuth (at+jwt)": sign(claims, { typ: "at+jwt" }),
    "another azp": sign({ ...claims, azp: "https://evil.example" }),
    "another issuer": sign({ ...claims, iss: "https://clerk.other.example" }),
    "not a JWT": "not-a-jwt",
    "sub not a string": sign({ ...claims, sub: 5 }),
    "no exp": sign({ ...claims, exp: undefined }),
  };

  const servers = {};
  for (const [name, parties] of [["no authorized parties", []], ["authorized party: the app", [APP]]]) {
    const port = await freePort();
    const server = await startFullstackServer(
      FULLSTACK_SERVER,
      {
        port,
        fapi: emulator.url,
        args: [
          "--publishable-key",
          instance.publishable_key,
          "--secret-key",
          SECRET_KEY,
          "--backend-api-url",
          emulator.url,
          ...parties.flatMap((p) => ["--authorized-party", p]),
        ],
      },
      { stderr: "ignore" },
    );
    servers[name] = { ...server, parties };
  }
  return { development, emulator, instance, tokens, devBrowser, servers, sign, clientCookie };
}

/** A native app's session token: the client token from `_is_native` calls, then a token for its session. */
async function nativeToken(fapi, devBrowser) {
  const params = new URLSearchParams({ _is_native: "1", __clerk_api_version: "2026-05-12" });
  if (devBrowser) params.set("__clerk_db_jwt", devBrowser);
  const loaded = await fetch(`${fapi}/v1/client?${params}`, { headers: { authorization: "" } });
  const credential = loaded.headers.get("authorization");
  const client = (await loaded.json()).response;
  const minted = await fetch(`${fapi}/v1/client/sessions/${client.last_active_session_id}/tokens?${params}`, {
    method: "POST",
    headers: { authorization: credential, "content-type": "application/x-www-form-urlencoded" },
  });
  return (await minted.json()).jwt;
}

/** The cookies a browser holds for `token` in `place` (`both` names, `plain`, `suffixed`), with `uat`. */
function jar(instance, devBrowser, { token, uat, place = "both", devBrowserCookie = true }) {
  const cookies = {};
  const names = (name) =>
    ({ both: [name, `${name}_${instance.cookie_suffix}`], plain: [name], suffixed: [`${name}_${instance.cookie_suffix}`] })[place];
  if (token !== undefined) for (const name of names("__session")) cookies[name] = token;
  if (uat !== undefined) for (const name of names("__client_uat")) cookies[name] = uat;
  if (devBrowser && devBrowserCookie) for (const name of names("__clerk_db_jwt")) cookies[name] = devBrowser;
  return cookies;
}

/** The matrix for one instance: `{ name, kind, cookies, authorization, query }`. */
function cases({ instance, tokens, devBrowser }) {
  const uat = String(now() - 600);
  const list = [];
  const add = (name, kind, options = {}) => list.push({ name, kind, ...options });
  const withCookies = (options) => jar(instance, devBrowser, { uat, ...options });
  // The cookie path: each token state, as a page load and as a fetch.
  for (const [state, token] of Object.entries(tokens)) {
    if (state === "native") continue;
    for (const kind of ["document", "fetch"]) add(`cookie: ${state}`, kind, { cookies: withCookies({ token }) });
  }
  for (const kind of ["fetch POST", "html, no sec-fetch-dest", "document, redirected 3 times"]) {
    add("cookie: expired", kind, { cookies: withCookies({ token: tokens.expired }) });
  }
  // `__client_uat`: none, 0, newer than the token; and no session at all.
  for (const kind of ["document", "fetch"]) {
    add("cookie: issued, no __client_uat", kind, { cookies: withCookies({ token: tokens.issued, uat: undefined }) });
    add("cookie: issued, __client_uat=0", kind, { cookies: withCookies({ token: tokens.issued, uat: "0" }) });
    add("cookie: issued, __client_uat after its iat", kind, {
      cookies: withCookies({ token: tokens.issued, uat: String(now() + 600) }),
    });
    add("no cookies", kind, { cookies: withCookies({ token: undefined, uat: undefined }) });
    add("__client_uat without a session", kind, { cookies: withCookies({ token: undefined }) });
  }
  // Which names: only the plain ones, only the suffixed ones.
  for (const place of ["plain", "suffixed"]) {
    add(`cookie (${place} names only): issued`, "fetch", { cookies: withCookies({ token: tokens.issued, place }) });
  }
  // Where the page came from: another site costs a handshake; Clerk's own Frontend API does not.
  add("cookie: issued", "document from another site", { cookies: withCookies({ token: tokens.issued }) });
  // (The emulator's Frontend API has a port, which Clerk's check of a
  // referrer's hostname never matches: a handshake too.)
  add("cookie: issued, from the Frontend API", "document", {
    cookies: withCookies({ token: tokens.issued }),
    headers: { referer: `${instance.frontend_api}/v1/client` },
  });
  add("cookie: issued, from the app's own page", "document", {
    cookies: withCookies({ token: tokens.issued }),
    headers: { referer: `${APP}/elsewhere` },
  });
  // The header path: the cookies are not read.
  for (const [state, token] of Object.entries(tokens)) add(`header: ${state}`, "fetch", { authorization: `Bearer ${token}` });
  add("header: expired", "html, no sec-fetch-dest", { authorization: `Bearer ${tokens.expired}` });
  add("header: issued, a broken cookie beside it", "fetch", {
    authorization: `Bearer ${tokens.issued}`,
    cookies: withCookies({ token: "not-a-jwt" }),
  });
  add("header: garbage bearer, a good cookie beside it", "fetch", {
    authorization: "Bearer garbage",
    cookies: withCookies({ token: tokens.issued }),
  });
  add("header of another scheme: the cookie counts", "fetch", {
    authorization: "Basic dXNlcjpwYXNz",
    cookies: withCookies({ token: tokens.issued }),
  });
  add("header 'bearer' in lower case: the cookie counts", "fetch", {
    authorization: `bearer ${tokens.issued}`,
    cookies: withCookies({ token: tokens.expired }),
  });
  // A handshake's nonce came back: its cookies are behind Clerk's Backend API.
  for (const kind of ["document", "fetch"]) {
    add("cookie: issued, a handshake nonce", kind, { cookies: withCookies({ token: tokens.issued }), query: "?__clerk_handshake_nonce=n_1" });
  }
  if (devBrowser) {
    for (const kind of ["document", "fetch"]) {
      add("dev: a satellite asks to sync", kind, {
        cookies: withCookies({ token: tokens.issued }),
        query: `?__clerk_redirect_url=${encodeURIComponent("http://satellite.example.test/page?__clerk_synced=false&x=1")}`,
      });
    }
    for (const kind of ["document", "fetch"]) {
      add("dev: no dev browser", kind, { cookies: withCookies({ token: tokens.issued, devBrowserCookie: false }) });
    }
    add("dev: ?__clerk_db_jwt= in the URL", "document", {
      cookies: withCookies({ token: tokens.issued }),
      query: `?__clerk_db_jwt=${devBrowser}`,
    });
  }
  return list;
}

/** The request's headers, as both sides get them. */
function headersOf(one) {
  const kind = KINDS[one.kind];
  const cookies = { ...(one.cookies ?? {}), ...(kind.cookies ?? {}) };
  const cookie = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
  return {
    "x-forwarded-host": new URL(APP).host,
    "x-forwarded-proto": "http",
    ...kind.headers,
    ...(one.headers ?? {}),
    ...(cookie ? { cookie } : {}),
    ...(one.authorization ? { authorization: one.authorization } : {}),
  };
}

/** Sends the browser through the emulator's `/v1/client/handshake` for the
 * app's page, as Clerk's redirect does, and says what came back: the
 * parameter (development) or cookie (production), by name and value. */
async function handshakeBack(context, format) {
  const { emulator, devBrowser, clientCookie } = context;
  const params = new URLSearchParams({
    redirect_url: `${APP}${PATH}`,
    __clerk_api_version: "2026-05-12",
    suffixed_cookies: "true",
    format,
  });
  if (devBrowser) params.set("__clerk_db_jwt", devBrowser);
  const answer = await fetch(`${emulator.url}/v1/client/handshake?${params}`, {
    redirect: "manual",
    headers: clientCookie ? { cookie: clientCookie } : {},
  });
  assert.equal(answer.status, 307, await answer.text());
  const name = format === "nonce" ? "__clerk_handshake_nonce" : "__clerk_handshake";
  const back = new URL(answer.headers.get("location"));
  if (back.searchParams.has(name)) return { in: "query", name, value: back.searchParams.get(name) };
  const cookie = answer.headers
    .getSetCookie()
    .map((directive) => directive.split(";")[0].split("="))
    .find(([cookieName]) => cookieName === name);
  assert.ok(cookie, `the handshake sent ${name} back neither in the URL nor as a cookie`);
  return { in: "cookie", name, value: cookie[1] };
}

/** What the crate's server decided, over HTTP. */
function crate(server, one) {
  const { method } = KINDS[one.kind];
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}${PATH}${one.query ?? ""}`, { method, headers: headersOf(one) }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(new Error(`${response.statusCode}: ${body}`));
        }
      });
    });
    request.on("error", reject);
    request.end();
  });
}

/** What `@clerk/backend`'s `authenticateRequest` decides for the same request. */
async function clerk(context, server, one) {
  const { instance } = context;
  const client = createClerkClient({
    secretKey: SECRET_KEY,
    apiUrl: context.emulator.url,
    publishableKey: instance.publishable_key,
  });
  const { method } = KINDS[one.kind];
  const request = new Request(`${APP}${PATH}${one.query ?? ""}`, { method, headers: headersOf(one) });
  let state;
  try {
    state = await client.authenticateRequest(request, {
    publishableKey: instance.publishable_key,
    jwtKey: instance.public_key_pem,
    authorizedParties: server.parties,
    issuer: instance.frontend_api,
    });
  } catch (error) {
    // A development handshake token that fails its checks is thrown.
    return { thrown: String(error?.message ?? error) };
  }
  const auth = state.status === "signed-in" ? state.toAuth() : null;
  return {
    status: state.status,
    reason: state.reason ?? null,
    user_id: auth?.userId ?? null,
    location: state.headers.get("location"),
    set_cookies: state.headers.getSetCookie().map((directive) => directive.split("=")[0]),
  };
}

/** A handshake's target, as compared: the path and every query parameter, in order
 * (the scheme aside: Clerk writes `https://` before any Frontend API host,
 * and the loopback emulator speaks `http`). */
function target(location) {
  if (!location) return null;
  const url = new URL(location);
  return { path: url.pathname, params: [...url.searchParams] };
}

for (const development of [false, true]) {
  describe(`${development ? "development" : "production"} instance`, () => {
    let context;
    before(async () => {
      context = await instanceOfType(development);
    });
    after(() => {
      for (const server of Object.values(context?.servers ?? {})) server.child.kill("SIGTERM");
      context?.emulator.child.kill("SIGTERM");
    });

    test("authenticate_request reaches @clerk/backend's verdict, reason and handshake on every request of the matrix", async () => {
      const disagreements = [];
      const seen = { "signed-in": 0, "signed-out": 0, handshake: 0 };
      let count = 0;
      for (const [config, server] of Object.entries(context.servers)) {
        for (const one of cases(context)) {
          const [ours, theirs] = await Promise.all([crate(server, one), clerk(context, server, one)]);
          count += 1;
          seen[theirs.status] += 1;
          const same =
            ours.status === theirs.status &&
            ours.reason === theirs.reason &&
            ours.user_id === theirs.user_id &&
            JSON.stringify(target(ours.location)) === JSON.stringify(target(theirs.location));
          if (!same) disagreements.push({ case: `${one.name} (${one.kind}; ${config})`, crate: ours, clerk: theirs });
        }
      }
      assert.deepEqual(disagreements, [], `${disagreements.length} of ${count} requests disagree`);
      // The matrix reaches every verdict, and is as large as promised.
      assert.ok(count >= 40, `${count} requests`);
      for (const [status, n] of Object.entries(seen)) assert.ok(n > 0, `no request was ${status}: ${JSON.stringify(seen)}`);
      console.log(`# figures: ${count} requests, ${JSON.stringify(seen)}, 0 disagreements`);
    });

    test("a page back from the handshake resolves as @clerk/backend resolves it: nonce, token, forged and odd payloads", async () => {
      const { tokens, sign } = context;
      const uat = String(now() - 600);
      const cookies = jar(context.instance, context.devBrowser, { uat, token: tokens.expired });
      // Each scenario makes its request anew for each side: a nonce is exchanged once.
      const scenarios = {
        "a nonce": () => handshakeBack(context, "nonce"),
        "a nonce, on a fetch": () => handshakeBack(context, "nonce"),
        "a token": () => handshakeBack(context, "token"),
        "a token signed with another key": async () => {
          const back = await handshakeBack(context, "token");
          const [h, p] = back.value.split(".");
          return { ...back, value: `${h}.${p}.${tokens.issued.split(".")[2]}` };
        },
        "a token with no cookies in it": async () => ({ ...(await handshakeBack(context, "token")), value: sign({ handshake: [] }) }),
        "a token whose session expired": async () => ({
          ...(await handshakeBack(context, "token")),
          value: sign({ handshake: [`__session=${tokens.expired}; Path=/`, `__client_uat=${uat}; Path=/`] }),
        }),
        "a token whose session names another azp": async () => ({
          ...(await handshakeBack(context, "token")),
          value: sign({ handshake: [`__session=${tokens["another azp"]}; Path=/`] }),
        }),
      };
      const disagreements = [];
      let count = 0;
      for (const [config, server] of Object.entries(context.servers)) {
        for (const [name, build] of Object.entries(scenarios)) {
          const kind = name.endsWith("fetch") ? "fetch" : "document";
          const request = async () => {
            const back = await build();
            const one = { name, kind, cookies: { ...cookies } };
            if (back.in === "query") one.query = `?${back.name}=${encodeURIComponent(back.value)}`;
            else one.cookies[back.name] = back.value;
            return one;
          };
          const ours = await crate(server, await request());
          const theirs = await clerk(context, server, await request());
          count += 1;
          const same = theirs.thrown
            ? ours.status === "signed-out" && /^token-/.test(ours.reason ?? "")
            : ours.status === theirs.status &&
              ours.reason === theirs.reason &&
              ours.user_id === theirs.user_id &&
              JSON.stringify(target(ours.location)) === JSON.stringify(target(theirs.location)) &&
              JSON.stringify(ours.set_cookies) === JSON.stringify(theirs.set_cookies);
          if (!same) disagreements.push({ case: `${name} (${config})`, crate: ours, clerk: theirs });
        }
      }
      assert.deepEqual(disagreements, [], `${disagreements.length} of ${count} handshake answers disagree`);
      console.log(`# figures: ${count} handshake answers resolved, 0 disagreements`);
    });
  });
}
