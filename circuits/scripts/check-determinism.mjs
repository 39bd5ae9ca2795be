#!/usr/bin/env node
// Determinism check of the INSECURE development setup: build from scratch (fresh powers of tau,
// compile, zkey) into a scratch folder and compare every artifact hash with build/ (built first if
// needed). Exit code 1 when anything differs. Takes about a minute at 2^11 (prepare phase2).
//
//   node scripts/check-determinism.mjs [--only <id>]... [--keep]
import fsp from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildAll, DEFAULT_BUILD_DIR, releaseCurves } from "./lib.mjs";

const { values } = parseArgs({
  options: { only: { type: "string", multiple: true }, keep: { type: "boolean", default: false } },
});

const KEYS = ["vkHash", "zkeySha256", "r1csSha256", "wasmSha256", "ptauSha256"];
// Inside build/ (git-ignored) rather than os.tmpdir(): circom2 must see sources and outputs below
// one working directory.
const scratch = path.join(DEFAULT_BUILD_DIR, `.determinism-${process.pid}`);
let failed = false;
try {
  const log = (line) => console.log(line);
  const reference = await buildAll({ only: values.only, log });
  console.log(`\nfrom scratch into ${scratch} ...`);
  const fresh = await buildAll({ only: values.only, buildDir: scratch, force: true, log });
  for (const a of reference) {
    const b = fresh.find((r) => r.id === a.id);
    for (const key of KEYS) {
      const same = a.artifact[key] === b?.artifact[key];
      if (!same) failed = true;
      console.log(
        `${same ? "same     " : "DIFFERENT"} ${a.id} ${key} ${a.artifact[key]}${same ? "" : ` vs ${b?.artifact[key]}`}`,
      );
    }
    const vkA = await fsp.readFile(path.join(a.dir, "verification_key.json"));
    const vkB = await fsp.readFile(path.join(b.dir, "verification_key.json"));
    const same = vkA.equals(vkB);
    if (!same) failed = true;
    console.log(`${same ? "same     " : "DIFFERENT"} ${a.id} verification_key.json bytes`);
  }
  console.log(failed ? "\nNOT deterministic" : "\ndeterministic: two setups from scratch are byte-identical");
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? err.message : err);
} finally {
  if (!values.keep) await fsp.rm(scratch, { recursive: true, force: true });
  await releaseCurves();
}
process.exit(failed ? 1 : 0);
