// `verifyToken` of @clerk/backend (pinned) on the token the crate's server
// bench verified (benches/server.rs writes it, with the instance's PEM, to
// the file named on the command line): verifications per second on one
// core, 2 s back to back, and the median of 1,000 single calls, with
// `jwtKey` (no network), as an app with `CLERK_JWT_KEY` verifies.
// Run by scripts/bench-server. A benchmark, not a test: it prints figures.

import { readFileSync } from "node:fs";
import { verifyToken } from "@clerk/backend";

const file = process.argv[2];
const { token, pem, verifications_per_second: crate } = JSON.parse(readFileSync(file, "utf8"));
const options = { jwtKey: pem };

const first = await verifyToken(token, options);
if (!first?.sub) throw new Error(`verifyToken refused the bench token: ${JSON.stringify(first)}`);

const times = [];
for (let i = 0; i < 1000; i++) {
  const started = process.hrtime.bigint();
  await verifyToken(token, options);
  times.push(Number(process.hrtime.bigint() - started) / 1000);
}
times.sort((a, b) => a - b);
const median = (times[499] + times[500]) / 2;

const started = performance.now();
let verified = 0;
while (performance.now() - started < 2000) {
  await verifyToken(token, options);
  verified += 1;
}
const perSecond = verified / ((performance.now() - started) / 1000);
console.log(`@clerk/backend verifyToken: median ${median.toFixed(1)} µs, ${perSecond.toFixed(0)} per second on one core`);
if (crate) console.log(`the crate's Verifier::verify, same token, same run: ${crate.toFixed(0)} per second (${(crate / perSecond).toFixed(2)}x)`);
