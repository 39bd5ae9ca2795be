#!/usr/bin/env node
// Write the Groth16 Solidity verifier of a built circuit (snarkjs' bundled template), renamed to
// <PascalId>Verifier, pragma pinned, with a "generated … do not edit; INSECURE" banner on line 1.
// Builds the circuit first if needed (cached).
//
//   node scripts/export-verifier.mjs <id> [--out <file>]
//   default --out: ../contracts/src/verifiers/<PascalId>Verifier.sol
import path from "node:path";
import { parseArgs } from "node:util";
import { buildAll, defaultVerifierPath, exportSolidityVerifier, releaseCurves } from "./lib.mjs";

const { values, positionals } = parseArgs({ options: { out: { type: "string" } }, allowPositionals: true });
const [id] = positionals;
if (!id || positionals.length !== 1) {
  console.error("usage: node scripts/export-verifier.mjs <id> [--out <file>]");
  process.exit(2);
}

try {
  const log = (line) => console.log(line);
  await buildAll({ only: id, log });
  const out = values.out ? path.resolve(values.out) : defaultVerifierPath(id);
  const { file, contractName } = await exportSolidityVerifier(id, { out, log });
  console.log(`wrote ${contractName} (INSECURE development setup) to ${file}`);
  await releaseCurves();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await releaseCurves();
  process.exit(1);
}
