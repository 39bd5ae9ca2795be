// Prints the first-load JavaScript of each App Router page after `next build` (Next 16 no longer
// prints it): the root main files plus every chunk the page's client reference manifest lists.
// Usage: node scripts/bundle-size.mjs
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const dotNext = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", ".next");
if (!existsSync(path.join(dotNext, "build-manifest.json"))) {
  console.error("no build found: run `npm run build -w @zkarena/web` first");
  process.exit(1);
}
const buildManifest = JSON.parse(readFileSync(path.join(dotNext, "build-manifest.json"), "utf8"));

function manifests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) manifests(full, out);
    else if (name === "page_client-reference-manifest.js") out.push(full);
  }
  return out;
}

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(path.join(dotNext, file));
    sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes).length });
  }
  return sizes.get(file);
}

const rows = [];
const firstLoad = new Set(buildManifest.rootMainFiles);
for (const file of manifests(path.join(dotNext, "server", "app"))) {
  const route =
    "/" + path.relative(path.join(dotNext, "server", "app"), path.dirname(file)).replace(/\\/g, "/");
  if (route.startsWith("/_")) continue;
  globalThis.__RSC_MANIFEST = {};
  await import(file);
  const manifest = Object.values(globalThis.__RSC_MANIFEST)[0];
  const files = new Set(buildManifest.rootMainFiles);
  for (const list of Object.values(manifest.entryJSFiles)) for (const f of list) files.add(f);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    firstLoad.add(f);
    const s = size(f);
    raw += s.raw;
    gzip += s.gzip;
  }
  rows.push({ route: route === "/" ? "/" : route.replace(/\/$/, ""), chunks: files.size, raw, gzip });
}
rows.sort((a, b) => a.route.localeCompare(b.route));
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(["route".padEnd(24), "chunks".padStart(6), "raw".padStart(10), "gzip".padStart(10)].join(" "));
for (const r of rows) {
  console.log(
    [r.route.padEnd(24), String(r.chunks).padStart(6), kb(r.raw).padStart(10), kb(r.gzip).padStart(10)].join(
      " ",
    ),
  );
}

// Chunks no page loads up front (dynamic imports: the zk package when a model or a hidden split is
// read, the prover worker when proving), the large ones, labelled by what they contain.
const chunkDir = path.join(dotNext, "static", "chunks");
const onDemand = [];
for (const name of readdirSync(chunkDir)) {
  const file = path.join("static", "chunks", name);
  if (!name.endsWith(".js") || firstLoad.has(file)) continue;
  const s = size(file);
  if (s.raw < 100 * 1024) continue;
  const text = readFileSync(path.join(dotNext, file), "utf8");
  const has = (re) => re.test(text);
  const parts = [
    has(/poseidon/i) ? "Poseidon (circomlibjs)" : null,
    has(/Building ABC/) ? "snarkjs" : null,
    has(/zkarena\.model\/v1/) ? "@zkarena/zk model code" : null,
    has(/onnx/i) ? "ONNX import" : null,
  ].filter(Boolean);
  onDemand.push({ name, ...s, what: parts.join(", ") || "other" });
}
onDemand.sort((a, b) => b.raw - a.raw);
console.log("\nLoaded on demand (not in the table above; chunks over 100 kB):\n");
console.log(["chunk".padEnd(24), "raw".padStart(10), "gzip".padStart(10), "  contains"].join(" "));
for (const c of onDemand) {
  console.log(
    [c.name.slice(0, 24).padEnd(24), kb(c.raw).padStart(10), kb(c.gzip).padStart(10), `  ${c.what}`].join(
      " ",
    ),
  );
}
