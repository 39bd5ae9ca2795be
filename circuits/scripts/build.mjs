#!/usr/bin/env node
// Build every circuit in circuits.json (or --only <id>): compile with circom2, then the INSECURE
// deterministic development setup. Cached: a second run with unchanged sources does no work.
//
//   node scripts/build.mjs [--only <id>]... [--force] [--verbose] [--build-dir <dir>]
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildAll, formatBuildTable, releaseCurves } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    force: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    "build-dir": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log("usage: node scripts/build.mjs [--only <id>]... [--force] [--verbose] [--build-dir <dir>]");
  process.exit(0);
}

const started = performance.now();
try {
  const results = await buildAll({
    only: values.only,
    force: values.force,
    verbose: values.verbose,
    ...(values["build-dir"] ? { buildDir: path.resolve(values["build-dir"]) } : {}),
    log: (line) => console.log(line),
  });
  console.log("");
  console.log(formatBuildTable(results));
  console.log(
    `\nINSECURE development setup (public beacons): for local use and tests only. ${((performance.now() - started) / 1000).toFixed(2)} s total`,
  );
  await releaseCurves();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await releaseCurves();
  process.exit(1);
}
