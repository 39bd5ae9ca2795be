#!/usr/bin/env node
// `npm run bench:web` (repository root; a benchmark, not a test): the JavaScript each main route ships
// (first load, from the production build) and the time to prove the demo circuit in Chromium with the
// same Web Worker prover the challenge page uses (@zkarena/zk/worker, driven by packages/zk's browser
// harness). Options: --id <circuit> (default mlp-d64-h16-c10-n32), --runs <n> (default 1), --no-prove.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "..", "..");
const { values } = parseArgs({
  options: {
    id: { type: "string", default: "mlp-d64-h16-c10-n32" },
    runs: { type: "string", default: "1" },
    "no-prove": { type: "boolean", default: false },
  },
});

if (!existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
  console.log("no production build of the web app: running `next build` first");
  const build = spawnSync(path.join(repoRoot, "node_modules", ".bin", "next"), ["build"], {
    cwd: webDir,
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
console.log("\nJavaScript shipped per route (first load: root chunks + the route's client chunks)\n");
const size = spawnSync(process.execPath, [path.join(webDir, "scripts", "bundle-size.mjs")], {
  stdio: "inherit",
});
if (size.status !== 0) process.exit(size.status ?? 1);
console.log(
  "\nThe prover (snarkjs, ffjavascript, Poseidon) is not in these numbers: the challenge page loads it on demand, in its Web Worker.",
);

if (!values["no-prove"]) {
  console.log(`\nIn-browser proving of ${values.id} (Chromium, Web Worker; packages/zk bench:prover)\n`);
  const prove = spawnSync(
    "npm",
    ["run", "bench:prover", "-w", "@zkarena/zk", "--", "--id", values.id, "--runs", values.runs],
    { cwd: repoRoot, stdio: "inherit" },
  );
  process.exit(prove.status ?? 1);
}
