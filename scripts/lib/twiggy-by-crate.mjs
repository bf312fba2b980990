// Per-crate breakdown of wasm builds, from `twiggy top --format csv` of each
// (scripts/bench-size). Usage: node twiggy-by-crate.mjs BASE.csv A.csv [B.csv…]
// Prints, for each crate, its bytes in BASE and what each other build adds.
// Sizes are of the builds before wasm-opt (which drops the names), so they
// are larger than the table above, but they split the same way.

import { readFileSync } from "node:fs";

/** The crate a symbol belongs to: the first path segment of its name. */
function crateOf(name) {
  if (name.startsWith("data[") || name.includes("data segment")) return "(data: strings, tables)";
  if (/^(custom section|"function names"|elem\[|export |import |type\[|global|table|memory)/.test(name)
    || name.includes("subsection")) return null;
  const plain = name.replace(/\[[0-9a-f]{6,}\]/g, "").replace(/^[<&*( ]+/, "").replace(/^(dyn|mut|const) /, "");
  const match = plain.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  return match ? match[1] : "(other)";
}

/** Bytes per crate in one build. */
function load(file) {
  const sizes = new Map();
  const lines = readFileSync(file, "utf8").split("\n").slice(1);
  for (const line of lines) {
    // Name,ShallowSize,ShallowSizePercent,…: the name may hold commas, so read from the right.
    const fields = line.split(",");
    if (fields.length < 3) continue;
    const size = Number(fields[fields.length - 4]);
    const name = fields.slice(0, fields.length - 4).join(",").replace(/^"|"$/g, "");
    const crate = crateOf(name);
    if (crate === null || !Number.isFinite(size)) continue;
    sizes.set(crate, (sizes.get(crate) ?? 0) + size);
  }
  return sizes;
}

const [baseFile, ...files] = process.argv.slice(2);
const base = load(baseFile);
const builds = files.map(load);
const crates = new Set(builds.flatMap((sizes) => [...sizes.keys()]));
const added = (sizes, crate) => (sizes.get(crate) ?? 0) - (base.get(crate) ?? 0);
const rows = [...crates]
  .map((crate) => [crate, ...builds.map((sizes) => added(sizes, crate))])
  .filter(([, ...deltas]) => deltas.some((d) => Math.abs(d) >= 200))
  .sort((a, b) => Math.max(...b.slice(1)) - Math.max(...a.slice(1)));
const names = files.map((f) => f.replace(/^.*\//, "").replace(/\.csv$/, ""));
console.log(`${"crate (raw bytes added, before wasm-opt)".padEnd(44)}${names.map((n) => n.padStart(16)).join("")}`);
for (const [crate, ...deltas] of rows) {
  console.log(`${crate.padEnd(44)}${deltas.map((d) => String(d).padStart(16)).join("")}`);
}
const totals = builds.map((sizes) => [...sizes.keys()].reduce((sum, crate) => sum + added(sizes, crate), 0));
console.log(`${"total".padEnd(44)}${totals.map((t) => String(t).padStart(16)).join("")}`);
